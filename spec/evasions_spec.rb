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
end
