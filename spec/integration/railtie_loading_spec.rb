# frozen_string_literal: true

require "spec_helper"

RSpec.describe "Loading package_policy without Rails" do
  it "defines no Railtie and loads no Rails" do
    expect(defined?(Rails)).to be_nil
    expect(defined?(PackagePolicy::Railtie)).to be_nil
    expect($LOADED_FEATURES.grep(%r{/package_policy/railtie\.rb\z})).to eq([])
  end
end
