# frozen_string_literal: true

require "spec_helper"

# POLICY_SPEC §2 (conditions) and §4 (decision steps) through the Ruby API,
# with Ruby values (Time, Symbols, typed attributes) as the requests.
RSpec.describe "the policy language through Ruby", :core do
  let(:now) { Time.utc(2026, 6, 1) }

  def engine_for(*layers)
    PackagePolicy.compile(layers)
  end

  def action(engine, **request)
    engine.evaluate(now: now, **request).action
  end

  describe "§2 conditions" do
    it "ecosystem: one or a list; aliases gem and go" do
      e = engine_for(layer_yaml("l", [deny("d", { "ecosystem" => %w[gem go] })]))
      expect(action(e, ecosystem: "rubygems", name: "rails")).to eq(:deny)
      expect(action(e, ecosystem: :golang, name: "golang.org/x/net")).to eq(:deny)
      expect(action(e, ecosystem: "npm", name: "rails")).to eq(:allow)
    end

    it "package: exact names, normalized per ecosystem (PyPI PEP 503)" do
      e = engine_for(layer_yaml("l", [deny("d", { "ecosystem" => "pypi", "package" => "Zope.Interface" })]))
      expect(action(e, ecosystem: "pypi", name: "zope-interface")).to eq(:deny)
      expect(action(e, ecosystem: "pypi", name: "ZOPE_interface")).to eq(:deny)
      expect(action(e, ecosystem: "pypi", name: "zope-interfaces")).to eq(:allow)
    end

    it "package: globs never cross /" do
      e = engine_for(layer_yaml("l", [deny("d", { "ecosystem" => "npm", "package" => "@evil/*" })]))
      expect(action(e, ecosystem: "npm", name: "@evil/pkg")).to eq(:deny)
      expect(action(e, ecosystem: "npm", name: "@good/pkg")).to eq(:allow)
    end

    it "versions: native ranges include pre-releases; absent version does not match" do
      e = engine_for(layer_yaml("l", [deny("d", { "ecosystem" => "npm", "package" => "lodash", "versions" => "<4.17.21" })]))
      expect(action(e, ecosystem: "npm", name: "lodash", version: "4.17.20")).to eq(:deny)
      expect(action(e, ecosystem: "npm", name: "lodash", version: "4.17.21-rc.1")).to eq(:deny)
      expect(action(e, ecosystem: "npm", name: "lodash", version: "4.17.21")).to eq(:allow)
      expect(action(e, ecosystem: "npm", name: "lodash")).to eq(:allow)
    end

    it "versions: vers: URIs" do
      e = engine_for(layer_yaml("l", [deny("d", { "package" => "requests", "versions" => "vers:pypi/>=2.0|<2.31" })]))
      expect(action(e, ecosystem: "pypi", name: "requests", version: "2.30.0")).to eq(:deny)
      expect(action(e, ecosystem: "pypi", name: "requests", version: "2.31.0")).to eq(:allow)
    end

    it "license: the SPDX expression names any listed id; absent does not match" do
      e = engine_for(layer_yaml("l", [deny("d", { "license" => "GPL-3.0-only" })]))
      expect(action(e, ecosystem: "npm", name: "x", license: "MIT OR GPL-3.0-only")).to eq(:deny)
      expect(action(e, ecosystem: "npm", name: "x", license: "MIT")).to eq(:allow)
      expect(action(e, ecosystem: "npm", name: "x")).to eq(:allow)
      expect { action(e, ecosystem: "npm", name: "x", license: "not a license") }.to raise_error(PackagePolicy::RequestError)
    end

    it "license_not_in: fails closed when the request has no license" do
      e = engine_for(layer_yaml("l", [deny("d", { "license_not_in" => %w[MIT Apache-2.0] })]))
      expect(action(e, ecosystem: "npm", name: "x", license: "MIT")).to eq(:allow)
      expect(action(e, ecosystem: "npm", name: "x", license: "MIT AND GPL-2.0-only")).to eq(:deny)
      expect(action(e, ecosystem: "npm", name: "x")).to eq(:deny)
    end

    it "published_within: takes published_at as a Time or an RFC 3339 String" do
      e = engine_for(layer_yaml("l", [warn_rule("new", { "published_within" => "72h" })]))
      expect(action(e, ecosystem: "npm", name: "x", published_at: now - 3600)).to eq(:warn)
      expect(action(e, ecosystem: "npm", name: "x", published_at: "2026-05-31T23:00:00Z")).to eq(:warn)
      expect(action(e, ecosystem: "npm", name: "x", published_at: now - (4 * 86_400))).to eq(:allow)
      expect(action(e, ecosystem: "npm", name: "x")).to eq(:allow)
    end

    it "project: a glob over the requesting project's path" do
      e = engine_for(layer_yaml("l", [deny("d", { "project" => "acme/web/**" })]))
      expect(action(e, ecosystem: "npm", name: "x", project: "acme/web/api")).to eq(:deny)
      expect(action(e, ecosystem: "npm", name: "x", project: "acme/webshop")).to eq(:allow)
      expect(action(e, ecosystem: "npm", name: "x")).to eq(:allow)
    end

    it "attributes: compared with their types" do
      e = engine_for(layer_yaml("l", [deny("d", { "attributes" => { "internal" => true, "tier" => 1, "team" => "core" } })]))
      expect(action(e, ecosystem: "npm", name: "x", attributes: { internal: true, tier: 1, team: "core", more: "x" })).to eq(:deny)
      expect(action(e, ecosystem: "npm", name: "x", attributes: { "internal" => "true", "tier" => 1, "team" => "core" })).to eq(:allow)
      expect(action(e, ecosystem: "npm", name: "x", attributes: { "internal" => true, "tier" => "1", "team" => "core" })).to eq(:allow)
      expect(action(e, ecosystem: "npm", name: "x")).to eq(:allow)
    end

    it "match: {} holds for every request" do
      e = engine_for(layer_yaml("l", [warn_rule("all", {})]))
      expect(action(e, ecosystem: "cargo", name: "serde")).to eq(:warn)
    end
  end

  describe "§4 decision steps" do
    it "1. a rule is inactive from its expiry on (now: decides)" do
      e = engine_for(layer_yaml("l", [deny("d", { "package" => "x" }, expires: "2026-06-01")]))
      expect(e.evaluate("pkg:npm/x@1.0.0", now: Time.utc(2026, 5, 31, 23, 59, 59))).to be_deny
      expect(e.evaluate("pkg:npm/x@1.0.0", now: Time.utc(2026, 6, 1))).to be_allow
    end

    it "2-3. an allow rule suppresses a deny that is not enforced, in any layer" do
      e = engine_for(layer_yaml("outer", [deny("d", { "package" => "x" })]), layer_yaml("inner", [allow("ok", { "package" => "x" })]))
      d = e.evaluate("pkg:npm/x@1.0.0")
      expect(d).to be_allow
      expect(d.suppressed.map { |r| [r.to_s, r.by.to_s] }).to eq([%w[outer/d inner/ok]])
    end

    it "3. an enforced deny is suppressed only by an allow in its layer or an outer one" do
      e = engine_for(layer_yaml("outer", [deny("d", { "package" => "x" }, enforced: true), allow("outer-ok", { "package" => "y" })]),
                     layer_yaml("inner", [allow("ok", { "package" => %w[x y] }), deny("d2", { "package" => "y" }, enforced: true)]))
      x = e.evaluate("pkg:npm/x@1.0.0")
      expect(x).to be_deny
      expect(x.matched.map(&:to_s)).to eq(["outer/d"])
      expect(x.allowed_by.map(&:to_s)).to eq(["inner/ok"])
      y = e.evaluate("pkg:npm/y@1.0.0")
      expect(y).to be_allow
      expect(y.suppressed.map { |r| [r.to_s, r.by.to_s] }).to eq([%w[inner/d2 outer/outer-ok]])
    end

    it "4. the most severe unsuppressed rule wins, listed first" do
      e = engine_for(layer_yaml("l", [warn_rule("w", { "package" => "x" }), deny("d", { "package" => "x" })]))
      d = e.evaluate("pkg:npm/x@1.0.0")
      expect(d.action).to eq(:deny)
      expect(d.matched.map(&:id)).to eq(%w[d w])
    end

    it "4. the effective default is the most severe default over the layers" do
      e = engine_for(layer_yaml("group", [], default: "deny"), layer_yaml("project", [], default: "allow"))
      d = e.evaluate("pkg:npm/anything@1.0.0")
      expect([d.action, d.default?]).to eq([:deny, true])
    end

    it "5. dry-run layers take no part and report what they would match" do
      e = engine_for(layer_yaml("live", []), layer_yaml("shadow", [deny("d", { "package" => "x" })], mode: "dry_run", default: "deny"))
      d = e.evaluate("pkg:npm/x@1.0.0")
      expect([d.action, d.default?]).to eq([:allow, true])
      expect(d.dry_run.map(&:to_s)).to eq(["shadow/d"])
    end
  end
end
