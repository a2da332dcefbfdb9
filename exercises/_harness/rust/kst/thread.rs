//! `kst::thread`: modelled `spawn`, `Builder`, `JoinHandle`, `scope`, `sleep`, `yield_now`,
//! `park`/`unpark`, `current`. Each model thread is a real OS thread that runs only when the
//! scheduler hands it the baton. `LocalKey`, `ThreadId`, `panicking`,
//! `available_parallelism` are std's own.

use std::fmt;
use std::io;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe, Location};
use std::sync::Arc;
use std::time::Duration;

use crate::sched::{self as rt, Exec, Stop};

pub use std::thread::{available_parallelism, panicking, AccessError, LocalKey, Result, ThreadId};

// ---- Thread ---------------------------------------------------------------------------------

/// A handle to a model thread.
#[derive(Clone)]
pub struct Thread {
    inner: Arc<ThreadInner>,
}

struct ThreadInner {
    exec: Option<Arc<Exec>>,
    tid: usize,
    name: Option<Arc<str>>,
    id: ThreadId,
}

impl Thread {
    fn new(exec: Option<Arc<Exec>>, tid: usize, name: Option<Arc<str>>, id: ThreadId) -> Thread {
        Thread {
            inner: Arc::new(ThreadInner {
                exec,
                tid,
                name,
                id,
            }),
        }
    }

    /// The real thread's id (not deterministic across runs; the model names threads T1, T2...).
    pub fn id(&self) -> ThreadId {
        self.inner.id
    }

    /// `Some("main")` for the scenario's thread, the `Builder` name for named threads.
    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    #[track_caller]
    pub fn unpark(&self) {
        let loc = Location::caller();
        if let (Some(target), Some((exec, me))) = (&self.inner.exec, rt::ctx()) {
            if Arc::ptr_eq(target, &exec) {
                rt::settle(exec.unpark(me, loc, self.inner.tid));
            }
        }
    }
}

impl fmt::Debug for Thread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Thread")
            .field("id", &self.inner.id)
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

/// The calling model thread.
pub fn current() -> Thread {
    match rt::ctx() {
        Some((exec, me)) => {
            let name = exec.thread_name(me);
            Thread::new(Some(exec), me, name, std::thread::current().id())
        }
        None => Thread::new(None, usize::MAX, None, std::thread::current().id()),
    }
}

#[track_caller]
fn join_model(t: &Thread) {
    let loc = Location::caller();
    if let (Some(target), Some((exec, me))) = (&t.inner.exec, rt::ctx()) {
        if Arc::ptr_eq(target, &exec) {
            rt::settle(exec.join_wait(me, loc, t.inner.tid));
        }
    }
}

fn finished(t: &Thread) -> bool {
    match &t.inner.exec {
        Some(exec) => exec.is_finished(t.inner.tid),
        None => true,
    }
}

// ---- spawn ----------------------------------------------------------------------------------

/// An owned permission to join a model thread.
pub struct JoinHandle<T> {
    inner: std::thread::JoinHandle<T>,
    thread: Thread,
}

impl<T> JoinHandle<T> {
    /// Blocks (in the model) until the thread finished; `Err(payload)` if it panicked.
    #[track_caller]
    pub fn join(self) -> Result<T> {
        join_model(&self.thread);
        self.inner.join()
    }

    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    pub fn is_finished(&self) -> bool {
        finished(&self.thread)
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle").finish_non_exhaustive()
    }
}

/// Thread factory, as std's.
#[derive(Debug, Default)]
pub struct Builder {
    name: Option<String>,
    stack_size: Option<usize>,
}

fn real_builder(
    name: &Option<String>,
    stack_size: Option<usize>,
    tid: usize,
) -> std::thread::Builder {
    let mut b = std::thread::Builder::new().name(name.clone().unwrap_or_else(|| rt::tname(tid)));
    if let Some(size) = stack_size {
        b = b.stack_size(size);
    }
    b
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    pub fn name(mut self, name: String) -> Builder {
        self.name = Some(name);
        self
    }

    pub fn stack_size(mut self, size: usize) -> Builder {
        self.stack_size = Some(size);
        self
    }

    #[track_caller]
    pub fn spawn<F, T>(self, f: F) -> io::Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let loc = Location::caller();
        let Some((exec, me)) = rt::ctx() else {
            let h = real_builder(&self.name, self.stack_size, 0).spawn(f)?;
            let thread = Thread::new(None, usize::MAX, None, h.thread().id());
            return Ok(JoinHandle { inner: h, thread });
        };
        let model_name: Option<Arc<str>> = self.name.as_deref().map(Arc::from);
        match rt::settle(exec.spawn_begin(me, loc, model_name.clone(), None)) {
            Some(tid) => {
                let e = Arc::clone(&exec);
                match real_builder(&self.name, self.stack_size, tid)
                    .spawn(move || rt::thread_main(e, tid, f))
                {
                    Ok(h) => {
                        let thread = Thread::new(Some(exec), tid, model_name, h.thread().id());
                        Ok(JoinHandle { inner: h, thread })
                    }
                    Err(err) => {
                        exec.spawn_failed(tid);
                        Err(err)
                    }
                }
            }
            None => {
                // Unwinding at the end of a schedule: a thread that never runs `f`.
                let h = std::thread::Builder::new().spawn(move || -> T {
                    drop(f);
                    resume_unwind(Box::new(rt::Abandoned))
                })?;
                let thread = Thread::new(None, usize::MAX, None, h.thread().id());
                Ok(JoinHandle { inner: h, thread })
            }
        }
    }

    #[track_caller]
    pub fn spawn_scoped<'scope, 'env, F, T>(
        self,
        scope: &'scope Scope<'scope, 'env>,
        f: F,
    ) -> io::Result<ScopedJoinHandle<'scope, T>>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        let loc = Location::caller();
        let cx = rt::ctx().filter(|_| scope.sid.is_some());
        let Some((exec, me)) = cx else {
            let h = real_builder(&self.name, self.stack_size, 0).spawn_scoped(scope.inner, f)?;
            let thread = Thread::new(None, usize::MAX, None, h.thread().id());
            return Ok(ScopedJoinHandle { inner: h, thread });
        };
        let model_name: Option<Arc<str>> = self.name.as_deref().map(Arc::from);
        match rt::settle(exec.spawn_begin(me, loc, model_name.clone(), scope.sid)) {
            Some(tid) => {
                let e = Arc::clone(&exec);
                match real_builder(&self.name, self.stack_size, tid)
                    .spawn_scoped(scope.inner, move || rt::thread_main(e, tid, f))
                {
                    Ok(h) => {
                        let thread = Thread::new(Some(exec), tid, model_name, h.thread().id());
                        Ok(ScopedJoinHandle { inner: h, thread })
                    }
                    Err(err) => {
                        exec.spawn_failed(tid);
                        Err(err)
                    }
                }
            }
            None => {
                let h = std::thread::Builder::new().spawn_scoped(scope.inner, move || -> T {
                    drop(f);
                    resume_unwind(Box::new(rt::Abandoned))
                })?;
                let thread = Thread::new(None, usize::MAX, None, h.thread().id());
                Ok(ScopedJoinHandle { inner: h, thread })
            }
        }
    }
}

