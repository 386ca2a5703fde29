# frozen_string_literal: true

require_relative "live_policy"
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
  #   config.package_policy.preload = true       # compile file layers at boot (before Puma forks);
  #                                              # an Array of projects preloads a callable's
  #
  # Then PackagePolicy::Railtie.policy is a PackagePolicy::LivePolicy that
  # reports through ActiveSupport::Notifications ("evaluate.package_policy", …).
  class Railtie < ::Rails::Railtie
    config.package_policy = ActiveSupport::OrderedOptions.new
    config.package_policy.layers = nil
    config.package_policy.check_interval = 2.0
    config.package_policy.max_engines = 16
    config.package_policy.preload = true

    class << self
      # The application's LivePolicy (nil when no layers are configured).
      attr_accessor :policy

      # Builds a LivePolicy from a config.package_policy-like object.
      def build_policy(options, root:)
        layers = options.layers
        loader = layers.respond_to?(:call) ? layers : FileLayers.new(layers, root: root)
        LivePolicy.new(loader, check_interval: options.check_interval,
                               cache: EngineCache.new(max_entries: options.max_engines),
                               notifier: ActiveSupport::Notifications)
      end
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
    end

    # After the app's initializers, so that a broken policy stops the boot
    # (not the first request) and forked workers inherit the compiled engine.
    config.after_initialize do |app|
      PackagePolicy::Railtie.preload(PackagePolicy::Railtie.policy, app.config.package_policy.preload)
    end
  end
end
