# frozen_string_literal: true

require "spec_helper"
require "json"

# Issue 18's evasions through the gem: inputs that used to fail open.
RSpec.describe "policies that used to fail open", :core do
  describe "a blank value" do
    let(:deny_lodash) { "  - { id: no-lodash, action: deny, match: { ecosystem: npm, package: lodash } }\n" }

    it "is a PolicyError at the key, not an absent condition (YAML)" do
      text = "schema_version: 1\nlayer: acme\nrules:\n#{deny_lodash}  - id: except\n    action: allow\n" \
             "    match:\n      ecosystem: npm\n      package: lodash\n      versions:\n"
      expect { PackagePolicy.compile(text) }.to raise_error(PackagePolicy::PolicyError) { |e|
        expect([e.line, e.column]).to eq([10, 7])
        expect(e.message).to include("`versions` is blank")
      }
    end

    %w[expires enforced owner].each do |key|
      it "is a PolicyError for `#{key}:` as for every field" do
        text = "schema_version: 1\nlayer: acme\nrules:\n  - id: r\n    action: deny\n    #{key}:\n" \
               "    match: { ecosystem: npm, package: lodash }\n"
        expect { PackagePolicy.compile(text) }.to raise_error(PackagePolicy::PolicyError) { |e|
          expect([e.line, e.column]).to eq([6, 5])
        }
      end
    end

    it "is a PolicyError for `default: ~`" do
      expect { PackagePolicy.compile("schema_version: 1\nlayer: acme\ndefault: ~\nrules: []\n") }
        .to raise_error(PackagePolicy::PolicyError) { |e| expect([e.line, e.column]).to eq([3, 10]) }
    end

    it "is a PolicyError for a JSON null" do
      doc = { "schema_version" => 1, "layer" => "acme",
              "rules" => [{ "id" => "except", "action" => "allow",
                            "match" => { "ecosystem" => "npm", "package" => "lodash", "versions" => nil } }] }
      expect { PackagePolicy.compile(JSON.generate(doc)) }.to raise_error(PackagePolicy::PolicyError) { |e|
        expect(e.line).to eq(1)
        expect(e.message).to include("`versions` is blank")
      }
    end
  end

  describe "an unrelated rule" do
    let(:rails) do
      "schema_version: 1\nlayer: acme\nrules:\n" \
        "  - { id: rails, action: deny, match: { ecosystem: rubygems, package: rails, versions: \">= 1.4.4, < 1.5\" } }\n"
    end
    let(:other) do
      "  - { id: other, action: deny, match: { ecosystem: rubygems, package: other, versions: \"~> 1.4.4\" } }\n"
    end

    it "does not change a rule's decision (RubyGems: 1.5.0.rc1 < 1.5, outside ~> 1.4.4)" do
      [rails, rails + other].each do |text|
        expect(PackagePolicy.compile(text).evaluate("pkg:gem/rails@1.5.0.rc1")).to be_deny
      end
      expect(PackagePolicy.compile(rails + other).evaluate("pkg:gem/other@1.5.0.rc1")).to be_allow
      expect(Gem::Requirement.new(">= 1.4.4", "< 1.5")).to be_satisfied_by(Gem::Version.new("1.5.0.rc1"))
      expect(Gem::Requirement.new("~> 1.4.4")).not_to be_satisfied_by(Gem::Version.new("1.5.0.rc1"))
    end
  end

  describe "a feed" do
    let(:bad_feeds) { File.expand_path("../crates/package-policy/tests/bad_feeds", __dir__) }
    let(:intel) { "schema_version: 1\nlayer: intel\nfeeds:\n  - { name: ossf, format: osv, action: deny }\n" }
    let(:project) do
      "schema_version: 1\nlayer: project\nrules:\n" \
        "  - { id: wants-evil, action: allow, match: { ecosystem: npm, package: evil } }\n"
    end
    let(:evil) { '{"id": "MAL-2025-9", "affected": [{"package": {"ecosystem": "npm", "name": "evil"}}]}' }

    %w[html_error_page.json truncated_array.json truncated_record.json empty.jsonl empty_array.json
       all_records_fail.jsonl].each do |file|
      it "fails closed when it is #{file}, unless lenient_feeds: true" do
        feeds = { "ossf" => [{ origin: file, text: File.read(File.join(bad_feeds, file)) }] }
        expect { PackagePolicy.compile(intel, feeds: feeds) }.to raise_error(PackagePolicy::PolicyError) { |e|
          expect(e.message).to include("feed `ossf`")
          expect(e.message).to include("lenient")
        }
        engine = PackagePolicy.compile(intel, feeds: feeds, lenient_feeds: true)
        report = engine.feed_report
        expect(report).to be_frozen
        expect(report[:feeds].first[:rules]).to eq(0)
        expect(report[:feeds].first[:reasons].values.sum).to eq(report[:issues].size)
        expect(report[:issues]).not_to be_empty
        expect(PackagePolicy.lint(intel, feeds: feeds, lenient_feeds: true)).to be_an(Array)
        expect { PackagePolicy.lint(intel, feeds: feeds) }.to raise_error(PackagePolicy::PolicyError)
        expect(PackagePolicy.diff(intel, intel, feeds: feeds, lenient_feeds: true)).to be_equivalent
      end
    end

    it "may be declared lenient by its layer (strict: false)" do
      lenient = intel.sub("action: deny }", "action: deny, strict: false }")
      engine = PackagePolicy.compile(lenient, feeds: { "ossf" => "<html>502 Bad Gateway</html>" })
      expect(engine.feed_report[:feeds].first[:reasons]).to eq({ unreadable_document: 1 })
    end

    it "counts records it skips by reason" do
      engine = PackagePolicy.compile(intel, feeds: { "ossf" => "#{evil}\n{\"id\": \"MAL-2\", \"affected\": []}\n" })
      expect(engine.feed_report[:feeds].first).to include(records: 2, rules: 1, skipped: 1, reasons: { no_affected: 1 })
    end

    it "is enforced by default: a project's allow does not suppress it" do
      engine = PackagePolicy.compile([intel, project], feeds: { "ossf" => evil })
      expect(engine.evaluate("pkg:npm/evil@1.0.0")).to be_deny
      opt_out = intel.sub("action: deny }", "action: deny, enforced: false }")
      expect(PackagePolicy.compile([opt_out, project], feeds: { "ossf" => evil }).evaluate("pkg:npm/evil@1.0.0")).to be_allow
    end
  end
end
