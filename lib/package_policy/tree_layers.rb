# frozen_string_literal: true

require_relative "source_files"

module PackagePolicy
  # A policy tree read from files, for LivePolicy: the instance's layers for
  # everyone, then one file per node of the project's path. For project
  # "acme/platform/web", under +dir+: acme.yml, acme/platform.yml,
  # acme/platform/web.yml, each only when it exists (a group without rules of
  # its own needs no file). Every project of a group gets the same prefix of
  # layers, so EngineCache compiles the group's once and stacks each project
  # on it (Engine#stack).
  #
  #   PackagePolicy::TreeLayers.new(instance: "config/policies/10-instance.yml",
  #                                 dir: "config/policies/tree", root: Rails.root)
  class TreeLayers
    # A project path: segments of letters, digits, ".", "_" and "-".
    # Anything else (such as "..") could name a file outside +dir+.
    SEGMENT = /\A[A-Za-z0-9_][A-Za-z0-9._-]*\z/

    attr_reader :instance, :dir

    # +instance+: a path or Array of paths (outermost first); +dir+: the tree's
    # directory; +root+ resolves relative paths.
    def initialize(instance:, dir:, root: nil)
      resolve = ->(p) { root && !File.absolute_path?(p.to_s) ? File.join(root.to_s, p.to_s) : p.to_s }
      @instance = Array(instance).map(&resolve).freeze
      @dir = resolve.call(dir)
      raise ArgumentError, "no instance layer given" if @instance.empty?
    end

    # The files of +project+'s path, outermost first. A project name that is
    # no path of plain segments raises ArgumentError (never a silent default).
    def paths(project)
      nodes = project.nil? ? [] : project.to_s.split("/", -1)
      unless nodes.all? { |n| SEGMENT.match?(n) }
        raise ArgumentError, "project #{project.inspect} is not a path of plain segments"
      end

      branch = nodes.each_index.map { |i| File.join(@dir, *nodes[0..i]) + ".yml" }
      @instance + branch.select { |p| File.file?(p) }
    end

    # Changes when a file of the path is added, removed or written.
    def fingerprint(project)
      paths(project).map { |path| SourceFiles.key(path) }
    end

    # The layers, named by their paths so compile errors point at the file.
    def call(project)
      paths(project).map { |path| { name: path, source: SourceFiles.read(path) } }
    end
  end
end
