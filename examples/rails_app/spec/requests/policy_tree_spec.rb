# frozen_string_literal: true

require "rails_helper"
require "rake"
require "tmpdir"

# A GitLab-shaped policy tree: the instance's layer, the acme group's, and one
# per project. Two projects of the group are served from one compiled group
# prefix; the instance's layer can come from a bundle written at deploy time.
RSpec.describe "Policy trees: projects of one group" do
  around do |example|
    Dir.mktmpdir do |dir|
      @dir = dir
      @options = Rails.application.config.package_policy.dup
      @options.layers = PackagePolicy::TreeLayers.new(instance: "config/policies/10-instance.yml",
                                                      dir: "config/policies/tree", root: Rails.root)
      saved = PackagePolicy::Railtie.policy
      example.run
    ensure
      PackagePolicy::Railtie.policy = saved
    end
  end

  let(:instance_file) { Rails.root.join("config/policies/10-instance.yml").to_s }
  let(:group_file) { Rails.root.join("config/policies/tree/acme.yml").to_s }

  def boot(bundle: nil)
    @options.bundle = bundle
    policy = PackagePolicy::Railtie.build_policy(@options, root: Rails.root)
    status = PackagePolicy::Railtie.load_bundle(policy, @options, root: Rails.root)
    PackagePolicy::Railtie.policy = policy
    [policy, status]
  end

  def decide(path, project)
    get path, headers: { "X-Project" => project }
    [response.status, response.parsed_body.dig("decision", "matched")&.map { |r| r["id"] }]
  end

  it "decides per project and compiles the group's layer once for both" do
    policy, = boot
    expect(decide("/packages/pypi/pycrypto/2.6.1", "acme/web")).to eq([200, []])
    expect(decide("/packages/pypi/pycrypto/2.6.1", "acme/api")).to eq([403, ["no-pycrypto"]])
    expect(decide("/packages/npm/lodash/4.17.21", "acme/api")).to eq([403, ["no-lodash"]])
    expect(decide("/packages/npm/lodash/4.17.21", "acme/web")).to eq([200, []])
    # The instance's deny holds in every project.
    expect(decide("/packages/npm/event-stream/3.3.6", "acme/web").first).to eq(403)
    expect(policy.cache.build_count(group_file)).to eq(1)
    expect(policy.cache.build_count(instance_file)).to eq(1)
    expect(%w[acme/web acme/api].map { |p| policy.engine(p).depth }).to eq([3, 3])
    flat = PackagePolicy.compile(layers: @options.layers.call("acme/api"))
    expect(policy.digest("acme/api")).to eq(PackagePolicy::EngineCache.digest(@options.layers.call("acme/api")))
    expect(policy.engine("acme/api").digest).to eq(flat.digest)
  end

  it "refuses a project name that is not a path of plain segments" do
    boot
    expect { get "/packages/npm/lodash/4.17.21", headers: { "X-Project" => "acme/../../etc" } }
      .to raise_error(ArgumentError, /plain segments/)
  end

  it "loads the instance's layer from the bundle rake package_policy:compile writes" do
    bundle = File.join(@dir, "instance.bundle")
    Rails.application.config.package_policy.bundle = bundle
    saved_policy = PackagePolicy::Railtie.policy
    PackagePolicy::Railtie.policy = PackagePolicy::Railtie.build_policy(@options, root: Rails.root)
    Rails.application.load_tasks unless Rake::Task.task_defined?("package_policy:compile")
    expect { Rake::Task["package_policy:compile"].execute }.to output(/1 layers, digest [0-9a-f]{64}/).to_stdout
    PackagePolicy::Railtie.policy = saved_policy

    policy, status = boot(bundle: bundle)
    expect(status).to eq(:loaded)
    expect(decide("/packages/npm/lodash/4.17.21", "acme/api")).to eq([403, ["no-lodash"]])
    expect(decide("/packages/npm/event-stream/3.3.6", "acme/api").first).to eq(403)
    # Loaded, not compiled: only the group's and the project's layers were.
    expect(policy.cache.build_count(instance_file)).to eq(0)
    expect(policy.cache.build_count(group_file)).to eq(1)

    # Sources changed since the bundle was written: it is not used.
    File.write(PackagePolicy::BundleFile.sources_path(bundle), "sha256:stale\n")
    expect(boot(bundle: bundle).last).to eq(:stale)
    File.binwrite(bundle, "not a bundle")
    File.write(PackagePolicy::BundleFile.sources_path(bundle),
               "#{PackagePolicy::EngineCache.digest(@options.layers.call(nil))}\n")
    policy, status = boot(bundle: bundle)
    expect(status).to eq(:unreadable)
    expect(decide("/packages/npm/event-stream/3.3.6", "acme/api").first).to eq(403)
    expect(policy.cache.build_count(instance_file)).to eq(1)
  ensure
    Rails.application.config.package_policy.bundle = nil
  end
end
