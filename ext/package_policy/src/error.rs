//! The one place where engine errors become Ruby exceptions. The classes are
//! defined in Ruby (lib/package_policy/errors.rb) and looked up here.

use magnus::{exception::ExceptionClass, prelude::*, Error, RModule, Ruby};

fn class(ruby: &Ruby, name: &str) -> ExceptionClass {
    ruby.class_object()
        .const_get::<_, RModule>("PackagePolicy")
        .and_then(|m| m.const_get::<_, ExceptionClass>(name))
        .unwrap_or_else(|_| ruby.exception_runtime_error())
}

/// `PackagePolicy::PolicyError` with `line`, `column`, `layer` and `path`.
pub fn policy_error(ruby: &Ruby, e: &engine::CompileError) -> Error {
    let exc = class(ruby, "PolicyError");
    let build = || -> Result<magnus::Exception, Error> {
        // PolicyError#initialize(message, details) takes the location as a Hash.
        let details = ruby.hash_new();
        details.aset(ruby.to_symbol("line"), e.line)?;
        details.aset(ruby.to_symbol("column"), e.column)?;
        details.aset(
            ruby.to_symbol("layer"),
            e.layer.clone().unwrap_or_else(|| e.source_name.clone()),
        )?;
        details.aset(ruby.to_symbol("source"), e.source_name.clone())?;
        details.aset(ruby.to_symbol("path"), e.path.clone())?;
        exc.new_instance((e.to_string(), details))
    };
    match build() {
        Ok(obj) => Error::from(obj),
        Err(err) => err,
    }
}

/// `PackagePolicy::RequestError`.
pub fn request_error(ruby: &Ruby, e: &engine::RequestError) -> Error {
    Error::new(class(ruby, "RequestError"), e.to_string())
}
