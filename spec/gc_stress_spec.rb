# frozen_string_literal: true

require "spec_helper"

# Every native entry point with GC.stress on during the call (a collection at
# every allocation), so a Ruby object the extension holds without marking it
# is freed under its feet and the example crashes or fails. Run by
# `rake spec:gc_stress` (CI); excluded from a plain `rspec` run for time.
RSpec.describe "native calls under GC.stress", :gc_stress do
  def stressed
    GC.stress = true
    yield
  ensure
    GC.stress = false
  end

  let(:yaml) do
    layer_yaml("acme", [
                 deny("evil", { "ecosystem" => "npm", "package" => "evil" }, reason: "malware", owner: "sec"),
                 allow("evil-ok", { "ecosystem" => "npm", "package" => "evil", "project" => "acme/lab" }),
                 warn_rule("dj", { "ecosystem" => "pypi", "package" => "django", "versions" => "< 5" }),
               ])
  end
  let(:feed_layer) { "schema_version: 1\nlayer: f\nfeeds:\n  - { name: mal, format: osv, action: deny }\nrules: []\n" }
  let(:feed) do
    %({"id": "MAL-1", "affected": [{"package": {"ecosystem": "npm", "name": "bad"}, ) +
      %("ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]})
  end
  let(:engine) { PackagePolicy.compile(layers: [{ name: "acme.yaml", source: yaml }]) }

  it "compiles, validates and raises PolicyError" do
    e = stressed { PackagePolicy.compile([{ name: "a.yaml", source: yaml }, feed_layer], feeds: { "mal" => [{ origin: "m.json", text: feed }] }) }
    expect(e.evaluate("pkg:npm/bad@1.0.0")).to be_deny
    bad = "schema_version: 1\nlayer: b\nrules:\n  - { id: a, action: nope, match: {} }\n  - { id: a, action: deny, match: { versions: x } }\n"
    found = stressed { PackagePolicy.validate(bad, max_errors: 0) }
    expect(found.last).to include(kind: :more)
    expect { stressed { PackagePolicy.compile(bad) } }.to raise_error(PackagePolicy::PolicyError) { |err| expect(err.kind).to eq(:syntax) }
    expect(stressed { [engine.digest, engine.rule_count, engine.inspect] }).to all(be_truthy)
  end

  it "evaluates every request form and reads the Decision" do
    d = stressed { engine.evaluate("pkg:npm/evil@1.0.0") }
    expect(d).to be_deny
    lab = stressed { engine.evaluate("pkg:npm/evil@1.0.0", project: "acme/lab", attributes: { "tier" => 1, "x" => "y" }) }
    expect(lab).to be_allow
    kw = stressed { engine.evaluate(ecosystem: "pypi", name: "Django", version: "4.2", published_at: Time.now - 60, now: Time.now) }
    expect(kw).to be_warn
    hash = stressed { engine.evaluate({ "purl" => "pkg:npm/evil@1.0.0", "project" => "acme/lab", license: "MIT" }) }
    expect(hash).to eq(lab)
    got = stressed do
      [d.matched.map { |r| [r.layer, r.id, r.action, r.reason, r.owner, r.ticket] },
       lab.allowed_by.map(&:to_s), lab.suppressed.map { |r| r.by.to_s }, d.dry_run, d.hash, d.default?]
    end
    expect(got.first).to eq([["acme", "evil", :deny, "malware", "sec", nil]])
  end

  it "evaluates batches and versions" do
    out = stressed { engine.evaluate_many(["pkg:npm/evil@1.0.0", { ecosystem: "pypi", name: "django", version: "4.0" }, "pkg:npm/ok@1.0.0"]) }
    expect(out.map(&:action)).to eq(%i[deny warn allow])
    vs = stressed { engine.versions(ecosystem: "pypi", name: "django", versions: %w[4.0 5.0 5.1]) }
    expect(vs.transform_values(&:action)).to eq({ "4.0" => :warn, "5.0" => :allow, "5.1" => :allow })
  end

  it "raises RequestError, ArgumentError and TypeError" do
    expect { stressed { engine.evaluate("not a purl") } }.to raise_error(PackagePolicy::RequestError)
    expect { stressed { engine.evaluate_many(["pkg:npm/a", { ecosystem: "npm", name: "has space" }]) } }
      .to raise_error(PackagePolicy::RequestError) { |e| expect(e.index).to eq(1) }
    expect { stressed { engine.evaluate({ "purl" => "pkg:npm/a", "licence" => "MIT" }) } }.to raise_error(ArgumentError)
    expect { stressed { engine.evaluate(ecosystem: "npm", name: "x", attributes: { "s" => 1.5 }) } }.to raise_error(PackagePolicy::RequestError)
    expect { stressed { engine.evaluate(ecosystem: "npm", name: 42) } }.to raise_error(TypeError)
  end

  it "lints and diffs" do
    findings = stressed { PackagePolicy.lint(yaml, now: "2026-01-01T00:00:00Z") }
    expect(findings).to be_frozen
    diff = stressed { PackagePolicy.diff([yaml], [layer_yaml("acme", [])], now: "2026-01-01T00:00:00Z") }
    expect(diff).not_to be_equivalent
  end

  it "stacks, writes and loads bundles, and raises BundleError" do
    group = layer_yaml("acme/web", [allow("evil-ok", { "ecosystem" => "npm", "package" => "evil" })])
    stacked = stressed { engine.stack(group) }
    expect(stacked.evaluate("pkg:npm/evil@1.0.0")).to be_allow
    bytes = stressed { stacked.to_bytes }
    loaded = stressed { PackagePolicy.load(bytes) }
    expect([loaded.digest, loaded.depth, loaded.layer_count]).to eq([stacked.digest, 2, 2])
    expect { stressed { PackagePolicy.load(bytes[0, 30]) } }.to raise_error(PackagePolicy::BundleError)
  end
end
