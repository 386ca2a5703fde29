# frozen_string_literal: true

require "fileutils"
require_relative "engine_cache"

module PackagePolicy
  # A compiled engine kept on disk for the next boot: +path+ holds the bundle
  # (Engine#to_bytes) and +path+.sources the EngineCache digest of the layer
  # sources it was compiled from. Written at deploy time
  # (<tt>rake package_policy:compile</tt>); read at boot, where it replaces the
  # compile of those layers only when the sources are still the same.
  module BundleFile
    module_function

    def sources_path(path) = "#{path}.sources"

    # Compiles +layers+ and writes the bundle and its sources digest (each
    # atomically: a booting worker reads the old file or the new one).
    # Returns the engine.
    def write(path, layers, feeds: {})
      layers = EngineCache.normalize(layers)
      engine = PackagePolicy.compile(layers: layers, feeds: feeds)
      FileUtils.mkdir_p(File.dirname(path))
      atomic_write(path, engine.to_bytes)
      atomic_write(sources_path(path), "#{EngineCache.digest(layers)}\n")
      engine
    end

    # Seeds +cache+ with the bundle at +path+ when it was compiled from
    # exactly +layers+. Returns :loaded, :missing (no file), :stale (the
    # sources changed since) or :unreadable (not a bundle this build loads:
    # another gem version, a truncated copy); in every case but :loaded the
    # layers compile from source when first used, so the policy in force is
    # always the sources'.
    def seed(cache, path, layers)
      return :missing unless File.file?(path) && File.file?(sources_path(path))

      layers = EngineCache.normalize(layers)
      return :stale unless File.read(sources_path(path)).strip == EngineCache.digest(layers)

      cache.seed(layers, PackagePolicy.load(File.binread(path)))
      :loaded
    rescue BundleError, ArgumentError
      :unreadable
    end

    def atomic_write(path, data)
      tmp = "#{path}.#{Process.pid}.tmp"
      File.binwrite(tmp, data)
      File.rename(tmp, path)
    end
    private_class_method :atomic_write
  end
end
