//! Kernel limits (`setrlimit`) for a confined run, chosen by kata and set by the trampoline, so
//! the learner's program and everything it starts inherit them. Each one bounds what a run can
//! do even if kata itself is gone (killed with SIGKILL): the wall-clock limit and the output cap
//! need kata alive, these do not. The values are explained in `docs/sandbox.md`.

use anyhow::{bail, Context, Result};
use std::time::Duration;

/// Address space allowed beyond the exercise's memory limit. The Rust harness stops a run at
/// `memory_mib` of live heap and the Python harness lowers the limit to `memory_mib` itself;
/// the kernel limit sits above both, so their clear "memory limit reached" comes first, and
/// still bounds memory that bypasses the counting allocator (`std::alloc::System`).
/// Measured (VmPeak): a Python driver maps 12-15 MiB besides its data, a Rust driver ~3 MiB;
/// each thread adds its stack (Rust 2 MiB, Python 8 MiB), and glibc reserves 64 MiB per
/// malloc arena (8 Python threads: 600 MiB), which [`ARENAS`] caps. 256 MiB covers the
/// mappings, an arena and a few dozen thread stacks.
pub const MEMORY_HEADROOM_MIB: u64 = 256;

/// glibc malloc arenas for a confined run (`MALLOC_ARENA_MAX`): each reserves 64 MiB of
/// address space, and by default a threaded process gets up to 8 per core, which would spend
/// the memory limit on reservations (8 Python threads: 600 MiB; with 2 arenas: 150 MiB).
pub const ARENAS: &str = "2";

/// Largest file a run may write: results and scratch files are far smaller; a runaway write
/// fails (`EFBIG` in Python, SIGXFSZ in Rust) instead of filling the disk.
pub const FILE_BYTES: u64 = 64 << 20;

/// Processes and threads a run may add to those already running (a fork bomb stops there;
/// interview solutions use a few threads at most).
pub const TASKS_MARGIN: u64 = 128;

/// The limits of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// `RLIMIT_AS`, bytes.
    pub memory_bytes: u64,
    /// `RLIMIT_CPU`, seconds (SIGXCPU at this, SIGKILL a second later).
    pub cpu_secs: u64,
    /// `RLIMIT_FSIZE`, bytes.
    pub file_bytes: u64,
    /// `RLIMIT_NPROC` is the machine's current task count plus this.
    pub tasks_margin: u64,
}

impl Limits {
    /// The limits for a run of an exercise with `memory_mib` under a wall-clock `timeout`.
    /// CPU time counts every thread, so a process can use up to `timeout` times the cores
    /// before the wall-clock limit stops it: the CPU limit is that plus a second, so it only
    /// ever ends a process that kata could not stop (kata was killed).
    pub fn for_run(memory_mib: u64, timeout: Duration) -> Limits {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Limits {
            memory_bytes: memory_mib
                .saturating_add(MEMORY_HEADROOM_MIB)
                .saturating_mul(1 << 20),
            cpu_secs: (timeout.as_secs_f64() * cores as f64).ceil() as u64 + 1,
            file_bytes: FILE_BYTES,
            tasks_margin: TASKS_MARGIN,
        }
    }

    /// The trampoline's arguments for these limits.
    pub fn to_args(self) -> Vec<String> {
        vec![
            "--memory".into(),
            self.memory_bytes.to_string(),
            "--cpu".into(),
            self.cpu_secs.to_string(),
            "--file-size".into(),
            self.file_bytes.to_string(),
            "--tasks".into(),
            self.tasks_margin.to_string(),
        ]
    }

    /// Takes one `--flag value` pair of [`Limits::to_args`]; false for another flag.
    #[cfg(target_os = "linux")]
    pub fn set(&mut self, flag: &str, value: &str) -> Result<bool> {
        let field = match flag {
            "--memory" => &mut self.memory_bytes,
            "--cpu" => &mut self.cpu_secs,
            "--file-size" => &mut self.file_bytes,
            "--tasks" => &mut self.tasks_margin,
            _ => return Ok(false),
        };
        *field = value
            .parse()
            .with_context(|| format!("`{flag}` needs a number, not `{value}`"))?;
        Ok(true)
    }

