//! `kst::time`: `Instant` reads the execution's virtual clock, which starts at 0 and moves
//! only when every live thread is blocked and some wait has a deadline (or a thread polls
//! while only sleepers could change anything). `Duration` and `SystemTime` are std's own
//! (`SystemTime` is real wall-clock time, not modelled).

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};

use crate::sched as rt;

pub use std::time::{Duration, SystemTime, SystemTimeError, TryFromFloatSecsError, UNIX_EPOCH};

/// A point on the virtual clock.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    t: Duration,
}

impl Instant {
    /// The virtual time now (not a scheduling point).
    pub fn now() -> Instant {
        let t = rt::ctx().map(|(exec, _)| exec.now()).unwrap_or_default();
        Instant { t }
    }

    pub fn duration_since(&self, earlier: Instant) -> Duration {
        self.t.saturating_sub(earlier.t)
    }

    pub fn checked_duration_since(&self, earlier: Instant) -> Option<Duration> {
        self.t.checked_sub(earlier.t)
    }

    pub fn saturating_duration_since(&self, earlier: Instant) -> Duration {
        self.t.saturating_sub(earlier.t)
    }

    pub fn elapsed(&self) -> Duration {
        Instant::now().duration_since(*self)
    }

    pub fn checked_add(&self, d: Duration) -> Option<Instant> {
        self.t.checked_add(d).map(|t| Instant { t })
    }

    pub fn checked_sub(&self, d: Duration) -> Option<Instant> {
        self.t.checked_sub(d).map(|t| Instant { t })
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        self.checked_add(d)
            .expect("overflow when adding duration to instant")
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, d: Duration) {
        *self = *self + d;
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;
    fn sub(self, d: Duration) -> Instant {
        self.checked_sub(d)
            .expect("overflow when subtracting duration from instant")
    }
}

impl SubAssign<Duration> for Instant {
    fn sub_assign(&mut self, d: Duration) {
        *self = *self - d;
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    fn sub(self, other: Instant) -> Duration {
        self.duration_since(other)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Instant({}s virtual)", rt::secs(self.t))
    }
}
