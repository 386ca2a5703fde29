# frozen_string_literal: true

# Compiles the layered example policies (instance → group → project) and decides
# every package of two real lockfiles, printing a table and the time per decision.
#
#   ruby -Ilib examples/demo.rb [--all]    (bin/demo builds what is missing first)

require "json"
require "package_policy"

HERE = __dir__
show_all = ARGV.include?("--all")

layers = %w[instance group project].map do |level|
  path = File.join(HERE, "policies", "#{level}.yaml")
  { name: path.delete_prefix("#{HERE}/"), source: File.read(path) }
end
engine = PackagePolicy.compile(layers: layers)

# package-lock.json v2/v3: "node_modules/<name>" entries; nested copies count too.
npm = JSON.parse(File.read(File.join(HERE, "lockfiles/package-lock.json")))["packages"]
  .filter_map do |path, entry|
    next if path.empty? || !entry["version"]

    name = entry["name"] || path.split("node_modules/").last
    ["npm", name, entry["version"]]
  end

# Gemfile.lock: the `specs:` entries of each GEM section, four spaces deep.
gems = File.read(File.join(HERE, "lockfiles/Gemfile.lock")).scan(/^    ([^\s(]+) \(([^)]+)\)$/)
  .map { |name, version| ["rubygems", name, version.split("-").first] }

packages = (npm + gems).uniq
requests = packages.map { |eco, name, version| { ecosystem: eco, name: name, version: version } }

started = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
decisions = requests.map { |r| engine.evaluate(**r) }
elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond) - started

batch_started = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
engine.evaluate_many(requests)
batch_elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond) - batch_started

def rule_of(decision)
  rule = decision.matched.first || decision.allowed_by.first
  return ["(default)", ""] unless rule

  ["#{rule.layer}/#{rule.id}", rule.reason.to_s]
end

rows = packages.zip(decisions).map do |(eco, name, version), d|
  rule, reason = rule_of(d)
  ["#{eco}:#{name}", version, d.action.to_s, rule, reason]
end
shown = show_all ? rows : rows.reject { |r| r[2] == "allow" && r[3] == "(default)" }

header = %w[package version action rule reason]
widths = header.each_index.map { |i| ([header[i]] + shown.map { |r| r[i] }).map(&:size).max.clamp(0, 48) }
line = ->(cells) { cells.each_with_index.map { |c, i| c.to_s[0, 48].ljust(widths[i]) }.join("  ").rstrip }
puts line.call(header)
puts widths.map { |w| "-" * w }.join("  ")
shown.each { |r| puts line.call(r) }

counts = decisions.group_by(&:action).transform_values(&:size)
puts
puts "#{packages.size} packages (#{npm.uniq.size} npm from package-lock.json, #{gems.uniq.size} gems from Gemfile.lock); " \
     "#{engine.rule_count} rules in #{layers.size} layers"
puts "decisions: " + %i[deny warn allow].map { |a| "#{a} #{counts.fetch(a, 0)}" }.join(", ")
puts "rows shown: #{shown.size} (default allows hidden; --all shows every package)" unless show_all
puts format("time per decision: %.2f µs with Engine#evaluate, %.2f µs with Engine#evaluate_many (wall clock, this run)",
            elapsed / 1000.0 / packages.size, batch_elapsed / 1000.0 / packages.size)
