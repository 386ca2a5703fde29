# frozen_string_literal: true

module PackagePolicySpec
  # Records notifications as ActiveSupport::Notifications would deliver them:
  # after the block, with the payload it filled in (and :exception when it raised).
  class RecordingNotifier
    attr_reader :events

    def initialize
      @events = []
      @lock = Mutex.new
    end

    def instrument(name, payload = {})
      result = yield payload
      @lock.synchronize { @events << [name, payload] }
      result
    rescue StandardError => e
      payload[:exception] = [e.class.name, e.message]
      @lock.synchronize { @events << [name, payload] }
      raise
    end

    def named(name) = events.select { |n, _| n == name }.map(&:last)
  end

  # A clock the example moves by hand.
  class ManualClock
    def initialize = @now = 0.0
    def call = @now
    def advance(seconds) = @now += seconds
  end

  def self.layer(name, rules, default: nil)
    doc = { "schema_version" => 1, "layer" => name }
    doc["default"] = default if default
    doc["rules"] = rules.map { |r| r.transform_keys(&:to_s) }
    YAML.dump(doc)
  end

  def self.rule(id, action, ecosystem, package, **extra)
    { "id" => id, "action" => action, **extra.transform_keys(&:to_s),
      "match" => { "ecosystem" => ecosystem, "package" => package } }
  end
end
