//! `kst::sync`: modelled `Mutex`, `RwLock`, `Condvar`, `Barrier`, atomics and `mpsc`; `Arc`,
//! `Weak` and the error types are std's own.
//!
//! `Once`, `OnceLock`, `LazyLock` and `OnceState` are deliberately absent: one exercise asks
//! the learner to write `Once`, and a missing item is the intended compile error.
//!
//! Each lock keeps its data in the real std primitive (so guards, poisoning and `?Sized` data
//! behave exactly like std) and takes the real lock only after the model granted it, so the
//! real lock is never contended during exploration.
//!
//! While a finished schedule is torn down (its threads unwind with the model's private
//! payload), locks are plain std locks that neither report nor keep poisoning: that unwinding
//! is the model's, not the learner's, and a learner `Drop` doing `lock().unwrap()` must not
//! panic again (which would abort the process).

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::time::Duration;

use crate::sched::{self as rt, ObjId};

pub use std::sync::{Arc, LockResult, PoisonError, TryLockError, TryLockResult, Weak};

#[path = "atomic.rs"]
pub mod atomic;
#[path = "mpsc.rs"]
pub mod mpsc;

// ---- Mutex ----------------------------------------------------------------------------------

/// A mutual exclusion lock whose `lock`, `try_lock` and guard drop are scheduling points.
pub struct Mutex<T: ?Sized> {
    id: ObjId,
    inner: std::sync::Mutex<T>,
}

/// The guard of a [`Mutex`]; dropping it is a scheduling point.
pub struct MutexGuard<'a, T: ?Sized + 'a> {
    lock: &'a Mutex<T>,
    inner: Option<std::sync::MutexGuard<'a, T>>,
}

impl<T> Mutex<T> {
    pub const fn new(t: T) -> Mutex<T> {
        Mutex {
            id: ObjId::new(),
            inner: std::sync::Mutex::new(t),
        }
    }

    pub fn into_inner(self) -> LockResult<T> {
        self.inner.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    #[track_caller]
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        let loc = Location::caller();
        if let Some((exec, me)) = rt::ctx() {
            if rt::settle(exec.mutex_lock(&self.id, me, loc)).is_none() {
                return Ok(self.guard(self.inner.lock().unwrap_or_else(PoisonError::into_inner)));
            }
        }
        self.wrap(self.inner.lock())
    }

