//! Running a child process with a wall-clock limit and capped output.
//!
//! The child gets its own process group, so on timeout (and after it exits, for anything it
//! left behind) the whole group is killed. stdin is what the caller gives (the results
//! channel of a driver, or nothing); stdout and stderr are read on threads, keeping the first
//! `output_bytes` of each and counting the rest.

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Limits for one child process.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub output_bytes: usize,
}

/// The start of an output stream, its end when it was longer, and how many bytes it had in
/// all: the first `cap` bytes, then up to `cap` of the last ones (what a program printed just
/// before it crashed is what its author wants to see).
#[derive(Debug, Clone, Default)]
pub struct Captured {
    pub bytes: Vec<u8>,
    /// The last bytes after `bytes`, when the stream was longer than the cap; with `bytes`
    /// they are the whole stream unless `truncated()`.
    pub tail: Vec<u8>,
    pub total: u64,
}

impl Captured {
    pub fn truncated(&self) -> bool {
        self.total > (self.bytes.len() + self.tail.len()) as u64
    }
}

/// How the child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    TimedOut,
    /// Stopped because its result was no longer needed.
    Cancelled,
}

#[derive(Debug)]
pub struct Finished {
    pub exit: Exit,
    /// The child's process group (its pid).
    pub group: i32,
    /// Processes of its group were still running after it exited (they were killed).
    pub left_running: bool,
    pub stdout: Captured,
    pub stderr: Captured,
}

/// How often a running child checks whether it was cancelled.
const CANCEL_POLL: Duration = Duration::from_millis(10);

/// Runs `cmd` to completion, until the time limit, or until one of `cancel` is set, then
/// kills its process group. A spawn failure is returned as the `io::Error` (callers turn
/// NotFound into advice).
pub fn run(
    mut cmd: Command,
    stdin: Stdio,
    limits: &Limits,
    cancel: &[&AtomicBool],
) -> std::io::Result<Finished> {
    cmd.stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let start = Instant::now();
    // Live until this function returns: the child is reaped and its group killed by then.
    let (mut child, _live) = super::strays::spawn_live(&mut cmd)?;
    let pgid = Pid::from_raw(child.id() as i32);
    let (out_tx, out_rx) = mpsc::channel();
    let cap = limits.output_bytes;
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let tx = out_tx.clone();
    thread::spawn(move || tx.send((1, drain(stdout, cap))));
    thread::spawn(move || out_tx.send((2, drain(stderr, cap))));
    let (exit_tx, exit_rx) = mpsc::channel();
    thread::spawn(move || exit_tx.send(child.wait()));

    let deadline = start + limits.timeout;
    let mut left_running = false;
    let exit = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match exit_rx.recv_timeout(left.min(CANCEL_POLL)) {
            Ok(status) => {
                // Take down anything the child left running in its group. Something was
                // when a live member remains (zombies of finished grandchildren do not
                // count); where that cannot be told, when the signal reached anyone.
                let alive = super::strays::group_alive(pgid.as_raw());
                let signalled = killpg(pgid, Signal::SIGKILL).is_ok();
                left_running = alive.unwrap_or(signalled);
                break classify(status?);
            }
            Err(_) if left.is_zero() || cancel.iter().any(|c| c.load(Ordering::Relaxed)) => {
                let _ = killpg(pgid, Signal::SIGKILL);
                let _ = exit_rx.recv();
                break if left.is_zero() {
                    Exit::TimedOut
                } else {
                    Exit::Cancelled
                };
            }
            Err(_) => {}
        }
    };
    let mut streams = [Captured::default(), Captured::default()];
    // A grandchild that escaped the group could hold a pipe open: do not wait for it forever.
    let deadline = Instant::now() + Duration::from_millis(500);
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(Instant::now());
        match out_rx.recv_timeout(left) {
            Ok((fd, captured)) => streams[fd - 1] = captured,
            Err(_) => break,
        }
    }
    let [stdout, stderr] = streams;
    Ok(Finished {
        exit,
        group: pgid.as_raw(),
        left_running,
        stdout,
        stderr,
    })
}

fn classify(status: ExitStatus) -> Exit {
    match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(signal)) => Exit::Signal(signal),
        (None, None) => Exit::Code(-1),
    }
}

fn drain(mut stream: impl Read, cap: usize) -> Captured {
    let mut captured = Captured::default();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                captured.total += n as u64;
                let room = cap.saturating_sub(captured.bytes.len());
                let head = n.min(room);
                captured.bytes.extend_from_slice(&buf[..head]);
                captured.tail.extend_from_slice(&buf[head..n]);
                if captured.tail.len() > 2 * cap {
                    captured.tail.drain(..captured.tail.len() - cap);
                }
            }
        }
    }
    if captured.tail.len() > cap {
        captured.tail.drain(..captured.tail.len() - cap);
    }
    captured
}

/// A signal number as its conventional name, e.g. 9 -> `SIGKILL`.
pub fn signal_name(signal: i32) -> String {
    Signal::try_from(signal)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {signal}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(ms: u64) -> Limits {
        Limits {
            timeout: Duration::from_millis(ms),
            output_bytes: 10,
        }
    }

    #[test]
    fn caps_output_and_counts_the_rest() {
        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            "printf 'abcdefghijklmnop'; printf '0123456789ABCDEFGHIJ'; printf err >&2; exit 3",
        ]);
        let done = run(cmd, Stdio::null(), &limits(5000), &[]).unwrap();
        assert_eq!(done.exit, Exit::Code(3));
        // the first and the last 10 bytes are kept, the 16 between are counted
        assert_eq!(done.stdout.bytes, b"abcdefghij");
        assert_eq!(done.stdout.tail, b"ABCDEFGHIJ");
        assert_eq!(done.stdout.total, 36);
        assert!(done.stdout.truncated());
        assert_eq!(done.stderr.bytes, b"err");
        assert!(done.stderr.tail.is_empty() && !done.stderr.truncated());
    }

    #[test]
    fn kills_the_whole_group_on_timeout() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "trap '' TERM; sleep 30 & sleep 30"]);
        let started = Instant::now();
        let done = run(cmd, Stdio::null(), &limits(200), &[]).unwrap();
        assert_eq!(done.exit, Exit::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn cancelling_stops_the_child() {
        let mut cmd = Command::new("sleep");
        cmd.arg("30");
        let done = run(
            cmd,
            Stdio::null(),
            &limits(20_000),
            &[&AtomicBool::new(true)],
        )
        .unwrap();
        assert_eq!(done.exit, Exit::Cancelled);
    }
}
