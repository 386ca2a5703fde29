# frozen_string_literal: true

require "package_policy"

RSpec.configure do |config|
  config.disable_monkey_patching!
  config.expect_with(:rspec) { |c| c.syntax = :expect }
  config.order = :random
  Kernel.srand config.seed

  if ENV["PACKAGE_POLICY_GC_STRESS"]
    config.around(:each) do |example|
      GC.stress = true
      example.run
    ensure
      GC.stress = false
    end
  end
end
