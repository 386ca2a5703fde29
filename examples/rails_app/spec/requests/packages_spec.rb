# frozen_string_literal: true

require "rails_helper"

RSpec.describe "GET /packages/:ecosystem/*name/:version" do
  def decision = response.parsed_body.fetch("decision")
  def rule_ids(key = "matched") = decision.fetch(key, []).map { |r| r["id"] }

  it "allows a version outside a deny rule's range" do
    get "/packages/npm/event-stream/3.3.5"
    expect(response).to have_http_status(:ok)
    expect(decision).to include("action" => "allow", "default" => true)
  end

  it "denies a pre-release inside a deny rule's range: publishing one does not escape it" do
    get "/packages/npm/node-ipc/10.1.2-beta.1"
    expect(response).to have_http_status(:forbidden)
    expect(rule_ids).to eq(["node-ipc-protestware"])
  end

  it "allows a package no rule names, with no Warning header" do
    get "/packages/npm/left-pad/1.3.0"
    expect(response).to have_http_status(:ok)
    expect(decision).to include("action" => "allow", "default" => true)
    expect(response.parsed_body["package"]).to eq("ecosystem" => "npm", "name" => "left-pad", "version" => "1.3.0")
    expect(response.headers).not_to have_key("Warning")
  end

  it "serves a warned package with a Warning header naming the rule and its reason" do
    get "/packages/npm/request/2.88.2"
    expect(response).to have_http_status(:ok)
    expect(decision["action"]).to eq("warn")
    expect(rule_ids).to eq(["request-deprecated"])
    expect(response.headers["Warning"])
      .to eq('299 package_policy "request-deprecated: request is deprecated; use undici or node-fetch"')
  end

  it "refuses a denied package with 403 and the decision as JSON" do
    get "/packages/npm/event-stream/3.3.6"
    expect(response).to have_http_status(:forbidden)
    expect(response.media_type).to eq("application/json")
    expect(decision["action"]).to eq("deny")
    expect(decision["matched"].first).to include("layer" => "instance", "id" => "event-stream-backdoor",
                                                 "reason" => "flatmap-stream backdoor steals cryptocurrency wallets")
  end

  it "takes names with slashes and dots, such as scoped npm packages and PyPI names" do
    get "/packages/npm/@acme/ui-kit/2.0.0-rc.1"
    expect(response).to have_http_status(:ok)
    expect(response.parsed_body.dig("package", "name")).to eq("@acme/ui-kit")
    expect(response.parsed_body.dig("package", "version")).to eq("2.0.0-rc.1")

    get "/packages/pypi/zope.interface/6.0"
    expect(response).to have_http_status(:ok)
    expect(response.parsed_body.dig("package", "name")).to eq("zope.interface")
  end

  it "lets a project's exception (an allow rule with owner and ticket) lift a group's deny" do
    get "/packages/pypi/pycrypto/2.6.1"
    expect(response).to have_http_status(:ok)
    expect(decision).to include("action" => "allow", "default" => false)
    expect(rule_ids).to eq([])
  end

  it "names the exception that allowed a package, with its owner and ticket" do
    get "/packages/pypi/pycrypto/2.6.1"
    expect(decision["allowed_by"]).to eq([{ "layer" => "acme/web", "id" => "pycrypto-legacy-signing", "action" => "allow",
                                            "reason" => "legacy signing service until its migration to pycryptodome",
                                            "owner" => "alice@acme.example", "ticket" => "SEC-4211" }])
    expect(decision["suppressed"].map { |r| r["id"] }).to eq(["no-pycrypto"])
  end

  it "does not let an exception lift an enforced instance rule" do
    get "/packages/pypi/ctx/0.2.2"
    expect(response).to have_http_status(:forbidden)
    expect(rule_ids).to eq(["ctx-account-takeover"])
  end

  it "answers 400 with the engine's message for a request it cannot evaluate" do
    get "/packages/cobol/payroll/1.0"
    expect(response).to have_http_status(:bad_request)
    expect(response.parsed_body["error"]).to match(/cobol/)
    expect(response.parsed_body).not_to have_key("decision")
  end

  it "answers 400 for a version that does not parse in its ecosystem, never a silent allow" do
    get "/packages/npm/left-pad/not-a-version"
    expect(response).to have_http_status(:bad_request)
    expect(response.parsed_body["error"]).to include("not-a-version")
  end
end
