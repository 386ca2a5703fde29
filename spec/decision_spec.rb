# frozen_string_literal: true

require "spec_helper"

RSpec.describe PackagePolicy::Decision, :core do
  let(:engine) do
    PackagePolicy.compile(layer_yaml("acme", [
                                       deny("evil", { "package" => "evil" }, reason: "malware", owner: "sec@acme.example", ticket: "SEC-1"),
                                       warn_rule("meh", { "package" => "evil" }),
                                       allow("vetted", { "package" => "vetted" }),
                                       deny("vetted-deny", { "package" => "vetted" }),
                                     ]))
  end
  let(:denied) { engine.evaluate("pkg:npm/evil@1.0.0") }
  let(:suppressed) { engine.evaluate("pkg:npm/vetted@1.0.0") }
  let(:default) { engine.evaluate("pkg:npm/other@1.0.0") }

  it "is frozen, with frozen lists of frozen rules" do
    expect(denied).to be_frozen
    expect(denied.matched).to be_frozen
    expect(denied.matched).to all(be_frozen)
    expect(denied.matched.first.id).to be_frozen
  end

  it "has an action Symbol and predicates" do
    expect([denied.action, denied.deny?, denied.warn?, denied.allow?, denied.default?]).to eq([:deny, true, false, false, false])
    expect([default.action, default.allow?, default.default?]).to eq([:allow, true, true])
  end

  it "lists matched rules most severe first, with layer, id, action, reason, owner, ticket" do
    first, second = denied.matched
    expect([first.layer, first.id, first.action, first.reason, first.owner, first.ticket])
      .to eq(["acme", "evil", :deny, "malware", "sec@acme.example", "SEC-1"])
    expect([second.id, second.action, second.reason, second.owner]).to eq(["meh", :warn, nil, nil])
    expect(first.by).to be_nil
  end

  it "lists allowed_by and suppressed rules with the rule that suppressed them" do
    expect(suppressed).to be_allow
    expect(suppressed.allowed_by.map(&:to_s)).to eq(["acme/vetted"])
    expect(suppressed.suppressed.map(&:id)).to eq(["vetted-deny"])
    expect(suppressed.suppressed.first.by.id).to eq("vetted")
    expect(suppressed.dry_run).to eq([])
  end

  it "compares by value" do
    again = engine.evaluate("pkg:npm/evil@1.0.0")
    expect(denied).to eq(again)
    expect(denied).to eql(again)
    expect(denied.hash).to eq(again.hash)
    expect(denied).not_to eq(default)
    expect(denied).not_to eq("deny")
    expect({ denied => 1 }[again]).to eq(1)
    expect(denied.matched.first).to eq(again.matched.first)
  end

  it "has to_h in the CLI's JSON shape, without absent keys" do
    expect(suppressed.to_h).to eq(
      action: :allow,
      matched: [],
      allowed_by: [{ layer: "acme", id: "vetted", action: :allow }],
      suppressed: [{ layer: "acme", id: "vetted-deny", action: :deny, by: { layer: "acme", id: "vetted", action: :allow } }],
      dry_run: [],
      default: false,
    )
    expect(denied.to_h[:matched].first).to eq(layer: "acme", id: "evil", action: :deny, reason: "malware", owner: "sec@acme.example", ticket: "SEC-1")
  end

  it "has a readable inspect" do
    expect(denied.inspect).to eq("#<PackagePolicy::Decision deny matched=[acme/evil, acme/meh]>")
    expect(suppressed.inspect).to eq("#<PackagePolicy::Decision allow allowed_by=[acme/vetted] suppressed=[acme/vetted-deny by acme/vetted]>")
    expect(default.inspect).to eq("#<PackagePolicy::Decision allow (default)>")
    expect(denied.matched.first.inspect).to eq('#<PackagePolicy::Rule acme/evil deny reason="malware" owner="sec@acme.example" ticket="SEC-1">')
  end

  it "cannot be built from Ruby" do
    expect { described_class.new }.to raise_error(TypeError)
    expect { PackagePolicy::Rule.allocate }.to raise_error(TypeError)
  end
end