    #[track_caller]
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        let loc = Location::caller();
        if let Some((exec, me)) = rt::ctx() {
            match rt::settle(exec.mutex_try_lock(&self.id, me, loc)) {
                Some(false) => return Err(TryLockError::WouldBlock),
                Some(true) => {}
                None => {
                    return match self.inner.try_lock() {
                        Ok(g) => Ok(self.guard(g)),
                        Err(TryLockError::Poisoned(p)) => Ok(self.guard(p.into_inner())),
                        Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
                    }
                }
            }
        }
        match self.inner.try_lock() {
            Ok(g) => Ok(self.guard(g)),
            Err(TryLockError::Poisoned(p)) => Err(TryLockError::Poisoned(PoisonError::new(
                self.guard(p.into_inner()),
            ))),
            Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
        }
    }

    pub fn is_poisoned(&self) -> bool {
        self.inner.is_poisoned()
    }

    pub fn clear_poison(&self) {
        self.inner.clear_poison()
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.inner.get_mut()
    }

    fn guard<'a>(&'a self, g: std::sync::MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        MutexGuard {
            lock: self,
            inner: Some(g),
        }
    }

    fn wrap<'a>(
        &'a self,
        r: LockResult<std::sync::MutexGuard<'a, T>>,
    ) -> LockResult<MutexGuard<'a, T>> {
        match r {
            Ok(g) => Ok(self.guard(g)),
            Err(p) => Err(PoisonError::new(self.guard(p.into_inner()))),
        }
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Mutex<T> {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    fn from(t: T) -> Mutex<T> {
        Mutex::new(t)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner
            .as_deref()
            .expect("kst: guard used after release")
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner
            .as_deref_mut()
            .expect("kst: guard used after release")
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(g) = self.inner.take() {
            drop(g); // the real unlock first: it poisons when unwinding, like std
            if let Some((exec, me)) = rt::ctx() {
                if rt::settle(exec.mutex_unlock(&self.lock.id, me)).is_none() {
                    self.lock.inner.clear_poison(); // torn down, not a learner panic
                }
            }
        }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

// ---- RwLock ---------------------------------------------------------------------------------

/// A reader-writer lock (no writer preference: a reader gets in whenever no writer holds it).
pub struct RwLock<T: ?Sized> {
    id: ObjId,
    inner: std::sync::RwLock<T>,
}

pub struct RwLockReadGuard<'a, T: ?Sized + 'a> {
    lock: &'a RwLock<T>,
    inner: Option<std::sync::RwLockReadGuard<'a, T>>,
}

pub struct RwLockWriteGuard<'a, T: ?Sized + 'a> {
    lock: &'a RwLock<T>,
    inner: Option<std::sync::RwLockWriteGuard<'a, T>>,
}

impl<T> RwLock<T> {
    pub const fn new(t: T) -> RwLock<T> {
        RwLock {
            id: ObjId::new(),
            inner: std::sync::RwLock::new(t),
        }
    }

    pub fn into_inner(self) -> LockResult<T> {
        self.inner.into_inner()
    }
}

fn map_poison<G, H>(r: LockResult<G>, f: impl FnOnce(G) -> H) -> LockResult<H> {
    match r {
        Ok(g) => Ok(f(g)),
        Err(p) => Err(PoisonError::new(f(p.into_inner()))),
    }
}

fn map_try<G, H>(r: TryLockResult<G>, f: impl FnOnce(G) -> H) -> TryLockResult<H> {
    match r {
        Ok(g) => Ok(f(g)),
        Err(TryLockError::Poisoned(p)) => {
            Err(TryLockError::Poisoned(PoisonError::new(f(p.into_inner()))))
        }
        Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
    }
}

impl<T: ?Sized> RwLock<T> {
    #[track_caller]
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        let loc = Location::caller();
        let guard = |g| RwLockReadGuard {
            lock: self,
            inner: Some(g),
        };
        if let Some((exec, me)) = rt::ctx() {
            if rt::settle(exec.rw_lock(&self.id, me, loc, false)).is_none() {
                return Ok(guard(
                    self.inner.read().unwrap_or_else(PoisonError::into_inner),
                ));
            }
        }
        map_poison(self.inner.read(), guard)
    }

    #[track_caller]
    pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        let loc = Location::caller();
        let guard = |g| RwLockWriteGuard {
            lock: self,
            inner: Some(g),
        };
        if let Some((exec, me)) = rt::ctx() {
            if rt::settle(exec.rw_lock(&self.id, me, loc, true)).is_none() {
                return Ok(guard(
                    self.inner.write().unwrap_or_else(PoisonError::into_inner),
                ));
            }
        }
        map_poison(self.inner.write(), guard)
    }

    #[track_caller]
    pub fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
        let loc = Location::caller();
        if let Some((exec, me)) = rt::ctx() {
            if let Some(false) = rt::settle(exec.rw_try_lock(&self.id, me, loc, false)) {
                return Err(TryLockError::WouldBlock);
            }
        }
        map_try(self.inner.try_read(), |g| RwLockReadGuard {
            lock: self,
            inner: Some(g),
        })
    }

    #[track_caller]
    pub fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
        let loc = Location::caller();
        if let Some((exec, me)) = rt::ctx() {
            if let Some(false) = rt::settle(exec.rw_try_lock(&self.id, me, loc, true)) {
                return Err(TryLockError::WouldBlock);
            }
        }
        map_try(self.inner.try_write(), |g| RwLockWriteGuard {
            lock: self,
            inner: Some(g),
        })
    }

    pub fn is_poisoned(&self) -> bool {
        self.inner.is_poisoned()
    }

    pub fn clear_poison(&self) {
        self.inner.clear_poison()
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.inner.get_mut()
    }
}

impl<T: Default> Default for RwLock<T> {
    fn default() -> RwLock<T> {
        RwLock::new(T::default())
    }
}

impl<T> From<T> for RwLock<T> {
    fn from(t: T) -> RwLock<T> {
        RwLock::new(t)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner
            .as_deref()
            .expect("kst: guard used after release")
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner
            .as_deref()
            .expect("kst: guard used after release")
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner
            .as_deref_mut()
            .expect("kst: guard used after release")
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(g) = self.inner.take() {
            drop(g);
            if let Some((exec, me)) = rt::ctx() {
                if rt::settle(exec.rw_unlock(&self.lock.id, me, false)).is_none() {
                    self.lock.inner.clear_poison();
                }
            }
        }
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(g) = self.inner.take() {
            drop(g); // poisons when unwinding, like std
            if let Some((exec, me)) = rt::ctx() {
                if rt::settle(exec.rw_unlock(&self.lock.id, me, true)).is_none() {
                    self.lock.inner.clear_poison(); // torn down, not a learner panic
                }
            }
        }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockReadGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockWriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for RwLockReadGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for RwLockWriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

// ---- Condvar --------------------------------------------------------------------------------

/// A condition variable. Waits may wake spuriously when the exploration strategy says so;
/// timeouts run on the virtual clock.
pub struct Condvar {
    id: ObjId,
}

/// Whether a timed wait returned because of its timeout.
#[derive(Debug, PartialEq, Eq, Copy, Clone)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    pub const fn new() -> Condvar {
        Condvar { id: ObjId::new() }
    }

