//! Turns a Rust panic into a `PackagePolicy::Error`.
//!
//! magnus catches panics in `method!`/`function!` too, but raises `fatal`,
//! which terminates the Ruby process; a Rails server must survive instead.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::ExtError;

/// Runs `f`, returning a panic as `ExtError::Panic`. Every native method's
/// body runs inside it. `AssertUnwindSafe` is sound here: after a panic we
/// only read the payload, and the engine is immutable.
pub fn guard<T>(f: impl FnOnce() -> Result<T, ExtError>) -> Result<T, ExtError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(panic_error(payload)))
}

pub fn panic_error(payload: Box<dyn Any + Send>) -> ExtError {
    let message = if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    };
    ExtError::Panic(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_message() {
        let r: Result<(), ExtError> = guard(|| panic!("boom {}", 42));
        assert!(matches!(r, Err(ExtError::Panic(m)) if m == "boom 42"));
    }

    #[test]
    fn a_result_passes_through() {
        assert!(matches!(guard(|| Ok(7)), Ok(7)));
    }
}
