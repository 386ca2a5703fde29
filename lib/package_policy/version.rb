# frozen_string_literal: true

module PackagePolicy
  VERSION = "0.1.0"
end
