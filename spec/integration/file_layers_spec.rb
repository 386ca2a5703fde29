# frozen_string_literal: true

require "spec_helper"
require "tmpdir"
require "package_policy/file_layers"

RSpec.describe PackagePolicy::FileLayers do
  around do |example|
    Dir.mktmpdir { |dir| @dir = dir and example.run }
  end

  def write(name, text)
    File.write(File.join(@dir, name), text)
  end

  it "reads the files in the order given, named by their paths" do
    write("b.yml", "B")
    write("a.yml", "A")
    layers = described_class.new(%w[b.yml a.yml], root: @dir).call
    expect(layers).to eq([{ name: File.join(@dir, "b.yml"), source: "B" }, { name: File.join(@dir, "a.yml"), source: "A" }])
  end

  it "expands globs in sorted order at every call" do
    write("20-group.yml", "G")
    write("10-instance.yml", "I")
    files = described_class.new(File.join(@dir, "*.yml"))
    expect(files.call.map { |l| l[:source] }).to eq(%w[I G])
    write("30-project.yml", "P")
    expect(files.call.map { |l| l[:source] }).to eq(%w[I G P])
  end

  it "changes its fingerprint when a file is written, added or removed" do
    write("a.yml", "A")
    files = described_class.new("*.yml", root: @dir)
    before = files.fingerprint
    expect(files.fingerprint).to eq(before)
    write("a.yml", "AA")
    written = files.fingerprint
    expect(written).not_to eq(before)
    write("b.yml", "B")
    added = files.fingerprint
    expect(added).not_to eq(written)
    File.delete(File.join(@dir, "b.yml"))
    expect(files.fingerprint).not_to eq(added)
  end

  it "raises for a named file that does not exist" do
    expect { described_class.new("missing.yml", root: @dir).fingerprint }.to raise_error(Errno::ENOENT)
    expect { described_class.new("missing.yml", root: @dir).call }.to raise_error(Errno::ENOENT)
  end

  it "needs at least one pattern" do
    expect { described_class.new([]) }.to raise_error(ArgumentError)
  end
end
