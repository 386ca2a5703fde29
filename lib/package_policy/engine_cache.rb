# frozen_string_literal: true

# digest/sha2 eagerly: Digest::SHA256 autoloaded from several threads at once races
# ("Digest::Base cannot be directly inherited").
require "digest/sha2"

module PackagePolicy
  # Compiled engines keyed by the digest of their layer sources, so that
  # projects sharing a policy set share one engine and an unchanged source is
  # never compiled twice. Bounded (least recently used goes first) and safe to
  # share across threads.
  #
  # Policy trees: with the default compiler, every prefix of a policy set
  # (instance; instance + group; instance + group + project) is an entry of
  # its own, keyed by the digest of that prefix, and a set is built by
  # stacking its remaining layers on the longest cached prefix
  # (Engine#stack). Every project of a group shares the group's compiled
  # prefix, which is compiled once; a project costs only its own layer.
  #
  #   cache = PackagePolicy::EngineCache.new(max_entries: 16)
  #   entry = cache.fetch([{ name: "instance.yml", source: yaml }])
  #   entry.engine.evaluate("pkg:npm/left-pad@1.3.0")
  #   entry.digest # => "sha256:…"
  class EngineCache
    # One compiled policy set: the engine, the digest of its sources, the
    # names the layers were given and the bytes it adds to the cache (its own
    # level's heap when stacked on a cached prefix). Frozen.
    Entry = Struct.new(:digest, :engine, :layer_names, :bytes, keyword_init: true) do
      def initialize(...)
        super
        freeze
      end
    end

    DIGEST_PREFIX = "sha256:"

    # The digest of a policy set: a chain over its layers, each link the
    # SHA-256 of the previous link and of the layer's own digest (SHA-256 of
    # its name and source, length-prefixed), so that no two different sets
    # share an input and every prefix of a set has its digest on the way.
    def self.digest(layers)
      prefix_digests(normalize(layers)).last || DIGEST_PREFIX + Digest::SHA256.hexdigest(CHAIN_SEED)
    end

    # The digest of every prefix of normalized +layers+, shortest first.
    # A layer's own digest is remembered for a frozen source String (by
    # identity), so a 10 MB instance layer is hashed once, not per project.
    def self.prefix_digests(layers)
      link = Digest::SHA256.digest(CHAIN_SEED)
      layers.map do |layer|
        link = Digest::SHA256.digest(link + layer_digest(layer))
        DIGEST_PREFIX + link.unpack1("H*")
      end
    end

    CHAIN_SEED = "package_policy layers v2\n"
    LAYER_DIGESTS = ObjectSpace::WeakMap.new # frozen source String => [name, digest]
    LAYER_DIGESTS_LOCK = Mutex.new
    private_constant :CHAIN_SEED, :LAYER_DIGESTS, :LAYER_DIGESTS_LOCK

    def self.layer_digest(layer)
      name, source = layer.values_at(:name, :source)
      known = LAYER_DIGESTS_LOCK.synchronize { LAYER_DIGESTS[source] } if source.frozen?
      return known[1] if known && known[0] == name

      sha = Digest::SHA256.new
      [name, source].each { |s| sha << "#{s.bytesize}:" << s << "\n" }
      digest = sha.digest
      LAYER_DIGESTS_LOCK.synchronize { LAYER_DIGESTS[source] = [name, digest].freeze } if source.frozen?
      digest
    end
    private_class_method :layer_digest

    # Strings become { name: "layer N", source: }; Hashes must carry :source.
    # Returns frozen Hashes with frozen String values (a frozen source is
    # kept as it is: its digest is remembered; an unfrozen one is copied).
    def self.normalize(layers)
      Array(layers).each_with_index.map do |layer, i|
        name, source =
          case layer
          when String then ["layer #{i + 1}", layer]
          when Hash
            source = layer.fetch(:source) { raise ArgumentError, "layer #{i + 1}: a Hash layer needs :source" }
            [String(layer.fetch(:name, "layer #{i + 1}")), source]
          else raise ArgumentError, "layer #{i + 1}: expected a String or { name:, source: }, got #{layer.class}"
          end
        raise ArgumentError, "layer #{i + 1} (#{name}): source must be a String" unless source.is_a?(String)

        { name: -name, source: source.frozen? ? source : source.dup.freeze }.freeze
      end.freeze
    end

    # Compiles normalized layers with the gem's API.
    DEFAULT_COMPILER = ->(layers) { PackagePolicy.compile(layers: layers) }

    attr_reader :max_entries, :max_bytes

    # +max_entries+ bounds the entries kept (each prefix of a tree is one);
    # +max_bytes+ (optional) bounds the Rust heap they hold, counting a
    # prefix shared by many entries once (Engine#memsize, #own_memsize).
    # The least recently used entries go first; the newest always stays.
    # An evicted prefix's memory lives on while cached engines stack on it.
    # A custom +compiler+ (called with the whole normalized set) turns off
    # prefix stacking.
    def initialize(max_entries: 16, max_bytes: nil, compiler: DEFAULT_COMPILER)
      raise ArgumentError, "max_entries must be positive" unless max_entries.positive?
      raise ArgumentError, "max_bytes must be positive" unless max_bytes.nil? || max_bytes.positive?

      @max_entries = max_entries
      @max_bytes = max_bytes
      @bytes = 0
      @compiler = compiler
      @tree = compiler.equal?(DEFAULT_COMPILER)
      @builds = Hash.new(0) # layer name => times a level holding it was compiled
      @entries = {} # digest => Entry, least recently used first
      @lock = Mutex.new
      @compile_lock = Mutex.new # one compile at a time: a cold start does not compile twice
    end

    # The entry for these layers, compiling them on a miss.
    # Raises PackagePolicy::PolicyError when they do not compile (nothing is cached).
    def fetch(layers)
      layers = self.class.normalize(layers)
      return fetch_tree(layers) if @tree && layers.size > 1

      digest = self.class.digest(layers)
      hit(digest) || @compile_lock.synchronize do
        hit(digest) || build(layers, digest, nil)
      end
    end

    # Caches +engine+ as the compiled form of +layers+ without compiling them:
    # a bundle loaded at boot (PackagePolicy.load) for the instance's layers,
    # which every tree then stacks on. The caller vouches that the engine was
    # compiled from exactly these sources (the Railtie checks the digest
    # written beside the bundle); the layer counts must agree.
    def seed(layers, engine)
      layers = self.class.normalize(layers)
      unless engine.is_a?(Engine) && engine.layer_count == layers.size
        raise ArgumentError, "the engine does not hold these #{layers.size} layers"
      end

      store(Entry.new(digest: self.class.digest(layers), engine: engine,
                      layer_names: layers.map { |l| l[:name] }.freeze, bytes: bytes_of(engine, nil)))
    end

    # How many times a level holding the named layer was compiled by this
    # cache (a shared group layer: once, however many projects stack on it).
    def build_count(layer_name)
      @lock.synchronize { @builds[layer_name] }
    end

    # The cached entry for a digest, or nil. Does not compile.
    def [](digest)
      hit(digest)
    end

    def size
      @lock.synchronize { @entries.size }
    end

    # Bytes the cached entries hold (see +max_bytes+).
    def bytesize
      @lock.synchronize { @bytes }
    end

    def digests
      @lock.synchronize { @entries.keys }
    end

    def clear
      @lock.synchronize do
        @entries.clear
        @bytes = 0
      end
    end

    private

    def fetch_tree(layers)
      digests = self.class.prefix_digests(layers)
      hit(digests.last) || @compile_lock.synchronize do
        # The longest prefix cached, then each further layer stacked on it.
        known = digests.size.downto(1).find { |n| hit(digests[n - 1]) }
        entry = known && hit(digests[known - 1])
        ((known || 0)...layers.size).each do |i|
          entry = build(layers[0..i], digests[i], entry)
        end
        entry
      end
    end

    # Compiles +layers+, or stacks its last layer on +base+ (an Entry of the
    # layers before it); caches and returns the entry. Hold @compile_lock.
    def build(layers, digest, base)
      engine = base ? base.engine.stack(layers: [layers.last]) : @compiler.call(layers)
      @lock.synchronize { (base ? [layers.last] : layers).each { |l| @builds[l[:name]] += 1 } }
      store(Entry.new(digest: digest, engine: engine, layer_names: layers.map { |l| l[:name] }.freeze,
                      bytes: bytes_of(engine, base)))
    end

    # What an engine adds: its own level when stacked on a cached prefix. A
    # custom compiler's engines may not answer #memsize (counted as 0).
    def bytes_of(engine, base)
      return 0 unless engine.respond_to?(:memsize)

      base ? engine.own_memsize : engine.memsize
    end

    def hit(digest)
      @lock.synchronize do
        entry = @entries.delete(digest)
        @entries[digest] = entry if entry
        entry
      end
    end

    def store(entry)
      @lock.synchronize do
        old = @entries.delete(entry.digest)
        @bytes -= old.bytes if old
        @entries[entry.digest] = entry
        @bytes += entry.bytes
        evict_one while @entries.size > @max_entries || (@max_bytes && @bytes > @max_bytes && @entries.size > 1)
      end
      entry
    end

    def evict_one
      _, evicted = @entries.shift
      @bytes -= evicted.bytes
    end
  end
end
