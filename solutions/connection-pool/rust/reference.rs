//! A connection pool: a fixed set of connections lent to one borrower at a time.
//!
//! One mutex guards the whole state (idle connections, the queue of waiting borrowers, the
//! number lent out, the closed flag) and one condition variable announces every change.
//! Waiters take a ticket and are served strictly in ticket order: a borrower may take an idle
//! connection only when nobody waits before it, so a newcomer can never overtake a waiter
//! that was just woken. The guard gives its connection back in `Drop`, which also runs while
//! a panic unwinds through the borrower.

use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Why an acquire failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcquireError {
    /// The pool is closed (or closing); also what waiters get when it closes under them.
    Closed,
    /// `try_acquire` found no connection before its timeout ran out.
    Timeout,
}

pub struct Pool<C> {
    state: Mutex<State<C>>,
    changed: Condvar,
}

struct State<C> {
    idle: VecDeque<C>,
    waiting: VecDeque<u64>,
    next_ticket: u64,
    in_use: usize,
    closed: bool,
}

/// A borrowed connection; dropping it returns the connection to the pool.
pub struct Guard<'a, C> {
    pool: &'a Pool<C>,
    conn: Option<C>,
}

impl<C> Pool<C> {
    pub fn new(connections: Vec<C>) -> Self {
        assert!(!connections.is_empty(), "a pool needs at least one connection");
        Pool {
            state: Mutex::new(State {
                idle: connections.into(),
                waiting: VecDeque::new(),
                next_ticket: 0,
                in_use: 0,
                closed: false,
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<C>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits as long as it takes for a connection (first come, first served).
    pub fn acquire(&self) -> Result<Guard<'_, C>, AcquireError> {
        self.acquire_within(None)
    }

    /// Like `acquire`, but gives up with `Timeout` once `timeout` has passed.
    pub fn try_acquire(&self, timeout: Duration) -> Result<Guard<'_, C>, AcquireError> {
        self.acquire_within(Some(timeout))
    }

    fn acquire_within(&self, timeout: Option<Duration>) -> Result<Guard<'_, C>, AcquireError> {
        // A deadline too far away for the clock is no deadline.
        let deadline = timeout.and_then(|timeout| Instant::now().checked_add(timeout));
        let mut state = self.lock();
        if state.closed {
            return Err(AcquireError::Closed);
        }
        if state.waiting.is_empty() {
            if let Some(conn) = state.idle.pop_front() {
                return Ok(self.lend(&mut state, conn));
            }
        }
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.waiting.push_back(ticket);
        // Wait until the pool closes, or this ticket is first in line and a connection is idle.
        while !state.closed && (state.waiting.front() != Some(&ticket) || state.idle.is_empty()) {
            match deadline {
                None => {
                    state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
                }
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        state.waiting.retain(|&t| t != ticket);
                        return Err(AcquireError::Timeout);
                    }
                    state = self
                        .changed
                        .wait_timeout(state, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
            }
        }
        state.waiting.retain(|&t| t != ticket);
        if state.closed {
            return Err(AcquireError::Closed);
        }
        let conn = state.idle.pop_front().expect("an idle connection");
        // The next in line may find another idle connection.
        self.changed.notify_all();
        Ok(self.lend(&mut state, conn))
    }

    fn lend(&self, state: &mut State<C>, conn: C) -> Guard<'_, C> {
        state.in_use += 1;
        Guard {
            pool: self,
            conn: Some(conn),
        }
    }

    /// Refuses every acquire from now on (waiters get `Closed`), then waits until every
    /// borrowed connection has been returned.
    pub fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        self.changed.notify_all();
        while state.in_use > 0 {
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }

    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Connections in the pool now (not lent out).
    pub fn available(&self) -> usize {
        self.lock().idle.len()
    }

    /// Connections lent out now.
    pub fn in_use(&self) -> usize {
        self.lock().in_use
    }
}

impl<C> Deref for Guard<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.conn.as_ref().expect("a guard holds its connection until dropped")
    }
}

impl<C> DerefMut for Guard<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn.as_mut().expect("a guard holds its connection until dropped")
    }
}

impl<C> Drop for Guard<'_, C> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut state = self.pool.lock();
            state.idle.push_back(conn);
            state.in_use -= 1;
            drop(state);
            self.pool.changed.notify_all();
        }
    }
}
