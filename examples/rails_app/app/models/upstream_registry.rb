# frozen_string_literal: true

# Stands in for the upstream registries the proxy fronts: the published
# versions of a few packages, from config/upstream.yml.
module UpstreamRegistry
  def self.versions(ecosystem, name)
    catalog.dig(ecosystem, name)
  end

  def self.catalog
    @catalog ||= YAML.safe_load(Rails.root.join("config/upstream.yml").read).freeze
  end
end
