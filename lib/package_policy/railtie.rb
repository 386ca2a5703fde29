# frozen_string_literal: true

require_relative "live_policy"
require_relative "tree_layers"
require_relative "bundle_file"
require_relative "prometheus_subscriber"

module PackagePolicy
  # Rails integration, loaded only when Rails is. Configure in
  # config/application.rb or an environment file:
  #
  #   # files (relative to Rails.root, outermost first; globs expand sorted)
  #   config.package_policy.layers = %w[config/policies/instance.yml config/policies/acme.yml]
  #   # or a callable returning layer sources (Strings or { name:, source: }) for a project
  #   config.package_policy.layers = ->(project) { PolicyRecord.layers_for(project) }
  #   config.package_policy.check_interval = 2.0 # seconds between source checks
  #   config.package_policy.max_engines = 16     # compiled policy sets kept, keyed by digest
  #   config.package_policy.max_engine_bytes = 2 << 30 # and the Rust heap they may hold (nil: no bound)
  #   config.package_policy.preload = true       # compile file layers at boot (before Puma forks);
  #                                              # an Array of projects preloads a callable's
  #   # a policy tree: the instance for all, then config/policies/tree/<group>.yml, <group>/<project>.yml
  #   config.package_policy.layers = PackagePolicy::TreeLayers.new(instance: "config/policies/instance.yml",
  #                                                               dir: "config/policies/tree")
  #   # the instance's layers compiled at deploy time (rake package_policy:compile), loaded at boot
  #   config.package_policy.bundle = "tmp/package_policy/instance.bundle"
  #
  # Then PackagePolicy::Railtie.policy is a PackagePolicy::LivePolicy that
  # reports through ActiveSupport::Notifications ("evaluate.package_policy", …).
  class Railtie < ::Rails::Railtie
    config.package_policy = ActiveSupport::OrderedOptions.new
    config.package_policy.layers = nil
    config.package_policy.check_interval = 2.0
    config.package_policy.max_engines = 16
    config.package_policy.max_engine_bytes = nil
    config.package_policy.preload = true
    config.package_policy.bundle = nil

    class << self
      # The application's LivePolicy (nil when no layers are configured).
      attr_accessor :policy

      # Builds a LivePolicy from a config.package_policy-like object.
      def build_policy(options, root:)
        layers = options.layers
        loader = layers.respond_to?(:call) ? layers : FileLayers.new(layers, root: root)
        LivePolicy.new(loader, check_interval: options.check_interval,
                               cache: EngineCache.new(max_entries: options.max_engines,
                                                      max_bytes: options.max_engine_bytes),
                               notifier: ActiveSupport::Notifications)
      end
    end

    # The bundle's absolute path, or nil when none is configured.
    def self.bundle_path(options, root:)
      path = options.bundle
      path && (File.absolute_path?(path.to_s) ? path.to_s : File.join(root.to_s, path.to_s))
    end

    # The layers a bundle holds: a TreeLayers' instance layers, or a
    # FileLayers' whole (shared) set.
    def self.bundle_layers(policy)
      loader = policy&.loader
      case loader
      when TreeLayers then FileLayers.new(loader.instance).call
      when FileLayers then loader.call
      else raise ArgumentError, "config.package_policy.bundle needs file layers or a TreeLayers"
      end
    end

    # Seeds the policy's cache from the configured bundle (see BundleFile.seed);
    # logs what it did. Returns the BundleFile.seed status, or nil.
    def self.load_bundle(policy, options, root:, logger: nil)
      path = bundle_path(options, root: root)
      return nil unless policy && path

      status = BundleFile.seed(policy.cache, path, bundle_layers(policy))
      logger&.info("package_policy: bundle #{path}: #{status}")
      status
    end

    # Compiles what +setting+ names now: true = file layers (a callable's
    # projects are unknown, so they compile on first use), an Array = those
    # projects. Returns the entries compiled.
    def self.preload(policy, setting)
      return [] if policy.nil? || !setting
      return policy.preload(setting) if setting.is_a?(Array)

      policy.loader.is_a?(FileLayers) ? policy.preload : []
    end

    initializer "package_policy.live_policy" do |app|
      options = app.config.package_policy
      PackagePolicy::Railtie.policy = options.layers && PackagePolicy::Railtie.build_policy(options, root: app.root)
      PackagePolicy::Railtie.load_bundle(PackagePolicy::Railtie.policy, options, root: app.root, logger: Rails.logger)
    end

    rake_tasks do
      load File.expand_path("tasks/package_policy.rake", __dir__)
    end

    # After the app's initializers, so that a broken policy stops the boot
    # (not the first request) and forked workers inherit the compiled engine.
    config.after_initialize do |app|
      PackagePolicy::Railtie.preload(PackagePolicy::Railtie.policy, app.config.package_policy.preload)
    end
  end
end
