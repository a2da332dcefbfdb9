//! The scheduler core: one [`Exec`] per explored schedule (or per OS thread outside
//! exploration), holding the model state of every thread and primitive, the strategy that
//! decides who runs at each scheduling point, the virtual clock and the trace.
//!
//! Model threads are real OS threads, but only the one named by `State::active` (the baton
//! holder) runs learner code; every other one waits on its own real `Condvar` inside
//! [`Exec::wait_turn`]. All model state changes happen under the one real `Mutex<State>` by
//! the baton holder, so the model needs no atomicity reasoning of its own.

use std::any::Any;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::panic::Location;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering as AO};
use std::sync::{
    Arc, Condvar as StdCondvar, Mutex as StdMutex, MutexGuard as StdGuard, PoisonError,
};
use std::time::Duration;

pub(crate) type Loc = &'static Location<'static>;
pub(crate) type St<'a> = StdGuard<'a, State>;

/// Consecutive scheduling points one thread may take while another could run before the
/// scheduler treats it as yielding (fairness for busy-waits without a hint).
const FAIR_RUN: usize = 256;
/// How often a thread that passed the baton polls for it (yielding the CPU in between)
/// before it sleeps on its condvar.
const SPIN_TURNS: usize = 50;
/// Scheduling points remembered to name where a schedule without progress was looping.
const RECENT: usize = 256;
/// This many identical consecutive loads of one atomic by one thread count as polling.
const POLL_LOADS: u32 = 3;
/// Trace events kept from the start and from the end of a schedule.
pub(crate) const TRACE_HEAD: usize = 100;
pub(crate) const TRACE_TAIL: usize = 300;

/// Panic payload that unwinds the threads of a schedule that is over. Raised with
/// `resume_unwind`, so no panic hook sees it.
pub(crate) struct Abandoned;

/// Why a modelled operation cannot complete normally.
pub(crate) enum Stop {
    /// The schedule is over (deadlock, no progress, or the scenario returned): unwind.
    Abandon,
    /// Outside exploration: this thread can never proceed; panic with this message.
    Panic(String),
}

#[track_caller]
pub(crate) fn raise(stop: Stop) -> ! {
    match stop {
        Stop::Abandon => std::panic::resume_unwind(Box::new(Abandoned)),
        Stop::Panic(msg) => panic!("{msg}"),
    }
}

/// `Some(v)` when the operation completed in the model; `None` when it must fall back to the
/// real primitive because the thread is already unwinding (panicking again would abort).
#[track_caller]
pub(crate) fn settle<T>(r: Result<T, Stop>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(_) if std::thread::panicking() => None,
        Err(stop) => raise(stop),
    }
}

pub(crate) fn payload_text(p: &(dyn Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "Box<dyn Any>".to_string()
    }
}

pub(crate) fn tname(t: usize) -> String {
    if t == 0 {
        "main".to_string()
    } else {
        format!("T{t}")
    }
}

/// `file:line`, with anything before a final `src/` dropped so a learner's file reads
/// `src/lib.rs:14` wherever kata staged it.
pub(crate) fn fmt_loc(l: Loc) -> String {
    fmt_loc_parts(l.file(), l.line())
}

fn fmt_loc_parts(file: &str, line: u32) -> String {
    let file = file.replace('\\', "/");
    let short = match file.rfind("src/") {
        Some(i) if i == 0 || file[..i].ends_with('/') => &file[i..],
        _ => &file[..],
    };
    format!("{short}:{line}")
}

/// Seconds, shortest exact decimal: `5`, `0.25`, `1.000000001`.
pub(crate) fn secs(d: Duration) -> String {
    let mut s = d.as_secs().to_string();
    let nanos = d.subsec_nanos();
    if nanos != 0 {
        let frac = format!("{nanos:09}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s
}

// ---- thread-local context --------------------------------------------------------------------

thread_local! {
    static CTX: RefCell<Option<(Arc<Exec>, usize)>> = const { RefCell::new(None) };
}

/// The execution this thread belongs to and its model thread id. A thread that is not part
/// of any execution gets its own sequential one ("free mode"). `None` only while thread-local
/// storage is being torn down.
pub(crate) fn ctx() -> Option<(Arc<Exec>, usize)> {
    CTX.try_with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = Some((
                Exec::new(false, Strategy::new(Plan::base(), 0, false), 20_000),
                0,
            ));
        }
        c.clone()
    })
    .ok()
    .flatten()
}

pub(crate) fn peek_ctx() -> Option<(Arc<Exec>, usize)> {
    CTX.try_with(|c| c.borrow().clone()).ok().flatten()
}

pub(crate) fn swap_ctx(new: Option<(Arc<Exec>, usize)>) -> Option<(Arc<Exec>, usize)> {
    CTX.with(|c| std::mem::replace(&mut *c.borrow_mut(), new))
}

// ---- object identities -------------------------------------------------------------------------

static NEXT_GEN: AtomicU32 = AtomicU32::new(1);

/// A primitive's identity, assigned on first use within an execution (constructors stay
/// `const fn`, so statics work). Holds `generation << 32 | index + 1`.
pub(crate) struct ObjId(AtomicU64);

impl ObjId {
    pub(crate) const fn new() -> Self {
        ObjId(AtomicU64::new(0))
    }

    pub(crate) fn get(
        &self,
        st: &mut State,
        kind: &'static str,
        init: impl FnOnce() -> ObjSt,
    ) -> usize {
        let v = self.0.load(AO::Relaxed);
        if v != 0 && (v >> 32) as u32 == st.gen {
            return (v & 0xffff_ffff) as usize - 1;
        }
        let ordinal = match st.kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                st.kinds.push((kind, 1));
                1
            }
        };
        st.objects.push(Obj {
            name: format!("{kind}#{ordinal}"),
            st: init(),
        });
        let idx = st.objects.len() - 1;
        self.0
            .store(((st.gen as u64) << 32) | (idx as u64 + 1), AO::Relaxed);
        idx
    }
}

impl std::fmt::Debug for ObjId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("..")
    }
}

// ---- model state -------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wake {
    Notified,
    Spurious,
}

/// What a blocked thread waits for; [`State::wait_done`] says when it may run again.
#[derive(Clone, Copy)]
pub(crate) enum Wait {
    Mutex(usize),
    Read(usize),
    Write(usize),
    Cv {
        cv: usize,
        m: usize,
        woken: Option<Wake>,
        deadline: Option<Duration>,
    },
    Join(usize),
    Sleep(Duration),
    Park(Option<Duration>),
    Barrier(usize, u64),
    Recv(usize, Option<Duration>),
    Send(usize),
    Taken(usize, u64),
    Scope(usize),
}

impl Wait {
    fn deadline(&self) -> Option<Duration> {
        match *self {
            Wait::Cv { deadline, .. } => deadline,
            Wait::Sleep(d) => Some(d),
            Wait::Park(d) | Wait::Recv(_, d) => d,
            _ => None,
        }
    }
}

pub(crate) enum Status {
    Runnable,
    Blocked(Wait),
    Finished,
}

pub(crate) struct Th {
    cv: Arc<StdCondvar>,
    pub(crate) status: Status,
    /// Where the thread blocked (for deadlock reports).
    at: Option<Loc>,
    /// What this thread must do when it resumes instead of its operation.
    doom: Option<Stop>,
    /// `park`/`unpark` token.
    token: bool,
    pub(crate) panicked: bool,
    /// The thread's last operation was a poll (failed try_lock / CAS, repeated load, ...).
    polling: bool,
    last_load: Option<(usize, u64, u32)>,
    /// What `Thread::name` reports.
    pub(crate) name: Option<Arc<str>>,
    /// Scheduling points entered since the thread started or last returned from a condvar
    /// wait (while it is suspended, the last one has not completed yet).
    attempts: usize,
    /// Notifies that found no waiter while this thread was mid-way through an attempt:
    /// `(condvar, where, mutexes it held)`, the last one per condvar. See
    /// `describe_deadlock`.
    exposed: Vec<(usize, Loc, Vec<usize>)>,
}

