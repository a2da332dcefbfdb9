//! `kst`: a drop-in for `std` paths under which ordinary `std::sync` / `std::thread` /
//! `std::time` code runs on a deterministic, seeded scheduler (the loom/shuttle idea, std
//! only). kata rewrites every path root `std::` of a learner's file to `kst::` (same length)
//! and links this crate; the hidden driver calls [`model::explore`]. Design, limits and
//! figures: `docs/concurrency-rust.md`.
//!
//! * Everything of `std` is re-exported (`pub use std::*`), so `kst::collections::HashMap`,
//!   `kst::fmt`, `kst::println!`... are std's own.
//! * [`sync`], [`thread`], [`time`] and [`hint`] shadow std's modules with modelled versions:
//!   `Mutex`, `RwLock`, `Condvar`, `Barrier`, atomics (sequentially consistent whatever the
//!   `Ordering`), `mpsc`, `spawn`, `scope`, `sleep`, `yield_now`, `park`, `Instant` (virtual
//!   clock), `spin_loop`. `Arc`, `Weak`, `Duration`, the error types and `thread_local!` are
//!   std's own.
//! * `sync::Once`, `sync::OnceLock`, `sync::LazyLock` are deliberately NOT provided: one
//!   exercise asks the learner to implement `Once`, and the missing item is the intended
//!   compile error.
//! * Outside `explore` the same types work for a single thread (and threads it spawns, run
//!   one at a time): an operation that could never complete panics with `deadlock: ...`, and
//!   timeouts pass in virtual time.
//!
//! Compile: `rustc --edition=2021 --crate-type=rlib --crate-name=kst -Cdebuginfo=0 kst.rs`.

// No unsafe anywhere: the one place that would want it (borrowing a `Scope` for std's
// `'scope`) leaks 24 bytes per `thread::scope` call instead.
#![forbid(unsafe_code)]

pub use std::*;

#[path = "kst/sched.rs"]
mod sched;

#[path = "kst/sync.rs"]
pub mod sync;

#[path = "kst/thread.rs"]
pub mod thread;

#[path = "kst/time.rs"]
pub mod time;

#[path = "kst/model.rs"]
pub mod model;

/// `kst::hint`: std's, except that `spin_loop` is a scheduling point where the thread yields.
pub mod hint {
    pub use std::hint::*;

    /// A yielding scheduling point, then std's `spin_loop`.
    #[track_caller]
    pub fn spin_loop() {
        let loc = std::panic::Location::caller();
        if let Some((exec, me)) = crate::sched::ctx() {
            crate::sched::settle(exec.point(me, Some(loc), true));
        }
        std::hint::spin_loop();
    }
}
