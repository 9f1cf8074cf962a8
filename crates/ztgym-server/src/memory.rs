//! Giving memory back once sessions close. Natively the allocator is mimalloc (regorus's
//! memory limits bring it): a block freed by another thread than the one that allocated it
//! waits in the owner's heap until that thread allocates again or collects, so after a wave of
//! sessions ends, the idle workers would keep its pages. Each worker collects its heap when it
//! next parks (goes idle) after a session has ended, and the freed pages go back to the system.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Sessions ended so far.
static ENDED: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// `ENDED` as this thread last collected.
    static COLLECTED_AT: Cell<u64> = const { Cell::new(0) };
}

/// A session ended (its slot is freed).
pub fn session_ended() {
    ENDED.fetch_add(1, Ordering::Relaxed);
}

/// A runtime worker is about to park: collect its heap if a session ended since it last did.
pub fn on_park() {
    let ended = ENDED.load(Ordering::Relaxed);
    COLLECTED_AT.with(|at| {
        if at.get() != ended {
            at.set(ended);
            collect();
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
use regorus_mimalloc_sys as _; // linked for mi_collect below

#[cfg(not(target_arch = "wasm32"))]
fn collect() {
    extern "C" {
        // mimalloc's own API (the library regorus-mimalloc-sys builds, a dependency of this
        // crate): frees this thread's empty pages and, with `force`, returns them and any
        // abandoned segments to the system at once.
        fn mi_collect(force: bool);
    }
    // SAFETY: mi_collect takes no pointers and is thread-safe; it works on the calling
    // thread's heap and mimalloc's own shared state under its own synchronization.
    unsafe { mi_collect(true) }
}

#[cfg(target_arch = "wasm32")]
fn collect() {}
