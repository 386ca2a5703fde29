//! The heap a call leaves allocated: a counting wrapper around the system
//! allocator, armed per thread around a compile, stack or load. Engine#memsize
//! reports that figure (the bytes the new engine's own level holds), measured
//! rather than estimated by walking the compiled structures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct CountingAlloc;

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static NET: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    // `try_with`: never panic in the allocator, even while a thread exits.
    let _ = ARMED.try_with(|armed| {
        if armed.get() {
            let _ = NET.try_with(|net| net.set(net.get().saturating_add(delta)));
        }
    });
}

fn signed(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

// SAFETY: every call is forwarded to `System` with the caller's arguments;
// the counting touches only const-initialized thread-locals (no allocation).
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            track(signed(layout.size()));
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            track(signed(layout.size()));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator (so by `System`) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        track(-signed(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; `new_size` is checked by the caller.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            track(signed(new_size) - signed(layout.size()));
        }
        p
    }
}

/// Runs `f` and returns what it returned with the bytes of Rust heap it left
/// allocated on this thread (0 when it freed more than it kept).
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = NET.with(Cell::get);
    let was = ARMED.with(|a| a.replace(true));
    let out = f();
    ARMED.with(|a| a.set(was));
    let kept = NET.with(Cell::get).saturating_sub(before);
    (out, usize::try_from(kept).unwrap_or(0))
}
