# frozen_string_literal: true

require_relative "source_files"

module PackagePolicy
  # Layers read from files, outermost first. A pattern with glob
  # metacharacters expands to its matches in sorted order at every check, so
  # a file added to a policy directory joins the set (name files
  # `10-instance.yml`, `20-group.yml`, … to order them).
  #
  # A loader for PackagePolicy::LivePolicy: #fingerprint is cheap (stat only),
  # so a policy that did not change is not re-read.
  class FileLayers
    GLOB_CHARS = /[*?\[{]/

    attr_reader :patterns

    # +root+ resolves relative patterns (Rails.root in the Railtie).
    def initialize(patterns, root: nil)
      @patterns = Array(patterns).map { |p| root && !File.absolute_path?(p.to_s) ? File.join(root.to_s, p.to_s) : p.to_s }.freeze
      raise ArgumentError, "no policy files given" if @patterns.empty?
    end

    # The same layers for every project: LivePolicy keeps one state for all.
    def shared? = true

    # The files the patterns name now. A literal path that does not exist
    # raises Errno::ENOENT: a missing policy file is an error, never an empty policy.
    def paths
      @patterns.flat_map do |pattern|
        next [pattern] unless GLOB_CHARS.match?(pattern)

        Dir.glob(pattern).sort
      end
    end

    # Changes when a file is added, removed, renamed over, or written
    # (modification time in nanoseconds, size, inode).
    def fingerprint(_project = nil)
      paths.map { |path| SourceFiles.key(path) }
    end

    # The layers, named by their paths so compile errors point at the file.
    def call(_project = nil)
      paths.map { |path| { name: path, source: SourceFiles.read(path) } }
    end
  end
end