impl Th {
    fn new(name: Option<Arc<str>>) -> Th {
        Th {
            attempts: 0,
            exposed: Vec::new(),
            cv: Arc::new(StdCondvar::new()),
            status: Status::Runnable,
            at: None,
            doom: None,
            token: false,
            panicked: false,
            polling: false,
            last_load: None,
            name,
        }
    }
}

#[derive(Default)]
pub(crate) struct ChanMeta {
    pub(crate) len: usize,
    pub(crate) senders: usize,
    pub(crate) receiver: bool,
    /// `None`: unbounded; `Some(0)`: rendezvous.
    pub(crate) cap: Option<usize>,
    pub(crate) sent: u64,
    pub(crate) taken: u64,
}

pub(crate) type Meta = Arc<StdMutex<ChanMeta>>;

pub(crate) fn meta(m: &Meta) -> StdGuard<'_, ChanMeta> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) enum ObjSt {
    Mutex {
        owner: Option<usize>,
    },
    RwLock {
        writer: Option<usize>,
        readers: Vec<usize>,
    },
    Condvar {
        waiters: VecDeque<usize>,
    },
    Atomic,
    Barrier {
        count: usize,
        gen: u64,
    },
    Chan(Meta),
}

pub(crate) struct Obj {
    pub(crate) name: String,
    pub(crate) st: ObjSt,
}

pub(crate) struct Ev {
    pub(crate) th: usize,
    pub(crate) ev: &'static str,
    pub(crate) at: Option<Loc>,
    pub(crate) detail: Option<String>,
}

/// The first `TRACE_HEAD` events and the last `TRACE_TAIL`; `cut` counts those in between.
#[derive(Default)]
pub(crate) struct Trace {
    pub(crate) head: Vec<Ev>,
    pub(crate) tail: VecDeque<Ev>,
    pub(crate) cut: usize,
}

impl Trace {
    fn push(&mut self, e: Ev) {
        if self.head.len() < TRACE_HEAD {
            self.head.push(e);
            return;
        }
        self.tail.push_back(e);
        if self.tail.len() > TRACE_TAIL {
            self.tail.pop_front();
            self.cut += 1;
        }
    }
}

pub(crate) struct State {
    gen: u32,
    pub(crate) explore: bool,
    pub(crate) threads: Vec<Th>,
    active: usize,
    pub(crate) objects: Vec<Obj>,
    kinds: Vec<(&'static str, usize)>,
    pub(crate) clock: Duration,
    pub(crate) steps: usize,
    max_steps: usize,
    pub(crate) strategy: Strategy,
    pub(crate) trace: Option<Trace>,
    /// Outcome text when the schedule failed (deadlock, no progress).
    pub(crate) failure: Option<String>,
    /// The schedule is over: every model thread unwinds at its next scheduling point.
    pub(crate) stopped: bool,
    pub(crate) violations: Vec<String>,
    scopes: Vec<Vec<usize>>,
    run_owner: usize,
    run_len: usize,
    /// Outside exploration: consecutive polls while nothing else could run.
    spin: usize,
    /// Real OS threads spawned and not yet done.
    alive: usize,
    /// Condvar waits so far (for the spurious-wakeup sweep).
    pub(crate) waits: usize,
    /// Locations of the last `RECENT` scheduling points.
    recent: VecDeque<Loc>,
    /// Scratch list of enabled threads, reused at every scheduling point.
    scratch: Vec<usize>,
    /// Outside exploration: clock jumps since a wait without deadline last ended (threads
    /// that only sleep in a loop while another waits for ever).
    idle_jumps: usize,
    /// The outcome is decided and the scenario's thread is unwinding (see `begin_drain`).
    draining: bool,
    /// Steps when the outcome was decided.
    fail_steps: usize,
    /// Schedule 0's record, closed when its outcome was decided.
    base_done: Option<BaseInfo>,
}

impl State {
    pub(crate) fn ev(
        &mut self,
        th: usize,
        ev: &'static str,
        at: Option<Loc>,
        detail: impl FnOnce(&State) -> String,
    ) {
        if self.trace.is_none() || self.draining {
            return;
        }
        let detail = detail(self);
        let detail = (!detail.is_empty()).then_some(detail);
        if let Some(t) = self.trace.as_mut() {
            t.push(Ev { th, ev, at, detail });
        }
    }

    fn name(&self, o: usize) -> String {
        self.objects[o].name.clone()
    }

    fn finished(&self, t: usize) -> bool {
        matches!(self.threads[t].status, Status::Finished)
    }

    fn mutex_owner(&self, o: usize) -> Option<usize> {
        match self.objects[o].st {
            ObjSt::Mutex { owner } => owner,
            _ => None,
        }
    }

    fn set_owner(&mut self, o: usize, who: Option<usize>) {
        if let ObjSt::Mutex { owner } = &mut self.objects[o].st {
            *owner = who;
        }
    }

    fn holder(&self, t: usize) -> String {
        if self.finished(t) {
            format!("{}, which has finished", tname(t))
        } else {
            tname(t)
        }
    }

    fn rw_holders(&self, o: usize) -> String {
        match &self.objects[o].st {
            ObjSt::RwLock {
                writer: Some(w), ..
            } => format!("written by {}", self.holder(*w)),
            ObjSt::RwLock { readers, .. } if !readers.is_empty() => {
                let mut names: Vec<String> = readers.iter().map(|&r| self.holder(r)).collect();
                names.dedup();
                format!("read by {}", names.join(", "))
            }
            _ => "free".to_string(),
        }
    }

    fn due(&self, d: Option<Duration>) -> bool {
        d.is_some_and(|d| d <= self.clock)
    }

    fn wait_done(&self, t: usize, w: &Wait) -> bool {
        match *w {
            Wait::Mutex(o) => self.mutex_owner(o).is_none(),
            Wait::Read(o) => !matches!(
                self.objects[o].st,
                ObjSt::RwLock {
                    writer: Some(_),
                    ..
                }
            ),
            Wait::Write(o) => match &self.objects[o].st {
                ObjSt::RwLock { writer, readers } => writer.is_none() && readers.is_empty(),
                _ => true,
            },
            Wait::Cv {
                woken, deadline, ..
            } => woken.is_some() || self.due(deadline),
            Wait::Join(j) => self.finished(j),
            Wait::Sleep(d) => d <= self.clock,
            Wait::Park(d) => self.threads[t].token || self.due(d),
            Wait::Barrier(o, gen) => {
                !matches!(self.objects[o].st, ObjSt::Barrier { gen: g, .. } if g == gen)
            }
            Wait::Recv(o, d) => self.chan(o, |m| m.len > 0 || m.senders == 0) || self.due(d),
            Wait::Send(o) => self.chan(o, |m| {
                !m.receiver || m.len < m.cap.unwrap_or(usize::MAX).max(1)
            }),
            Wait::Taken(o, seq) => self.chan(o, |m| !m.receiver || m.taken >= seq),
            Wait::Scope(s) => self
                .scopes
                .get(s)
                .is_none_or(|list| list.iter().all(|&c| self.finished(c))),
        }
    }

    fn chan(&self, o: usize, f: impl FnOnce(&ChanMeta) -> bool) -> bool {
        match &self.objects[o].st {
            ObjSt::Chan(m) => f(&meta(m)),
            _ => true,
        }
    }

