# frozen_string_literal: true

# LivePolicy serving a policy tree (issue 13, docs/benchmarks.md "Policy
# trees"): an instance layer of RULES exact-name denies (a feed's shape), 100
# groups of 50 rules and PROJECTS projects of 10 rules, each project's path
# [instance, group, project] returned by the loader. Measures the first
# request of every project (which stacks its group's prefix, once per group,
# and its own layer), then steady-state evaluate, and a flat compile of a few
# projects' whole sets for comparison. Run after `rake compile`:
#   ruby -Ilib benches/ruby/trees_bench.rb [RULES] [PROJECTS]
require "json"
require "package_policy"
require "package_policy/live_policy"

rules = Integer(ARGV[0] || 100_000)
projects = Integer(ARGV[1] || 10_000)
groups = 100

def layer(name, rules)
  { name: "#{name}.json", source: JSON.generate("schema_version" => 1, "layer" => name, "rules" => rules).freeze }
end

def rule(id, action, package)
  { "id" => id, "action" => action, "match" => { "ecosystem" => "npm", "package" => package } }
end

def clock = Process.clock_gettime(Process::CLOCK_MONOTONIC)

def pct(sorted, p) = sorted[((sorted.size - 1) * p).round]

instance = layer("instance", Array.new(rules) { |i| rule("mal-#{i}", "deny", "mal-pkg-#{i}") })
group_layers = Array.new(groups) do |g|
  layer("group-#{g}", Array.new(50) { |i| rule("g#{i}", i.even? ? "deny" : "allow", "pkg-#{(g * 50) + i}") })
end
project_layers = Array.new(projects) do |p|
  layer("project-#{p}", Array.new(10) { |i| rule("p#{i}", i.even? ? "allow" : "deny", "pkg-#{(p * 10) + i}") })
end
names = Array.new(projects) { |p| "group-#{p % groups}/project-#{p}" }
paths = names.each_with_index.to_h { |n, p| [n, [instance, group_layers[p % groups], project_layers[p]]] }

cache = PackagePolicy::EngineCache.new(max_entries: projects + groups + 1)
policy = PackagePolicy::LivePolicy.new(->(project) { paths.fetch(project) }, cache: cache, check_interval: 3600,
                                                                            max_projects: projects)

t = clock
policy.current(names[0]) # the instance's compile, then group 0 and project 0
warm = clock - t
firsts = (1...projects).map do |p|
  s = clock
  policy.evaluate("pkg:npm/mal-pkg-#{p}@1.0.0", project: names[p])
  clock - s
end.sort
total = clock - t
rss = File.read("/proc/self/status")[/VmRSS:\s+(\d+)/, 1].to_i / 1024.0

n = 200_000
purls = Array.new(1000) { |i| i.even? ? "pkg:npm/mal-pkg-#{i * 7}@1.0.0" : "pkg:npm/other-#{i}@1.0.0" }
t = clock
n.times { |i| policy.evaluate(purls[i % 1000], project: names[i % projects]) }
steady = (clock - t) / n
engine = policy.engine(names[1])
t = clock
n.times { |i| engine.evaluate(purls[i % 1000]) }
bare = (clock - t) / n

flat = 3.times.map do |p|
  s = clock
  PackagePolicy.compile(layers: paths[names[p]])
  clock - s
end.sum / 3

puts format("instance %d rules; %d groups x 50; %d projects x 10 (Ruby %s)", rules, groups, projects, RUBY_VERSION)
puts format("first request of project 0 (compiles the instance): %.0f ms", warm * 1e3)
puts format("first request per project (stacks its layer; its group's once): median %.0f us, p99 %.0f us; " \
            "all %d projects %.2f s", pct(firsts, 0.5) * 1e6, pct(firsts, 0.99) * 1e6, projects, total)
puts format("flat compile of one project's whole set: %.0f ms (x %d projects = %.0f s)", flat * 1e3, projects,
            flat * projects)
puts format("steady state: LivePolicy#evaluate %.2f us, Engine#evaluate on a depth-3 engine %.2f us", steady * 1e6,
            bare * 1e6)
puts format("process RSS with %d engines alive: %.0f MiB; cache entries %d holding %.0f MiB (Engine#memsize, " \
            "shared levels once); group-0 compiles %d", projects + groups + 1, rss, cache.size, cache.bytesize / 1_048_576.0,
            cache.build_count("group-0.json"))
