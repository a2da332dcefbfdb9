//! Processes the learner's code leaves behind. Those still in the driver's process group are
//! killed with it (see `process`); those that left the group (`setsid` and fork) would survive
//! that, so kata registers as a child subreaper: when their parent dies they become kata's
//! children, and `kill_strays` finds and kills them once a check is over.

/// Makes kata the reaper of its orphaned descendants (Linux; elsewhere a no-op).
pub fn adopt_orphans() {
    #[cfg(target_os = "linux")]
    {
        // Best effort: without it, escaped processes outlive the check as before.
        let _ = nix::sys::prctl::set_child_subreaper(true);
    }
}

/// Kills and reaps kata's children outside its own process group: processes that escaped a
/// finished driver's group. Call only when no driver or compiler is running (they have groups
/// of their own). Returns how many were still alive.
pub fn kill_strays() -> usize {
    #[cfg(target_os = "linux")]
    {
        linux::kill_strays()
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use nix::sys::signal::{kill, Signal};
    use nix::sys::wait::waitpid;
    use nix::unistd::{getpgrp, getpid, Pid};

    pub fn kill_strays() -> usize {
        let (me, group) = (getpid().as_raw(), getpgrp().as_raw());
        let mut killed = 0;
        // A killed stray's own escaped children are reparented to kata in turn.
        for _ in 0..8 {
            let strays: Vec<Child> = children(me)
                .into_iter()
                .filter(|c| c.group != group)
                .collect();
            if strays.is_empty() {
                break;
            }
            for stray in strays {
                // A zombie already ended (or was killed with its group): only reaped.
                if !stray.zombie {
                    let _ = kill(Pid::from_raw(stray.pid), Signal::SIGKILL);
                    killed += 1;
                }
                let _ = waitpid(Pid::from_raw(stray.pid), None);
            }
        }
        killed
    }

    struct Child {
        pid: i32,
        group: i32,
        zombie: bool,
    }

    /// Every child of `parent`, from /proc.
    fn children(parent: i32) -> Vec<Child> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter_map(|pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                let (state, ppid, group) = fields(&stat)?;
                (ppid == parent).then_some(Child {
                    pid,
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
