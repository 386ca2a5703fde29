# frozen_string_literal: true

require "spec_helper"

# Every error kind of the core reaches Ruby under its own name. KINDS comes
# from the extension (the core's CompileErrorKind::ALL / RequestErrorKind::ALL
# and their as_str), so a kind added to the core without a trigger here fails.
RSpec.describe "error kinds", :core do
  def layer(rules) = "schema_version: 1\nlayer: l\nrules:\n#{rules}"

  compile_triggers = {
    syntax: -> { PackagePolicy.compile("schema_version: 1\nlayer: l\nrules: [\n") },
    invalid: -> { PackagePolicy.compile(layer("  - { id: a, action: deny, match: { ecosystem: npm, versions: '>= nope' } }\n")) },
    duplicate: lambda {
      PackagePolicy.compile(layer("  - { id: a, action: deny, match: { ecosystem: npm } }\n" \
                                  "  - { id: a, action: deny, match: { ecosystem: pypi } }\n"))
    },
    limit: -> { PackagePolicy.compile(layer("  - { id: #{"a" * 200}, action: deny, match: { ecosystem: npm } }\n")) },
    feed: lambda {
      PackagePolicy.compile("schema_version: 1\nlayer: l\nfeeds:\n  - { name: mal, format: osv, action: deny }\nrules: []\n")
    },
  }

  it "has a trigger for every PolicyError kind the core names" do
    expect(PackagePolicy::PolicyError::KINDS).to be_frozen
    expect(compile_triggers.keys).to match_array(PackagePolicy::PolicyError::KINDS)
  end

  compile_triggers.each do |kind, trigger|
    it "raises PolicyError with kind #{kind.inspect}" do
      expect { instance_exec(&trigger) }.to raise_error(PackagePolicy::PolicyError) { |e| expect(e.kind).to eq(kind) }
    end
  end

  let(:engine) { PackagePolicy.compile(layer("  - { id: a, action: deny, match: { ecosystem: npm } }\n")) }

  request_triggers = {
    purl: ->(e) { e.evaluate("npm/left-pad") },
    ecosystem: ->(e) { e.evaluate(ecosystem: "cobol", name: "x") },
    name: ->(e) { e.evaluate(ecosystem: "npm", name: "has space") },
    version: ->(e) { e.evaluate(ecosystem: "npm", name: "x", version: " 1.0.0") },
    license: ->(e) { e.evaluate(ecosystem: "npm", name: "x", license: "MIT AND (") },
    time: ->(e) { e.evaluate(ecosystem: "npm", name: "x", published_at: "yesterday") },
    project: ->(e) { e.evaluate(ecosystem: "npm", name: "x", project: "has space") },
    attributes: ->(e) { e.evaluate(ecosystem: "npm", name: "x", attributes: { "n" => 2**70 }) },
    limit: ->(e) { e.evaluate(ecosystem: "npm", name: "x" * 5000) },
    provenance: ->(e) { e.evaluate(ecosystem: "npm", name: "x", provenance: { atested: true }) },
  }

  it "has a trigger for every RequestError kind the core names" do
    expect(PackagePolicy::RequestError::KINDS).to be_frozen
    expect(request_triggers.keys).to match_array(PackagePolicy::RequestError::KINDS)
  end

  request_triggers.each do |kind, trigger|
    it "raises RequestError with kind #{kind.inspect}" do
      expect { trigger.call(engine) }.to raise_error(PackagePolicy::RequestError) { |e| expect(e.kind).to eq(kind) }
    end
  end
end
