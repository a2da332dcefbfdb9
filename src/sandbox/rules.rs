//! The Landlock ruleset of a confined run: which files it may read, execute and write, no TCP
//! bind or connect, and (ABI 6) no signals or abstract Unix sockets beyond its own processes.
//! Applied best effort: a kernel with an older Landlock enforces what it knows, and
//! [`shortfall`] tells kata (before the run) what it does not.

use super::Policy;
use anyhow::{Context, Result};
use landlock::{
    path_beneath_rules, Access, AccessFs, AccessNet, BitFlags, LandlockStatus, RestrictSelf,
    RestrictionStatus, Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetError, Scope, ABI,
};

/// The newest Landlock ABI whose rights kata asks for: TCP rules (4), device ioctls (5),
/// signal and abstract-socket scoping (6). Later ABIs add only logging (7) and UDP (10).
const TARGET: ABI = ABI::V6;

/// Shared libraries and the dynamic loader's cache, which every dynamically linked program
/// (the Python interpreter, a Rust binary) needs to start: read and execute.
const SYSTEM_EXEC: &[&str] = &[
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/usr/lib",
    "/usr/lib32",
    "/usr/lib64",
    "/usr/libx32",
    "/etc/ld.so.cache",
    "/etc/ld.so.preload",
];

/// Read only, for every run: time zones (`time.localtime`), locale aliases and message
/// catalogs (glibc reads them when a locale is set), the random devices, the CPU list
/// (`os.cpu_count`), and the process's own /proc entries (Rust's stack-overflow guard reads
/// `/proc/self/maps` when the driver starts). `/proc/self` is resolved by the trampoline, whose
/// pid the program keeps, so other processes' entries (kata's `exe`, `environ`, `cmdline`)
/// stay out of reach, and so do those of the program's own children. (The rule holds the
/// inode of `/proc/<pid>`; procfs makes a new one if its dentry is ever evicted, which cannot
/// happen in the instant between the trampoline and the driver's start, when it is needed.)
const SYSTEM_READ: &[&str] = &[
    "/etc/localtime",
    "/usr/share/zoneinfo",
    "/usr/share/locale",
    "/dev/urandom",
    "/dev/random",
    "/dev/zero",
    "/proc/self",
    "/sys/devices/system/cpu",
];

/// Read and write, for every run.
const SYSTEM_WRITE: &[&str] = &["/dev/null"];

/// Restricts the current process (the trampoline) to `policy`; the program it then executes
/// inherits the restriction, and so does everything that program starts. Paths that do not
/// exist are skipped. How much of it the kernel enforces was told before the run ([`shortfall`]).
pub fn restrict(policy: &Policy) -> Result<()> {
    apply(policy)
        .context("cannot restrict the run with Landlock (`KATA_SANDBOX=off` runs it unconfined)")?;
    Ok(())
}

fn apply(policy: &Policy) -> Result<RestrictionStatus, RulesetError> {
    let read: BitFlags<AccessFs> = AccessFs::ReadFile | AccessFs::ReadDir;
    let exec = read | AccessFs::Execute;
    // Everything but execute: nothing written in the scratch folder can be run.
    let write = AccessFs::from_all(TARGET) & !AccessFs::Execute;
    Ruleset::default()
        .handle_access(AccessFs::from_all(TARGET))?
        // Every TCP bind and connect is handled and none is allowed.
        .handle_access(AccessNet::from_all(TARGET))?
        .scope(Scope::from_all(TARGET))?
        .create()?
        .add_rules(path_beneath_rules(SYSTEM_EXEC, exec))?
        .add_rules(path_beneath_rules(&policy.exec, exec))?
        .add_rules(path_beneath_rules(SYSTEM_READ, read))?
        .add_rules(path_beneath_rules(&policy.read, read))?
        .add_rules(path_beneath_rules(SYSTEM_WRITE, write))?
        .add_rules(path_beneath_rules(&policy.write, write))?
        .restrict_self()
}

/// What the running kernel cannot enforce of the ruleset.
pub enum Shortfall {
    /// No Landlock at all (why).
    Missing(String),
    /// Some of it (what is missing).
    Partial(String),
}

/// Asks the kernel which Landlock ABI it has (without restricting anything).
pub fn shortfall() -> Option<Shortfall> {
    let status = RestrictSelf::default().no_new_privs(false).apply().ok()?;
    let abi = match status.landlock {
        LandlockStatus::NotImplemented => {
            return Some(Shortfall::Missing(
                "this kernel was built without it (Linux 5.13 or newer has it)".into(),
            ))
        }
        LandlockStatus::NotEnabled => {
            return Some(Shortfall::Missing(
                "it is disabled at boot (add `landlock` to the kernel's `lsm=` list)".into(),
            ))
        }
        LandlockStatus::Available { effective_abi, .. } => effective_abi,
    };
    missing_at(abi).map(Shortfall::Partial)
}

/// The parts of the ruleset a kernel with Landlock `abi` does not enforce, in a phrase.
fn missing_at(abi: ABI) -> Option<String> {
    let gaps: Vec<&str> = [
        (
            ABI::V3,
            "file truncation is not restricted before Linux 6.2",
        ),
        (
            ABI::V4,
            "network connections are not blocked before Linux 6.7",
        ),
        (
            ABI::V6,
            "signals and abstract Unix sockets are not scoped before Linux 6.12",
        ),
    ]
    .into_iter()
    .filter(|(needed, _)| abi < *needed)
    .map(|(_, gap)| gap)
    .collect();
    (!gaps.is_empty()).then(|| format!("Landlock ABI {abi}: {}", gaps.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_kernels_are_told_what_they_miss() {
        assert_eq!(missing_at(ABI::V6), None);
        assert_eq!(missing_at(ABI::V7), None);
        let text = missing_at(ABI::V4).unwrap();
        assert!(text.starts_with("Landlock ABI 4: signals"), "{text}");
        let text = missing_at(ABI::V2).unwrap();
        assert!(
            text.contains("truncation") && text.contains("network"),
            "{text}"
        );
    }
}
