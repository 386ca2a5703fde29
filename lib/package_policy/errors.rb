# frozen_string_literal: true

module PackagePolicy
  # Base class of every error this gem raises.
  class Error < StandardError; end

  # A policy layer does not compile. Carries where: +layer+, +line+, +column+
  # (1-based, nil when the parser gives no position) and +path+ such as
  # "rules[3].match.versions".
  class PolicyError < Error
    attr_reader :line, :column, :layer, :source, :path

    def initialize(message = nil, details = {})
      super(message)
      @line = details[:line]
      @column = details[:column]
      @layer = details[:layer]
      @source = details[:source]
      @path = details[:path]
    end
  end

  # A request cannot be evaluated (bad purl, unknown ecosystem, invalid version...).
  # Never a silent allow.
  class RequestError < Error; end
end
