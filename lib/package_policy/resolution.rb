# frozen_string_literal: true

module PackagePolicy
  # What Engine#resolve found (frozen):
  #
  # - +version+: the newest version in range the policy serves (allow or
  #   warn), as given; nil when none is
  # - +decision+: that version's Decision (a warn carries its rules); nil
  #   when none is served
  # - +refused+: each in-range version newer than +version+ (every in-range
  #   version when none is served), newest first, as a Refusal with its
  #   +version+ and +decision+ (rules, reasons, +allowed_after+)
  # - +invalid+: the versions that do not parse, as InvalidVersion
  #   (+version+, +kind+, +message+); never chosen
  class Resolution
    # A refused version and the Decision that refused it.
    Refusal = Struct.new(:version, :decision, keyword_init: true) do
      def initialize(...)
        super
        freeze
      end
    end

    # A listed version that is no version of the ecosystem.
    InvalidVersion = Struct.new(:version, :kind, :message, keyword_init: true) do
      def initialize(...)
        super
        freeze
      end
    end

    attr_reader :version, :decision, :refused, :invalid

    def initialize(version:, decision:, refused:, invalid:)
      @version = version
      @decision = decision
      @refused = refused
      @invalid = invalid
      freeze
    end

    # True when a version in range is served.
    def found?
      !@version.nil?
    end

    # True when some versions could not be read.
    def invalid?
      !@invalid.empty?
    end

    def to_h
      {
        version: version,
        decision: decision&.to_h,
        refused: refused.map { |r| { version: r.version, decision: r.decision.to_h } },
        invalid: invalid.map(&:to_h),
      }
    end

    def inspect
      "#<PackagePolicy::Resolution version=#{version.inspect} refused=#{refused.map(&:version)}>"
    end
  end
end
