# frozen_string_literal: true

# The gate a registry proxy asks before serving a package file:
# 200 when allowed (with a Warning header on warn), 403 with the decision when denied.
class PackagesController < ApplicationController
  def show
    package = { ecosystem: params[:ecosystem], name: params[:name], version: params[:version] }
    decision = policy.evaluate(package, project: project)
    response.headers["Warning"] = warning(decision) if decision.warn?
    render json: { package: package, decision: decision.to_h },
           status: decision.deny? ? :forbidden : :ok
  end

  private

  # RFC 7234 warn-code 299 ("miscellaneous persistent warning"), one value per rule.
  def warning(decision)
    decision.matched.map do |rule|
      rule = PackagePolicy::Instrumentation.rule_hash(rule)
      text = [rule[:id], rule[:reason]].compact.join(": ")
      %(299 package_policy "#{text.gsub(/["\\]/) { |c| "\\#{c}" }}")
    end.join(", ")
  end
end
