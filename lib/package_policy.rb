# frozen_string_literal: true

require_relative "package_policy/version"
require_relative "package_policy/errors"
require "package_policy/package_policy"
require_relative "package_policy/rule"
require_relative "package_policy/decision"
require_relative "package_policy/engine"
require_relative "package_policy/resolution"
require_relative "package_policy/analysis"
require_relative "package_policy/decision_log"
require_relative "package_policy/railtie" if defined?(Rails::Railtie)

# Package rules compiled into an in-process decision engine.
#
#   engine = PackagePolicy.compile([instance_yaml, group_yaml, project_yaml])
#   engine.evaluate("pkg:npm/lodash@4.17.21").deny?
#
# See docs/ruby.md.
module PackagePolicy
  # How many errors .validate returns by default (as the CLI's `check`).
  DEFAULT_MAX_ERRORS = 100

  class << self
    # Compiles a policy set into a frozen, Ractor-shareable Engine.
    #
    # +policy+ is one layer's YAML String, or an Array of them, outermost
    # (instance) layer first. Give +layers:+ instead to name each layer's source
    # so errors point at its file: <tt>layers: [{ name: "acme.yaml", source: yaml }]</tt>
    # (Array elements may mix Strings and such Hashes).
    #
    # +feeds:+ supplies the intelligence feeds that layers declare (+feeds:+ in
    # a layer), by name: a String of OSV JSON / JSON Lines, an Array of them, or
    # <tt>[{ origin: "path", text: json }]</tt> so skipped records name their file.
    # Every declared feed must be supplied. Feeds fail closed: a document that
    # is not JSON (an error page, a truncated download) or holds no record, or
    # a feed none of whose records yields a rule, raises PolicyError unless
    # +lenient_feeds: true+ (or +strict: false+ in the feed's declaration);
    # skipped records are counted in Engine#feed_report either way.
    # +strict_feeds: true+ fails the compile on any invalid feed record.
    #
    # Raises PolicyError (with +layer+, +line+, +column+) when a layer does not compile.
    def compile(policy = nil, layers: nil, feeds: {}, strict_feeds: false, lenient_feeds: false)
      _compile(layer_sources(policy, layers), feed_sources(feeds), strict_feeds ? true : false,
               lenient_feeds ? true : false)
    end

    # Loads an Engine from a bundle (Engine#to_bytes, or the file written by
    # <tt>package-policy compile</tt> / <tt>rake package_policy:compile</tt>)
    # without compiling again. Releases the GVL for large bundles.
    #
    # Raises BundleError (with +kind+: :foreign, :version, :truncated,
    # :checksum or :corrupt) for bytes that are not a bundle this build reads.
    def load(bytes)
      raise TypeError, "a bundle is a binary String, got #{bytes.class}" unless bytes.is_a?(String)

      _load(bytes)
    end

    # Checks a policy set without keeping an engine, for API surfaces that
    # validate a policy before saving it. Takes what #compile takes.
    #
    # Returns [] when the set compiles, else Hashes with +:message+, +:line+,
    # +:column+ (nil when unknown), +:layer+, +:source+ and +:path+
    # (such as "rules[3].match.versions", or nil). At most +max_errors+ of them
    # (nil: all); when there are more, a last Hash with +kind: :more+ and
    # +more:+ counts the rest.
    def validate(policy = nil, layers: nil, max_errors: DEFAULT_MAX_ERRORS)
      unless max_errors.nil? || (max_errors.is_a?(Integer) && max_errors >= 0)
        raise ArgumentError, "max_errors: must be a non-negative Integer or nil, got #{max_errors.inspect}"
      end

      _validate(layer_sources(policy, layers), max_errors)
    end

    private

    LAYER_KEYS = %i[name source].freeze
    private_constant :LAYER_KEYS

    # [[source name, YAML text], ...] for the native compiler.
    def layer_sources(policy, layers)
      raise ArgumentError, "give a policy or layers:, not both" if policy && layers

      list = policy || layers
      raise ArgumentError, "no policy given: pass YAML text or layers:" if list.nil?

      list = [list] unless list.is_a?(Array)
      list.each_with_index.map { |layer, i| layer_source(layer, i) }
    end

    FEED_DOCUMENT_KEYS = %i[origin text].freeze
    private_constant :FEED_DOCUMENT_KEYS

    # [[feed name, [[origin, text], ...]], ...] for the native compiler.
    def feed_sources(feeds)
      raise TypeError, "feeds: must be a Hash of feed name => data, got #{feeds.class}" unless feeds.is_a?(Hash)

      feeds.map do |name, data|
        docs = (data.is_a?(Array) ? data : [data]).each_with_index.map do |doc, i|
          case doc
          when String then ["#{name}[#{i}]", doc]
          when Hash
            unknown = doc.keys - FEED_DOCUMENT_KEYS
            raise ArgumentError, "unknown feed document key(s) #{unknown.inspect} (known: :origin, :text)" unless unknown.empty?

            [String(doc.fetch(:origin, "#{name}[#{i}]")), String(doc.fetch(:text))]
          else
            raise TypeError, "feed #{name}: a document is a JSON String or { origin:, text: }, got #{doc.class}"
          end
        end
        [String(name), docs]
      end
    end

    def layer_source(layer, index)
      case layer
      when String then ["layer #{index + 1}", layer]
      when Hash
        unknown = layer.keys - LAYER_KEYS
        raise ArgumentError, "unknown layer key(s) #{unknown.inspect} (known: :name, :source)" unless unknown.empty?

        source = layer.fetch(:source) { raise ArgumentError, "layer #{index + 1} has no :source" }
        raise TypeError, "layer source must be a String, got #{source.class}" unless source.is_a?(String)

        [String(layer.fetch(:name, "layer #{index + 1}")), source]
      else
        raise TypeError, "a layer is a YAML String or { name:, source: }, got #{layer.class}"
      end
    end
  end
end
