# frozen_string_literal: true

require "rails_helper"
require "tmpdir"

# A policy change reaches the running app without a restart: the app's
# LivePolicy (built as the Railtie builds it) follows the files of a policy
# directory; the spec edits them between requests.
RSpec.describe "Updating policies without a restart" do
  around do |example|
    Dir.mktmpdir do |dir|
      @dir = dir
      FileUtils.cp(Rails.root.glob("config/policies/*.yml"), dir)
      options = Rails.application.config.package_policy.dup
      options.layers = File.join(dir, "*.yml")
      options.check_interval = 0 # check on every request; production checks every few seconds
      saved = PackagePolicy::Railtie.policy
      PackagePolicy::Railtie.policy = PackagePolicy::Railtie.build_policy(options, root: Rails.root)
      example.run
    ensure
      PackagePolicy::Railtie.policy = saved
    end
  end

  def publish(name, text)
    path = File.join(@dir, name)
    File.write("#{path}.tmp", text)
    File.rename("#{path}.tmp", path) # atomic: the app reads the old file or the new one
  end

  let(:left_pad_incident) { <<~YAML }
    schema_version: 1
    layer: incident
    rules:
      - id: left-pad-incident
        action: deny
        reason: compromised release under investigation
        owner: secteam@acme.example
        ticket: SEC-5000
        match: { ecosystem: npm, package: left-pad }
  YAML

  it "denies a package once a new layer file names it, and allows it again once removed" do
    get "/packages/npm/left-pad/1.3.0"
    expect(response).to have_http_status(:ok)

    publish("40-incident.yml", left_pad_incident)
    get "/packages/npm/left-pad/1.3.0"
    expect(response).to have_http_status(:forbidden)
    expect(response.parsed_body.dig("decision", "matched", 0, "id")).to eq("left-pad-incident")

    File.delete(File.join(@dir, "40-incident.yml"))
    get "/packages/npm/left-pad/1.3.0"
    expect(response).to have_http_status(:ok)
  end

  it "applies an edited layer: removing a project's exception takes effect on the next request" do
    get "/packages/pypi/pycrypto/2.6.1"
    expect(response).to have_http_status(:ok)

    publish("30-acme-web.yml", "schema_version: 1\nlayer: acme/web\nrules: []\n")
    get "/packages/pypi/pycrypto/2.6.1"
    expect(response).to have_http_status(:forbidden)
    expect(response.parsed_body.dig("decision", "matched", 0, "id")).to eq("no-pycrypto")
  end

  it "keeps serving the last good policy when an edit does not compile" do
    publish("40-incident.yml", left_pad_incident)
    get "/packages/npm/left-pad/1.3.0"
    expect(response).to have_http_status(:forbidden)

    publish("40-incident.yml", "schema_version: 1\nlayer: incident\nrules:\n  - id: x\n    action: block\n")
    get "/packages/npm/left-pad/1.3.0"
    expect(response).to have_http_status(:forbidden)
    expect(PackagePolicy::Railtie.policy.last_error.message).to include("40-incident.yml")
  end
end
