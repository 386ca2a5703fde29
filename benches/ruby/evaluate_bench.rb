# frozen_string_literal: true

# Engine#evaluate and #evaluate_many on a 100,000-rule policy, beside a naive
# pure-Ruby evaluator of the same policy as a Rails developer would write it
# (an Array of rules, File.fnmatch, Gem::Requirement), in one run.
# Build a release extension first, then:
#   rake compile && ruby -Ilib benches/ruby/evaluate_bench.rb
# BENCH_RULES=10000 shrinks the policy; BENCH_TIME=5 sets seconds per report.
require "benchmark/ips"
require "package_policy"

RULES = Integer(ENV.fetch("BENCH_RULES", "100000"))
TIME = Float(ENV.fetch("BENCH_TIME", "3"))
rng = Random.new(42)

# The workload: mostly exact-name denies (a malicious-package feed), 3% exact
# names with a version range, 1% globs, a few allows; requests hit ~2% of the time.
Rule = Struct.new(:id, :action, :ecosystem, :package, :range, keyword_init: true)
ECOSYSTEMS = %w[npm pypi].freeze
rules = Array.new(RULES) do |i|
  eco = ECOSYSTEMS[i % 2]
  case i % 100
  when 0..2 then Rule.new(id: "r#{i}", action: "deny", ecosystem: eco, package: "ranged-#{i}", range: "<1.#{i % 10}.0")
  when 3 then Rule.new(id: "r#{i}", action: "warn", ecosystem: eco, package: "glob#{i}-*")
  when 4 then Rule.new(id: "r#{i}", action: "allow", ecosystem: eco, package: "mal-#{i + 5}")
  else Rule.new(id: "r#{i}", action: "deny", ecosystem: eco, package: "mal-#{i}")
  end
end

def to_yaml_rule(r)
  m = "ecosystem: #{r.ecosystem}, package: \"#{r.package}\""
  m += ", versions: \"#{r.range}\"" if r.range
  "  - { id: #{r.id}, action: #{r.action}, match: { #{m} } }"
end

yaml = ->(rs) { "schema_version: 1\nlayer: bench\nrules:\n#{rs.map { |r| to_yaml_rule(r) }.join("\n")}\n" }
t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
# The engine on this branch may not support every condition yet: bench
# without the rules it rejects as "not supported yet", and say so.
engine = nil
3.times do
  engine = PackagePolicy.compile(yaml.(rules))
  break
rescue PackagePolicy::PolicyError => e
  raise unless e.message.include?("not supported")

  warn "note: #{e.message.lines.first.strip}; benchmarking without those rules"
  if e.message.include?("versions")
    rules.reject!(&:range)
  else
    rules.reject! { |r| r.package.include?("*") }
  end
end
raise "policy does not compile" unless engine

compile_ms = (Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0) * 1000

purls = Array.new(1_000) do |i|
  eco = ECOSYSTEMS[i % 2]
  n = rng.rand(RULES)
  name = if i % 50 == 0 then "mal-#{n - (n % 100) + 50 + (i % 2)}" # a hit
         elsif i % 50 == 1 then "ranged-#{n - (n % 100) + (i % 2)}" # a range check
         else "clean-package-#{n}"
         end
  "pkg:#{eco}/#{name}@1.#{i % 7}.#{i % 3}"
end

# The naive evaluator, as a Rails developer would write it.
class NaiveEvaluator
  SEVERITY = { "deny" => 2, "warn" => 1, "allow" => 0 }.freeze

  def initialize(rules)
    @rules = rules.map { |r| [r, r.range && Gem::Requirement.new(r.range.sub(/\A([<>=]+)/, '\1 '))] }
  end

  def evaluate(purl)
    type, rest = purl.delete_prefix("pkg:").split("/", 2)
    name, version = rest.split("@", 2)
    version = Gem::Version.new(version) if version
    matched = @rules.select do |rule, requirement|
      rule.ecosystem == type &&
        File.fnmatch(rule.package, name) &&
        (requirement.nil? || (version && requirement.satisfied_by?(version)))
    end.map(&:first)
    allows = matched.select { |r| r.action == "allow" }
    denies = matched.reject { |r| r.action == "allow" }
    return { action: :allow, matched: [], allowed_by: allows } if allows.any? # no rule is enforced here
    return { action: :allow, matched: [], default: true } if denies.empty?

    worst = denies.max_by { |r| SEVERITY[r.action] }
    { action: worst.action.to_sym, matched: denies }
  end
