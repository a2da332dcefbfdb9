//! The Rust track: one `rustc` call builds the learner's `src/lib.rs` together with the hidden
//! driver, in a per-exercise cache folder.
//!
//! Choices (measured, see `docs/performance.md`): rustc directly rather than cargo (no
//! metadata/fingerprint pass), the debug profile with `-C incremental` (the fastest rebuild
//! after an edit, and the profile in which complexity probes separate O(1) from O(n) best),
//! no debug info, 16 codegen units, and no rebuild at all when the sources and flags are unchanged: the previous
//! binary and its diagnostics are reused. The generated crate root mounts the learner's file as
//! module `learner` with `#[path]`, so diagnostics point at the learner's own file; paths are
//! remapped to be relative to the current folder, and the cache folder shows as `[kata]`.

use super::process::{self, Exit};
use super::{find_program, write_if_changed, Build, Diagnostics, Program, Request, Toolchains};
use crate::catalog::Catalog;
use crate::lang::Language;
use crate::sandbox::Needs;
use anyhow::{anyhow, Context, Result};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// File names in the build folder, one pair per place the check is run from (diagnostics and
/// panic locations are written relative to it), so alternating between the exercise folder
/// and the workspace root reuses both builds instead of rebuilding each time.
fn outputs(stage: &Path, shown: &str) -> (PathBuf, PathBuf) {
    let mut hasher = DefaultHasher::new();
    shown.hash(&mut hasher);
    let variant = format!("{:08x}", hasher.finish() as u32);
    (
        stage.join(format!("driver-bin-{variant}")),
        stage.join(format!("build-{variant}.json")),
    )
}

/// What the last build of an exercise produced, to skip a rebuild that would change nothing.
#[derive(Debug, Serialize, Deserialize)]
struct Stamp {
    key: String,
    success: bool,
    rendered: String,
    errors: usize,
    warnings: usize,
    in_driver: bool,
}

fn rustc() -> Result<PathBuf> {
    find_program(Path::new("rustc")).ok_or_else(|| {
        anyhow!("`rustc` not found: install Rust with rustup (https://rustup.rs), then open a new shell so it is on PATH")
    })
}

/// Builds the driver for the learner's crate in `dir`.
pub fn build(
    tools: &Toolchains,
    catalog: &Catalog,
    request: &Request,
    cancel: &AtomicBool,
) -> Result<Build> {
    let (exercise, dir, memory_mib) = (request.exercise, request.dir, request.memory_mib);
    let rustc = rustc()?;
    let stage = stage_dir(tools, &exercise.slug, dir);
    std::fs::create_dir_all(&stage)
        .with_context(|| format!("cannot create `{}`", stage.display()))?;
    // One build at a time per exercise: two checks at once must not share half-written files.
    let lock = File::create(stage.join(".lock"))
        .with_context(|| format!("cannot create a lock in `{}`", stage.display()))?;
    lock.lock().context("cannot lock the build folder")?;

    let learner = dir.join(Language::Rust.learner_file(&exercise.slug));
    let source =
        std::fs::read(&learner).with_context(|| format!("cannot read `{}`", learner.display()))?;
    let shown = shown_prefix(dir);
    if let Some(refusal) = super::compile_reads::refused(&String::from_utf8_lossy(&source)) {
        let file = format!("{shown}{}", Language::Rust.learner_file(&exercise.slug));
        return Ok(Build {
            program: None,
            diagnostics: Diagnostics {
                rendered: refusal.render(&file),
                errors: 1,
                warnings: 0,
                in_driver: false,
            },
            reused: false,
        });
    }
    let harness = catalog.harness(Language::Rust)?;
    let driver = exercise.driver(Language::Rust)?;
    let mut args = rustc_args(&stage, dir, &shown);
    args.extend((1..=request.stage).map(|n| format!("--cfg=kata_stage_{n}")));
    // A concurrency exercise compiles a copy of the learner's file whose `std::` paths lead
    // to kst, kata's controlled model, shown in diagnostics as the learner's own file.
    let concurrent = request.concurrent;
    let root = if concurrent {
        let kst = super::kst::rlib(tools, catalog, &rustc, cancel)?;
        let copy = stage.join("learner.rs");
        let rewritten = super::std_rewrite::rewrite(&String::from_utf8_lossy(&source));
        write_if_changed(&copy, rewritten.as_bytes())?;
        args.push(format!("--extern=kst={}", kst.display()));
        args.push(format!(
            "--remap-path-prefix={}={shown}{}",
            copy.display(),
            Language::Rust.learner_file(&exercise.slug)
        ));
        crate_root(Path::new("learner.rs"))
    } else {
        crate_root(&learner)
    };
    write_if_changed(&stage.join("harness.rs"), harness.as_bytes())?;
    write_if_changed(&stage.join("driver.rs"), driver.as_bytes())?;
    write_if_changed(&stage.join("main.rs"), root.as_bytes())?;
    let key = {
        let mut hasher = DefaultHasher::new();
        (
            &source,
            harness,
            driver,
            &root,
            &args,
            env!("CARGO_PKG_VERSION"),
        )
            .hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    };
    let (binary, stamp_path) = outputs(&stage, &shown);
    let previous: Option<Stamp> = std::fs::read(&stamp_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let (stamp, reused) = match previous {
        Some(stamp) if stamp.key == key && (!stamp.success || binary.is_file()) => (stamp, true),
        _ => {
            let (mut stamp, verdict) = compile(
                &rustc,
                &stage,
                &args,
                &binary,
                key,
                tools.build_timeout,
                cancel,
            )?;
            if concurrent {
                stamp.rendered = super::std_rewrite::restore_in_diagnostics(&stamp.rendered);
            }
            if verdict {
                write_if_changed(&stamp_path, &serde_json::to_vec(&stamp)?)?;
            }
            (stamp, false)
        }
    };
    let diagnostics = Diagnostics {
        rendered: stamp.rendered.clone(),
        errors: stamp.errors,
        warnings: stamp.warnings,
        in_driver: stamp.in_driver,
    };
    let program = stamp.success.then(|| Program {
        // Confined, the binary itself is all a run executes besides system libraries.
        confine: tools.sandbox.confines().then(|| Needs {
            exec: vec![binary.clone()],
            read: Vec::new(),
            memory_mib,
        }),
        exe: binary,
        leading: Vec::new(),
        trailing: vec![memory_mib.to_string().into()],
        cwd: dir.to_path_buf(),
        env: vec![("RUST_BACKTRACE".into(), "0".into())],
    });
    Ok(Build {
        program,
        diagnostics,
        reused,
    })
}

/// The build folder of one exercise folder: one per (slug, folder), so two workspaces (or
/// `kata verify` next to your own work) never evict each other's incremental state.
fn stage_dir(tools: &Toolchains, slug: &str, dir: &Path) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    dir.hash(&mut hasher);
    tools
        .cache_dir
        .join("rust")
        .join(format!("{slug}-{:08x}", hasher.finish() as u32))
}

