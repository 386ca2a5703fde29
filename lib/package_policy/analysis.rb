# frozen_string_literal: true

module PackagePolicy
  # One lint finding (see docs/analysis.md): frozen, with readers +kind+
  # (Symbol such as :dead_rule, :shadowed_rule, :ineffective_exception,
  # :unaccountable_exception, :expiring_exception, :expired_exception,
  # :duplicate_id, :surprising_syntax, :dead_pattern), +severity+ (:error,
  # :warning or :info), +source+, +layer+, +id+, +line+, +column+ (nil for feed
  # rules) and +message+ (what is wrong and what to do).
  class Finding
    MEMBERS = %i[kind severity source layer id line column message].freeze
    attr_reader(*MEMBERS)

    def initialize(**fields)
      MEMBERS.each { |m| instance_variable_set(:"@#{m}", fields.fetch(m)) }
      freeze
    end

    def error?
      severity == :error
    end

    def warning?
      severity == :warning
    end

    def info?
      severity == :info
    end

    def to_h
      MEMBERS.to_h { |m| [m, public_send(m)] }
    end

    def deconstruct_keys(_keys)
      to_h
    end

    def ==(other)
      other.is_a?(Finding) && to_h == other.to_h
    end
    alias eql? ==

    def hash
      to_h.hash
    end

    # "FILE:LINE:COL: severity[kind] layer/id: message", as the CLI prints it.
    def to_s
      at = line ? "#{source}:#{line}:#{column}" : source
      "#{at}: #{severity}[#{kind.to_s.tr("_", "-")}] #{layer}/#{id}: #{message}"
    end

    def inspect
      "#<PackagePolicy::Finding #{self}>"
    end
  end

  class << self
    # Lints a policy set: takes what #compile takes, plus +now:+ (a Time or
    # RFC 3339 String; the clock when nil) and +expiring:+ (report exceptions
    # expiring within this window, such as "14d"). Returns a frozen Array of
    # frozen Finding objects in layer and rule order. Raises PolicyError when
    # the set does not compile.
    def lint(policy = nil, layers: nil, feeds: {}, strict_feeds: false, lenient_feeds: false, now: nil,
             expiring: "14d")
      found = _lint(layer_sources(policy, layers), feed_sources(feeds), strict_feeds ? true : false,
                    lenient_feeds ? true : false, now, String(expiring))
      found.map { |h| Finding.new(**h) }.freeze
    end
  end
end

module PackagePolicy
  # The result of PackagePolicy.diff: frozen. +regions+ is a frozen Array of
  # frozen Hashes, one per region of requests decided differently, with
  # +:ecosystem+, +:names+, +:exact+, +:any_name+, +:patterns+, +:versions+ (a vers: String,
  # nil for requests without a version), +:facts+, +:old+ and +:new+
  # (<tt>{ action:, rules: [{ layer:, id:, action: }], default: }</tt>) and
  # +:witness+ (<tt>{ purl:, request:, now: }</tt>, a request the two sets
  # decide differently). See docs/analysis.md.
  class PolicyDiff
    attr_reader :regions

    def initialize(regions)
      @regions = regions
      freeze
    end

    def equivalent?
      regions.empty?
    end

    def to_a
      regions
    end

    def inspect
      "#<PackagePolicy::PolicyDiff #{regions.size} regions>"
    end
  end

  class << self
    # Compares two policy sets (each what #compile takes: a YAML String, an
    # Array of them, or <tt>[{ name:, source: }]</tt>) at +now:+ (the clock
    # when nil) and at every expiry after it. +feeds:+ are given to both sets
    # (+lenient_feeds:+ as for #compile).
    # Raises PolicyError when either set does not compile.
    def diff(old, new, feeds: {}, lenient_feeds: false, now: nil)
      PolicyDiff.new(_diff(layer_sources(nil, old), layer_sources(nil, new), feed_sources(feeds),
                           lenient_feeds ? true : false, now))
    end
  end
end
