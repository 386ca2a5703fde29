//! Ruby glue for package_policy: converts Ruby values to engine inputs and
//! back. No policy logic here; the only crate of the workspace with `unsafe`.

mod error;
mod helpers;
mod ruby_api;

use magnus::{Error, Ruby};

// Counts the heap each compile, stack and load keeps (Engine#memsize).
#[global_allocator]
static ALLOC: helpers::CountingAlloc = helpers::CountingAlloc;

#[magnus::init(name = "package_policy")]
fn init(ruby: &Ruby) -> Result<(), Error> {
    // SAFETY: called once from Init_package_policy on the main Ruby thread. It
    // declares our methods safe to call from any Ractor: the engine is
    // immutable and Send + Sync, and every wrapped object is frozen.
    unsafe { rb_sys::rb_ext_ractor_safe(true) };
    ruby_api::init(ruby)
}
