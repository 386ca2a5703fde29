# frozen_string_literal: true

require "spec_helper"
require "yaml"
require "time"

# The core's shared case files (crates/package-policy/tests/cases/*.yaml),
# run through the Ruby API: the same expectations `cargo test` checks.
CASES_DIR = File.expand_path("../crates/package-policy/tests/cases", __dir__)

# "layer/id" names, as the case files write rule references.
def rule_names(rules) = rules.map(&:to_s)

RSpec.describe "shared case files", :core do
  files = Dir[File.join(CASES_DIR, "*.yaml")].sort

  # Fails (never skips) without them: a missing directory must not turn
  # this whole file into a silent pass.
  it "finds the case files" do
    expect(files).not_to be_empty, "no case files in #{CASES_DIR}"
  end

  files.each do |file|
    doc = YAML.safe_load_file(file)
    describe File.basename(file) do
      let(:layers) do
        doc.fetch("layers").each_with_index.map { |text, i| { name: "#{File.basename(file)}[#{i}]", source: text } }
      end
      # Feed data by feed name, files relative to the core's tests/ directory.
      let(:feeds) do
        (doc["feeds"] || {}).to_h do |name, files|
          [name, files.map { |f| { origin: f, text: File.read(File.join(CASES_DIR, "..", f)) } }]
        end
      end

      if (want = doc["compile_error"])
        it "fails to compile: #{doc["name"]}" do
          expect { PackagePolicy.compile(layers: layers, feeds: feeds) }.to raise_error(PackagePolicy::PolicyError) { |e|
            expect(e.path).to eq(want["path"]) if want.key?("path")
            expect(e.line).to eq(want["line"]) if want.key?("line")
            expect(e.column).to eq(want["column"]) if want.key?("column")
            expect(e.layer).to eq(want["layer"]) if want.key?("layer")
            expect(e.kind).to eq(want["kind"].to_sym) if want.key?("kind")
            expect(e.message).to include(want["message"]) if want.key?("message")
          }
          expect(PackagePolicy.validate(layers: layers)).not_to be_empty
        end
      else
        doc.fetch("cases").each_with_index do |c, i|
          it "#{doc["name"]} — case #{i}: #{c["request"].inspect}" do
            engine = PackagePolicy.compile(layers: layers, feeds: feeds)
            now = doc["now"]
            if c["error"]
              expect(c["error"]).to eq("request")
              expect { engine.evaluate(c["request"], now: now) }.to raise_error(PackagePolicy::RequestError)
              next
            end
            decision = engine.evaluate(c["request"], now: now)
            want = c.fetch("expect")
            expect(decision.action).to eq(want["action"].to_sym) if want.key?("action")
            expect(rule_names(decision.matched)).to eq(want["matched"]) if want.key?("matched")
            expect(rule_names(decision.allowed_by)).to eq(want["allowed_by"]) if want.key?("allowed_by")
            expect(rule_names(decision.dry_run)).to eq(want["dry_run"]) if want.key?("dry_run")
            expect(decision.default?).to eq(want["default"]) if want.key?("default")
            if want.key?("allowed_after")
              after = want["allowed_after"] == "none" ? nil : Time.iso8601(want["allowed_after"])
              expect(decision.allowed_after).to eq(after)
            end
            if want.key?("suppressed")
              expect(decision.suppressed.map { |r| { "rule" => r.to_s, "by" => r.by.to_s } }).to eq(want["suppressed"])
            end
            # The batch path must agree with the single one.
            expect(engine.evaluate_many([c["request"]], now: now)).to eq([decision])
          end
        end
      end
    end
  end
end
