# frozen_string_literal: true

require_relative "lib/package_policy/version"

Gem::Specification.new do |spec|
  spec.name = "package_policy"
  spec.version = PackagePolicy::VERSION
  spec.authors = ["package_policy developers"]
  spec.summary = "In-process package policy engine: allow, warn or deny packages from layered rules"
  spec.description = "Compiles layered policy-as-code YAML into an immutable decision engine " \
                     "(Rust, via magnus) for registry proxies and CI gates."
  spec.license = "MIT"
  spec.required_ruby_version = ">= 3.0"
  spec.homepage = "https://example.invalid/package_policy"

  # The whole Cargo workspace ships: extconf builds the extension from it.
  spec.files = Dir[
    "lib/**/*.rb",
    "lib/**/*.rake",
    "ext/package_policy/extconf.rb",
    "ext/package_policy/Cargo.toml",
    "ext/package_policy/src/**/*.rs",
    "crates/*/Cargo.toml",
    "crates/*/src/**/*.rs",
    "benches/Cargo.toml",
    "benches/src/**/*.rs",
    "benches/benches/**/*.rs",
    "Cargo.toml",
    "Cargo.lock",
    "README.md",
    "CHANGELOG.md",
    "LICENSE",
  ]
  spec.require_paths = ["lib"]
  spec.extensions = ["ext/package_policy/extconf.rb"]
end