/// The generated crate root: the learner's file as a module next to the harness and driver.
fn crate_root(learner: &Path) -> String {
    format!(
        "// Generated by kata: the learner's crate and the hidden driver, built as one binary.\n\
         #[allow(dead_code)]\n\
         #[path = {:?}]\n\
         mod learner;\n\
         #[allow(warnings)]\n\
         #[path = \"harness.rs\"]\n\
         mod harness;\n\
         #[allow(warnings)]\n\
         #[path = \"driver.rs\"]\n\
         mod driver;\n\
         #[allow(unused_imports)]\n\
         pub use learner::*;\n\
         fn main() {{\n    harness::main::<driver::Driver>();\n}}\n",
        learner.to_string_lossy()
    )
}

/// How the exercise folder is shown in diagnostics: relative to the current folder when it
/// is inside it (`src/lib.rs`, `rust/lru-cache/src/lib.rs`), else absolute.
fn shown_prefix(dir: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    match dir.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => String::new(),
        Ok(rel) => format!("{}/", rel.display()),
        Err(_) => format!("{}/", dir.display()),
    }
}

fn rustc_args(stage: &Path, dir: &Path, shown: &str) -> Vec<String> {
    vec![
        "--edition=2021".to_string(),
        "--crate-name=kata_driver".to_string(),
        "--crate-type=bin".to_string(),
        "-Cdebuginfo=0".to_string(),
        // Incremental builds default to 256 codegen units, which makes the first (cold) build
        // ~60% slower for a file this size; 16 keeps edits as fast and the cold build close to
        // a plain rustc call.
        "-Ccodegen-units=16".to_string(),
        format!("-Cincremental={}", stage.join("incremental").display()),
        format!("--remap-path-prefix={}/={shown}", dir.display()),
        format!("--remap-path-prefix={}/=[kata]/", stage.display()),
        "--error-format=json".to_string(),
        // Always in colour: the report's stream drops the codes when it is not a terminal,
        // so one build (and its cached diagnostics) serves the terminal, pipes and --json.
        "--json=diagnostic-rendered-ansi".to_string(),
    ]
}

#[derive(Deserialize)]
struct Message {
    #[serde(rename = "$message_type", default)]
    kind: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    is_primary: bool,
}

