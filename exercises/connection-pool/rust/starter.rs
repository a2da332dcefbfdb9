//! A connection pool: see README.md. Use std only.

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

/// Why an acquire failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcquireError {
    /// The pool is closed or closing.
    Closed,
    /// `try_acquire` got no connection before its timeout ran out.
    Timeout,
}

pub struct Pool<C> {
    // Your fields here (then remove this placeholder).
    connections: PhantomData<C>,
}

/// A borrowed connection: derefs to it, and gives it back to the pool when dropped.
pub struct Guard<'a, C> {
    pool: &'a Pool<C>,
    // Your fields here.
}

impl<C> Pool<C> {
    /// A pool lending these connections; panics when there are none.
    pub fn new(connections: Vec<C>) -> Self {
        let _ = connections;
        todo!("Pool::new")
    }

    /// Waits until a connection is free (first come, first served); `Err(Closed)` once the
    /// pool is closed.
    pub fn acquire(&self) -> Result<Guard<'_, C>, AcquireError> {
        todo!("Pool::acquire")
    }

    /// Like `acquire`, but gives up with `Err(Timeout)` when `timeout` has passed.
    pub fn try_acquire(&self, timeout: Duration) -> Result<Guard<'_, C>, AcquireError> {
        let _ = timeout;
        todo!("Pool::try_acquire")
    }

    /// Refuses new acquires, then waits until every guard has been dropped.
    pub fn close(&self) {
        todo!("Pool::close")
    }

    pub fn is_closed(&self) -> bool {
        todo!("Pool::is_closed")
    }

    /// Connections in the pool now (not lent out).
    pub fn available(&self) -> usize {
        todo!("Pool::available")
    }

    /// Connections lent out now (guards alive).
    pub fn in_use(&self) -> usize {
        todo!("Pool::in_use")
    }
}

impl<C> Deref for Guard<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        let _ = self.pool;
        todo!("Guard::deref")
    }
}

impl<C> DerefMut for Guard<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        todo!("Guard::deref_mut")
    }
}

impl<C> Drop for Guard<'_, C> {
    fn drop(&mut self) {
        // Give the connection back to the pool.
    }
}
