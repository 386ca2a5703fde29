# frozen_string_literal: true

require "spec_helper"

RSpec.describe PackagePolicy::Engine, :core do
  subject(:engine) { PackagePolicy.compile(policy) }

  let(:policy) do
    layer_yaml("acme", [
                 deny("evil", { "ecosystem" => "npm", "package" => "evil" }, reason: "malware"),
                 warn_rule("old-django", { "ecosystem" => "pypi", "package" => "django" }),
               ])
  end

  describe "#evaluate" do
    it "takes a purl" do
      expect(engine.evaluate("pkg:npm/evil@1.0.0").action).to eq(:deny)
    end

    it "takes keywords" do
      d = engine.evaluate(ecosystem: "pypi", name: "Django", version: "4.2.1")
      expect(d.action).to eq(:warn)
      expect(d.matched.map(&:id)).to eq(["old-django"])
    end

    it "takes a Symbol ecosystem" do
      expect(engine.evaluate(ecosystem: :npm, name: "evil")).to be_deny
    end

    it "takes a request Hash with Symbol or String keys" do
      expect(engine.evaluate({ "ecosystem" => "npm", "name" => "evil" })).to be_deny
      expect(engine.evaluate({ purl: "pkg:npm/evil" })).to be_deny
    end

    it "raises ArgumentError for an unknown keyword: a typo never reads as absent" do
      expect { engine.evaluate(ecosystem: "npm", name: "evil", verison: "1.0.0") }.to raise_error(ArgumentError, /verison/)
    end

    it "raises ArgumentError for an unknown Hash key" do
      expect { engine.evaluate({ ecosystem: "npm", name: "evil", licence: "MIT" }) }.to raise_error(ArgumentError, /licence/)
    end

    it "takes a purl with facts" do
      expect(engine.evaluate("pkg:npm/evil@1.0.0", license: "MIT", project: "acme/web")).to be_deny
      expect(engine.evaluate({ "purl" => "pkg:npm/evil@1.0.0", "attributes" => { "internal" => true } })).to be_deny
    end

    it "raises ArgumentError for a purl with ecosystem, name or version" do
      expect { engine.evaluate("pkg:npm/evil", ecosystem: "npm") }.to raise_error(ArgumentError)
      expect { engine.evaluate({ purl: "pkg:npm/evil", version: "1.0.0" }) }.to raise_error(ArgumentError)
    end

    it "raises ArgumentError without ecosystem or name" do
      expect { engine.evaluate(name: "evil") }.to raise_error(ArgumentError, /ecosystem/)
    end

    it "raises TypeError for a wrongly typed field" do
      expect { engine.evaluate(ecosystem: "npm", name: 42) }.to raise_error(TypeError, /name/)
      expect { engine.evaluate(42) }.to raise_error(TypeError)
    end

    it "raises RequestError for a bad purl, ecosystem, name or version" do
      expect { engine.evaluate("npm/left-pad") }.to raise_error(PackagePolicy::RequestError) { |e| expect(e.field).to eq(:purl) }
      expect { engine.evaluate(ecosystem: "cobol", name: "x") }.to raise_error(PackagePolicy::RequestError) { |e| expect(e.field).to eq(:ecosystem) }
      expect { engine.evaluate(ecosystem: "npm", name: "has space") }.to raise_error(PackagePolicy::RequestError) { |e| expect(e.field).to eq(:name) }
      expect { engine.evaluate(ecosystem: "npm", name: "x", version: " 1.0.0") }.to raise_error(PackagePolicy::RequestError) { |e| expect(e.field).to eq(:version) }
    end

    it "takes now: as a Time or an RFC 3339 String" do
      expect(engine.evaluate("pkg:npm/evil", now: Time.utc(2026, 1, 1))).to be_deny
      expect(engine.evaluate("pkg:npm/evil", now: "2026-01-01T00:00:00Z")).to be_deny
    end

    it "raises RequestError for a time that is not RFC 3339, TypeError for a non-time" do
      expect { engine.evaluate("pkg:npm/evil", now: "yesterday") }.to raise_error(PackagePolicy::RequestError, /now/)
      expect { engine.evaluate(ecosystem: "npm", name: "evil", published_at: "2026-13-01") }.to raise_error(PackagePolicy::RequestError, /published_at/)
      expect { engine.evaluate("pkg:npm/evil", now: 1_700_000_000) }.to raise_error(TypeError, /now/)
    end

    it "rejects attributes of a type the policy language has no place for" do
      expect { engine.evaluate(ecosystem: "npm", name: "x", attributes: { "score" => 1.5 }) }
        .to raise_error(PackagePolicy::RequestError, /score/)
      expect { engine.evaluate(ecosystem: "npm", name: "x", attributes: "internal") }.to raise_error(TypeError)
    end

    # The examples of Engine#evaluate's doc comment, run as written (read from
    # the source, so the two cannot drift apart).
    it "runs the examples of its doc comment" do
      require "ripper"
      source = File.read(File.expand_path("../lib/package_policy/engine.rb", __dir__))
      comment = source[/^(\s*#.*\n)+(?=\s*def evaluate\()/]
      lines = comment.lines.map { |l| l.sub(/^\s*# ?/, "") }.grep(/^  /)
      statements = lines.each_with_object([+""]) do |line, acc|
        acc[-1] << line
        acc << +"" if Ripper.sexp(acc[-1])
      end.reject(&:empty?)
      expect(statements.size).to be >= 4
      scope = binding
      statements.each do |code|
        expect(scope.eval(code, "engine.rb doc example")).to be_a(PackagePolicy::Decision), code
      end
    end

    it "takes { purl: } and String keys as keywords too" do
      expect(engine.evaluate(purl: "pkg:npm/evil@1.0.0")).to be_deny
      expect(engine.evaluate("ecosystem" => "npm", "name" => "evil")).to be_deny
      expect(engine.evaluate(purl: "pkg:npm/evil", now: Time.utc(2026, 1, 1))).to be_deny
    end

    it "evaluates a Hash as one request, not as a batch: no index in its errors" do
      expect { engine.evaluate({ ecosystem: "npm", name: "has space" }) }.to raise_error(PackagePolicy::RequestError) { |e|
        expect(e.index).to be_nil
        expect(e.message).not_to include("requests[")
        expect(e.message).to start_with("name: ")
      }
    end

    it "raises ArgumentError for keywords beside a Hash instead of dropping them" do
      expect { engine.evaluate({ purl: "pkg:npm/fine" }, project: "acme/web") }.to raise_error(ArgumentError, /project/)
      expect { engine.evaluate({ "purl" => "pkg:npm/fine" }, license: "MIT") }.to raise_error(ArgumentError, /license/)
      # now: is no request field; it goes beside a Hash as beside a purl.
      expect(engine.evaluate({ purl: "pkg:npm/evil" }, now: "2026-01-01T00:00:00Z")).to be_deny
    end

    it "raises ArgumentError for a key given twice or a purl given twice" do
      expect { engine.evaluate({ name: "evil", "name" => "fine", ecosystem: "npm" }) }.to raise_error(ArgumentError, /twice/)
      expect { engine.evaluate("pkg:npm/fine", purl: "pkg:npm/evil") }.to raise_error(ArgumentError, /twice/)
    end

    it "names what is wrong with a request in RequestError#kind, one of RequestError::KINDS" do
      expect(PackagePolicy::RequestError::KINDS).to include(:purl, :ecosystem, :name, :version, :time, :attributes)
      expect(PackagePolicy::RequestError::KINDS).to be_frozen
      {
        -> { engine.evaluate("npm/left-pad") } => :purl,
        -> { engine.evaluate(ecosystem: "cobol", name: "x") } => :ecosystem,
        -> { engine.evaluate(ecosystem: "npm", name: "has space") } => :name,
        -> { engine.evaluate(ecosystem: "npm", name: "x", version: " 1.0.0") } => :version,
        -> { engine.evaluate("pkg:npm/evil", now: "yesterday") } => :time,
        -> { engine.evaluate(ecosystem: "npm", name: "x", attributes: { "n" => 2**70 }) } => :attributes,
        -> { engine.evaluate_many(["pkg:npm/a", "oops"]) } => :purl,
      }.each do |call, kind|
        expect(&call).to raise_error(PackagePolicy::RequestError) { |e| expect(e.kind).to eq(kind) }
      end
    end
  end

  describe "#evaluate_many" do
    it "returns decisions in input order for Strings and Hashes" do
      out = engine.evaluate_many(["pkg:npm/evil", { ecosystem: "pypi", name: "django" }, "pkg:npm/fine"])
      expect(out.map(&:action)).to eq(%i[deny warn allow])
    end

    it "agrees with #evaluate one by one" do
      reqs = %w[pkg:npm/evil@1.0.0 pkg:npm/good@2.0.0 pkg:pypi/Django@4.2 pkg:cargo/serde@1.0.0]
      expect(engine.evaluate_many(reqs)).to eq(reqs.map { |r| engine.evaluate(r) })
    end

    it "returns [] for no requests" do
      expect(engine.evaluate_many([])).to eq([])
    end

    it "raises RequestError naming the index of a bad request" do
      expect { engine.evaluate_many(["pkg:npm/a", "pkg:npm/b", "oops"]) }
        .to raise_error(PackagePolicy::RequestError, /requests\[2\]/) { |e| expect(e.index).to eq(2) }
    end

    it "raises ArgumentError for an unknown key, TypeError for a non-request" do
      expect { engine.evaluate_many([{ purl: "pkg:npm/a", projct: "x" }]) }.to raise_error(ArgumentError, /projct/)
      expect { engine.evaluate_many([42]) }.to raise_error(TypeError)
    end

    it "lets other threads run while it works (the GVL is released)", core: false do
      reqs = Array.new(200_000) { |i| "pkg:npm/pkg-#{i}@1.0.0" }
      ticks = 0
      ticker = Thread.new { loop { ticks += 1; Thread.pass } }
      engine.evaluate_many(reqs)
      ticker.kill
      # A thread blocked on the GVL would count nothing during the batch; this
      # cannot prove the release alone, so the count only has to be positive.
      expect(ticks).to be > 0
    end
  end

  describe "immutability and sharing" do
    it "is frozen and Ractor-shareable" do
      expect(engine).to be_frozen
      expect(Ractor.make_shareable(engine)).to equal(engine)
      expect(Ractor.shareable?(engine)).to be(true)
    end

    it "evaluates inside another Ractor", core: false do
      Warning[:experimental] = false
      shared = Ractor.make_shareable(engine)
      r = Ractor.new(shared) { |e| e.evaluate("pkg:npm/evil").matched.map(&:id) }
      expect(r.take).to eq(["evil"])
    end

    it "cannot be allocated or duplicated from Ruby" do
      expect { described_class.allocate }.to raise_error(TypeError)
      expect { engine.dup }.to raise_error(TypeError)
    end
  end

  it "has a short inspect" do
    expect(engine.inspect).to eq("#<PackagePolicy::Engine rules=2 digest=#{engine.digest[0, 12]}…>")
  end

  describe "#digest" do
    it "is a hex SHA-256 that ignores YAML formatting and changes with the policy" do
      expect(engine.digest).to match(/\A\h{64}\z/)
      reformatted = "schema_version: 1\nlayer: acme\nrules:\n" \
                    "  - { action: deny, id: evil, reason: malware, match: { package: evil, ecosystem: npm } }\n" \
                    "  - { id: old-django, action: warn, match: { ecosystem: pypi, package: django } }\n"
      expect(PackagePolicy.compile(reformatted).digest).to eq(engine.digest)
      other = layer_yaml("acme", [deny("evil", { "ecosystem" => "npm", "package" => "evil2" })])
      expect(PackagePolicy.compile(other).digest).not_to eq(engine.digest)
    end
  end

  describe "#versions" do
    let(:policy) do
      layer_yaml("acme", [deny("bad-lodash", { "ecosystem" => "npm", "package" => "lodash", "versions" => "<4.17.21" }),
                          warn_rule("gpl", { "license" => "GPL-3.0-only" })])
    end

    it "returns a Decision per version, in order, equal to evaluating each" do
      out = engine.versions(ecosystem: "npm", name: "lodash", versions: %w[4.17.19 4.17.21-rc.1 4.17.21 5.0.0])
      expect(out.keys).to eq(%w[4.17.19 4.17.21-rc.1 4.17.21 5.0.0])
      expect(out.transform_values(&:action)).to eq("4.17.19" => :deny, "4.17.21-rc.1" => :deny, "4.17.21" => :allow, "5.0.0" => :allow)
      out.each { |v, d| expect(d).to eq(engine.evaluate(ecosystem: "npm", name: "lodash", version: v)) }
    end

    it "takes the request facts" do
      out = engine.versions(ecosystem: "npm", name: "lodash", versions: %w[4.17.21], license: "GPL-3.0-only")
      expect(out["4.17.21"]).to be_warn
    end

    it "raises RequestError naming a version that does not parse, ArgumentError for an unknown keyword" do
      expect { engine.versions(ecosystem: "npm", name: "lodash", versions: ["4.17.21", "nope"]) }
        .to raise_error(PackagePolicy::RequestError) { |e| expect(e.index).to eq(1) }
      expect { engine.versions(ecosystem: "npm", name: "lodash", versions: [], licence: "MIT") }.to raise_error(ArgumentError)
      expect { engine.versions(ecosystem: "npm", name: "lodash", versions: [1]) }.to raise_error(TypeError)
    end
  end
end
