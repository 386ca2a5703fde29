# frozen_string_literal: true

require "spec_helper"

# Issue 15: a layer chooses what scanners do with an unreadable license.
RSpec.describe "the unreadable_license layer setting", :core do
  it "compiles with allow, warn or deny" do
    %w[allow warn deny].each do |action|
      expect(PackagePolicy.compile("schema_version: 1\nlayer: a\nunreadable_license: #{action}\n")).to be_a(PackagePolicy::Engine)
    end
  end

  it "is a PolicyError at its line for another value or a blank" do
    ["maybe", ""].each do |value|
      expect { PackagePolicy.compile("schema_version: 1\nlayer: a\nunreadable_license: #{value}\n") }
        .to raise_error(PackagePolicy::PolicyError) { |e| expect(e.line).to eq(3) }
    end
  end
end
