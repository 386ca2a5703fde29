# frozen_string_literal: true

module PackagePolicy
  # A compiled, immutable policy set (defined in the extension; built by
  # PackagePolicy.compile). Frozen and Ractor-shareable: share one engine
  # across all threads.
  #
  # #feed_report (native) tells what the feeds contributed: a frozen
  # <tt>{ feeds: [{ name:, documents:, records:, rules:, fixes:, withdrawn:, superseded:,
  # skipped:, reasons: { not_json: 1, ... } }], issues: ["file:line: id: ..."] }</tt>.
  class Engine
    # Decides one request, given as a package URL, as keywords, or as a
    # request Hash (as in #evaluate_many; Symbol or String keys):
    #
    #   engine.evaluate("pkg:npm/%40acme/web@1.2.3")
    #   engine.evaluate("pkg:npm/left-pad@1.3.0", license: "MIT", project: "acme/web")
    #   engine.evaluate(ecosystem: "pypi", name: "Django", version: "4.2.1",
    #                   license: "BSD-3-Clause", published_at: Time.now - 3600,
    #                   project: "acme/web", attributes: { "internal" => true })
    #   engine.evaluate({ "purl" => "pkg:npm/left-pad@1.3.0", "project" => "acme/web" })
    #
    # The keys are :purl, or :ecosystem, :name and optionally :version; then
    # :license, :published_at, :project, :attributes, :provenance and
    # :previous_provenance (Hashes of :attested, :trusted_publisher,
    # :publisher, :issuer, :repository, :workflow, :predicate_type; see
    # docs/policy.md, "Provenance"). +published_at+ and
    # +now+ take a Time or an RFC 3339 String; +now+ defaults to the system
    # clock. +attributes+ values are compared with their type (true is not
    # "true"). An unknown key, a key given twice, or keywords beside a Hash
    # (other than +now:+) raise ArgumentError.
    #
    # Returns a frozen Decision; raises RequestError when the request cannot
    # be evaluated (never a silent allow).
    def evaluate(request = nil, now: nil, **fields)
      case request
      when String
        # The hot path: a bare purl needs no field conversion.
        return _evaluate_purl(request, now) if fields.empty?

        _evaluate_request(request, fields, now)
      when nil then _evaluate_request(nil, fields, now)
      when Hash
        unless fields.empty?
          raise ArgumentError, "give a request Hash or keywords, not both (#{fields.keys.inspect} beside a Hash)"
        end

        _evaluate_request(nil, request, now)
      else
        raise TypeError, "a request is a purl String, a Hash or keywords, got #{request.class}"
      end
    end

    # Decides many requests at once: an Array of purl Strings and/or request
    # Hashes (keys :purl, or :ecosystem, :name and optionally :version,
    # :license, :published_at, :project, :attributes; Symbols or Strings).
    # All requests are converted first, then evaluated with the GVL released,
    # so other threads run meanwhile. Returns the Decisions in input order.
    #
    # Raises RequestError for the first request that cannot be evaluated
    # (its +index+ says which), ArgumentError for an unknown key.
    def evaluate_many(requests, now: nil)
      requests = requests.to_ary unless requests.is_a?(Array)
      _evaluate_many(requests, now)
    end

    # Resolution mode: the Decision for each published version of one
    # package, as if each were evaluated alone (the engine sweeps the version
    # intervals once). Returns a Hash of version String => Decision, in the
    # order given, so a proxy can drop denied versions from a metadata document:
    #
    #   engine.versions(ecosystem: "npm", name: "lodash", versions: %w[4.17.20 4.17.21])
    #         .reject { |_, d| d.deny? }.keys
    #
    # Takes the facts #evaluate takes. The GVL is released while it works.
    # Raises RequestError for a bad package or a version that does not parse
    # (its +index+ says which).
    def versions(ecosystem:, name:, versions:, license: nil, published_at: nil, project: nil,
                 attributes: nil, now: nil)
      versions = versions.to_ary unless versions.is_a?(Array)
      _versions(ecosystem, name, versions, license, published_at, project, attributes, now)
    end

    # The newest of +versions+ in the client's +range+ (the ecosystem's
    # native syntax: npm "^4.17.0", PyPI ">=4.2,<5", Maven "[1.0,2.0)",
    # RubyGems "~> 7.1", Go ">=v1.2.0", NuGet "[13.0,14.0)", Cargo "^1.0")
    # that the policy serves (allow or warn), with the Decision of each newer
    # in-range version it refused:
    #
    #   r = engine.resolve(ecosystem: "npm", name: "lodash", range: "^4.17.0",
    #                      versions: %w[4.17.20 4.17.21 4.17.22])
    #   r.version                 # => "4.17.21"
    #   r.refused.map(&:version)  # => ["4.17.22"]
    #
    # Takes the request facts #evaluate takes (license:, published_at:,
    # provenance:, ...; not version:). Versions that do not parse are in
    # +invalid+ and never chosen. Returns a frozen Resolution; raises
    # RequestError for a bad package, facts or range.
    def resolve(ecosystem:, name:, range:, versions:, now: nil, **facts)
      versions = versions.to_ary unless versions.is_a?(Array)
      version, decision, refused, invalid =
        _resolve(facts.merge(ecosystem: ecosystem, name: name), range, versions, now)
      Resolution.new(
        version: version&.freeze,
        decision: decision,
        refused: refused.map { |v, d| Resolution::Refusal.new(version: v.freeze, decision: d) }.freeze,
        invalid: invalid.map { |v, k, m| Resolution::InvalidVersion.new(version: v.freeze, kind: k, message: m.freeze) }
                        .freeze
      )
    end

    # A new Engine whose policy set is this engine's layers followed by the
    # given ones (inner: a group's on the instance's, a project's on its
    # group's). Takes what PackagePolicy.compile takes. This engine's compiled
    # layers are shared, not copied, so stacking costs what the new layers
    # cost; the result decides, and has the digest, exactly as compiling all
    # the layers flat. Feeds given here must be declared by the new layers.
    #
    #   instance = PackagePolicy.load(File.binread("instance.bundle"))
    #   group    = instance.stack(group_yaml)
    #   project  = group.stack(layers: [{ name: "web.yaml", source: web_yaml }])
    #
    # Raises PolicyError as PackagePolicy.compile does (a layer name already
    # used by an outer layer is a :duplicate error).
    def stack(policy = nil, layers: nil, feeds: {}, strict_feeds: false, lenient_feeds: false)
      _stack(PackagePolicy.__send__(:layer_sources, policy, layers),
             PackagePolicy.__send__(:feed_sources, feeds), strict_feeds ? true : false,
             lenient_feeds ? true : false)
    end

    # Also, from the extension: +to_bytes+ (a bundle, see PackagePolicy.load),
    # +depth+ (levels: 1 + the stack calls that built it), +layer_count+,
    # +rule_count+, +digest+, and +memsize+ / +own_memsize+: the bytes of Rust
    # heap the engine holds, each shared outer level counted once, and its own
    # level's (what its compile, stack or load kept, measured by a counting
    # allocator around the call).

    # "#<PackagePolicy::Engine rules=N digest=abcdef012345…>"
    def inspect
      "#<PackagePolicy::Engine rules=#{rule_count} digest=#{digest[0, 12]}…>"
    end
  end
end
