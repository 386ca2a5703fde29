# frozen_string_literal: true

# Counts decisions for GET /metrics (per process: each Puma worker has its own counts).
PACKAGE_POLICY_METRICS = PackagePolicy::PrometheusSubscriber.new
%w[evaluate.package_policy reload_error.package_policy].each do |event|
  ActiveSupport::Notifications.subscribe(event, PACKAGE_POLICY_METRICS)
end

# One audit line per decision: what was asked, what decided it, under which policy.
ActiveSupport::Notifications.subscribe("evaluate.package_policy") do |*, payload|
  next unless payload[:action] # a rejected request is logged by the controller's 400

  Rails.logger.info(
    "package_policy " + {
      action: payload[:action], request: payload[:request], project: payload[:project],
      digest: payload[:digest], default: payload[:default],
      rules: payload[:rules].map { |r| r.slice(:layer, :id, :action, :owner, :ticket) },
      duration_us: (payload[:duration] * 1_000_000).round,
    }.to_json,
  )
end

%w[reload.package_policy reload_error.package_policy].each do |event|
  ActiveSupport::Notifications.subscribe(event) do |name, *, payload|
    level = payload[:error] ? :error : :info
    Rails.logger.public_send(level, "package_policy #{name} #{payload.except(:error).to_json}")
  end
end

# The decision log: one `eval --log` line per decision, so a candidate policy
# can be shadow-tested on real traffic before it ships:
#   package-policy replay log/decisions.jsonl --policy candidate/*.yml
# (docs/analysis.md). PACKAGE_POLICY_DECISION_LOG names another file.
decision_log_path = ENV.fetch("PACKAGE_POLICY_DECISION_LOG") { Rails.root.join("log", "decisions.jsonl").to_s }
FileUtils.mkdir_p(File.dirname(decision_log_path))
PACKAGE_POLICY_DECISION_LOG = PackagePolicy::DecisionLog.new(File.open(decision_log_path, "a"))
ActiveSupport::Notifications.subscribe("evaluate.package_policy", PACKAGE_POLICY_DECISION_LOG)
