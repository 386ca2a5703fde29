# frozen_string_literal: true

# Builds the native extension. With the rb_sys gem, its mkmf helper drives
# cargo; without it (RubyGems may be unreachable), this writes a small
# Makefile that runs cargo itself and installs package_policy.so.

require "mkmf"
require "rbconfig"

begin
  require "rb_sys/mkmf"
  create_rust_makefile("package_policy/package_policy")
rescue LoadError
  abort "cargo not found: install Rust (https://rustup.rs) to build package_policy" unless find_executable("cargo")

  ext_dir = __dir__
  # An explicit CARGO_TARGET_DIR is the caller's (shared, kept); our own is removed after install.
  own_target = ENV["CARGO_TARGET_DIR"].to_s.empty?
  target_dir = own_target ? File.join(ext_dir, "target") : ENV["CARGO_TARGET_DIR"]
  profile = ENV.fetch("PACKAGE_POLICY_PROFILE", "release")
  profile_dir = profile == "dev" ? "debug" : profile
  dlext = RbConfig::CONFIG["DLEXT"]

  File.write("Makefile", <<~MAKE)
    RUBY = #{RbConfig.ruby}
    TARGET_DIR = #{target_dir}
    sitearchdir = #{RbConfig::CONFIG["sitearchdir"]}
    DESTDIR =

    all: package_policy.#{dlext}

    package_policy.#{dlext}:
    \tcd #{ext_dir} && RUBY=$(RUBY) cargo build --profile #{profile} --locked -p package-policy-ext --target-dir $(TARGET_DIR)
    \tcp $(TARGET_DIR)/#{profile_dir}/libpackage_policy.so package_policy.#{dlext}

    install: package_policy.#{dlext}
    \tmkdir -p $(DESTDIR)$(sitearchdir)/package_policy
    \tcp package_policy.#{dlext} $(DESTDIR)$(sitearchdir)/package_policy/
    #{own_target ? "\trm -rf $(TARGET_DIR)" : "\t@true"}

    clean:
    \trm -f package_policy.#{dlext}

    .PHONY: all install clean
  MAKE
end