    fn enabled(&self, t: usize) -> bool {
        match &self.threads[t].status {
            Status::Runnable => true,
            Status::Finished => false,
            Status::Blocked(w) => self.wait_done(t, w),
        }
    }

    fn block(&mut self, me: usize, w: Wait, at: Option<Loc>) {
        self.threads[me].status = Status::Blocked(w);
        self.threads[me].at = at;
    }

    fn unblock(&mut self, me: usize) -> Option<Wait> {
        match std::mem::replace(&mut self.threads[me].status, Status::Runnable) {
            Status::Blocked(w) => {
                if w.deadline().is_none() {
                    self.idle_jumps = 0;
                }
                Some(w)
            }
            Status::Finished => {
                self.threads[me].status = Status::Finished;
                None
            }
            Status::Runnable => None,
        }
    }

    /// Undoes a blocked thread's wait (outside exploration, before it panics).
    fn cancel_wait(&mut self, t: usize) {
        if let Status::Blocked(w) = self.threads[t].status {
            match w {
                Wait::Cv { cv, .. } => {
                    if let ObjSt::Condvar { waiters, .. } = &mut self.objects[cv].st {
                        waiters.retain(|&x| x != t);
                    }
                }
                Wait::Barrier(o, _) => {
                    if let ObjSt::Barrier { count, .. } = &mut self.objects[o].st {
                        *count = count.saturating_sub(1);
                    }
                }
                _ => {}
            }
            self.threads[t].status = Status::Runnable;
        }
    }

    /// Moves the virtual clock to the earliest pending deadline, if any.
    fn advance_clock(&mut self, me: usize) -> bool {
        let clock = self.clock;
        let next = self
            .threads
            .iter()
            .filter_map(|t| match &t.status {
                Status::Blocked(w) => w.deadline(),
                _ => None,
            })
            .filter(|&d| d > clock)
            .min();
        match next {
            Some(d) => {
                self.clock = d;
                self.ev(me, "clock", None, |_| secs(d));
                if self
                    .threads
                    .iter()
                    .any(|t| matches!(&t.status, Status::Blocked(w) if w.deadline().is_none()))
                {
                    self.idle_jumps += 1;
                }
                true
            }
            None => false,
        }
    }

    fn describe_deadlock(&self) -> String {
        let mut lost = false;
        let mut parts = Vec::new();
        // A thread joining a blocked thread is a consequence, not a cause: leave it out
        // unless joins are all there is (threads joining each other).
        let joins_only = self
            .threads
            .iter()
            .all(|t| !matches!(t.status, Status::Blocked(w) if !matches!(w, Wait::Join(_) | Wait::Scope(_))));
        for (t, th) in self.threads.iter().enumerate() {
            let Status::Blocked(w) = th.status else {
                continue;
            };
            if !joins_only && matches!(w, Wait::Join(_) | Wait::Scope(_)) {
                continue;
            }
            let what = match w {
                Wait::Mutex(o) => match self.mutex_owner(o) {
                    Some(h) => format!("{} (held by {})", self.name(o), self.holder(h)),
                    None => self.name(o),
                },
                Wait::Read(o) => format!("{} to read ({})", self.name(o), self.rw_holders(o)),
                Wait::Write(o) => format!("{} to write ({})", self.name(o), self.rw_holders(o)),
                // A wakeup counts as lost when a notify found nobody waiting while this thread
                // was mid-way (it had completed something since it started or last woke) and
                // did not hold the mutex it then waited with: the check-then-wait race.
                // Notifies before it started, by itself, or while it held that mutex or was
                // blocked do not count. A heuristic: the model cannot see the condition.
                Wait::Cv { cv, m, .. } => match th
                    .exposed
                    .iter()
                    .rev()
                    .find(|(c, _, guarded)| *c == cv && !guarded.contains(&m))
                {
                    Some((_, l, _)) => {
                        lost = true;
                        format!(
                            "{} (notified at {} while nobody waited)",
                            self.name(cv),
                            fmt_loc(l)
                        )
                    }
                    None => self.name(cv),
                },
                Wait::Join(j) => format!("{} to finish", tname(j)),
                Wait::Sleep(_) => "the end of a sleep".to_string(),
                Wait::Park(_) => "an unpark".to_string(),
                Wait::Barrier(o, _) => match self.objects[o].st {
                    ObjSt::Barrier { count, .. } => format!("{} ({} arrived)", self.name(o), count),
                    _ => self.name(o),
                },
                Wait::Recv(o, _) => format!("{} (receive; the channel is empty)", self.name(o)),
                Wait::Send(o) | Wait::Taken(o, _) => {
                    format!("{} (send; the channel is full)", self.name(o))
                }
                Wait::Scope(s) => {
                    let left: Vec<String> = self.scopes[s]
                        .iter()
                        .filter(|&&c| !self.finished(c))
                        .map(|&c| tname(c))
                        .collect(); // sid checked by scope_end
                    format!("its scoped threads {}", left.join(", "))
                }
            };
            let at = th
                .at
                .map(|l| format!(" at {}", fmt_loc(l)))
                .unwrap_or_default();
            parts.push(format!("{} waits for {}{}", tname(t), what, at));
        }
        let head = if lost {
            "deadlock (lost wakeup): "
        } else {
            "deadlock: "
        };
        format!("{head}{}", parts.join("; "))
    }

    /// A notify on `cv` by `me` found no waiter: every other thread caught mid-attempt may
    /// have missed it (see `describe_deadlock`).
    fn expose(&mut self, me: usize, cv: usize, loc: Loc) {
        for t in 0..self.threads.len() {
            let th = &self.threads[t];
            // Suspended threads have not completed their latest scheduling point yet.
            if t == me || !matches!(th.status, Status::Runnable) || th.attempts < 2 {
                continue;
            }
            let guarded: Vec<usize> = (0..self.objects.len())
                .filter(|&o| self.mutex_owner(o) == Some(t))
                .collect();
            let exposed = &mut self.threads[t].exposed;
            exposed.retain(|(c, _, _)| *c != cv);
            exposed.push((cv, loc, guarded));
        }
    }

    /// Remembers a load for poll detection; a write forgets it.
    fn note_load(&mut self, me: usize, o: usize, v: u64) {
        let th = &mut self.threads[me];
        let n = match th.last_load {
            Some((lo, lv, n)) if lo == o && lv == v => n + 1,
            _ => 1,
        };
        th.last_load = Some((o, v, n));
        if n >= POLL_LOADS {
            th.polling = true;
        }
    }
}

// ---- strategies ----------------------------------------------------------------------------------

pub(crate) struct Rng(u64);

pub(crate) fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix(self.0)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// How one schedule decides.
#[derive(Clone, Debug)]
pub(crate) enum Plan {
    /// Run the current thread until it blocks or yields, except at `targets`: `(step, alt)`
    /// pairs, the first step absolute and later ones relative to the previous preemption,
    /// where it switches to the `alt`-th other enabled thread. `spurious_at`: the index of
    /// the condvar wait that wakes spuriously.
    Preempt {
        targets: Vec<(usize, usize)>,
        spurious_at: Option<usize>,
    },
    /// PCT (Burckhardt et al.): random priorities, `d - 1` priority change points in
    /// `1..=k`, spurious wakeups with probability `spurious_per_1024 / 1024` per wait.
    Pct {
        d: usize,
        k: usize,
        spurious_per_1024: usize,
    },
}

impl Plan {
    pub(crate) fn base() -> Plan {
        Plan::Preempt {
            targets: Vec::new(),
            spurious_at: None,
        }
    }
}

/// What schedule 0 saw, to plan the systematic schedules.
#[derive(Default, Clone, Debug)]
pub(crate) struct BaseInfo {
    /// Steps where a preemption was possible, with how many other threads could run.
    pub(crate) points: Vec<(usize, usize)>,
    pub(crate) steps: usize,
    pub(crate) waits: usize,
}

pub(crate) struct Strategy {
    plan: Plan,
    rng: Rng,
    target: usize,
    last_preempt: usize,
    prio: Vec<i64>,
    low: i64,
    change: Vec<usize>,
    pub(crate) record: Option<BaseInfo>,
}

impl Strategy {
    pub(crate) fn new(plan: Plan, seed: u64, record: bool) -> Strategy {
        let mut rng = Rng::new(seed);
        let mut change = Vec::new();
        if let Plan::Pct { d, k, .. } = plan {
            while change.len() + 1 < d && change.len() < k {
                let c = 1 + rng.below(k);
                if !change.contains(&c) {
                    change.push(c);
                }
            }
        }
        Strategy {
            plan,
            rng,
            target: 0,
            last_preempt: 0,
            prio: Vec::new(),
            low: 0,
            change,
            record: record.then(BaseInfo::default),
        }
    }

