# frozen_string_literal: true

# The extension under valgrind's memcheck. Ruby itself is noisy under valgrind
# (its conservative GC scans uninitialised stack; it frees little at exit), so
# the task attributes each report: an access error counts when its innermost
# frame is in package_policy.so; a leak counts when any frame of the
# allocation stack is in package_policy.so. Those must be zero.
#
#   rake memcheck                      # core specs (tag :core)
#   MEMCHECK_SPECS="spec/x_spec.rb" rake memcheck

require "rexml/document"

OUR_OBJECT = %r{/package_policy\.so\z}

desc "Run the core specs under valgrind memcheck; fail on errors attributable to the extension"
task memcheck: :compile do
  abort "memcheck needs valgrind (apt-get install valgrind)" unless system("command -v valgrind >/dev/null")
  mkdir_p "tmp"
  xml = "tmp/memcheck.xml"
  specs = ENV.fetch("MEMCHECK_SPECS", "--tag core").split
  sh "valgrind", "--xml=yes", "--xml-file=#{xml}", "--leak-check=full", "--show-leak-kinds=definite",
     "--num-callers=50", "--error-limit=no", "--max-stackframe=10000000",
     RbConfig.ruby, "-Ilib", "-S", "rspec", *specs

  doc = REXML::Document.new(File.read(xml))
  total = 0
  ours = []
  doc.elements.each("valgrindoutput/error") do |error|
    total += 1
    kind = error.elements["kind"].text
    frames = error.elements.to_a("stack[1]/frame")
    objs = frames.map { |f| f.elements["obj"]&.text.to_s }
    attributed = kind.start_with?("Leak_") ? objs.any? { |o| o.match?(OUR_OBJECT) } : objs.first.to_s.match?(OUR_OBJECT)
    next unless attributed

    what = error.elements["what"]&.text || error.elements["xwhat/text"]&.text
    where = frames.first(8).map { |f| f.elements["fn"]&.text || f.elements["obj"]&.text }.join(" < ")
    ours << "#{kind}: #{what}\n    #{where}"
  end
  puts "memcheck: #{total} valgrind reports in all, #{ours.size} attributable to package_policy.so"
  abort "memcheck failed:\n#{ours.join("\n")}" unless ours.empty?
end
