# frozen_string_literal: true

require "spec_helper"
require "tmpdir"
require "yaml"
require "package_policy/live_policy"
require_relative "support"

RSpec.describe PackagePolicy::LivePolicy do
  include PackagePolicySpec

  let(:notifier) { PackagePolicySpec::RecordingNotifier.new }
  let(:clock) { PackagePolicySpec::ManualClock.new }

  def layer(name, *rules) = PackagePolicySpec.layer(name, rules)
  def rule(...) = PackagePolicySpec.rule(...)

  around do |example|
    Dir.mktmpdir { |dir| @dir = dir and example.run }
  end

  def write(name, text)
    path = File.join(@dir, name)
    File.write("#{path}.tmp", text)
    File.rename("#{path}.tmp", path) # as a deploy would: readers see the old file or the new one
    path
  end

  def policy(loader = files, interval: 10)
    described_class.new(loader, check_interval: interval, notifier: notifier, clock: clock)
  end

  let(:files) { PackagePolicy::FileLayers.new("*.yml", root: @dir) }

  before do
    write("10-instance.yml", layer("instance", rule("no-event-stream", "deny", "npm", "event-stream", enforced: true)))
  end

  it "evaluates purls and request hashes against the current files" do
    live = policy
    expect(live.evaluate("pkg:npm/event-stream@3.3.6")).to be_deny
    expect(live.evaluate({ ecosystem: "npm", name: "left-pad", version: "1.3.0" })).to be_allow
  end

  it "swaps in an edited policy after the check interval, without a new object" do
    live = policy
    before = live.current
    expect(live.evaluate("pkg:npm/left-pad@1.3.0")).to be_allow

    write("20-acme.yml", layer("acme", rule("no-left-pad", "deny", "npm", "left-pad")))
    expect(live.evaluate("pkg:npm/left-pad@1.3.0")).to be_allow # not checked yet
    clock.advance(10)
    expect(live.evaluate("pkg:npm/left-pad@1.3.0")).to be_deny
    expect(live.digest).not_to eq(before.digest)

    reload = notifier.named("reload.package_policy").last
    expect(reload).to include(previous_digest: before.digest, digest: live.digest)
    expect(reload[:layer_names]).to eq([File.join(@dir, "10-instance.yml"), File.join(@dir, "20-acme.yml")])
  end

  it "checks on every call with an interval of 0" do
    live = policy(interval: 0)
    expect(live.evaluate("pkg:npm/left-pad@1.3.0")).to be_allow
    write("20-acme.yml", layer("acme", rule("no-left-pad", "deny", "npm", "left-pad")))
    expect(live.evaluate("pkg:npm/left-pad@1.3.0")).to be_deny
  end

  it "does not read unchanged files again" do
    reads = 0
    counting = PackagePolicy::FileLayers.new("*.yml", root: @dir)
    counting.define_singleton_method(:call) { |project = nil| reads += 1 and super(project) }
    live = policy(counting, interval: 0)
    3.times { live.evaluate("pkg:npm/left-pad@1.3.0") }
    expect(reads).to eq(1)
  end

  it "keeps one state for every project when the layers are files" do
    reads = 0
    counting = PackagePolicy::FileLayers.new("*.yml", root: @dir)
    counting.define_singleton_method(:call) { |project = nil| reads += 1 and super(project) }
    live = policy(counting)
    expect(live.engine("acme/web")).to equal(live.engine("acme/api"))
    expect(reads).to eq(1)
  end

  it "keeps the last good engine when a change does not compile, and reports it once" do
    live = policy(interval: 0)
    good = live.current
    write("20-acme.yml", "schema_version: 1\nlayer: acme\nrules:\n  - id: x\n    action: nope\n")
    2.times { expect(live.evaluate("pkg:npm/event-stream@3.3.6")).to be_deny }
    expect(live.current).to equal(good)
    expect(live.last_error.error).to be_a(PackagePolicy::PolicyError)
    expect(notifier.named("reload_error.package_policy").size).to eq(1)
    expect(notifier.named("reload_error.package_policy").first).to include(kept_digest: good.digest)

    write("20-acme.yml", layer("acme", rule("no-left-pad", "deny", "npm", "left-pad")))
    expect(live.evaluate("pkg:npm/left-pad@1.3.0")).to be_deny
    expect(live.last_error).to be_nil
  end

  it "keeps the last good engine when a file disappears" do
    live = policy(PackagePolicy::FileLayers.new(File.join(@dir, "10-instance.yml")), interval: 0)
    live.current
    File.delete(File.join(@dir, "10-instance.yml"))
    expect(live.evaluate("pkg:npm/event-stream@3.3.6")).to be_deny
    expect(live.last_error.error).to be_a(Errno::ENOENT)
  end

  it "raises on the first load when the policy does not compile" do
    write("20-acme.yml", "schema_version: 1\nlayer: acme\nrules: nope\n")
    expect { policy.current }.to raise_error(PackagePolicy::PolicyError)
  end

  describe "with a callable returning sources per project" do
    let(:sources) do
      {
        "acme/web" => [layer("instance"), layer("web", rule("no-left-pad", "deny", "npm", "left-pad"))],
        "acme/api" => [layer("instance")],
        "acme/cli" => [layer("instance")],
      }
    end
    let(:live) { policy(->(project) { sources.fetch(project) }, interval: 0) }

    it "gives each project its own layers" do
      expect(live.evaluate("pkg:npm/left-pad@1.3.0", project: "acme/web")).to be_deny
      expect(live.evaluate("pkg:npm/left-pad@1.3.0", project: "acme/api")).to be_allow
    end

    it "takes what Engine#evaluate takes, with the project as keyword or request fact" do
      expect(live.evaluate(purl: "pkg:npm/left-pad@1.3.0", project: "acme/web")).to be_deny
      expect(live.evaluate({ purl: "pkg:npm/left-pad@1.3.0" }, project: "acme/web")).to be_deny
      expect(live.evaluate({ "purl" => "pkg:npm/left-pad@1.3.0", "project" => "acme/web" })).to be_deny
      expect(live.evaluate("ecosystem" => "npm", "name" => "left-pad", "project" => "acme/web")).to be_deny
      expect(live.evaluate(ecosystem: "npm", name: "left-pad", version: "1.3.0", project: "acme/web")).to be_deny
      expect(live.evaluate("pkg:npm/left-pad@1.3.0", project: "acme/api", now: Time.utc(2026, 1, 1))).to be_allow
    end

    it "raises ArgumentError when the keyword and the request name different projects" do
      expect { live.evaluate({ project: "acme/api", purl: "pkg:npm/left-pad" }, project: "acme/web") }
        .to raise_error(ArgumentError, /differ/)
    end

    it "shares one engine between projects with the same sources" do
      expect(live.engine("acme/api")).to equal(live.engine("acme/cli"))
      expect(live.engine("acme/api")).not_to equal(live.engine("acme/web"))
      expect(live.cache.size).to eq(2)
    end

    it "recompiles only when the digest changes" do
      first = live.engine("acme/api")
      expect(live.engine("acme/api")).to equal(first)
      sources["acme/api"] = [layer("instance", rule("no-x", "deny", "npm", "x"))]
      expect(live.engine("acme/api")).not_to equal(first)
    end
  end

  it "gives the project to the engine as the request's project fact" do
    write("20-acme.yml", layer("acme", { "id" => "web-only", "action" => "deny",
                                         "match" => { "ecosystem" => "npm", "project" => "acme/web" } }))
    live = policy
    expect(live.evaluate("pkg:npm/left-pad@1.3.0", project: "acme/web")).to be_deny
    expect(live.evaluate("pkg:npm/left-pad@1.3.0", project: "acme/api")).to be_allow
    expect(live.evaluate({ ecosystem: "npm", name: "left-pad" }, project: "acme/web")).to be_deny
    event = notifier.named("evaluate.package_policy").first
    expect(event[:request]).to eq({ purl: "pkg:npm/left-pad@1.3.0", project: "acme/web" })
  end

  it "hands keywords beside a request Hash to the engine, which refuses them" do
    expect { policy.evaluate({ purl: "pkg:npm/left-pad" }, license: "MIT") }.to raise_error(ArgumentError, /license/)
  end

  # The example in LivePolicy's class comment, run as written (read from the
  # source, so the two cannot drift apart).
  it "runs the example of its doc comment" do
    source = File.read(File.expand_path("../../lib/package_policy/live_policy.rb", __dir__))
    comment = source[/^(\s*#.*\n)+(?=\s*class LivePolicy)/]
    example = comment.lines.map { |l| l.sub(/^\s*# ?/, "") }.grep(/^  \S/).join
    expect(example).to include("LivePolicy.new", "policy.evaluate(")
    Dir.chdir(@dir) do
      node_ipc = { "id" => "no-node-ipc", "action" => "deny",
                   "match" => { "ecosystem" => "npm", "package" => "node-ipc", "versions" => ">= 10.1.1" } }
      File.write("instance.yml", layer("instance", node_ipc, rule("no-left-pad", "deny", "npm", "left-pad")))
      File.write("acme.yml", layer("acme"))
      # One clean binding, so the example's locals carry from line to line and
      # nothing of this spec leaks in; each line's value is kept to check it.
      scope = Object.new.instance_eval { binding }
      results = example.lines.map { |line| scope.eval(line, "live_policy.rb doc example") }
      expect(results[1]).to be_deny
      expect(results[2]).to eq(%w[9.2.1])
    end
  end

  it "answers resolution mode with a decision per version" do
    live = policy
    decisions = live.versions(ecosystem: "npm", name: "event-stream", versions: %w[3.3.5 3.3.6])
    expect(decisions.keys).to eq(%w[3.3.5 3.3.6])
    expect(decisions.values).to all(be_deny)
    expect(live.allowed_versions(ecosystem: "npm", name: "event-stream", versions: %w[3.3.5])).to eq([])
    expect(live.allowed_versions(ecosystem: "npm", name: "left-pad", versions: %w[1.0.0 1.3.0])).to eq(%w[1.0.0 1.3.0])
    event = notifier.named("versions.package_policy").first
    expect(event).to include(ecosystem: "npm", name: "event-stream", count: 2, allowed: 0, denied: %w[3.3.5 3.3.6])
  end

  it "serves every thread a compiled engine while the policy changes under load" do
    live = policy(interval: 0)
    stop = false
    errors = Queue.new
    seen = Queue.new
    readers = Array.new(4) do
      Thread.new do
        until stop
          begin
            seen << live.evaluate("pkg:npm/left-pad@1.3.0").action
          rescue StandardError => e
            errors << e
          end
          Thread.pass # let the writer in
        end
      end
    end
    # The readers notice each change themselves (interval 0) and swap engines as they go.
    6.times do |i|
      write("20-acme.yml", layer("acme", *(i.odd? ? [rule("no-left-pad", "deny", "npm", "left-pad")] : [])))
      sleep 0.01
    end
    stop = true
    readers.each(&:join)
    expect(errors.size).to eq(0), -> { errors.pop.inspect }
    expect(Array.new(seen.size) { seen.pop }.uniq).to contain_exactly(:allow, :deny)
    expect(live.evaluate("pkg:npm/left-pad@1.3.0")).to be_deny # the last write (i = 5) denies
  end
end