    fn on_spawn(&mut self) {
        let p = match self.plan {
            Plan::Pct { d, .. } => d as i64 + 1 + self.rng.below(1 << 40) as i64,
            Plan::Preempt { .. } => 0,
        };
        self.prio.push(p);
    }

    fn spurious(&mut self, wait_index: usize) -> bool {
        match self.plan {
            Plan::Preempt { spurious_at, .. } => spurious_at == Some(wait_index),
            Plan::Pct {
                spurious_per_1024, ..
            } => self.rng.below(1024) < spurious_per_1024,
        }
    }

    fn pick(
        &mut self,
        step: usize,
        me: usize,
        me_enabled: bool,
        enabled: &[usize],
        yielding: bool,
    ) -> usize {
        if let Some(rec) = self.record.as_mut() {
            if me_enabled && !yielding && enabled.len() > 1 {
                rec.points.push((step, enabled.len() - 1));
            }
        }
        match &self.plan {
            Plan::Preempt { targets, .. } => {
                if me_enabled && !yielding {
                    if let Some(&(at, alt)) = targets.get(self.target) {
                        let due = if self.target == 0 {
                            step >= at
                        } else {
                            step >= self.last_preempt + at
                        };
                        if due && enabled.len() > 1 {
                            self.target += 1;
                            self.last_preempt = step;
                            let others: Vec<usize> =
                                enabled.iter().copied().filter(|&t| t != me).collect();
                            return others[alt % others.len()];
                        }
                    }
                    me
                } else if yielding {
                    enabled
                        .iter()
                        .copied()
                        .find(|&t| t > me)
                        .unwrap_or(enabled[0])
                } else {
                    enabled[0]
                }
            }
            Plan::Pct { d, .. } => {
                let d = *d;
                if let Some(j) = self.change.iter().position(|&c| c == step) {
                    self.prio[me] = (d - 1 - j) as i64;
                }
                if yielding {
                    self.prio[me] = self.low;
                    self.low -= 1;
                }
                let mut best = enabled[0];
                for &t in enabled {
                    if self.prio[t] > self.prio[best] {
                        best = t;
                    }
                }
                best
            }
        }
    }
}

/// Plans schedules 1.. from what schedule 0 saw: a spurious-wakeup sweep, single
/// preemptions, pairs of preemptions, then PCT for the rest.
pub(crate) struct Planner {
    list: Vec<Plan>,
    base_steps: usize,
}

impl Planner {
    pub(crate) fn new(base: &BaseInfo, schedules: usize, seed: u64) -> Planner {
        let mut rng = Rng::new(splitmix(seed ^ 0xA076_1D64_78BD_642F));
        let budget = schedules.saturating_sub(1);
        let mut list = Vec::new();
        // 1. Each condvar wait of schedule 0 wakes spuriously once (evenly spaced if many).
        let s = base.waits.min((schedules / 8).max(1));
        for i in 0..s {
            list.push(Plan::Preempt {
                targets: Vec::new(),
                spurious_at: Some(i * base.waits / s),
            });
        }
        // 2. Every single preemption point of schedule 0, to each other thread.
        let singles: Vec<(usize, usize)> = base
            .points
            .iter()
            .flat_map(|&(step, n)| (0..n).map(move |alt| (step, alt)))
            .collect();
        let p = singles.len().min(schedules * 3 / 10);
        for i in 0..p {
            let (step, alt) = singles[i * singles.len() / p];
            list.push(Plan::Preempt {
                targets: vec![(step, alt)],
                spurious_at: None,
            });
        }
        // 3. Pairs: a first preemption from schedule 0, a second one some steps later.
        if !singles.is_empty() {
            for _ in 0..schedules / 10 {
                let (step, alt) = singles[rng.below(singles.len())];
                let delta = 1 + rng.below(base.steps.saturating_sub(step).max(1));
                list.push(Plan::Preempt {
                    targets: vec![(step, alt), (delta, rng.below(3))],
                    spurious_at: None,
                });
            }
        }
        list.truncate(budget);
        Planner {
            list,
            base_steps: base.steps,
        }
    }

    pub(crate) fn plan(&self, i: usize, seed: u64, max_seen: usize) -> Plan {
        if let Some(p) = self.list.get(i.wrapping_sub(1)) {
            return p.clone();
        }
        let d = 2 + (splitmix(seed) % 2) as usize;
        Plan::Pct {
            d,
            k: self.base_steps.max(max_seen).max(1),
            spurious_per_1024: 100,
        }
    }
}

pub(crate) fn schedule_seed(seed: u64, i: usize) -> u64 {
    splitmix(seed ^ (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)) & ((1 << 53) - 1)
}

// ---- the execution ---------------------------------------------------------------------------------

pub(crate) struct Exec {
    st: StdMutex<State>,
    exited: StdCondvar,
    /// Mirror of `State::active` (`usize::MAX` once stopped) that a thread which just passed
    /// the baton polls briefly before sleeping: a quick hand-back then costs no futex wake.
    /// A performance hint only; decisions are always taken under `st`.
    turn: AtomicUsize,
}

/// How a channel receive may block.
#[derive(Clone, Copy)]
pub(crate) enum RecvMode {
    Block,
    Try,
    Timeout(Duration),
}

pub(crate) enum RecvRes {
    Take,
    Empty,
    Disconnected,
    Timeout,
}

pub(crate) enum SendRes {
    /// Push the item now; its sequence number (for rendezvous channels).
    Push(u64),
    Full,
    Disconnected,
}

impl Exec {
    pub(crate) fn new(explore: bool, mut strategy: Strategy, max_steps: usize) -> Arc<Exec> {
        let gen = loop {
            let g = NEXT_GEN.fetch_add(1, AO::Relaxed);
            if g != 0 {
                break g;
            }
        };
        strategy.on_spawn();
        let state = State {
            gen,
            explore,
            threads: vec![Th::new(Some(Arc::from("main")))],
            active: 0,
            objects: Vec::new(),
            kinds: Vec::new(),
            clock: Duration::ZERO,
            steps: 0,
            max_steps,
            strategy,
            trace: explore.then(Trace::default),
            failure: None,
            stopped: false,
            violations: Vec::new(),
            scopes: Vec::new(),
            run_owner: 0,
            run_len: 0,
            spin: 0,
            alive: 0,
            waits: 0,
            recent: VecDeque::with_capacity(RECENT),
            scratch: Vec::new(),
            idle_jumps: 0,
            draining: false,
            fail_steps: 0,
            base_done: None,
        };
        Arc::new(Exec {
            st: StdMutex::new(state),
            exited: StdCondvar::new(),
            turn: AtomicUsize::new(0),
        })
    }

