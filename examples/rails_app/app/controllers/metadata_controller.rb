# frozen_string_literal: true

# A package's metadata document as the proxy would serve it: the upstream
# versions with the denied ones removed, so resolvers never pick them.
class MetadataController < ApplicationController
  def show
    versions = UpstreamRegistry.versions(params[:ecosystem], params[:name])
    return render(json: { error: "no such package upstream" }, status: :not_found) unless versions

    allowed = policy.allowed_versions(ecosystem: params[:ecosystem], name: params[:name],
                                      versions: versions, project: project)
    body = { ecosystem: params[:ecosystem], name: params[:name], versions: allowed,
             hidden: versions.size - allowed.size }
    body[:resolved] = resolved(versions) if params[:range].present?
    render json: body
  end

  private

  # With ?range=: the version a client asking for that range gets, and
  # what to wait for or why each newer one in range is refused.
  def resolved(versions)
    r = policy.resolve(ecosystem: params[:ecosystem], name: params[:name], range: params[:range],
                       versions: versions, project: project)
    {
      version: r.version,
      refused: r.refused.map do |x|
        { version: x.version, action: x.decision.action,
          reasons: x.decision.matched.map { |rule| rule.reason || rule.to_s },
          allowed_after: x.decision.allowed_after&.iso8601 }.compact
      end,
    }
  end
end
