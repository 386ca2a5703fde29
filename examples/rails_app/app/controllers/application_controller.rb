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
end
