# frozen_string_literal: true

module PackagePolicy
  # Wraps engine calls in notifications with what an audit log or a metrics
  # subscriber needs. The notifier is anything with ActiveSupport::Notifications'
  # `instrument(name, payload) { |payload| ... }`; without Rails the default
  # one only runs the block.
  #
  # "evaluate.package_policy" payload (filled in when the block returns):
  #   request   the purl String, or the request as a Hash (a purl with facts
  #             as { purl:, ... }, keywords as their Hash)
  #   now       the evaluation time when the caller gave one
  #   project   the project whose layers decided, or nil
  #   digest    the digest of the policy set that decided
  #   layer_names  the names of that set's layers, outermost first
  #   decision  the PackagePolicy::Decision
  #   action    :allow, :warn or :deny
  #   default   true when no rule decided
  #   rules     the deciding rules, as Hashes (layer, id, action, reason, owner, ticket):
  #             the matched deny/warn rules, or for an allow the allow rules that matched
  #   rule_ids  their ids;  layers  their layers (unique, in order)
  #   duration  seconds spent in the engine (Float, monotonic clock)
  # When the engine raises (a PackagePolicy::RequestError), the payload has no
  # decision; ActiveSupport adds :exception and :exception_object.
  class Instrumentation
    EVALUATE = "evaluate.package_policy"
    VERSIONS = "versions.package_policy"
    RELOAD = "reload.package_policy"
    RELOAD_ERROR = "reload_error.package_policy"

    # Runs the block without notifying anyone.
    module NullNotifier
      def self.instrument(_name, payload = {})
        yield payload
      end
    end

    RULE_FIELDS = %i[layer id action reason owner ticket].freeze

    attr_reader :notifier

    def initialize(notifier = NullNotifier)
      @notifier = notifier || NullNotifier
    end

    # Instruments one evaluation; the block returns the Decision.
    def evaluate(entry, request, project: nil, now: nil)
      return yield unless listening?(EVALUATE)

      payload = base_payload(entry, project).merge!(request: request)
      payload[:now] = now unless now.nil?
      @notifier.instrument(EVALUATE, payload) do
        decision = timed(payload) { yield }
        payload.merge!(self.class.describe(decision))
        decision
      end
    end

    # Instruments one resolution-mode call; the block returns { version => Decision }.
    # Payload: ecosystem, name, project, digest, count, allowed (versions not
    # denied), denied (versions), duration.
    def versions(entry, ecosystem:, name:, project: nil)
      return yield unless listening?(VERSIONS)

      payload = base_payload(entry, project).merge!(ecosystem: ecosystem, name: name)
      @notifier.instrument(VERSIONS, payload) do
        decisions = timed(payload) { yield }
        denied = decisions.select { |_, d| d.deny? }.keys
        payload.merge!(count: decisions.size, allowed: decisions.size - denied.size, denied: denied)
        decisions
      end
    end

    # A policy set was swapped in: project, digest, previous_digest, layer_names.
    def reloaded(project, entry, previous)
      @notifier.instrument(RELOAD, project: project, digest: entry.digest,
                                   previous_digest: previous&.digest, layer_names: entry.layer_names) { nil }
    end

    # A changed policy set did not load; the previous one stays in force.
    def reload_failed(project, error, kept)
      @notifier.instrument(RELOAD_ERROR, project: project, error: error, message: error.message,
                                         kept_digest: kept&.digest) { nil }
    end

    # The audit view of a decision (see the class comment).
    def self.describe(decision)
      deciding = decision.matched.to_a
      deciding = allowed_by(decision) if deciding.empty? && decision.allow?
      rules = deciding.map { |r| rule_hash(r) }
      {
        decision: decision,
        action: decision.action,
        default: decision.default?,
        rules: rules,
        rule_ids: rules.map { |r| r[:id] },
        layers: rules.map { |r| r[:layer] }.uniq,
      }
    end

    # A rule reference (a Hash, or an object with #to_h or readers) as a Hash without nils.
    def self.rule_hash(rule)
      hash =
        if rule.is_a?(Hash) then rule
        elsif rule.respond_to?(:to_h) then rule.to_h
        else RULE_FIELDS.to_h { |field| [field, (rule.public_send(field) if rule.respond_to?(field))] }
        end
      hash.slice(*RULE_FIELDS).compact
    end

    def self.allowed_by(decision)
      decision.respond_to?(:allowed_by) ? decision.allowed_by.to_a : []
    end

    # False when nobody would receive the event, so no payload is built.
    # ActiveSupport::Notifications answers through its notifier (Fanout#listening?).
    def listening?(name)
      return false if @notifier.equal?(NullNotifier)

      fanout = @notifier.notifier if @notifier.respond_to?(:notifier)
      fanout.respond_to?(:listening?) ? fanout.listening?(name) : true
    end

    private

    def base_payload(entry, project)
      { project: project, digest: entry.digest, layer_names: entry.layer_names }
    end

    def timed(payload)
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      yield
    ensure
      payload[:duration] = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
    end
  end
end
