# frozen_string_literal: true

namespace :package_policy do
  desc "Compile the instance's policy layers into config.package_policy.bundle (deploy time)"
  task compile: :environment do
    options = Rails.application.config.package_policy
    path = PackagePolicy::Railtie.bundle_path(options, root: Rails.root)
    abort "package_policy:compile: set config.package_policy.bundle" unless path

    layers = PackagePolicy::Railtie.bundle_layers(PackagePolicy::Railtie.policy)
    engine = PackagePolicy::BundleFile.write(path, layers)
    puts "#{path}: #{engine.rule_count} rules, #{layers.size} layers, digest #{engine.digest}"
  end
end
