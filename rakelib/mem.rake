# frozen_string_literal: true

# Memory-growth check (as wasmtime-rb's rakelib/mem.rake): rakelib/mem_check.rb
# evaluates 1,000,000 times and fails when the resident set grows past a bound.
desc "Evaluate 1,000,000 times; fail if RSS grows more than PACKAGE_POLICY_MEM_BOUND_MB (default 32)"
task mem: :compile do
  ruby "-Ilib", File.join(__dir__, "mem_check.rb")
end
