# frozen_string_literal: true

require_relative "boot"

require "rails"
# No database: only the frameworks a JSON endpoint needs.
require "active_model/railtie"
require "action_controller/railtie"

# Requires package_policy (and with it PackagePolicy::Railtie) and rspec-rails.
Bundler.require(*Rails.groups)

module RailsApp
  # A registry proxy's policy gate: answers whether a package may be served.
  class Application < Rails::Application
    config.load_defaults 6.1
    config.api_only = true

    # Outermost first: the instance's rules, then the group's, then a project's exceptions.
    # PACKAGE_POLICY_LAYERS (colon-separated paths or globs) overrides them.
    config.package_policy.layers =
      ENV["PACKAGE_POLICY_LAYERS"]&.split(":") ||
      %w[config/policies/10-instance.yml config/policies/20-acme.yml config/policies/30-acme-web.yml]
    config.package_policy.check_interval = Float(ENV.fetch("PACKAGE_POLICY_CHECK_INTERVAL", "2"))
  end
end
