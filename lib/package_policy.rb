# frozen_string_literal: true

require_relative "package_policy/version"
require_relative "package_policy/errors"
require "package_policy/package_policy"
require_relative "package_policy/decision"
require_relative "package_policy/engine"
require_relative "package_policy/railtie" if defined?(Rails::Railtie)

# Package rules compiled into an in-process decision engine.
module PackagePolicy
  # Compiles one layer (a YAML String) or an Array of them, outermost first.
  def self.compile(layers)
    _compile(Array(layers).each_with_index.map { |text, i| ["layer #{i + 1}", String(text)] })
  end
end
