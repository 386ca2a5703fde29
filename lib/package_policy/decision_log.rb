# frozen_string_literal: true

require "json"
require "time"

module PackagePolicy
  # Writes one JSON line per "evaluate.package_policy" event, in the shape
  # `package-policy eval --log` prints and `package-policy replay` reads: the
  # decision's keys (action, matched, allowed_by, suppressed, dry_run,
  # default) plus +request+ (the purl String or request Hash as given),
  # +now+ (the evaluation time, RFC 3339) and +policy+ (the digest of the set
  # that decided). A day of such lines replayed against a candidate policy
  # shows every decision the change would alter (docs/analysis.md).
  #
  #   log = PackagePolicy::DecisionLog.new(File.open("log/decisions.jsonl", "a"))
  #   ActiveSupport::Notifications.subscribe("evaluate.package_policy", log)
  #
  # Requests that raised (no decision) are not written: replay has nothing
  # to compare them with. Thread-safe: one line per write, under a lock.
  class DecisionLog
    attr_reader :io

    def initialize(io)
      @io = io
      @lock = Mutex.new
      @io.sync = true if @io.respond_to?(:sync=)
    end

    # ActiveSupport::Notifications' subscriber interface.
    def call(_name, start, _finish, _id, payload)
      line = self.class.line(payload, start)
      return unless line

      @lock.synchronize { @io.write(line) }
    end

    # The log line for one evaluate payload (nil when there is no decision).
    # The evaluation time is +payload[:now]+ when the caller gave one, else
    # the event's start.
    def self.line(payload, start = Time.now)
      decision = payload[:decision]
      return nil unless decision

      now = payload[:now] || start
      entry = decision.to_h
      entry[:allowed_after] = time_text(entry[:allowed_after]) if entry[:allowed_after]
      entry = entry.merge(
        request: wire_request(payload[:request]),
        now: time_text(now),
        policy: payload[:digest],
      )
      "#{JSON.generate(entry)}\n"
    end

    REQUEST_KEYS = %i[purl ecosystem name version license published_at project attributes
                      provenance previous_provenance].freeze
    private_constant :REQUEST_KEYS

    # A request as the CLI's JSON request schema has it (times in RFC 3339).
    def self.wire_request(request)
      return request.to_s unless request.is_a?(Hash)

      request.each_with_object({}) do |(key, value), out|
        key = key.to_sym
        next unless REQUEST_KEYS.include?(key) && !value.nil?

        out[key] = key == :published_at ? time_text(value) : value
      end
    end

    def self.time_text(time)
      return time if time.is_a?(String)

      (time.respond_to?(:to_time) ? time.to_time : time).utc.iso8601(6)
    end
    private_class_method :time_text, :wire_request
  end
end
