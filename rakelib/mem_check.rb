# frozen_string_literal: true

# Run by `rake mem`. A leak of even a few dozen bytes per evaluation (a
# Decision, Rule or error never freed), or of a compiled engine or a compile
# error, would grow RSS past the bound.
require "package_policy"

def rss_kb = File.read("/proc/self/status")[/^VmRSS:\s+(\d+)/, 1].to_i

rules = Array.new(1_000) { |i| "  - { id: d#{i}, action: deny, owner: sec, match: { ecosystem: npm, package: bad-#{i} } }" }
rules << "  - { id: ok, action: allow, match: { ecosystem: npm, package: bad-7 } }"
engine = PackagePolicy.compile("schema_version: 1\nlayer: mem\nrules:\n#{rules.join("\n")}\n")
purls = Array.new(1_000) { |i| "pkg:npm/bad-#{i * 3}@1.0.0" }
hashes = Array.new(100) { |i| { ecosystem: "npm", name: "bad-#{i}", version: "1.0.0", attributes: { "tier" => i } } }
small = "schema_version: 1\nlayer: small\nrules:\n#{rules.first(50).join("\n")}\n"
broken = "schema_version: 1\nlayer: broken\nrules:\n  - { id: a, action: deny, match: { ecosystem: npm, versions: '>= nope' } }\n"
feed_layer = "schema_version: 1\nlayer: f\nfeeds:\n  - { name: mal, format: osv, action: deny }\nrules: []\n"
feed = %({"id": "MAL-1", "affected": [{"package": {"ecosystem": "npm", "name": "evil"},) +
       %( "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]})

work = lambda do |n|
  n.times do |i|
    d = engine.evaluate(purls[i % purls.size])
    d.matched.each(&:id)
    d.suppressed.each(&:by)
  end
  (n / 1_000).times { engine.evaluate_many(hashes) }
  (n / 1_000).times do
    engine.evaluate("not a purl")
  rescue PackagePolicy::RequestError
    nil
  end
  (n / 1_000).times { engine.evaluate({ purl: purls[0], project: "acme/web" }) }
  # Compiles: engines dropped at once, compile errors, validation, feeds.
  (n / 250).times do
    PackagePolicy.compile(small).evaluate(purls[1])
    PackagePolicy.compile(feed_layer, feeds: { "mal" => feed })
    PackagePolicy.validate(broken)
    PackagePolicy.compile(broken)
  rescue PackagePolicy::PolicyError
    nil
  end
end

work.call(100_000) # warm up: heaps and caches reach their steady size
GC.start
before = rss_kb
work.call(1_000_000)
GC.start
after = rss_kb
bound = Integer(ENV.fetch("PACKAGE_POLICY_MEM_BOUND_MB", "32")) * 1024
growth = after - before
puts format("rake mem: RSS %<b>d KiB -> %<a>d KiB (%<g>+d KiB) over 1,000,000 evaluations and 16,000 compiles; " \
            "bound %<m>d KiB",
            b: before, a: after, g: growth, m: bound)
abort "rake mem: RSS grew past the bound" if growth > bound