    /// Releases the guard's lock, waits, then relocks; whether it timed out. While the
    /// thread unwinds at the end of a schedule it returns at once.
    #[track_caller]
    fn wait_inner<'a, T: ?Sized>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Option<Duration>,
    ) -> (LockResult<MutexGuard<'a, T>>, bool) {
        let loc = Location::caller();
        let mutex = guard.lock;
        drop(guard.inner.take()); // real unlock; the guard's own drop is now a no-op
        drop(guard);
        let mut timed_out = false;
        if let Some((exec, me)) = rt::ctx() {
            match exec.cv_wait(&self.id, &mutex.id, me, loc, timeout) {
                Ok(t) => timed_out = t,
                Err(stop) => {
                    if !std::thread::panicking() {
                        rt::raise(stop)
                    }
                    // Torn down: return at once (a spurious wakeup), unpoisoned.
                    return (
                        Ok(mutex.guard(mutex.inner.lock().unwrap_or_else(PoisonError::into_inner))),
                        false,
                    );
                }
            }
        }
        (mutex.wrap(mutex.inner.lock()), timed_out)
    }

    #[track_caller]
    pub fn wait<'a, T: ?Sized>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        self.wait_inner(guard, None).0
    }

    #[track_caller]
    pub fn wait_while<'a, T: ?Sized, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait_inner(guard, None).0?;
        }
        Ok(guard)
    }

    #[track_caller]
    pub fn wait_timeout<'a, T: ?Sized>(
        &self,
        guard: MutexGuard<'a, T>,
        dur: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        let (r, timed_out) = self.wait_inner(guard, Some(dur));
        map_poison(r, |g| (g, WaitTimeoutResult(timed_out)))
    }

    #[track_caller]
    pub fn wait_timeout_while<'a, T: ?Sized, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        dur: Duration,
        mut condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        let start = crate::time::Instant::now();
        loop {
            if !condition(&mut *guard) {
                return Ok((guard, WaitTimeoutResult(false)));
            }
            let elapsed = start.elapsed();
            let Some(left) = dur.checked_sub(elapsed).filter(|d| !d.is_zero()) else {
                return Ok((guard, WaitTimeoutResult(true)));
            };
            match self.wait_inner(guard, Some(left)).0 {
                Ok(g) => guard = g,
                Err(p) => return Err(PoisonError::new((p.into_inner(), WaitTimeoutResult(false)))),
            }
        }
    }

    #[track_caller]
    pub fn notify_one(&self) {
        let loc = Location::caller();
        if let Some((exec, me)) = rt::ctx() {
            rt::settle(exec.cv_notify(&self.id, me, loc, false));
        }
    }

    #[track_caller]
    pub fn notify_all(&self) {
        let loc = Location::caller();
        if let Some((exec, me)) = rt::ctx() {
            rt::settle(exec.cv_notify(&self.id, me, loc, true));
        }
    }
}

impl Default for Condvar {
    fn default() -> Condvar {
        Condvar::new()
    }
}

impl fmt::Debug for Condvar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condvar").finish_non_exhaustive()
    }
}

// ---- Barrier --------------------------------------------------------------------------------

/// A barrier for `n` threads.
pub struct Barrier {
    id: ObjId,
    n: usize,
}

/// Returned by [`Barrier::wait`]; exactly one waiter per round is the leader.
#[derive(Debug)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    pub const fn new(n: usize) -> Barrier {
        Barrier {
            id: ObjId::new(),
            n,
        }
    }

    #[track_caller]
    pub fn wait(&self) -> BarrierWaitResult {
        let loc = Location::caller();
        let leader = match rt::ctx() {
            Some((exec, me)) => {
                rt::settle(exec.barrier_wait(&self.id, self.n, me, loc)).unwrap_or(false)
            }
            None => false,
        };
        BarrierWaitResult(leader)
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier").finish_non_exhaustive()
    }
}
