//! Runs Rust code with the GVL released (magnus does not wrap this).

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use magnus::rb_sys::protect;

use super::guard::panic_error;
use crate::error::ExtError;

struct Call<F, R> {
    func: Option<F>,
    result: Option<std::thread::Result<R>>,
}

unsafe extern "C" fn trampoline<F: FnOnce() -> R, R>(data: *mut c_void) -> *mut c_void {
    // SAFETY: `data` is the `&mut Call<F, R>` that `nogvl` passed in; it
    // outlives this call and nothing else touches it meanwhile.
    let call = unsafe { &mut *data.cast::<Call<F, R>>() };
    if let Some(func) = call.func.take() {
        // A panic must not unwind into Ruby's C frames.
        call.result = Some(catch_unwind(AssertUnwindSafe(func)));
    }
    ptr::null_mut()
}

/// Runs `func` without the GVL so other Ruby threads proceed meanwhile.
///
/// `func` must not touch Ruby objects: convert inputs to owned Rust data
/// first and build Ruby values after. No unblocking function is given, so a
/// `Thread#kill` waits until the batch is done (batches are CPU-bound and short).
pub fn nogvl<F: FnOnce() -> R, R>(func: F) -> Result<R, ExtError> {
    let mut call = Call {
        func: Some(func),
        result: None,
    };
    let data = ptr::addr_of_mut!(call).cast::<c_void>();
    // rb_thread_call_without_gvl first handles pending interrupts, which may
    // raise (a longjmp); `protect` stops that at this frame and returns it.
    protect(|| {
        // SAFETY: `trampoline::<F, R>` matches the type behind `data`, which
        // lives on this stack frame until the call returns; the trampoline
        // never calls Ruby and never unwinds (catch_unwind above).
        unsafe {
            rb_sys::rb_thread_call_without_gvl(
                Some(trampoline::<F, R>),
                data,
                None,
                ptr::null_mut(),
            );
        }
        rb_sys::Qnil.into()
    })?;
    match call.result {
        Some(Ok(r)) => Ok(r),
        Some(Err(payload)) => Err(panic_error(payload)),
        None => Err(ExtError::Panic(
            "the batch did not run (interrupted before it started)".to_owned(),
        )),
    }
}
