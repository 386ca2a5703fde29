# frozen_string_literal: true

require "spec_helper"
require "timeout"

# The Rust bad-input corpus (crates/package-policy/tests/bad_inputs/), through
# Ruby: each case raises PolicyError with a line and column, and finishes (the
# timeout guards against hangs; it is not a speed check).
RSpec.describe "bad policy inputs", :core do
  corpus = File.expand_path("../crates/package-policy/tests/bad_inputs", __dir__)
  hang_guard = 10

  def layers_of(text)
    lines_before = 0
    text.split("--- # next layer\n").map do |part|
      padded = ("\n" * lines_before) + part
      lines_before += part.count("\n") + 1
      padded
    end
  end

  def expect_policy_error(layers, hang_guard, line: nil)
    error = Timeout.timeout(hang_guard) do
      PackagePolicy.compile(layers)
      nil
    rescue PackagePolicy::PolicyError => e
      e
    end
    expect(error).to be_a(PackagePolicy::PolicyError)
    expect(error.line).to be_a(Integer)
    expect(error.column).to be_a(Integer)
    expect(error.line).to eq(line) if line
  end

  Dir[File.join(corpus, "*.yaml")].sort.each do |path|
    it "rejects #{File.basename(path)}" do
      text = File.read(path, encoding: "UTF-8")
      line = text.lines.first[/line=(\d+)/, 1]&.to_i
      expect_policy_error(layers_of(text), hang_guard, line: line)
    end
  end

  it "finds the corpus" do
    expect(Dir[File.join(corpus, "*.yaml")].size).to be >= 20
  end

  it "rejects an alias bomb quickly" do
    doc = +"schema_version: 1\nlayer: a\nl0: &l0 [lol]\n"
    (1..9).each { |i| doc << "l#{i}: &l#{i} [#{(["*l#{i - 1}"] * 10).join(", ")}]\n" }
    expect_policy_error([doc], hang_guard)
  end

  it "rejects deep nesting" do
    expect_policy_error(["x: #{"[" * 10_000}"], hang_guard, line: 1)
  end

  it "rejects a NUL byte with its position" do
    expect_policy_error(["schema_version: 1\nlayer: a\0b\n"], hang_guard, line: 2)
  end

  it "rejects invalid UTF-8 as a PackagePolicy::Error" do
    text = "schema_version: 1\nlayer: \xff\n".dup.force_encoding(Encoding::BINARY)
    expect { PackagePolicy.compile([text]) }.to raise_error(PackagePolicy::Error)
  end
end
