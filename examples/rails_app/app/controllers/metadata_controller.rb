# frozen_string_literal: true

# A package's metadata document as the proxy would serve it: the upstream
# versions with the denied ones removed, so resolvers never pick them.
class MetadataController < ApplicationController
  def show
    versions = UpstreamRegistry.versions(params[:ecosystem], params[:name])
    return render(json: { error: "no such package upstream" }, status: :not_found) unless versions

    allowed = policy.allowed_versions(ecosystem: params[:ecosystem], name: params[:name],
                                      versions: versions, project: project)
    render json: { ecosystem: params[:ecosystem], name: params[:name], versions: allowed,
                   hidden: versions.size - allowed.size }
  end
end
