# frozen_string_literal: true

require_relative "engine_cache"
require_relative "file_layers"
require_relative "instrumentation"

module PackagePolicy
  # A policy that follows its sources without a restart. Each call finds the
  # engine for a project: at most every +check_interval+ seconds it asks the
  # loader whether the sources changed and, when their digest did, compiles
  # them (through an EngineCache, so identical sets share one engine) and swaps
  # the new engine in. Calls in flight keep the engine they started with; the
  # engine an evaluation sees is always a complete, compiled one.
  #
  # A change that does not compile (or a file that disappears) is reported via
  # "reload_error.package_policy" and the last good engine stays in force; only
  # the very first load raises.
  #
  # The loader is a FileLayers or any callable `loader.call(project)` returning
  # layer sources (Strings or { name:, source: }). A loader that also answers
  # `fingerprint(project)` is read only when the fingerprint changes; one that
  # answers `shared?` with true gives every project the same layers (the
  # project then remains a request fact only).
  #
  #   policy = PackagePolicy::LivePolicy.new(PackagePolicy::FileLayers.new(%w[instance.yml acme.yml]))
  #   policy.evaluate(ecosystem: "npm", name: "left-pad", version: "1.3.0")
  #   policy.allowed_versions(ecosystem: "npm", name: "node-ipc", versions: %w[9.2.1 10.1.1])
  class LivePolicy
    # What a project last loaded. Frozen; replaced whole, never changed.
    State = Struct.new(:entry, :fingerprint, :checked_at, :error, keyword_init: true) do
      def initialize(...)
        super
        freeze
      end
    end

    # Why a project's changed sources were not swapped in, and their digest
    # (nil when they could not be read).
    ReloadError = Struct.new(:error, :digest, keyword_init: true) do
      def initialize(...)
        super
        freeze
      end

      def message = error.message
    end

    attr_reader :loader, :cache, :check_interval, :instrumentation

    # +check_interval+: seconds between source checks for a project (0 checks on every call).
    # +notifier+: ActiveSupport::Notifications or anything with its #instrument.
    # +max_projects+: how many projects' states to keep (the longest unchecked goes first).
    def initialize(loader, check_interval: 2.0, cache: EngineCache.new, notifier: nil,
                   max_projects: 1024, clock: -> { Process.clock_gettime(Process::CLOCK_MONOTONIC) })
      raise ArgumentError, "the loader must respond to #call(project)" unless loader.respond_to?(:call)

      @loader = loader
      @shared = loader.respond_to?(:shared?) && loader.shared?
      @check_interval = Float(check_interval)
      @cache = cache
      @instrumentation = Instrumentation.new(notifier)
      @max_projects = max_projects
      @clock = clock
      @states = {} # project => State, least recently checked first
      @states_lock = Mutex.new
      @refresh_lock = Mutex.new # one refresh at a time; others keep using the engine they have
    end

    # The current EngineCache::Entry (engine, digest, layer_names) for a project.
    def current(project = nil)
      project = nil if @shared
      state = read_state(project)
      return state.entry if state && fresh?(state)

      refresh(project, state)
    end

    def engine(project = nil) = current(project).engine
    def digest(project = nil) = current(project).digest

    # Checks the sources now, whatever the interval. Returns the current entry.
    def reload!(project = nil)
      project = nil if @shared
      @refresh_lock.synchronize { load_state(project, read_state(project)).entry }
    end

    # Loads every given project now: call before forking (Puma's preload_app!)
    # so that workers share the compiled engines copy-on-write.
    def preload(projects = [nil])
      projects.map { |project| current(project) }
    end

    # Why the project's latest sources are not in force (a ReloadError), or nil.
    def last_error(project = nil) = read_state(@shared ? nil : project)&.error

    # Evaluates one request against the project's policy. Takes what
    # Engine#evaluate takes: a purl String (with facts as keywords), a
    # request Hash (Symbol or String keys) or keywords, and +now:+.
    #
    # +project+ picks the project's layers and is the request's project fact:
    # give it as the keyword or in the request (:project or "project"); both
    # at once must agree, else ArgumentError.
    def evaluate(request = nil, project: nil, now: nil, **fields)
      request, project, fields = with_project(request, project, fields)
      entry = current(project)
      wire = request.is_a?(Hash) ? request : fields_request(request, fields)
      @instrumentation.evaluate(entry, wire, project: project, now: now) do
        entry.engine.evaluate(request, now: now, **fields)
      end
    end

    # Resolution mode: { version => Decision } for one package's versions, in
    # the order given (Engine#versions through the project's engine).
    def versions(ecosystem:, name:, versions:, project: nil, **facts)
      entry = current(project)
      facts = facts.merge(project: project) if project && !facts.key?(:project)
      @instrumentation.versions(entry, ecosystem: ecosystem, name: name, project: project) do
        entry.engine.versions(ecosystem: ecosystem, name: name, versions: versions, **facts)
      end
    end

    # Engine#resolve through the project's engine: the newest version in
    # +range+ the policy serves, and why the newer ones were refused.
    def resolve(ecosystem:, name:, range:, versions:, project: nil, **facts)
      entry = current(project)
      facts = facts.merge(project: project) if project && !facts.key?(:project)
      @instrumentation.versions(entry, ecosystem: ecosystem, name: name, project: project) do
        entry.engine.resolve(ecosystem: ecosystem, name: name, range: range, versions: versions, **facts)
      end
    end

    # The versions a client may see: every version not denied, in the order given.
    def allowed_versions(...)
      versions(...).reject { |_, decision| decision.deny? }.keys
    end

    private

    def fresh?(state) = @clock.call - state.checked_at < @check_interval

    def refresh(project, state)
      if state
        return state.entry unless @refresh_lock.try_lock # someone is refreshing: serve what we have
      else
        @refresh_lock.lock # nothing to serve yet: wait
      end
      begin
        state = read_state(project) # another thread may have refreshed meanwhile
        state && fresh?(state) ? state.entry : load_state(project, state).entry
      ensure
        @refresh_lock.unlock
      end
    end

    # Must hold @refresh_lock.
    def load_state(project, state)
      fingerprint = @loader.fingerprint(project) if @loader.respond_to?(:fingerprint)
      if state && !fingerprint.nil? && fingerprint == state.fingerprint
        return write_state(project, state.entry, fingerprint, state.error)
      end

      layers = EngineCache.normalize(@loader.call(project))
      digest = EngineCache.digest(layers)
      # Sources that failed before are not compiled (nor reported) again until they change.
      return write_state(project, state.entry, fingerprint, state.error) if state&.error&.digest == digest

      entry = @cache.fetch(layers)
      @instrumentation.reloaded(project, entry, state&.entry) if state && entry.digest != state.entry.digest
      write_state(project, entry, fingerprint, nil)
    rescue PackagePolicy::Error, SystemCallError, ArgumentError => e
      raise unless state

      @instrumentation.reload_failed(project, e, state.entry)
      write_state(project, state.entry, fingerprint, ReloadError.new(error: e, digest: digest))
    end

    # Every check rewrites a project's state, so insertion order is the order of
    # last checks: eviction drops the projects that went longest unchecked.
    def read_state(project)
      @states_lock.synchronize { @states[project] }
    end

    def write_state(project, entry, fingerprint, error)
      state = State.new(entry: entry, fingerprint: fingerprint, checked_at: @clock.call, error: error)
      @states_lock.synchronize do
        @states.delete(project)
        @states[project] = state
        @states.delete(@states.first.first) while @states.size > @max_projects
      end
      state
    end

    PROJECT_KEYS = [:project, "project"].freeze
    private_constant :PROJECT_KEYS

    # The project from the keyword or from the request (a Hash, or the
    # keywords), and the request carrying it as its project fact.
    def with_project(request, project, fields)
      carrier = request.is_a?(Hash) ? request : fields
      key = PROJECT_KEYS.find { |k| carrier.key?(k) }
      if key
        given = carrier[key]
        unless project.nil? || given.nil? || project == given
          raise ArgumentError, "project: #{project.inspect} and the request's project #{given.inspect} differ"
        end

        return [request, project || given, fields]
      end
      return [request, nil, fields] if project.nil?
      return [request.merge(project: project), project, fields] if request.is_a?(Hash)

      [request, project, fields.merge(project: project)]
    end

    # The request as a Hash for notifications (a bare purl stays a String).
    def fields_request(purl, fields)
      return purl if fields.empty?

      purl.nil? ? fields : { purl: purl }.merge(fields)
    end
  end
end
