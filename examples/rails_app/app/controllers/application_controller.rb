# frozen_string_literal: true

class ApplicationController < ActionController::API
  rescue_from PackagePolicy::RequestError do |error|
    render json: { error: error.message }, status: :bad_request
  end

  private

  def policy
    PackagePolicy::Railtie.policy
  end

  # The requesting project, for policies with per-project layers and `project` conditions.
  def project
    request.headers["X-Project"].presence
  end

  # A decision as JSON: rule references become plain objects.
  def decision_json(decision)
    decision.to_h.transform_values do |value|
      value.is_a?(Array) ? value.map { |rule| PackagePolicy::Instrumentation.rule_hash(rule) } : value
    end
  end
end
