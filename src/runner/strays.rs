//! Processes the learner's code leaves behind. Those still in the driver's process group are
//! killed with it (see `process`); those that left the group (`setsid` and fork) would survive
//! that, so kata registers as a child subreaper: when their parent dies they become kata's
//! children, and `kill_strays` finds and kills them once a check is over. Linux only (it reads
//! /proc); elsewhere the process group is the only net.

use std::process::{Child, Command};
use std::sync::Mutex;
use std::time::Duration;

/// The process groups of runs still going in this kata (several at once under
/// `verify --jobs`): their members are not strays, whoever looks.
static LIVE_GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Marks a run's process group live until dropped.
pub struct LiveGroup(i32);

impl Drop for LiveGroup {
    fn drop(&mut self) {
        let mut live = LIVE_GROUPS.lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|g| *g != self.0);
    }
}

/// Spawns `cmd` (which must make its own process group) and marks that group live, both
/// while holding the registry, so a concurrent `kill_strays` never sees the child unmarked.
pub fn spawn_live(cmd: &mut Command) -> std::io::Result<(Child, LiveGroup)> {
    let mut live = LIVE_GROUPS.lock().unwrap_or_else(|e| e.into_inner());
    let child = cmd.spawn()?;
    let group = child.id() as i32;
    live.push(group);
    Ok((child, LiveGroup(group)))
}

/// How long `kill_strays` waits for killed processes to be reaped (one in uninterruptible
/// sleep cannot be; kata then moves on rather than hang).
const REAP_DEADLINE: Duration = Duration::from_secs(2);

/// Makes kata the reaper of its orphaned descendants (Linux; elsewhere a no-op).
pub fn adopt_orphans() {
    #[cfg(target_os = "linux")]
    {
        // Best effort: without it, escaped processes outlive the check as before.
        let _ = nix::sys::prctl::set_child_subreaper(true);
    }
}

/// Whether a process of group `pgid` is still alive (zombies do not count: a finished
/// grandchild nobody waited for is not "left running"). `None` where this cannot be told.
pub fn group_alive(pgid: i32) -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        Some(
            linux::processes()
                .iter()
                .any(|p| p.group == pgid && !p.zombie),
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pgid;
        None
    }
}

/// Kills and reaps kata's children outside its own process group and outside the live groups
/// of runs still going, once the caller's driver or compiler has finished. Returns how many
/// of them were alive and not in one of `driver_groups` (those were already killed with their
/// group): the processes that escaped.
pub fn kill_strays(driver_groups: &[i32]) -> usize {
    #[cfg(target_os = "linux")]
    {
        linux::kill_strays(driver_groups)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = driver_groups;
        0
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use super::{LIVE_GROUPS, REAP_DEADLINE};
    use nix::sys::signal::{kill, Signal};
    use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
    use nix::unistd::{getpgrp, getpid, Pid};
    use std::collections::HashSet;
    use std::time::{Duration, Instant};

    pub struct Process {
        pub pid: i32,
        pub parent: i32,
        pub group: i32,
        pub zombie: bool,
    }

    pub fn kill_strays(driver_groups: &[i32]) -> usize {
        let (me, own_group) = (getpid().as_raw(), getpgrp().as_raw());
        let deadline = Instant::now() + REAP_DEADLINE;
        let mut escaped = HashSet::new();
        let mut pending: HashSet<i32> = HashSet::new();
        // A killed stray's own escaped children are reparented to kata in turn: look again
        // until a scan finds none and every killed one is reaped. One scan when there is none.
        loop {
            // Held while scanning and killing: a run starting meanwhile marks its group first.
            let live = LIVE_GROUPS.lock().unwrap_or_else(|e| e.into_inner());
            let strays: Vec<Process> = processes()
                .into_iter()
                .filter(|p| p.parent == me && p.group != own_group && !live.contains(&p.group))
                .collect();
            for stray in &strays {
                // Killing a zombie is harmless, and a "zombie" whose other threads still run
                // is not dead: every stray gets SIGKILL.
                if !stray.zombie && !driver_groups.contains(&stray.group) {
                    escaped.insert(stray.pid);
                }
                let _ = kill(Pid::from_raw(stray.pid), Signal::SIGKILL);
                pending.insert(stray.pid);
            }
            drop(live);
            pending.retain(|pid| {
                !matches!(
                    waitpid(Pid::from_raw(*pid), Some(WaitPidFlag::WNOHANG)),
                    Ok(WaitStatus::Exited(..) | WaitStatus::Signaled(..)) | Err(_)
                )
            });
            if (strays.is_empty() && pending.is_empty()) || Instant::now() > deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        escaped.len()
    }

    /// Every process, from /proc.
    pub fn processes() -> Vec<Process> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter_map(|pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                let (state, parent, group) = fields(&stat)?;
                Some(Process {
                    pid,
                    parent,
                    group,
                    zombie: state == "Z",
                })
            })
            .collect()
    }

    /// Fields 3-5 of /proc/PID/stat (state, parent, process group); the command name (field 2)
    /// may hold spaces and parentheses, so fields are counted after its last `)`.
    pub(super) fn fields(stat: &str) -> Option<(&str, i32, i32)> {
        let mut fields = stat.get(stat.rfind(')')? + 1..)?.split_whitespace();
        let state = fields.next()?;
        let ppid = fields.next()?.parse().ok()?;
        let pgrp = fields.next()?.parse().ok()?;
        Some((state, ppid, pgrp))
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn stat_fields_are_read_after_the_command_name() {
        let stat = "4242 (we) ird (name) S 17 4242 4242 0 -1 4194560";
        assert_eq!(super::linux::fields(stat), Some(("S", 17, 4242)));
    }
}