    pub(crate) fn lock(&self) -> St<'_> {
        self.st.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends the schedule: every model thread unwinds at its next scheduling point.
    pub(crate) fn stop(&self, st: &mut State, failure: Option<String>) {
        if st.failure.is_none() {
            st.failure = failure;
        }
        if !st.stopped {
            st.stopped = true;
            self.turn.store(usize::MAX, AO::Release);
            for t in &st.threads {
                t.cv.notify_all();
            }
        }
    }

    /// Stops the schedule now (keeping any outcome already decided).
    pub(crate) fn halt(&self) {
        let mut st = self.lock();
        self.stop(&mut st, None);
    }

    /// Waits until every real thread spawned in this execution has left its closure.
    pub(crate) fn wait_exited(&self) {
        let mut st = self.lock();
        while st.alive > 0 {
            st = self.exited.wait(st).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Waits until this thread holds the baton.
    pub(crate) fn wait_turn<'a>(&'a self, mut st: St<'a>, me: usize) -> Result<St<'a>, Stop> {
        let cv = Arc::clone(&st.threads[me].cv);
        if st.active != me && !st.stopped {
            drop(st);
            for _ in 0..SPIN_TURNS {
                let t = self.turn.load(AO::Acquire);
                if t == me || t == usize::MAX {
                    break;
                }
                std::thread::yield_now();
            }
            st = self.lock();
        }
        loop {
            if st.stopped {
                return Err(Stop::Abandon);
            }
            if st.active == me {
                if let Some(stop) = st.threads[me].doom.take() {
                    return Err(stop);
                }
                return Ok(st);
            }
            st = cv.wait(st).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The schedule failed (deadlock, no progress): record the outcome, freeze the trace, and
    /// unwind only the scenario's thread first, still under the model, so the `Drop`s on
    /// its stack (a pool joining its workers...) run with working primitives instead of
    /// during a teardown. Any further deadlock, or `max_steps` more steps, stops everything.
    /// Returns whether `me` (main) must unwind now.
    fn begin_drain(&self, st: &mut State, me: usize, msg: String) -> bool {
        st.failure = Some(msg);
        st.fail_steps = st.steps;
        st.draining = true;
        let (steps, waits) = (st.steps, st.waits);
        st.base_done = st
            .strategy
            .record
            .take()
            .map(|b| BaseInfo { steps, waits, ..b });
        st.cancel_wait(0);
        if me == 0 {
            return true;
        }
        st.threads[0].doom = Some(Stop::Abandon);
        false
    }

    fn hand_to(&self, st: &mut State, next: usize) {
        st.active = next;
        self.turn.store(next, AO::Release);
        st.threads[next].cv.notify_one();
    }

    /// Picks who runs next; `me` may be blocked or finished. Handles virtual time and
    /// deadlocks.
    fn choose(&self, st: &mut State, me: usize, poll: bool, fair: bool) -> Result<usize, Stop> {
        let mut advanced = false;
        let mut enabled = std::mem::take(&mut st.scratch);
        let r = loop {
            enabled.clear();
            for t in 0..st.threads.len() {
                if st.enabled(t) {
                    enabled.push(t);
                }
            }
            // Outside exploration, a thread waiting for ever while others only sleep is a
            // deadlock too (inside, `max_steps` ends such a schedule).
            let stalled = !st.explore && st.idle_jumps > st.max_steps;
            if enabled.is_empty() || stalled {
                if !stalled && st.advance_clock(me) {
                    continue;
                }
                st.idle_jumps = 0;
                if !st
                    .threads
                    .iter()
                    .any(|t| matches!(t.status, Status::Blocked(_)))
                {
                    break Ok(me);
                }
                let msg = st.describe_deadlock();
                if st.explore {
                    if st.draining {
                        self.stop(st, None);
                        break Err(Stop::Abandon);
                    }
                    if self.begin_drain(st, me, msg) {
                        break Err(Stop::Abandon);
                    }
                    continue;
                }
                // Outside exploration every blocked thread panics with the message.
                let me_blocked = matches!(st.threads[me].status, Status::Blocked(_));
                for t in 0..st.threads.len() {
                    if matches!(st.threads[t].status, Status::Blocked(_)) {
                        st.cancel_wait(t);
                        if t != me {
                            st.threads[t].doom = Some(Stop::Panic(msg.clone()));
                        }
                    }
                }
                if me_blocked {
                    break Err(Stop::Panic(msg));
                }
                continue;
            }
            let alone = enabled.len() == 1 && enabled[0] == me;
            if poll && alone && !advanced && st.advance_clock(me) {
                // Polling while only sleepers could change anything: time passes.
                advanced = true;
                continue;
            }
            if !st.explore {
                if poll && alone {
                    st.spin += 1;
                    if st.spin > st.max_steps {
                        st.spin = 0;
                        break Err(Stop::Panic(no_progress(st)));
                    }
                } else if !poll {
                    st.spin = 0;
                }
            }
            if st.draining && enabled[0] == 0 {
                break Ok(0);
            }
            let me_enabled = enabled.contains(&me);
            let step = st.steps;
            break Ok(st
                .strategy
                .pick(step, me, me_enabled, &enabled, poll || fair));
        };
        st.scratch = enabled;
        r
    }

    /// A scheduling point of the running thread `me` (runnable, or blocked with its wait
    /// recorded). Returns once `me` holds the baton again and, if blocked, its wait is over.
    pub(crate) fn sched<'a>(
        &'a self,
        mut st: St<'a>,
        me: usize,
        loc: Option<Loc>,
        poll: bool,
    ) -> Result<St<'a>, Stop> {
        if st.stopped {
            return Err(Stop::Abandon);
        }
        if let Some(stop) = st.threads[me].doom.take() {
            return Err(stop);
        }
        st.steps += 1;
        st.threads[me].attempts += 1;
        if let Some(l) = loc {
            if st.recent.len() == RECENT {
                st.recent.pop_front();
            }
            st.recent.push_back(l);
        }
        if st.explore && st.steps > st.max_steps {
            if st.draining {
                if st.steps > 2 * st.max_steps {
                    self.stop(&mut st, None);
                    return Err(Stop::Abandon);
                }
            } else {
                let msg = no_progress(&st);
                if self.begin_drain(&mut st, me, msg) {
                    return Err(Stop::Abandon);
                }
            }
        }
        let poll = poll || std::mem::take(&mut st.threads[me].polling);
        if st.run_owner == me {
            st.run_len += 1;
        } else {
            st.run_owner = me;
            st.run_len = 1;
        }
        // Stays set until another thread actually runs (which resets `run_len`).
        let fair = st.run_len >= FAIR_RUN;
        let next = self.choose(&mut st, me, poll, fair)?;
        if next != me {
            self.hand_to(&mut st, next);
            st = self.wait_turn(st, me)?;
        }
        Ok(st)
    }

    /// Blocks `me` on `w` until it is satisfied.
    fn block_on<'a>(
        &'a self,
        mut st: St<'a>,
        me: usize,
        w: Wait,
        loc: Option<Loc>,
    ) -> Result<St<'a>, Stop> {
        st.block(me, w, loc);
        let mut st = self.sched(st, me, loc, false)?;
        st.unblock(me);
        Ok(st)
    }

    fn enter(&self, me: usize, loc: Option<Loc>, poll: bool) -> Result<St<'_>, Stop> {
        let st = self.lock();
        self.sched(st, me, loc, poll)
    }

    // ---- threads ----

