# frozen_string_literal: true

require "rails_helper"

RSpec.describe "GET /metadata/:ecosystem/*name" do
  it "lists every upstream version of a package no rule denies" do
    get "/metadata/npm/left-pad"
    expect(response).to have_http_status(:ok)
    expect(response.parsed_body).to eq("ecosystem" => "npm", "name" => "left-pad",
                                       "versions" => %w[1.0.0 1.1.3 1.3.0], "hidden" => 0)
  end

  it "hides exactly the denied versions, keeping upstream order" do
    get "/metadata/npm/event-stream"
    expect(response).to have_http_status(:ok)
    expect(response.parsed_body).to include("versions" => %w[3.3.4 3.3.5 4.0.0 4.0.1], "hidden" => 1)

    get "/metadata/npm/ua-parser-js"
    expect(response.parsed_body).to include("versions" => %w[0.7.28 0.7.30 0.8.1 1.0.1], "hidden" => 3)
  end

  it "reads each ecosystem's range syntax" do
    get "/metadata/npm/node-ipc"
    expect(response.parsed_body["versions"]).to eq(%w[9.2.1 10.1.0 10.1.3 11.0.0])

    get "/metadata/rubygems/rest-client"
    expect(response.parsed_body["versions"]).to eq(%w[1.6.9 1.6.14 2.1.0])
  end

  it "hides every version of a package denied whole" do
    get "/metadata/pypi/ctx"
    expect(response.parsed_body).to include("versions" => [], "hidden" => 2)
  end

  it "keeps warned versions: a warning never hides a version" do
    get "/metadata/npm/request"
    expect(response.parsed_body["versions"]).to eq(%w[2.88.0 2.88.2])
  end

  it "applies exceptions: the project's allow rule keeps pycrypto visible" do
    get "/metadata/pypi/pycrypto"
    expect(response.parsed_body).to include("versions" => %w[2.6 2.6.1], "hidden" => 0)
  end

  it "with ?range= resolves: the newest served version in range, and why newer ones are refused" do
    get "/metadata/npm/ua-parser-js", params: { range: "<0.8.1" }
    expect(response).to have_http_status(:ok)
    expect(response.parsed_body["resolved"]).to eq(
      "version" => "0.7.30",
      "refused" => [{ "version" => "0.8.0", "action" => "deny",
                      "reasons" => ["hijacked releases install a cryptominer and a password stealer"] }]
    )
    # The listing is unchanged by the range.
    expect(response.parsed_body["versions"]).to eq(%w[0.7.28 0.7.30 0.8.1 1.0.1])
  end

  it "with ?range= says when nothing in range is served" do
    get "/metadata/npm/ua-parser-js", params: { range: "1.0.0" }
    expect(response.parsed_body["resolved"]).to include("version" => nil)
    expect(response.parsed_body["resolved"]["refused"].map { |r| r["version"] }).to eq(["1.0.0"])
  end

  it "answers 400 for a range the ecosystem cannot read" do
    get "/metadata/npm/ua-parser-js", params: { range: ">>>" }
    expect(response).to have_http_status(:bad_request)
    expect(response.parsed_body["error"]).to match(/range/)
  end

  it "answers 404 for a package the upstream does not have" do
    get "/metadata/npm/no-such-package"
    expect(response).to have_http_status(:not_found)
  end

  it "answers 400 for an ecosystem the engine does not know" do
    allow(UpstreamRegistry).to receive(:versions).with("cobol", "payroll").and_return(["1.0"])
    get "/metadata/cobol/payroll"
    expect(response).to have_http_status(:bad_request)
    expect(response.parsed_body["error"]).to match(/cobol/)
  end
end
