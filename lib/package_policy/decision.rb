# frozen_string_literal: true

module PackagePolicy
  # The engine's answer for one request. Frozen.
  class Decision
    attr_reader :action, :matched

    def initialize(action:, matched:, default:)
      @action = action
      @matched = matched.map(&:freeze).freeze
      @default = default
      freeze
    end

    def deny? = action == :deny
    def warn? = action == :warn
    def allow? = action == :allow
    def default? = @default

    def to_h
      { action: action, matched: matched, default: default? }
    end
  end
end