    pub(crate) fn spawn_begin(
        &self,
        me: usize,
        loc: Loc,
        name: Option<Arc<str>>,
        scope: Option<usize>,
    ) -> Result<usize, Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let tid = st.threads.len();
        st.threads.push(Th::new(name));
        st.strategy.on_spawn();
        st.alive += 1;
        if let Some(list) = scope.and_then(|s| st.scopes.get_mut(s)) {
            list.push(tid);
        }
        st.ev(me, "spawn", Some(loc), |_| tname(tid));
        Ok(tid)
    }

    pub(crate) fn spawn_failed(&self, tid: usize) {
        let mut st = self.lock();
        st.threads[tid].status = Status::Finished;
        st.alive -= 1;
    }

    pub(crate) fn thread_done(&self) {
        let mut st = self.lock();
        st.alive -= 1;
        self.exited.notify_all();
    }

    /// A model thread's closure returned (or panicked): pass the baton on for good.
    pub(crate) fn exit(&self, me: usize, panic: Option<String>) {
        let mut st = self.lock();
        st.threads[me].status = Status::Finished;
        st.threads[me].panicked = panic.is_some();
        if st.stopped || st.active != me {
            return;
        }
        if let Some(msg) = panic {
            st.ev(me, "panic", None, |_| msg);
        }
        st.ev(me, "exit", None, |_| String::new());
        st.steps += 1;
        if let Ok(next) = self.choose(&mut st, me, false, false) {
            if next != me {
                self.hand_to(&mut st, next);
            }
        }
    }

    pub(crate) fn join_wait(&self, me: usize, loc: Loc, target: usize) -> Result<(), Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        if !st.finished(target) {
            st.ev(me, "blocked", Some(loc), |_| {
                format!("join {}", tname(target))
            });
            st = self.block_on(st, me, Wait::Join(target), Some(loc))?;
        }
        let panicked = st.threads[target].panicked;
        st.ev(me, "join", Some(loc), |_| {
            if panicked {
                format!("{} (panicked)", tname(target))
            } else {
                tname(target)
            }
        });
        Ok(())
    }

    pub(crate) fn is_finished(&self, t: usize) -> bool {
        self.lock().finished(t)
    }

    pub(crate) fn scope_begin(&self) -> usize {
        let mut st = self.lock();
        st.scopes.push(Vec::new());
        st.scopes.len() - 1
    }

    pub(crate) fn scope_end(&self, me: usize, loc: Loc, sid: usize) -> Result<(), Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        if sid >= st.scopes.len() {
            return Ok(());
        }
        if !st.wait_done(me, &Wait::Scope(sid)) {
            st.ev(me, "blocked", Some(loc), |s| {
                let left: Vec<String> = s.scopes[sid]
                    .iter()
                    .filter(|&&c| !s.finished(c))
                    .map(|&c| tname(c))
                    .collect();
                format!("scoped threads {}", left.join(", "))
            });
            st = self.block_on(st, me, Wait::Scope(sid), Some(loc))?;
        }
        st.ev(me, "join", Some(loc), |_| "scope".to_string());
        Ok(())
    }

    pub(crate) fn thread_name(&self, t: usize) -> Option<Arc<str>> {
        self.lock().threads.get(t).and_then(|th| th.name.clone())
    }

    pub(crate) fn point(&self, me: usize, loc: Option<Loc>, poll: bool) -> Result<(), Stop> {
        self.enter(me, loc, poll).map(drop)
    }

    pub(crate) fn sleep(&self, me: usize, loc: Loc, d: Duration) -> Result<(), Stop> {
        let mut st = self.enter(me, Some(loc), d.is_zero())?;
        if d.is_zero() {
            return Ok(());
        }
        let until = st.clock.saturating_add(d);
        st.ev(me, "sleep", Some(loc), |_| format!("{}s", secs(d)));
        st = self.block_on(st, me, Wait::Sleep(until), Some(loc))?;
        st.ev(me, "wake", Some(loc), |_| "sleep".to_string());
        Ok(())
    }

    pub(crate) fn park(&self, me: usize, loc: Loc, timeout: Option<Duration>) -> Result<(), Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        if !st.threads[me].token {
            let deadline = timeout.map(|d| st.clock.saturating_add(d));
            st.ev(me, "wait", Some(loc), |_| "park".to_string());
            st = self.block_on(st, me, Wait::Park(deadline), Some(loc))?;
            let woke = if st.threads[me].token {
                "unpark"
            } else {
                "park timeout"
            };
            st.ev(me, "wake", Some(loc), |_| woke.to_string());
        }
        st.threads[me].token = false;
        Ok(())
    }

    pub(crate) fn unpark(&self, me: usize, loc: Loc, target: usize) -> Result<(), Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        if let Some(th) = st.threads.get_mut(target) {
            th.token = true;
        }
        st.ev(me, "notify", Some(loc), |_| {
            format!("unpark {}", tname(target))
        });
        Ok(())
    }

    pub(crate) fn now(&self) -> Duration {
        self.lock().clock
    }

    pub(crate) fn violation(&self, me: usize, loc: Loc, msg: &str) {
        let mut st = self.lock();
        if st.draining {
            return;
        }
        if !st.violations.iter().any(|v| v == msg) {
            st.violations.push(msg.to_string());
        }
        st.ev(me, "violation", Some(loc), |_| msg.to_string());
    }

    // ---- locks ----

    pub(crate) fn mutex_lock(&self, id: &ObjId, me: usize, loc: Loc) -> Result<(), Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let o = id.get(&mut st, "Mutex", || ObjSt::Mutex { owner: None });
        st.ev(me, "lock", Some(loc), |s| s.name(o));
        if let Some(h) = st.mutex_owner(o) {
            st.ev(me, "blocked", Some(loc), |s| {
                format!("{} held by {}", s.name(o), tname(h))
            });
            st = self.block_on(st, me, Wait::Mutex(o), Some(loc))?;
        }
        st.set_owner(o, Some(me));
        st.ev(me, "locked", Some(loc), |s| s.name(o));
        Ok(())
    }

    pub(crate) fn mutex_try_lock(&self, id: &ObjId, me: usize, loc: Loc) -> Result<bool, Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let o = id.get(&mut st, "Mutex", || ObjSt::Mutex { owner: None });
        match st.mutex_owner(o) {
            None => {
                st.set_owner(o, Some(me));
                st.ev(me, "locked", Some(loc), |s| {
                    format!("{} (try_lock)", s.name(o))
                });
                Ok(true)
            }
            Some(h) => {
                st.ev(me, "lock", Some(loc), |s| {
                    format!("{} try_lock failed: held by {}", s.name(o), tname(h))
                });
                st.threads[me].polling = true;
                Ok(false)
            }
        }
    }

    pub(crate) fn mutex_unlock(&self, id: &ObjId, me: usize) -> Result<(), Stop> {
        let mut st = self.enter(me, None, false)?;
        let o = id.get(&mut st, "Mutex", || ObjSt::Mutex { owner: None });
        if st.mutex_owner(o) == Some(me) {
            st.set_owner(o, None);
        }
        st.ev(me, "unlock", None, |s| s.name(o));
        Ok(())
    }

    fn rw_free(st: &State, o: usize, write: bool) -> bool {
        match &st.objects[o].st {
            ObjSt::RwLock { writer, readers } => writer.is_none() && (!write || readers.is_empty()),
            _ => true,
        }
    }

    fn rw_take(st: &mut State, o: usize, me: usize, write: bool) {
        if let ObjSt::RwLock { writer, readers } = &mut st.objects[o].st {
            if write {
                *writer = Some(me);
            } else {
                readers.push(me);
            }
        }
    }

    pub(crate) fn rw_lock(&self, id: &ObjId, me: usize, loc: Loc, write: bool) -> Result<(), Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let o = id.get(&mut st, "RwLock", || ObjSt::RwLock {
            writer: None,
            readers: Vec::new(),
        });
        let how = if write { "write" } else { "read" };
        st.ev(me, "lock", Some(loc), |s| format!("{}.{how}", s.name(o)));
        if !Self::rw_free(&st, o, write) {
            st.ev(me, "blocked", Some(loc), |s| {
                format!("{}.{how}: {}", s.name(o), s.rw_holders(o))
            });
            let w = if write { Wait::Write(o) } else { Wait::Read(o) };
            st = self.block_on(st, me, w, Some(loc))?;
        }
        Self::rw_take(&mut st, o, me, write);
        st.ev(me, "locked", Some(loc), |s| format!("{}.{how}", s.name(o)));
        Ok(())
    }

    pub(crate) fn rw_try_lock(
        &self,
        id: &ObjId,
        me: usize,
        loc: Loc,
        write: bool,
    ) -> Result<bool, Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let o = id.get(&mut st, "RwLock", || ObjSt::RwLock {
            writer: None,
            readers: Vec::new(),
        });
        let how = if write { "try_write" } else { "try_read" };
        if Self::rw_free(&st, o, write) {
            Self::rw_take(&mut st, o, me, write);
            st.ev(me, "locked", Some(loc), |s| format!("{}.{how}", s.name(o)));
            Ok(true)
        } else {
            st.ev(me, "lock", Some(loc), |s| {
                format!("{}.{how} failed: {}", s.name(o), s.rw_holders(o))
            });
            st.threads[me].polling = true;
            Ok(false)
        }
    }

    pub(crate) fn rw_unlock(&self, id: &ObjId, me: usize, write: bool) -> Result<(), Stop> {
        let mut st = self.enter(me, None, false)?;
        let o = id.get(&mut st, "RwLock", || ObjSt::RwLock {
            writer: None,
            readers: Vec::new(),
        });
        if let ObjSt::RwLock { writer, readers } = &mut st.objects[o].st {
            if write {
                if *writer == Some(me) {
                    *writer = None;
                }
            } else if let Some(i) = readers.iter().position(|&r| r == me) {
                readers.remove(i);
            }
        }
        let how = if write { "write" } else { "read" };
        st.ev(me, "unlock", None, |s| format!("{}.{how}", s.name(o)));
        Ok(())
    }

    // ---- condition variables ----

    /// Releases the mutex, waits, reacquires it. Returns whether the wait timed out.
    pub(crate) fn cv_wait(
        &self,
        cv: &ObjId,
        m: &ObjId,
        me: usize,
        loc: Loc,
        timeout: Option<Duration>,
    ) -> Result<bool, Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let c = cv.get(&mut st, "Condvar", || ObjSt::Condvar {
            waiters: VecDeque::new(),
        });
        let o = m.get(&mut st, "Mutex", || ObjSt::Mutex { owner: None });
        if st.mutex_owner(o) == Some(me) {
            st.set_owner(o, None);
        }
        let index = st.waits;
        st.waits += 1;
        let spurious = st.explore && !st.draining && st.strategy.spurious(index);
        let deadline = timeout.and_then(|d| st.clock.checked_add(d));
        st.ev(me, "wait", Some(loc), |s| match timeout {
            Some(d) => format!("{} ({}, timeout {}s)", s.name(c), s.name(o), secs(d)),
            None => format!("{} ({})", s.name(c), s.name(o)),
        });
        if !spurious {
            if let ObjSt::Condvar { waiters, .. } = &mut st.objects[c].st {
                waiters.push_back(me);
            }
        }
        let woken = spurious.then_some(Wake::Spurious);
        st.block(
            me,
            Wait::Cv {
                cv: c,
                m: o,
                woken,
                deadline,
            },
            Some(loc),
        );
        st = self.sched(st, me, Some(loc), false)?;
        let woken = match st.unblock(me) {
            Some(Wait::Cv { woken, .. }) => woken,
            _ => None,
        };
        if let ObjSt::Condvar { waiters, .. } = &mut st.objects[c].st {
            waiters.retain(|&t| t != me);
        }
        let ev = match woken {
            Some(Wake::Notified) => "wake",
            Some(Wake::Spurious) => "spurious",
            None => "timeout",
        };
        st.ev(me, ev, Some(loc), |s| s.name(c));
        if let Some(h) = st.mutex_owner(o) {
            st.ev(me, "blocked", Some(loc), |s| {
                format!("{} held by {}", s.name(o), tname(h))
            });
            st = self.block_on(st, me, Wait::Mutex(o), Some(loc))?;
        }
        st.set_owner(o, Some(me));
        st.ev(me, "locked", Some(loc), |s| s.name(o));
        let th = &mut st.threads[me];
        th.attempts = 0;
        th.exposed.clear();
        Ok(woken.is_none())
    }

    pub(crate) fn cv_notify(&self, cv: &ObjId, me: usize, loc: Loc, all: bool) -> Result<(), Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let c = cv.get(&mut st, "Condvar", || ObjSt::Condvar {
            waiters: VecDeque::new(),
        });
        let woken: Vec<usize> = match &mut st.objects[c].st {
            ObjSt::Condvar { waiters } => {
                if all {
                    waiters.drain(..).collect()
                } else {
                    waiters.pop_front().into_iter().collect()
                }
            }
            _ => Vec::new(),
        };
        if woken.is_empty() {
            st.expose(me, c, loc);
        }
        for &t in &woken {
            if let Status::Blocked(Wait::Cv { woken, .. }) = &mut st.threads[t].status {
                *woken = Some(Wake::Notified);
            }
        }
        let ev = if all { "notify_all" } else { "notify" };
        st.ev(me, ev, Some(loc), |s| {
            if woken.is_empty() {
                format!("{} (no waiter)", s.name(c))
            } else {
                let names: Vec<String> = woken.iter().map(|&t| tname(t)).collect();
                format!("{} -> {}", s.name(c), names.join(", "))
            }
        });
        Ok(())
    }

    pub(crate) fn barrier_wait(
        &self,
        id: &ObjId,
        n: usize,
        me: usize,
        loc: Loc,
    ) -> Result<bool, Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let o = id.get(&mut st, "Barrier", || ObjSt::Barrier { count: 0, gen: 0 });
        let (arrived, gen) = match &mut st.objects[o].st {
            ObjSt::Barrier { count, gen } => {
                *count += 1;
                (*count, *gen)
            }
            _ => (n, 0),
        };
        if arrived >= n.max(1) {
            if let ObjSt::Barrier { count, gen } = &mut st.objects[o].st {
                *count = 0;
                *gen += 1;
            }
            st.ev(me, "notify_all", Some(loc), |s| {
                format!("{} (leader)", s.name(o))
            });
            return Ok(true);
        }
        st.ev(me, "wait", Some(loc), |s| {
            format!("{} ({arrived} of {n})", s.name(o))
        });
        st = self.block_on(st, me, Wait::Barrier(o, gen), Some(loc))?;
        st.ev(me, "wake", Some(loc), |s| s.name(o));
        Ok(false)
    }

    // ---- atomics ----

    /// Runs one atomic operation at a scheduling point. `op` runs under the model lock and
    /// must not call learner code; `access` classifies it for poll detection; `show` renders
    /// it for the trace (`load -> 5`), only when a trace is kept.
    #[allow(clippy::too_many_arguments)] // three closures keep the trace text lazy
    pub(crate) fn atomic<R>(
        &self,
        id: &ObjId,
        name: &'static str,
        me: usize,
        loc: Loc,
        op: impl FnOnce() -> R,
        access: impl FnOnce(&R) -> Access,
        show: impl FnOnce(&R) -> String,
    ) -> Result<R, Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let o = id.get(&mut st, name, || ObjSt::Atomic);
        let r = op();
        match access(&r) {
            Access::Load(v) => st.note_load(me, o, v),
            Access::Write => st.threads[me].last_load = None,
            Access::Failed => st.threads[me].polling = true,
        }
        st.ev(me, "atomic", Some(loc), |s| {
            format!("{}.{}", s.name(o), show(&r))
        });
        Ok(r)
    }

    // ---- channels ----

    pub(crate) fn chan_recv(
        &self,
        id: &ObjId,
        m: &Meta,
        me: usize,
        loc: Loc,
        mode: RecvMode,
    ) -> Result<RecvRes, Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let o = id.get(&mut st, "Channel", || ObjSt::Chan(Arc::clone(m)));
        let ready = |m: &Meta| {
            let g = meta(m);
            g.len > 0 || g.senders == 0
        };
        let mut timed_out = false;
        if !ready(m) {
            match mode {
                RecvMode::Try => {
                    st.threads[me].polling = true;
                    st.ev(me, "wake", Some(loc), |s| {
                        format!("{}.try_recv: empty", s.name(o))
                    });
                    return Ok(RecvRes::Empty);
                }
                RecvMode::Block | RecvMode::Timeout(_) => {
                    let deadline = match mode {
                        RecvMode::Timeout(d) => st.clock.checked_add(d),
                        _ => None,
                    };
                    st.ev(me, "blocked", Some(loc), |s| {
                        format!("{}.recv: empty", s.name(o))
                    });
                    st = self.block_on(st, me, Wait::Recv(o, deadline), Some(loc))?;
                    timed_out = !ready(m);
                }
            }
        }
        if timed_out {
            st.ev(me, "timeout", Some(loc), |s| format!("{}.recv", s.name(o)));
            return Ok(RecvRes::Timeout);
        }
        let mut g = meta(m);
        if g.len > 0 {
            g.len -= 1;
            g.taken += 1;
            drop(g);
            st.ev(me, "wake", Some(loc), |s| format!("{}.recv", s.name(o)));
            Ok(RecvRes::Take)
        } else {
            drop(g);
            st.ev(me, "wake", Some(loc), |s| {
                format!("{}.recv: disconnected", s.name(o))
            });
            Ok(RecvRes::Disconnected)
        }
    }

    pub(crate) fn chan_send(
        &self,
        id: &ObjId,
        m: &Meta,
        me: usize,
        loc: Loc,
        block: bool,
    ) -> Result<SendRes, Stop> {
        let mut st = self.enter(me, Some(loc), false)?;
        let o = id.get(&mut st, "Channel", || ObjSt::Chan(Arc::clone(m)));
        let full = |m: &Meta| {
            let g = meta(m);
            g.receiver && g.len >= g.cap.unwrap_or(usize::MAX).max(1)
        };
        if full(m) {
            if !block {
                st.threads[me].polling = true;
                st.ev(me, "notify", Some(loc), |s| {
                    format!("{}.try_send: full", s.name(o))
                });
                return Ok(SendRes::Full);
            }
            st.ev(me, "blocked", Some(loc), |s| {
                format!("{}.send: full", s.name(o))
            });
            st = self.block_on(st, me, Wait::Send(o), Some(loc))?;
        }
        let mut g = meta(m);
        if !g.receiver {
            drop(g);
            st.ev(me, "notify", Some(loc), |s| {
                format!("{}.send: disconnected", s.name(o))
            });
            return Ok(SendRes::Disconnected);
        }
        g.len += 1;
        g.sent += 1;
        let seq = g.sent;
        drop(g);
        st.ev(me, "notify", Some(loc), |s| format!("{}.send", s.name(o)));
        Ok(SendRes::Push(seq))
    }

    /// Rendezvous: waits until item `seq` was received. `false`: the receiver went away.
    pub(crate) fn chan_wait_taken(
        &self,
        id: &ObjId,
        m: &Meta,
        me: usize,
        loc: Loc,
        seq: u64,
    ) -> Result<bool, Stop> {
        let mut st = self.lock();
        let o = id.get(&mut st, "Channel", || ObjSt::Chan(Arc::clone(m)));
        drop(self.block_on(st, me, Wait::Taken(o, seq), Some(loc))?);
        let g = meta(m);
        Ok(g.taken >= seq)
    }
}