/// Runs rustc (in its own process group, under the build limit, stopped by `cancel`). The
/// flag says whether the stamp is a verdict on the code worth remembering (a build that ran
/// out of time on a busy machine is not).
fn compile(
    rustc: &Path,
    stage: &Path,
    args: &[String],
    binary: &Path,
    key: String,
    timeout: Duration,
    cancel: &AtomicBool,
) -> Result<(Stamp, bool)> {
    let output_tmp = binary.with_extension("new");
    let mut cmd = Command::new(rustc);
    cmd.args(args)
        .arg("-o")
        .arg(&output_tmp)
        .arg(stage.join("main.rs"))
        .current_dir(stage);
    let limits = process::Limits {
        timeout,
        output_bytes: 16 << 20,
    };
    let output = process::run(cmd, std::process::Stdio::null(), &limits, &[cancel])
        .with_context(|| format!("cannot run `{}`", rustc.display()))?;
    let mut stamp = Stamp {
        key,
        success: output.exit == Exit::Code(0),
        rendered: String::new(),
        errors: 0,
        warnings: 0,
        in_driver: false,
    };
    match output.exit {
        Exit::Code(_) => {}
        Exit::TimedOut => {
            let _ = std::fs::remove_file(&output_tmp);
            stamp.errors = 1;
            stamp.rendered = format!(
                "error: rustc did not finish within {:.0} s (build_timeout_secs in kata.toml): look for a macro, const or generic that expands without bound\n",
                timeout.as_secs_f64()
            );
            return Ok((stamp, false));
        }
        // Interrupted (Ctrl-C) or killed: not a verdict on the code, so nothing is remembered.
        Exit::Cancelled => anyhow::bail!("rustc was stopped"),
        Exit::Signal(signal) => {
            anyhow::bail!("rustc was stopped by {}", process::signal_name(signal))
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr.bytes);
    for line in stderr.lines() {
        let Ok(message) = serde_json::from_str::<Message>(line) else {
            // Not JSON: an ICE or a linker message; show it as it is.
            stamp.rendered.push_str(line);
            stamp.rendered.push('\n');
            continue;
        };
        if message.kind != "diagnostic" || is_summary(&message) {
            continue;
        }
        if message.level == "error" && is_linker_failure(&message) {
            // The code compiled; the machine cannot link it. Not the learner's fault, not cached.
            anyhow::bail!(
                "{}: install a C toolchain that provides `cc` (Debian/Ubuntu: `apt install build-essential`, macOS: `xcode-select --install`)",
                message.message.lines().next().unwrap_or("linking failed")
            );
        }
        match message.level.as_str() {
            "error" | "error: internal compiler error" => {
                stamp.errors += 1;
                if message
                    .spans
                    .iter()
                    .any(|s| s.is_primary && s.file_name.starts_with("[kata]"))
                {
                    stamp.in_driver = true;
                }
            }
            "warning" => stamp.warnings += 1,
            _ => {}
        }
        if let Some(rendered) = message.rendered {
            stamp.rendered.push_str(&rendered);
        }
    }
    if stamp.success {
        std::fs::rename(&output_tmp, binary)
            .with_context(|| format!("cannot write `{}`", binary.display()))?;
    } else if stamp.errors == 0 {
        // No diagnostic at all: rustc itself could not run (a rustup proxy with no default
        // toolchain, a broken install). Not a verdict on the learner's code, so not cached.
        let first = stderr
            .lines()
            .map(|l| l.trim().trim_start_matches("error: "))
            .find(|l| !l.is_empty())
            .unwrap_or("no message");
        anyhow::bail!(
            "`{}` failed without compiling anything ({}): {first}",
            rustc.display(),
            match output.exit {
                Exit::Code(code) => format!("exit status: {code}"),
                other => format!("{other:?}"),
            }
        );
    }
    Ok((stamp, true))
}

/// "linker `cc` not found": no C toolchain. ("linking with `cc` failed" stays a compile error:
/// the learner's own `extern` declarations can cause it.)
fn is_linker_failure(message: &Message) -> bool {
    message.spans.is_empty()
        && message.message.starts_with("linker `")
        && message.message.contains("not found")
}

/// rustc's own "aborting due to 2 previous errors" and "3 warnings emitted" lines: kata
/// prints its own summary instead.
fn is_summary(message: &Message) -> bool {
    message.spans.is_empty()
        && (message.message.starts_with("aborting due to")
            || message.message.ends_with("warnings emitted")
            || message.message.ends_with("warning emitted"))
}

/// `cargo test` in the learner's crate, as the learner runs the visible examples.
pub fn examples_command(tools: &Toolchains, dir: &Path, slug: &str) -> Result<Command> {
    let cargo = find_program(Path::new("cargo")).ok_or_else(|| {
        anyhow!("`cargo` not found: install Rust with rustup (https://rustup.rs)")
    })?;
    let mut cmd = Command::new(cargo);
    cmd.args(["test", "--offline", "--quiet"])
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            stage_dir(tools, slug, dir).join("examples-target"),
        );
    Ok(cmd)
}
