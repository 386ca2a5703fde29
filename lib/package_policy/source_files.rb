# frozen_string_literal: true

module PackagePolicy
  # Policy files read for the loaders (FileLayers, TreeLayers), each kept as
  # one frozen String until the file changes (modification time, size,
  # inode), so that a big instance layer shared by thousands of projects is
  # read and digested once (EngineCache remembers a frozen source's digest).
  module SourceFiles
    @files = {} # path => [stat key, frozen source]
    @lock = Mutex.new

    class << self
      # The stat key FileLayers and TreeLayers fingerprint a file with.
      def key(path)
        st = File.stat(path)
        [path, st.mtime.tv_sec, st.mtime.tv_nsec, st.size, st.ino]
      end

      # The file's text as a frozen UTF-8 String; the same object while the
      # file is unchanged.
      def read(path)
        stat = key(path)
        known = @lock.synchronize { @files[path] }
        return known[1] if known && known[0] == stat

        source = File.read(path, encoding: Encoding::UTF_8).freeze
        @lock.synchronize { @files[path] = [stat, source].freeze }
        source
      end
    end
  end
end