    /// Sets the limits on the current process (the trampoline). Never raises a limit the
    /// user already set lower (`ulimit`).
    #[cfg(target_os = "linux")]
    pub fn apply(self) -> Result<()> {
        use nix::sys::resource::Resource;
        if self.memory_bytes == 0 || self.cpu_secs == 0 {
            bail!("incomplete limits: {self:?}");
        }
        lower(Resource::RLIMIT_CORE, 0, 0)?;
        lower(Resource::RLIMIT_AS, self.memory_bytes, self.memory_bytes)?;
        lower(Resource::RLIMIT_CPU, self.cpu_secs, self.cpu_secs + 1)?;
        lower(Resource::RLIMIT_FSIZE, self.file_bytes, self.file_bytes)?;
        // RLIMIT_NPROC counts every process and thread of the user, so it starts from what
        // already runs; the kernel never applies it to root.
        if !nix::unistd::getuid().is_root() {
            let tasks = machine_tasks()?.saturating_add(self.tasks_margin);
            lower(Resource::RLIMIT_NPROC, tasks, tasks)?;
        }
        Ok(())
    }
}

#[cfg(target_os = "linux")]
fn lower(resource: nix::sys::resource::Resource, soft: u64, hard: u64) -> Result<()> {
    use nix::sys::resource::{getrlimit, setrlimit};
    let (_, current_hard) =
        getrlimit(resource).with_context(|| format!("cannot read {resource:?}"))?;
    let hard = hard.min(current_hard);
    setrlimit(resource, soft.min(hard), hard).with_context(|| format!("cannot set {resource:?}"))
}

/// Tasks (processes and threads) on the machine now, from /proc/loadavg (`running/total`):
/// never fewer than the user's own, which `RLIMIT_NPROC` counts, so the limit never stops a
/// solution's first thread. Counting the user's own instead means reading every process's
/// /proc entry: 1.2 ms for 88 processes measured here, the whole latency budget of a check
/// on a desktop with hundreds; one read of loadavg costs microseconds. The price: other
/// users' tasks widen the margin on a shared machine.
#[cfg(target_os = "linux")]
fn machine_tasks() -> Result<u64> {
    let text = std::fs::read_to_string("/proc/loadavg").context("cannot read /proc/loadavg")?;
    total_tasks(&text).with_context(|| format!("unexpected /proc/loadavg: {text:?}"))
}

/// The `total` of the fourth field of /proc/loadavg (`0.20 0.18 0.12 1/80 11206`).
#[cfg(target_os = "linux")]
fn total_tasks(loadavg: &str) -> Option<u64> {
    loadavg
        .split_whitespace()
        .nth(3)?
        .split_once('/')?
        .1
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_the_exercise() {
        let limits = Limits::for_run(1024, Duration::from_secs_f64(1.5));
        assert_eq!(limits.memory_bytes, (1024 + MEMORY_HEADROOM_MIB) << 20);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
        assert_eq!(limits.cpu_secs, (3 * cores).div_ceil(2) + 1);
        assert_eq!(limits.file_bytes, 64 << 20);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn limits_round_trip_through_arguments() {
        let limits = Limits::for_run(512, Duration::from_secs(10));
        let args = limits.to_args();
        let mut parsed = Limits::default();
        for pair in args.chunks(2) {
            assert!(parsed.set(&pair[0], &pair[1]).unwrap());
        }
        assert_eq!(parsed, limits);
        assert!(!parsed.set("--read", "/x").unwrap());
        assert!(parsed.set("--cpu", "lots").is_err());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_task_count_covers_this_processs_threads() {
        assert_eq!(total_tasks("0.20 0.18 0.12 1/80 11206\n"), Some(80));
        assert_eq!(total_tasks("garbage"), None);
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let extra = std::thread::spawn(move || rx.recv());
        assert!(
            machine_tasks().unwrap() >= 2,
            "this test and its extra thread"
        );
        drop(tx);
        let _ = extra.join();
    }
}