/// What an atomic operation did, for poll detection.
pub(crate) enum Access {
    Load(u64),
    Write,
    Failed,
}

/// Names every place the recent scheduling points came from, sorted, so the text does not
/// depend on where in its loop the step budget ran out.
fn no_progress(st: &State) -> String {
    let mut places: Vec<(&str, u32)> = st.recent.iter().map(|l| (l.file(), l.line())).collect();
    places.sort_unstable();
    places.dedup();
    let names: Vec<String> = places
        .iter()
        .map(|&(file, line)| fmt_loc_parts(file, line))
        .collect();
    let at = if names.is_empty() {
        String::new()
    } else {
        format!(" at {}", names.join(", "))
    };
    format!(
        "no progress: still running after {} steps (an infinite loop or a livelock?){at}",
        st.max_steps
    )
}

/// The body of every model thread: wait for the baton, run `f`, pass the baton on.
pub(crate) fn thread_main<T>(exec: Arc<Exec>, tid: usize, f: impl FnOnce() -> T) -> T {
    struct Done(Arc<Exec>);
    impl Drop for Done {
        fn drop(&mut self) {
            self.0.thread_done();
        }
    }
    let _done = Done(Arc::clone(&exec));
    swap_ctx(Some((Arc::clone(&exec), tid)));
    let started = {
        let st = exec.lock();
        exec.wait_turn(st, tid).map(drop)
    };
    if started.is_err() {
        exec.exit(tid, None);
        std::panic::resume_unwind(Box::new(Abandoned));
    }
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let panic = match &r {
        Ok(_) => None,
        Err(p) if p.is::<Abandoned>() => Some(String::new()),
        Err(p) => Some(payload_text(&**p)),
    };
    exec.exit(tid, panic);
    match r {
        Ok(v) => v,
        Err(p) => std::panic::resume_unwind(p),
    }
}

