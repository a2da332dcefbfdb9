//! The `kst` crate (exercises/_harness/rust/kst.rs): the controlled model of `std::sync`,
//! `std::thread` and `std::time` that concurrency exercises compile against. Built once per
//! version of its sources and of rustc into kata's cache, and reused by every check.

use super::process::{self, Exit};
use super::{write_if_changed, Toolchains};
use crate::catalog::Catalog;
use crate::lang::Language;
use anyhow::{bail, Context, Result};
use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;

/// The path of `libkst.rlib`, built first if this version of it is not in the cache.
pub fn rlib(
    tools: &Toolchains,
    catalog: &Catalog,
    rustc: &Path,
    cancel: &AtomicBool,
) -> Result<PathBuf> {
    let files: Vec<(&str, &[u8])> = catalog
        .harness_files(Language::Rust)
        .into_iter()
        .filter(|(path, _)| *path == "kst.rs" || path.starts_with("kst/"))
        .collect();
    if files.is_empty() {
        bail!("the catalog's Rust harness has no kst.rs (the model concurrency exercises compile against)");
    }
    let mut hasher = DefaultHasher::new();
    files.hash(&mut hasher);
    rustc.hash(&mut hasher);
    std::fs::metadata(rustc)
        .and_then(|m| m.modified())
        .ok()
        .hash(&mut hasher);
    let dir = tools
        .cache_dir
        .join("rust")
        .join(format!("kst-{:016x}", hasher.finish()));
    let rlib = dir.join("libkst.rlib");
    if rlib.is_file() {
        return Ok(rlib);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    // Two first checks at once: one builds, the other waits and finds it built.
    let lock = File::create(dir.join(".lock"))
        .with_context(|| format!("cannot create a lock in `{}`", dir.display()))?;
    lock.lock().context("cannot lock the kst build folder")?;
    if rlib.is_file() {
        return Ok(rlib);
    }
    for (relative, bytes) in &files {
        write_if_changed(&dir.join("src").join(relative), bytes)?;
    }
    let building = dir.join("libkst.rlib.new");
    let mut cmd = Command::new(rustc);
    cmd.args([
        "--edition=2021",
        "--crate-type=rlib",
        "--crate-name=kst",
        "-Cdebuginfo=0",
        // Debug like the learner's build: the rlib builds in ~2 s once, and scheduling costs
        // a few microseconds per point either way (docs/concurrency-rust.md).
        "-Copt-level=0",
    ])
    .arg("-o")
    .arg(&building)
    .arg(dir.join("src").join("kst.rs"))
    .current_dir(&dir);
    let limits = process::Limits {
        timeout: tools.build_timeout,
        output_bytes: 1 << 20,
    };
    let done = process::run(cmd, Stdio::null(), &limits, &[cancel])
        .with_context(|| format!("cannot run `{}`", rustc.display()))?;
    match done.exit {
        Exit::Code(0) => {}
        Exit::Cancelled => bail!("building kst was stopped"),
        _ => bail!(
            "cannot build kata's concurrency model (kst) with `{}`: {}",
            rustc.display(),
            String::from_utf8_lossy(&done.stderr.bytes)
                .lines()
                .find(|l| l.starts_with("error"))
                .unwrap_or("no message")
        ),
    }
    std::fs::rename(&building, &rlib)
        .with_context(|| format!("cannot write `{}`", rlib.display()))?;
    Ok(rlib)
}
