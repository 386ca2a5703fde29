# frozen_string_literal: true

require "package_policy"
require "yaml"

# Builds one layer's YAML from rule Hashes (string keys, as YAML has them).
module LayerHelpers
  def layer_yaml(name = "acme", rules = [], **top)
    doc = { "schema_version" => 1, "layer" => name }
    top.each { |k, v| doc[k.to_s] = v }
    doc["rules"] = rules
    without_gc_stress { YAML.dump(doc) }
  end

  # Fixture building (Psych) is not what `rake spec:gc_stress` tests, and
  # under GC.stress it dominates the run.
  def without_gc_stress
    stress = GC.stress
    GC.stress = false
    yield
  ensure
    GC.stress = stress
  end

  def deny(id, match, **extra)
    { "id" => id, "action" => "deny", "match" => match }.merge(extra.transform_keys(&:to_s))
  end

  def allow(id, match, **extra)
    { "id" => id, "action" => "allow", "match" => match }.merge(extra.transform_keys(&:to_s))
  end

  def warn_rule(id, match, **extra)
    { "id" => id, "action" => "warn", "match" => match }.merge(extra.transform_keys(&:to_s))
  end
end

RSpec.configure do |config|
  config.disable_monkey_patching!
  config.expect_with(:rspec) { |c| c.syntax = :expect }
  config.order = :random
  Kernel.srand config.seed
  config.include LayerHelpers

  # spec/gc_stress_spec.rb: `rake spec:gc_stress` only (GC.stress around each
  # native call). PACKAGE_POLICY_GC_STRESS=all also runs whole examples under
  # GC.stress (`rake spec:gc_stress_all`: the core specs, about an hour).
  config.filter_run_excluding :gc_stress unless ENV["PACKAGE_POLICY_GC_STRESS"]
  if ENV["PACKAGE_POLICY_GC_STRESS"] == "all"
    config.around(:each) do |example|
      GC.stress = true
      example.run
    ensure
      GC.stress = false
    end
  end
end
