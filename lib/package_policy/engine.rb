# frozen_string_literal: true

module PackagePolicy
  # A compiled, immutable policy set. Share one across threads.
  class Engine
    # Decides one request given as a package URL.
    def evaluate(purl)
      Decision.new(**_evaluate_purl(purl))
    end

    def inspect
      "#<PackagePolicy::Engine rules=#{rule_count}>"
    end
  end
end
