# frozen_string_literal: true

require_relative "instrumentation"

module PackagePolicy
  # Counts "evaluate.package_policy" events by action and by deciding rule,
  # and renders them in the Prometheus text exposition format (version 0.0.4).
  # No dependency: a Rails app subscribes it and serves #to_prometheus.
  #
  #   METRICS = PackagePolicy::PrometheusSubscriber.new
  #   ActiveSupport::Notifications.subscribe("evaluate.package_policy", METRICS)
  #   ActiveSupport::Notifications.subscribe("reload_error.package_policy", METRICS)
  #   # GET /metrics → render plain: METRICS.to_prometheus, content_type: PackagePolicy::PrometheusSubscriber::CONTENT_TYPE
  #
  # Series:
  #   package_policy_decisions_total{action}                counter
  #   package_policy_rule_decisions_total{layer,rule,action} counter: decisions each rule made
  #   package_policy_request_errors_total                   counter: requests that raised
  #   package_policy_evaluate_seconds_sum / _count          summary of engine time
  #   package_policy_reload_errors_total                    counter
  # Thread-safe; counts live in this process (each Puma worker has its own).
  class PrometheusSubscriber
    CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

    def initialize
      @lock = Mutex.new
      @decisions = Hash.new(0)      # action => count
      @rule_decisions = Hash.new(0) # [layer, rule, action] => count
      @request_errors = 0
      @reload_errors = 0
      @seconds_sum = 0.0
      @seconds_count = 0
    end

    # ActiveSupport::Notifications' subscriber interface (name, start, finish, id, payload).
    def call(name, _start, _finish, _id, payload)
      case name
      when Instrumentation::EVALUATE then record(payload)
      when Instrumentation::RELOAD_ERROR then @lock.synchronize { @reload_errors += 1 }
      end
    end

    # Counts one evaluate payload (see PackagePolicy::Instrumentation).
    def record(payload)
      @lock.synchronize do
        if payload[:duration]
          @seconds_sum += payload[:duration]
          @seconds_count += 1
        end
        next @request_errors += 1 unless payload[:action]

        @decisions[payload[:action].to_s] += 1
        Array(payload[:rules]).each { |r| @rule_decisions[[r[:layer].to_s, r[:id].to_s, r[:action].to_s]] += 1 }
      end
    end

    def to_prometheus
      decisions, rules, request_errors, reload_errors, sum, count = @lock.synchronize do
        [@decisions.dup, @rule_decisions.dup, @request_errors, @reload_errors, @seconds_sum, @seconds_count]
      end
      out = +""
      family(out, "package_policy_decisions_total", "counter", "Package policy decisions by action.")
      %w[allow warn deny].each { |action| sample(out, "package_policy_decisions_total", { action: action }, decisions[action]) }
      family(out, "package_policy_rule_decisions_total", "counter", "Decisions made by each rule, by the rule's action.")
      rules.sort.each do |(layer, rule, action), n|
        sample(out, "package_policy_rule_decisions_total", { layer: layer, rule: rule, action: action }, n)
      end
      family(out, "package_policy_request_errors_total", "counter", "Requests the engine could not evaluate.")
      sample(out, "package_policy_request_errors_total", {}, request_errors)
      family(out, "package_policy_evaluate_seconds", "summary", "Time spent in the engine per evaluation.")
      sample(out, "package_policy_evaluate_seconds_sum", {}, sum)
      sample(out, "package_policy_evaluate_seconds_count", {}, count)
      family(out, "package_policy_reload_errors_total", "counter", "Policy changes that did not load.")
      sample(out, "package_policy_reload_errors_total", {}, reload_errors)
      out
    end

    private

    def family(out, name, type, help)
      out << "# HELP #{name} #{help}\n# TYPE #{name} #{type}\n"
    end

    def sample(out, name, labels, value)
      out << name
      unless labels.empty?
        out << "{" << labels.map { |k, v| "#{k}=\"#{escape(v.to_s)}\"" }.join(",") << "}"
      end
      out << " " << (value.is_a?(Float) ? value.to_s : Integer(value).to_s) << "\n"
    end

    # The exposition format escapes backslash, double quote and line feed in label values.
    def escape(value)
      value.gsub(/[\\"\n]/, "\\" => "\\\\", '"' => '\\"', "\n" => "\\n")
    end
  end
end
