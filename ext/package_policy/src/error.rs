//! The one place where Rust errors become Ruby exceptions. The exception
//! classes are defined in Ruby (lib/package_policy/errors.rb) and looked up here.

use magnus::{
    error::IntoError, exception::ExceptionClass, prelude::*, Error, RHash, RModule, Ruby,
};

/// Everything a native method can fail with.
#[derive(Debug)]
pub enum ExtError {
    /// A policy set that does not compile → `PackagePolicy::PolicyError`.
    Compile(engine::CompileError),
    /// A request that cannot be evaluated → `PackagePolicy::RequestError`.
    /// `index` is the position in an `evaluate_many` batch.
    Request {
        kind: engine::RequestErrorKind,
        field: String,
        message: String,
        index: Option<usize>,
    },
    /// Bytes that are not a loadable bundle → `PackagePolicy::BundleError`.
    Bundle(engine::LoadError),
    /// A misuse of the API (unknown request key...) → `ArgumentError`.
    Argument(String),
    /// A value of the wrong Ruby type → `TypeError`.
    Type(String),
    /// A Rust panic caught at the boundary → `PackagePolicy::Error`.
    Panic(String),
    /// An exception Ruby already raised while we called into it.
    Ruby(Error),
}

impl ExtError {
    pub fn request(
        kind: engine::RequestErrorKind,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        ExtError::Request {
            kind,
            field: field.to_owned(),
            message: message.into(),
            index: None,
        }
    }

    /// Tags a request error with its position in a batch.
    pub fn at_index(self, i: usize) -> Self {
        match self {
            ExtError::Request {
                kind,
                field,
                message,
                ..
            } => ExtError::Request {
                kind,
                field,
                message,
                index: Some(i),
            },
            other => other,
        }
    }
}

impl From<engine::CompileError> for ExtError {
    fn from(e: engine::CompileError) -> Self {
        ExtError::Compile(e)
    }
}

impl From<engine::RequestError> for ExtError {
    fn from(e: engine::RequestError) -> Self {
        ExtError::Request {
            kind: e.kind,
            field: e.field.to_owned(),
            message: e.message,
            index: None,
        }
    }
}

impl From<engine::LoadError> for ExtError {
    fn from(e: engine::LoadError) -> Self {
        ExtError::Bundle(e)
    }
}

impl From<Error> for ExtError {
    fn from(e: Error) -> Self {
        ExtError::Ruby(e)
    }
}

fn class(ruby: &Ruby, name: &str) -> ExceptionClass {
    ruby.class_object()
        .const_get::<_, RModule>("PackagePolicy")
        .and_then(|m| m.const_get::<_, ExceptionClass>(name))
        .unwrap_or_else(|_| ruby.exception_runtime_error())
}

fn raise_with(ruby: &Ruby, class_name: &str, message: String, details: RHash) -> Error {
    match class(ruby, class_name).new_instance((message, details)) {
        Ok(exc) => Error::from(exc),
        Err(e) => e,
    }
}

impl IntoError for ExtError {
    fn into_error(self, ruby: &Ruby) -> Error {
        match self {
            ExtError::Compile(e) => match compile_error_details(ruby, &e) {
                Ok(details) => raise_with(ruby, "PolicyError", e.to_string(), details),
                Err(err) => err,
            },
            ExtError::Request {
                kind,
                field,
                message,
                index,
            } => {
                let details = ruby.hash_new();
                let text = match index {
                    Some(i) => format!("requests[{i}].{field}: {message}"),
                    None => format!("{field}: {message}"),
                };
                let built = details
                    .aset(ruby.to_symbol("field"), ruby.to_symbol(&field))
                    .and_then(|()| details.aset(ruby.to_symbol("index"), index))
                    .and_then(|()| {
                        details.aset(ruby.to_symbol("kind"), ruby.to_symbol(kind.as_str()))
                    });
                match built {
                    Ok(()) => raise_with(ruby, "RequestError", text, details),
                    Err(err) => err,
                }
            }
            ExtError::Bundle(e) => {
                let details = ruby.hash_new();
                match details.aset(ruby.to_symbol("kind"), ruby.to_symbol(e.kind.as_str())) {
                    Ok(()) => raise_with(ruby, "BundleError", e.to_string(), details),
                    Err(err) => err,
                }
            }
            ExtError::Argument(m) => Error::new(ruby.exception_arg_error(), m),
            ExtError::Type(m) => Error::new(ruby.exception_type_error(), m),
            ExtError::Panic(m) => Error::new(
                class(ruby, "Error"),
                format!("internal error in package_policy (a Rust panic, please report it): {m}"),
            ),
            ExtError::Ruby(e) => e,
        }
    }
}

/// A compile error as the Hash that `PolicyError#initialize` and
/// `PackagePolicy.validate` use: message, line, column, layer, source, path, kind.
pub fn compile_error_details(ruby: &Ruby, e: &engine::CompileError) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    h.aset(ruby.to_symbol("message"), e.message.as_str())?;
    h.aset(ruby.to_symbol("line"), e.line)?;
    h.aset(ruby.to_symbol("column"), e.column)?;
    h.aset(
        ruby.to_symbol("layer"),
        e.layer.as_deref().unwrap_or(&e.source_name),
    )?;
    h.aset(ruby.to_symbol("source"), e.source_name.as_str())?;
    h.aset(ruby.to_symbol("path"), e.path.as_deref())?;
    h.aset(ruby.to_symbol("kind"), ruby.to_symbol(e.kind.as_str()))?;
    Ok(h)
}

/// `PolicyError::KINDS`, `RequestError::KINDS` and `BundleError::KINDS`: every `kind` Symbol, as
/// the core names them.
pub fn define_kinds(ruby: &Ruby) -> Result<(), Error> {
    let compile = ruby.ary_from_iter(
        engine::CompileErrorKind::ALL
            .iter()
            .map(|k| ruby.to_symbol(k.as_str())),
    );
    let request = ruby.ary_from_iter(
        engine::RequestErrorKind::ALL
            .iter()
            .map(|k| ruby.to_symbol(k.as_str())),
    );
    let bundle = ruby.ary_from_iter(
        engine::LoadErrorKind::ALL
            .iter()
            .map(|k| ruby.to_symbol(k.as_str())),
    );
    compile.freeze();
    request.freeze();
    bundle.freeze();
    class(ruby, "BundleError").const_set("KINDS", bundle)?;
    class(ruby, "PolicyError").const_set("KINDS", compile)?;
    class(ruby, "RequestError").const_set("KINDS", request)?;
    Ok(())
}