end
naive = NaiveEvaluator.new(rules)

# The naive evaluator must agree on the action, or the comparison means nothing.
disagree = purls.first(200).count { |p| naive.evaluate(p)[:action] != engine.evaluate(p).action }
abort "naive and engine disagree on #{disagree} of 200 requests" unless disagree.zero?

hits = purls.count { |p| !engine.evaluate(p).default? }
puts "policy: #{engine.rule_count} rules, compiled in #{compile_ms.round} ms; " \
     "#{purls.size} requests, #{hits} decided by a rule"

# Medians over batches of calls (benchmark-ips reports wall-clock means), in
# this process's CPU time, which other load on a shared machine disturbs less.
def median_ns(samples, per)
  times = Array.new(samples) do
    t = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :nanosecond)
    yield
    (Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :nanosecond) - t).fdiv(per)
  end.sort
  times[times.size / 2]
end

i = 0
report = Benchmark.ips do |x|
  x.config(time: TIME, warmup: 1)
  x.report("evaluate(purl)") do
    engine.evaluate(purls[i % 1_000])
    i += 1
  end
  x.report("evaluate_many (1,000 requests)") { engine.evaluate_many(purls) }
  x.report("naive Ruby evaluate(purl)") do
    naive.evaluate(purls[i % 1_000])
    i += 1
  end
end

per_call = report.entries.to_h { |e| [e.label, 1e9 / e.ips] }
evaluate_ns = per_call.fetch("evaluate(purl)")
many_ns = per_call.fetch("evaluate_many (1,000 requests)") / purls.size
naive_ns = per_call.fetch("naive Ruby evaluate(purl)")

med_eval = median_ns(300, 1_000) { purls.each { |p| engine.evaluate(p) } }
med_many = median_ns(300, 1_000) { engine.evaluate_many(purls) }
k = 0
med_naive = median_ns(31, 1) do
  naive.evaluate(purls[k % 1_000])
  k += 37
end

puts
puts format("%-34s %12s %14s", "", "mean (wall)", "median (CPU)")
puts format("%-34s %9.0f ns %11.0f ns", "Engine#evaluate(purl)", evaluate_ns, med_eval)
puts format("%-34s %9.0f ns %11.0f ns", "Engine#evaluate_many", many_ns, med_many)
puts format("%-34s %9.0f ns %11.0f ns", "naive pure-Ruby evaluator", naive_ns, med_naive)
puts format("ratio naive / evaluate (CPU medians):      %10.0fx", med_naive / med_eval)
puts format("ratio naive / evaluate_many (CPU medians): %10.0fx", med_naive / med_many)

# For bin/bench's report: one record per policy size in $PP_BENCH_OUT/ruby.json.
if (out = ENV["PP_BENCH_OUT"])
  require "json"
  path = File.join(out, "ruby.json")
  records = File.exist?(path) ? JSON.parse(File.read(path)) : []
  records.reject! { |r| r["rules"] == engine.rule_count }
  records << {
    "rules" => engine.rule_count,
    "ns" => {
      "Engine#evaluate (CPU median)" => med_eval,
      "Engine#evaluate_many, per request (CPU median)" => med_many,
      "naive Ruby (CPU median)" => med_naive,
    },
  }
  File.write(path, JSON.pretty_generate(records.sort_by { |r| r["rules"] }))
end
