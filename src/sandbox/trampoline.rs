//! `kata __sandbox-exec [policy] -- PROGRAM ARGS...`: the process between kata and the
//! learner's program. It asks the kernel to kill it when kata dies, sets the kernel limits,
//! restricts itself with Landlock and replaces itself with the program (same pid, so the
//! program is the process-group leader kata started), which inherits all three.

use super::{Policy, SETUP_FAILED, SETUP_PREFIX};
use anyhow::{bail, Context, Result};
use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// Runs the trampoline with the arguments after [`super::ENTRY`]. Returns only on failure:
/// one `kata sandbox: ...` line on stderr and [`SETUP_FAILED`], having run nothing.
pub fn main(args: impl Iterator<Item = OsString>) -> ExitCode {
    let error = match confine_and_exec(args) {
        Ok(never) => match never {},
        Err(error) => error,
    };
    eprintln!("{SETUP_PREFIX}{error:#}");
    ExitCode::from(SETUP_FAILED as u8)
}

/// A parsed command line.
struct Request {
    policy: Policy,
    /// kata's pid: the parent this process must still have once it asked to die with it.
    parent: u32,
    program: PathBuf,
    args: Vec<OsString>,
}

fn parse(mut args: impl Iterator<Item = OsString>) -> Result<Request> {
    let mut policy = Policy::default();
    let mut parent = None;
    loop {
        let Some(flag) = args.next() else {
            bail!("no `--` before the program");
        };
        let flag = flag.to_string_lossy().into_owned();
        if flag == "--" {
            break;
        }
        let value = args
            .next()
            .with_context(|| format!("`{flag}` needs a value"))?;
        match flag.as_str() {
            "--exec" => policy.exec.push(value.into()),
            "--read" => policy.read.push(value.into()),
            "--write" => policy.write.push(value.into()),
            "--parent" => {
                parent = Some(
                    value
                        .to_string_lossy()
                        .parse()
                        .context("`--parent` needs a pid")?,
                )
            }
            _ => {
                if !policy.limits.set(&flag, &value.to_string_lossy())? {
                    bail!("unknown argument `{flag}`");
                }
            }
        }
    }
    let program = args.next().context("no program to run")?.into();
    Ok(Request {
        policy,
        parent: parent.context("no `--parent`")?,
        program,
        args: args.collect(),
    })
}

fn confine_and_exec(args: impl Iterator<Item = OsString>) -> Result<std::convert::Infallible> {
    let request = parse(args)?;
    // The signal comes when the kata thread that started this process ends; that thread
    // waits for the run to end (`process::run`), so in practice: when kata dies.
    nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)
        .context("cannot ask to be stopped with kata")?;
    if std::os::unix::process::parent_id() != request.parent {
        bail!("kata exited before the run started");
    }
    request.policy.limits.apply()?;
    super::rules::restrict(&request.policy)?;
    let error = Command::new(&request.program).args(&request.args).exec();
    Err(error).with_context(|| format!("cannot run `{}`", request.program.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> impl Iterator<Item = OsString> + '_ {
        text.split(' ').map(OsString::from)
    }

    #[test]
    fn parses_what_the_runner_writes() {
        let request = parse(args(
            "--exec /usr/bin/python3 --read /ex --write /tmp/kata-run-1-x/tmp --memory 100 --cpu 3 --file-size 7 --tasks 9 --parent 42 -- /usr/bin/python3 -S harness.py",
        ))
        .unwrap();
        assert_eq!(request.policy.exec, vec![PathBuf::from("/usr/bin/python3")]);
        assert_eq!(request.policy.read, vec![PathBuf::from("/ex")]);
        assert_eq!(request.policy.limits.cpu_secs, 3);
        assert_eq!(request.parent, 42);
        assert_eq!(request.program, PathBuf::from("/usr/bin/python3"));
        assert_eq!(request.args, vec!["-S", "harness.py"]);
    }

    #[test]
    fn refuses_an_incomplete_command_line() {
        assert!(parse(args("--read /x /usr/bin/true")).is_err());
        assert!(
            parse(args("--read /x -- /usr/bin/true")).is_err(),
            "no parent"
        );
        assert!(parse(args("--bogus 1 --parent 1 -- /usr/bin/true")).is_err());
    }
}