/// Spawns a model thread (named T1, T2... in spawn order within the schedule).
#[track_caller]
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    Builder::new().spawn(f).expect("failed to spawn thread")
}

// ---- scoped threads -------------------------------------------------------------------------

/// A scope to spawn scoped threads in; see [`scope`].
pub struct Scope<'scope, 'env: 'scope> {
    inner: &'scope std::thread::Scope<'scope, 'env>,
    sid: Option<usize>,
}

/// An owned permission to join a scoped thread.
pub struct ScopedJoinHandle<'scope, T> {
    inner: std::thread::ScopedJoinHandle<'scope, T>,
    thread: Thread,
}

impl<'scope> Scope<'scope, '_> {
    #[track_caller]
    pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        Builder::new()
            .spawn_scoped(self, f)
            .expect("failed to spawn thread")
    }
}

impl fmt::Debug for Scope<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope").finish_non_exhaustive()
    }
}

impl<T> ScopedJoinHandle<'_, T> {
    #[track_caller]
    pub fn join(self) -> Result<T> {
        join_model(&self.thread);
        self.inner.join()
    }

    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    pub fn is_finished(&self) -> bool {
        finished(&self.thread)
    }
}

impl<T> fmt::Debug for ScopedJoinHandle<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopedJoinHandle").finish_non_exhaustive()
    }
}

/// Like `std::thread::scope`: every thread spawned in the scope is joined (in the model)
/// before it returns; a panic of an unjoined scoped thread makes `scope` panic.
///
/// The real threads run under `std::thread::scope`. Our `Scope` must be borrowed for the
/// same `'scope` as std's, which a local cannot be; instead of `unsafe` it is leaked (24
/// bytes per `scope` call).
#[track_caller]
pub fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let loc = Location::caller();
    let cx = rt::ctx();
    let sid = cx.as_ref().map(|(exec, _)| exec.scope_begin());
    std::thread::scope(|s| {
        let scope: &Scope<'_, 'env> = Box::leak(Box::new(Scope { inner: s, sid }));
        let r = catch_unwind(AssertUnwindSafe(|| f(scope)));
        if let (Some((exec, me)), Some(sid)) = (&cx, sid) {
            let mut stop = None;
            loop {
                match exec.scope_end(*me, loc, sid) {
                    Ok(()) => break,
                    // Outside exploration: a deadlock; the scoped threads were told to
                    // panic too, so wait for them before panicking (std's scope would
                    // otherwise block for real while holding the baton).
                    Err(Stop::Panic(msg)) => {
                        stop.get_or_insert(Stop::Panic(msg));
                    }
                    // The schedule failed while this thread waited for its scoped threads:
                    // stop them too before std's scope waits for them for real (they could
                    // not run while this thread holds the baton).
                    Err(Stop::Abandon) => {
                        exec.halt();
                        stop = Some(Stop::Abandon);
                        break;
                    }
                }
            }
            if let Some(stop) = stop {
                rt::raise(stop);
            }
        }
        match r {
            Ok(v) => v,
            Err(p) => resume_unwind(p),
        }
    })
}

// ---- blocking and yielding ------------------------------------------------------------------

/// Sleeps on the virtual clock (no real time passes).
#[track_caller]
pub fn sleep(dur: Duration) {
    let loc = Location::caller();
    if let Some((exec, me)) = rt::ctx() {
        rt::settle(exec.sleep(me, loc, dur));
    }
}

/// Sleeps until a virtual instant.
#[track_caller]
pub fn sleep_until(deadline: crate::time::Instant) {
    sleep(deadline.saturating_duration_since(crate::time::Instant::now()))
}

/// A scheduling point at which the thread prefers to let others run.
#[track_caller]
pub fn yield_now() {
    let loc = Location::caller();
    if let Some((exec, me)) = rt::ctx() {
        rt::settle(exec.point(me, Some(loc), true));
    }
}

#[track_caller]
pub fn park() {
    let loc = Location::caller();
    if let Some((exec, me)) = rt::ctx() {
        rt::settle(exec.park(me, loc, None));
    }
}

#[track_caller]
pub fn park_timeout(dur: Duration) {
    let loc = Location::caller();
    if let Some((exec, me)) = rt::ctx() {
        rt::settle(exec.park(me, loc, Some(dur)));
    }
}
