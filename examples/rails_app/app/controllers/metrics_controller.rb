# frozen_string_literal: true

class MetricsController < ApplicationController
  def show
    render plain: PACKAGE_POLICY_METRICS.to_prometheus,
           content_type: PackagePolicy::PrometheusSubscriber::CONTENT_TYPE
  end
end
