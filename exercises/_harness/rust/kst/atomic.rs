//! `kst::sync::atomic`: modelled atomics. Every operation is a scheduling point and is
//! sequentially consistent whatever `Ordering` says (no weak-memory behaviour is modelled).
//! `AtomicPtr` and `compiler_fence` are std's own (unmodelled).

use std::fmt;
use std::panic::Location;

use crate::sched::{self as rt, Access, ObjId};

pub use std::sync::atomic::{compiler_fence, AtomicPtr, Ordering};

const SC: Ordering = Ordering::SeqCst;

/// A memory fence: a scheduling point (every modelled access is already sequentially
/// consistent).
#[track_caller]
pub fn fence(_order: Ordering) {
    let loc = Location::caller();
    if let Some((exec, me)) = rt::ctx() {
        rt::settle(exec.point(me, Some(loc), false));
    }
    std::sync::atomic::fence(SC);
}

/// Runs `op` as one modelled atomic step; falls back to the plain operation when the thread
/// is unwinding at the end of a schedule.
#[track_caller]
fn step<R: Copy>(
    id: &ObjId,
    name: &'static str,
    op: impl Fn() -> R,
    access: impl FnOnce(&R) -> Access,
    show: impl FnOnce(&R) -> String,
) -> R {
    let loc = Location::caller();
    match rt::ctx() {
        Some((exec, me)) => match exec.atomic(id, name, me, loc, &op, access, show) {
            Ok(r) => r,
            Err(stop) => {
                if !std::thread::panicking() {
                    rt::raise(stop)
                }
                op()
            }
        },
        None => op(),
    }
}

macro_rules! common {
    ($name:ident, $std:ident, $t:ty) => {
        pub struct $name {
            id: ObjId,
            v: std::sync::atomic::$std,
        }

        impl $name {
            pub const fn new(v: $t) -> $name {
                $name {
                    id: ObjId::new(),
                    v: std::sync::atomic::$std::new(v),
                }
            }

            pub fn get_mut(&mut self) -> &mut $t {
                self.v.get_mut()
            }

            pub fn into_inner(self) -> $t {
                self.v.into_inner()
            }

            #[track_caller]
            pub fn load(&self, _order: Ordering) -> $t {
                step(
                    &self.id,
                    stringify!($name),
                    || self.v.load(SC),
                    |r| Access::Load(*r as u64),
                    |r| format!("load -> {r}"),
                )
            }

            #[track_caller]
            pub fn store(&self, val: $t, _order: Ordering) {
                step(
                    &self.id,
                    stringify!($name),
                    || self.v.store(val, SC),
                    |_| Access::Write,
                    |_| format!("store({val})"),
                )
            }

            #[track_caller]
            pub fn swap(&self, val: $t, _order: Ordering) -> $t {
                step(
                    &self.id,
                    stringify!($name),
                    || self.v.swap(val, SC),
                    |_| Access::Write,
                    |r| format!("swap({val}) -> {r}"),
                )
            }

            #[track_caller]
            pub fn compare_exchange(
                &self,
                current: $t,
                new: $t,
                _success: Ordering,
                _failure: Ordering,
            ) -> Result<$t, $t> {
                step(
                    &self.id,
                    stringify!($name),
                    || self.v.compare_exchange(current, new, SC, SC),
                    |r| {
                        if r.is_ok() {
                            Access::Write
                        } else {
                            Access::Failed
                        }
                    },
                    |r| match r {
                        Ok(v) => format!("compare_exchange({current}, {new}) -> Ok({v})"),
                        Err(v) => format!("compare_exchange({current}, {new}) -> Err({v})"),
                    },
                )
            }

            /// Never fails spuriously in the model.
            #[track_caller]
            pub fn compare_exchange_weak(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                self.compare_exchange(current, new, success, failure)
            }

            /// A load and a compare-exchange loop, like std's: each attempt is two steps, and
            /// `f` runs outside the model's lock.
            #[track_caller]
            pub fn fetch_update<F>(
                &self,
                _set: Ordering,
                _fetch: Ordering,
                mut f: F,
            ) -> Result<$t, $t>
            where
                F: FnMut($t) -> Option<$t>,
            {
                let mut prev = self.load(SC);
                while let Some(next) = f(prev) {
                    match self.compare_exchange(prev, next, SC, SC) {
                        Ok(v) => return Ok(v),
                        Err(v) => prev = v,
                    }
                }
                Err(prev)
            }
        }

        impl Default for $name {
            fn default() -> $name {
                $name::new(<$t>::default())
            }
        }

        impl From<$t> for $name {
            fn from(v: $t) -> $name {
                $name::new(v)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.v, f)
            }
        }
    };
}

macro_rules! rmw {
    ($name:ident, $t:ty, $($op:ident),*) => {
        impl $name {
            $(
                #[track_caller]
                pub fn $op(&self, val: $t, _order: Ordering) -> $t {
                    step(
                        &self.id,
                        stringify!($name),
                        || self.v.$op(val, SC),
                        |_| Access::Write,
                        |r| format!(concat!(stringify!($op), "({}) -> {}"), val, r),
                    )
                }
            )*
        }
    };
}

macro_rules! atomic_int {
    ($($name:ident $t:ty;)*) => {
        $(
            common!($name, $name, $t);
            rmw!($name, $t, fetch_add, fetch_sub, fetch_and, fetch_nand, fetch_or, fetch_xor, fetch_max, fetch_min);
        )*
    };
}

atomic_int! {
    AtomicU8 u8;
    AtomicU16 u16;
    AtomicU32 u32;
    AtomicU64 u64;
    AtomicUsize usize;
    AtomicI8 i8;
    AtomicI16 i16;
    AtomicI32 i32;
    AtomicI64 i64;
    AtomicIsize isize;
}

common!(AtomicBool, AtomicBool, bool);
rmw!(AtomicBool, bool, fetch_and, fetch_nand, fetch_or, fetch_xor);

impl AtomicBool {
    #[track_caller]
    pub fn fetch_not(&self, _order: Ordering) -> bool {
        step(
            &self.id,
            "AtomicBool",
            || self.v.fetch_xor(true, SC),
            |_| Access::Write,
            |r| format!("fetch_not() -> {r}"),
        )
    }
}
