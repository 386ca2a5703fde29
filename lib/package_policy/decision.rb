# frozen_string_literal: true

module PackagePolicy
  # The engine's answer for one request (defined in the extension). Frozen;
  # compared by value.
  #
  # - +action+: :deny, :warn or :allow; also deny?, warn?, allow?
  # - +default?+: true when no rule decided and the effective default did
  # - +matched+: the unsuppressed deny/warn Rules, most severe first
  # - +allowed_by+: every matching allow Rule, even when a deny wins
  # - +suppressed+: deny/warn Rules an allow Rule suppressed; each has +by+
  # - +dry_run+: Rules of dry-run layers that would have matched
  # - +allowed_after+: for a deny or warn, the earliest Time (UTC) at which
  #   the same request would be decided less severely because time-bound
  #   rules (release-age cooldowns, expiring rules) stop matching; nil for an
  #   allow and when no time passing changes the action
  #
  # The lists are frozen Arrays of frozen Rules, built when called.
  class Decision
    KEYS = %i[action matched allowed_by suppressed dry_run default allowed_after].freeze

    # A frozen UTC Time, or nil.
    def allowed_after
      parts = _allowed_after
      parts && Time.at(parts[0], parts[1], :nsec, in: "UTC").freeze
    end

    # +allowed_after+ is present only when set, as in the CLI's JSON.
    def to_h
      h = {
        action: action,
        matched: matched.map(&:to_h),
        allowed_by: allowed_by.map(&:to_h),
        suppressed: suppressed.map(&:to_h),
        dry_run: dry_run.map(&:to_h),
        default: default?,
      }
      after = allowed_after
      h[:allowed_after] = after if after
      h
    end

    # Pattern matching: <tt>in { action: :deny }</tt>.
    def deconstruct_keys(keys)
      return to_h unless keys

      keys.filter_map { |k| [k, k == :default ? default? : public_send(k)] if KEYS.include?(k) }.to_h
    end

    def inspect
      parts = [action.to_s]
      parts << "(default)" if default?
      parts << "allowed_after=#{allowed_after.iso8601}" if allowed_after
      { matched: matched, allowed_by: allowed_by, dry_run: dry_run }.each do |key, rules|
        parts << "#{key}=[#{rules.join(", ")}]" unless rules.empty?
      end
      sup = suppressed
      parts << "suppressed=[#{sup.map { |r| "#{r} by #{r.by}" }.join(", ")}]" unless sup.empty?
      "#<PackagePolicy::Decision #{parts.join(" ")}>"
    end
  end
end
