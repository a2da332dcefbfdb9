//! Building and running hidden drivers against a learner's code, one language per module.
//!
//! `build` turns an exercise folder into a [`Program`] (Python: nothing to compile in kata,
//! the harness byte-compiles the learner's file first; Rust: rustc builds the learner's crate
//! with the driver). `execute` runs a program on one input file under the check's limits and
//! parses what the driver reported. Unless the sandbox is off, a run goes through kata's
//! trampoline (`crate::sandbox`), which confines it before the driver starts.

mod compile_reads;
mod kst;
pub mod process;
pub mod protocol;
pub mod python;
pub mod rust;
mod rust_lexer;
pub mod scratch;
pub mod std_rewrite;
pub mod strays;

use crate::catalog::{Catalog, Exercise};
use crate::lang::Language;
use crate::sandbox;
use anyhow::{bail, Context, Result};
use std::ffi::OsString;
use std::hash::BuildHasher;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

/// What the runners need from the resolved configuration.
#[derive(Debug, Clone)]
pub struct Toolchains {
    /// kata's cache folder (drivers, build artefacts, resolved interpreters).
    pub cache_dir: PathBuf,
    /// An explicit Python interpreter (`KATA_PYTHON` or `python` in kata.toml).
    pub python: Option<PathBuf>,
    /// Wall-clock limit for a compiler run.
    pub build_timeout: std::time::Duration,
    /// Whether learner code runs confined (`KATA_SANDBOX`).
    pub sandbox: sandbox::Mode,
}

/// How to start a built driver: `exe leading... INPUT NONCE trailing...`, with the results
/// channel as its stdin (see [`protocol`]).
#[derive(Debug, Clone)]
pub struct Program {
    pub exe: PathBuf,
    pub leading: Vec<OsString>,
    pub trailing: Vec<OsString>,
    pub cwd: PathBuf,
    pub env: Vec<(String, String)>,
    /// What a confined run needs; `None` runs the program as it is (sandbox off).
    pub confine: Option<sandbox::Needs>,
}

/// Compiler output for the learner.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    /// As the compiler rendered them (may hold ANSI colour).
    pub rendered: String,
    pub errors: usize,
    pub warnings: usize,
    /// Some error points into the hidden driver: the learner's API does not match the statement.
    pub in_driver: bool,
}

/// The result of the build step.
pub struct Build {
    /// `None` when compilation failed.
    pub program: Option<Program>,
    pub diagnostics: Diagnostics,
    /// The build was skipped because nothing changed.
    pub reused: bool,
}

/// One run of a driver.
pub struct Execution {
    pub output: protocol::DriverOutput,
    pub process: process::Finished,
    pub nonce: String,
}

/// What to build: the learner's code for an exercise in `dir`.
pub struct Request<'a> {
    pub exercise: &'a Exercise,
    pub lang: Language,
    pub dir: &'a Path,
    /// The memory limit the driver enforces.
    pub memory_mib: u64,
    /// Run under kata's controlled schedulers (a concurrency exercise or stage).
    pub concurrent: bool,
    /// The last follow-up stage graded: a Rust driver's operations for stage N are compiled
    /// under `#[cfg(kata_stage_N)]`, so stage 0 needs no API a follow-up adds.
    pub stage: u32,
}

/// Prepares the driver for the learner's code.
pub fn build(
    tools: &Toolchains,
    catalog: &Catalog,
    request: &Request,
    cancel: &AtomicBool,
) -> Result<Build> {
    match request.lang {
        Language::Python => python::build(tools, catalog, request),
        Language::Rust => rust::build(tools, catalog, request, cancel),
    }
}

/// Runs `program` on `input` under `limits` (stopping early if one of `cancel` is set);
/// scratch files go to a fresh staging folder, the only place a confined run may write.
pub fn execute(
    program: &Program,
    input: &str,
    limits: &process::Limits,
    cancel: &[&AtomicBool],
) -> Result<Execution> {
    let scratch = scratch::Scratch::create()?;
    let (input_path, results_path) = (scratch.input(), scratch.results());
    std::fs::write(&input_path, input)
        .with_context(|| format!("cannot write `{}`", input_path.display()))?;
    // The results channel: a file with no name, open for writing as the driver's stdin (taken
    // by the harness before the learner's code loads) and for reading here.
    let results_in = std::fs::File::create(&results_path)
        .with_context(|| format!("cannot create `{}`", results_path.display()))?;
    let mut results_out = std::fs::File::open(&results_path)
        .with_context(|| format!("cannot open `{}`", results_path.display()))?;
    std::fs::remove_file(&results_path)
        .with_context(|| format!("cannot remove `{}`", results_path.display()))?;
    let nonce = format!("{:016x}", std::hash::RandomState::new().hash_one(0u8));
    let mut cmd = match &program.confine {
        Some(needs) => {
            let mut read = needs.read.clone();
            read.extend([program.cwd.clone(), input_path.clone()]);
            let policy = sandbox::Policy {
                exec: needs.exec.clone(),
                read,
                // The results channel is already open (stdin); nothing else is written.
                write: vec![scratch.tmp()],
                limits: sandbox::Limits::for_run(needs.memory_mib, limits.timeout),
            };
            sandbox::command(&policy, &program.exe)
        }
        None => Command::new(&program.exe),
    };
    cmd.args(&program.leading)
        .arg(&input_path)
        .arg(&nonce)
        .args(&program.trailing)
        .current_dir(&program.cwd)
        .envs(program.env.iter().map(|(k, v)| (k, v)))
        .env("TMPDIR", scratch.tmp());
    let finished = process::run(cmd, results_in.into(), limits, cancel)
        .with_context(|| format!("cannot start `{}`", program.exe.display()))?;
    let code = match finished.exit {
        process::Exit::Code(code) => Some(code),
        _ => None,
    };
    if let Some(why) = sandbox::setup_failure(code, &finished.stderr.bytes) {
        bail!("the run could not start: {why}");
    }
    let mut results = Vec::new();
    results_out
        .read_to_end(&mut results)
        .context("cannot read the driver's results")?;
    let output = protocol::parse_results(&String::from_utf8_lossy(&results));
    Ok(Execution {
        output,
        process: finished,
        nonce,
    })
}

/// Writes `contents` to `path` unless it already holds exactly that (keeps mtimes stable).
pub fn write_if_changed(path: &Path, contents: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, contents).with_context(|| format!("cannot write `{}`", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Finds a program on PATH (or checks an explicit path).
pub fn find_program(name: &Path) -> Option<PathBuf> {
    if name.components().count() > 1 {
        return name.is_file().then(|| name.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