/// What explore keeps of a finished schedule.
pub(crate) struct Finished {
    pub(crate) text: String,
    pub(crate) steps: usize,
    pub(crate) trace: Trace,
    pub(crate) base: Option<BaseInfo>,
}

impl Exec {
    /// The scenario (main) returned or panicked: decide the outcome, tear the schedule down.
    pub(crate) fn finish(&self, r: std::thread::Result<String>) -> Finished {
        let mut st = self.lock();
        let mut text = match (&st.failure, r) {
            (Some(f), _) => f.clone(),
            (None, Ok(s)) => s,
            (None, Err(p)) if p.is::<Abandoned>() => "panic: abandoned".to_string(),
            (None, Err(p)) => {
                let msg = payload_text(&*p)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                st.ev(0, "panic", None, |_| msg.clone());
                format!("panic: {msg}")
            }
        };
        if st.failure.is_none() {
            let left: Vec<String> = (1..st.threads.len())
                .filter(|&t| !st.finished(t))
                .map(tname)
                .collect();
            if !left.is_empty() {
                text.push_str(&format!("; {} still running", left.join(", ")));
            }
        }
        for v in &st.violations {
            text.push_str(&format!("; violation: {v}"));
        }
        self.stop(&mut st, None);
        let steps = if st.draining { st.fail_steps } else { st.steps };
        let waits = st.waits;
        let trace = st.trace.take().unwrap_or_default();
        let base = st.base_done.take().or_else(|| {
            st.strategy
                .record
                .take()
                .map(|b| BaseInfo { steps, waits, ..b })
        });
        drop(st);
        self.wait_exited();
        Finished {
            text,
            steps,
            trace,
            base,
        }
    }
}
