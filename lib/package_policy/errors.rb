# frozen_string_literal: true

module PackagePolicy
  # Base class of every error this gem raises. A Rust panic inside the
  # extension (a bug) surfaces as this class, never as a crash.
  class Error < StandardError; end

  # A policy layer does not compile. Carries where: +layer+ (the +layer:+ name,
  # or the source name when the layer has none yet), +source+ (the name given
  # to compile, e.g. a file name), +line+ and +column+ (1-based, nil when
  # unknown), +path+ such as "rules[3].match.versions", and +kind+, one of
  # KINDS (:syntax, :invalid, :duplicate, :limit, :feed; the extension
  # defines KINDS from the core's names).
  class PolicyError < Error
    attr_reader :line, :column, :layer, :source, :path, :kind

    def initialize(message = nil, details = {})
      super(message)
      @line = details[:line]
      @column = details[:column]
      @layer = details[:layer]
      @source = details[:source]
      @path = details[:path]
      @kind = details[:kind]
    end

    def to_h
      { message: message, line: line, column: column, layer: layer, source: source, path: path, kind: kind }
    end
  end

  # Bytes given to PackagePolicy.load are not a bundle this build can load.
  # +kind+ is :foreign (not a bundle), :version (another format version:
  # recompile), :truncated, :checksum or :corrupt. Never a partial engine.
  class BundleError < Error
    attr_reader :kind

    def initialize(message = nil, details = {})
      super(message)
      @kind = details[:kind]
    end
  end

  # A request cannot be evaluated (bad purl, unknown ecosystem, unparsable
  # version or license...). Never a silent allow. +field+ names the request
  # field at fault (a Symbol); +kind+ what is wrong, one of KINDS (:purl,
  # :ecosystem, :name, :version, :license, :time, :project, :attributes,
  # :limit, :provenance); +index+ is its position in an Engine#evaluate_many batch, else nil.
  class RequestError < Error
    attr_reader :field, :kind, :index

    def initialize(message = nil, details = {})
      super(message)
      @field = details[:field]
      @kind = details[:kind]
      @index = details[:index]
    end
  end
end
