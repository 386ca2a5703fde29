# frozen_string_literal: true

module PackagePolicy
  # A frozen reference to one rule, as carried in a Decision (defined in the
  # extension). Readers: +layer+, +id+, +action+ (Symbol), +reason+, +owner+,
  # +ticket+ (Strings or nil) and, in Decision#suppressed entries, +by+: the
  # allow Rule that suppressed it. Compared by value (==, eql?, hash).
  class Rule
    MEMBERS = %i[layer id action reason owner ticket by].freeze

    # Hash-style access, as in <tt>rule[:id]</tt>. Unknown keys raise KeyError.
    def [](key)
      key = key.to_sym
      raise KeyError.new("no rule field #{key.inspect} (known: #{MEMBERS.join(", ")})", receiver: self, key: key) unless MEMBERS.include?(key)

      public_send(key)
    end

    # Pattern matching: <tt>in { layer: "acme", action: :deny }</tt>.
    def deconstruct_keys(_keys)
      to_h
    end

    # "layer/id", as case files and logs name rules.
    def to_s
      "#{layer}/#{id}"
    end

    def to_h
      h = { layer: layer, id: id, action: action }
      h[:reason] = reason if reason
      h[:owner] = owner if owner
      h[:ticket] = ticket if ticket
      h[:by] = by.to_h if by
      h
    end

    def inspect
      parts = ["#{self} #{action}"]
      parts << "reason=#{reason.inspect}" if reason
      parts << "owner=#{owner.inspect}" if owner
      parts << "ticket=#{ticket.inspect}" if ticket
      parts << "by=#{by}" if by
      "#<PackagePolicy::Rule #{parts.join(" ")}>"
    end
  end
end
