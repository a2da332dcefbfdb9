//! `kst::sync::mpsc`: modelled channels (`channel`, `sync_channel` including the rendezvous
//! `sync_channel(0)`). Sends and receives are scheduling points; blocking ones block in the
//! model, timeouts run on the virtual clock. The error types are std's own.

use std::collections::VecDeque;
use std::fmt;
use std::panic::Location;
use std::sync::{Arc, Mutex as StdMutex, PoisonError};
use std::time::Duration;

use crate::sched::{self as rt, ChanMeta, Meta, ObjId, RecvMode, RecvRes, SendRes};

pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError};

struct Chan<T> {
    id: ObjId,
    meta: Meta,
    items: StdMutex<VecDeque<T>>,
}

impl<T> Chan<T> {
    fn new(cap: Option<usize>) -> Arc<Chan<T>> {
        let meta = ChanMeta {
            senders: 1,
            receiver: true,
            cap,
            ..ChanMeta::default()
        };
        Arc::new(Chan {
            id: ObjId::new(),
            meta: Arc::new(StdMutex::new(meta)),
            items: StdMutex::new(VecDeque::new()),
        })
    }

    fn items(&self) -> std::sync::MutexGuard<'_, VecDeque<T>> {
        self.items.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The plain (unmodelled) receive used while unwinding at the end of a schedule.
    fn raw_pop(&self) -> Option<T> {
        let item = self.items().pop_front();
        if item.is_some() {
            let mut m = rt::meta(&self.meta);
            m.len = m.len.saturating_sub(1);
            m.taken += 1;
        }
        item
    }

    #[track_caller]
    fn recv(&self, mode: RecvMode, loc: rt::Loc) -> Result<T, RecvTimeoutError> {
        let res = match rt::ctx() {
            Some((exec, me)) => rt::settle(exec.chan_recv(&self.id, &self.meta, me, loc, mode)),
            None => None,
        };
        match res {
            Some(RecvRes::Take) => Ok(self.items().pop_front().expect("kst: channel bookkeeping")),
            Some(RecvRes::Empty) | Some(RecvRes::Timeout) => Err(RecvTimeoutError::Timeout),
            Some(RecvRes::Disconnected) => Err(RecvTimeoutError::Disconnected),
            None => self.raw_pop().ok_or(RecvTimeoutError::Disconnected),
        }
    }

    #[track_caller]
    fn send(&self, t: T, block: bool, loc: rt::Loc) -> Result<(), TrySendError<T>> {
        let Some((exec, me)) = rt::ctx() else {
            // Thread-local storage is being torn down: a plain push.
            let mut m = rt::meta(&self.meta);
            if !m.receiver {
                return Err(TrySendError::Disconnected(t));
            }
            m.len += 1;
            m.sent += 1;
            drop(m);
            self.items().push_back(t);
            return Ok(());
        };
        match rt::settle(exec.chan_send(&self.id, &self.meta, me, loc, block)) {
            Some(SendRes::Push(seq)) => {
                self.items().push_back(t);
                let rendezvous = rt::meta(&self.meta).cap == Some(0);
                if rendezvous && block {
                    let taken =
                        rt::settle(exec.chan_wait_taken(&self.id, &self.meta, me, loc, seq))
                            .unwrap_or(true);
                    if !taken {
                        // The receiver went away: take the item back, as std reports it.
                        if let Some(t) = self.items().pop_back() {
                            let mut m = rt::meta(&self.meta);
                            m.len = m.len.saturating_sub(1);
                            return Err(TrySendError::Disconnected(t));
                        }
                    }
                }
                Ok(())
            }
            Some(SendRes::Full) => Err(TrySendError::Full(t)),
            Some(SendRes::Disconnected) | None => Err(TrySendError::Disconnected(t)),
        }
    }
}

/// Creates an unbounded channel.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let chan = Chan::new(None);
    (
        Sender {
            chan: Arc::clone(&chan),
        },
        Receiver { chan },
    )
}

/// Creates a bounded channel; `bound` 0 is a rendezvous channel.
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    let chan = Chan::new(Some(bound));
    (
        SyncSender {
            chan: Arc::clone(&chan),
        },
        Receiver { chan },
    )
}

pub struct Sender<T> {
    chan: Arc<Chan<T>>,
}

pub struct SyncSender<T> {
    chan: Arc<Chan<T>>,
}

pub struct Receiver<T> {
    chan: Arc<Chan<T>>,
}

impl<T> Sender<T> {
    #[track_caller]
    pub fn send(&self, t: T) -> Result<(), SendError<T>> {
        self.chan
            .send(t, true, Location::caller())
            .map_err(|e| match e {
                TrySendError::Full(t) | TrySendError::Disconnected(t) => SendError(t),
            })
    }
}

impl<T> SyncSender<T> {
    #[track_caller]
    pub fn send(&self, t: T) -> Result<(), SendError<T>> {
        self.chan
            .send(t, true, Location::caller())
            .map_err(|e| match e {
                TrySendError::Full(t) | TrySendError::Disconnected(t) => SendError(t),
            })
    }

    #[track_caller]
    pub fn try_send(&self, t: T) -> Result<(), TrySendError<T>> {
        self.chan.send(t, false, Location::caller())
    }
}

impl<T> Receiver<T> {
    #[track_caller]
    pub fn recv(&self) -> Result<T, RecvError> {
        self.chan
            .recv(RecvMode::Block, Location::caller())
            .map_err(|_| RecvError)
    }

    #[track_caller]
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        self.chan
            .recv(RecvMode::Try, Location::caller())
            .map_err(|e| match e {
                RecvTimeoutError::Timeout => TryRecvError::Empty,
                RecvTimeoutError::Disconnected => TryRecvError::Disconnected,
            })
    }

    #[track_caller]
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.chan
            .recv(RecvMode::Timeout(timeout), Location::caller())
    }

    pub fn iter(&self) -> Iter<'_, T> {
        Iter { rx: self }
    }

    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { rx: self }
    }
}

fn add_sender<T>(chan: &Arc<Chan<T>>) -> Arc<Chan<T>> {
    rt::meta(&chan.meta).senders += 1;
    Arc::clone(chan)
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Sender<T> {
        Sender {
            chan: add_sender(&self.chan),
        }
    }
}

impl<T> Clone for SyncSender<T> {
    fn clone(&self) -> SyncSender<T> {
        SyncSender {
            chan: add_sender(&self.chan),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        rt::meta(&self.chan.meta).senders -= 1;
    }
}

impl<T> Drop for SyncSender<T> {
    fn drop(&mut self) {
        rt::meta(&self.chan.meta).senders -= 1;
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        rt::meta(&self.chan.meta).receiver = false;
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for SyncSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncSender").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

/// Blocking iterator over received values; ends when every sender is gone.
#[derive(Debug)]
pub struct Iter<'a, T> {
    rx: &'a Receiver<T>,
}

/// Non-blocking iterator over the values ready now.
#[derive(Debug)]
pub struct TryIter<'a, T> {
    rx: &'a Receiver<T>,
}

/// Owning blocking iterator.
#[derive(Debug)]
pub struct IntoIter<T> {
    rx: Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    #[track_caller]
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;
    #[track_caller]
    fn next(&mut self) -> Option<T> {
        self.rx.try_recv().ok()
    }
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    #[track_caller]
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    fn into_iter(self) -> IntoIter<T> {
        IntoIter { rx: self }
    }
}
