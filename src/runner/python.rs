//! The Python track: finding the real interpreter and staging the harness and driver.
//!
//! `python3` is often a version-manager shim (pyenv, asdf) that costs ~0.2 s per start, so the
//! interpreter behind it (`sys.executable`) is resolved once and remembered in the cache,
//! keyed by everything the shim's choice depends on that kata can see cheaply, together with
//! the files a confined run of it needs (its binary, standard library and shared libraries).

use super::{find_program, write_if_changed, Build, Diagnostics, Program, Request, Toolchains};
use crate::catalog::Catalog;
use crate::lang::Language;
use crate::sandbox::Needs;
use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

const MIN_VERSION: (u32, u32) = (3, 8);

/// Stages the harness and driver in the cache and describes how to run them.
pub fn build(tools: &Toolchains, catalog: &Catalog, request: &Request) -> Result<Build> {
    let (exercise, dir, memory_mib) = (request.exercise, request.dir, request.memory_mib);
    let python = resolve(tools, dir)?;
    let stage = tools.cache_dir.join("python").join(&exercise.slug);
    let harness = stage.join(Language::Python.harness_file());
    catalog.harness(Language::Python)?;
    // The harness and its modules (kata_conc.py, the controlled scheduler).
    for (relative, bytes) in catalog.harness_files(Language::Python) {
        write_if_changed(&stage.join(relative), bytes)?;
    }
    write_if_changed(
        &stage.join("driver.py"),
        exercise.driver(Language::Python)?.as_bytes(),
    )?;
    let learner = dir.join(Language::Python.learner_file(&exercise.slug));
    let program = Program {
        confine: tools.sandbox.confines().then(|| Needs {
            exec: python.sandbox.clone(),
            read: vec![stage.clone()],
            memory_mib,
        }),
        exe: python.executable,
        // -S: no site-packages (saves ~20 ms per start; solutions use the standard library).
        leading: vec!["-B".into(), "-S".into(), harness.into()],
        trailing: [
            learner.into(),
            Language::module_name(&exercise.slug).into(),
            memory_mib.to_string().into(),
        ]
        .into_iter()
        .chain(request.concurrent.then(|| "concurrent".into()))
        .collect(),
        cwd: dir.to_path_buf(),
        env: vec![
            ("PYTHONHASHSEED".into(), "0".into()),
            ("PYTHONDONTWRITEBYTECODE".into(), "1".into()),
            ("PYTHONIOENCODING".into(), "utf-8:backslashreplace".into()),
        ],
    };
    Ok(Build {
        program: Some(program),
        diagnostics: Diagnostics::default(),
        reused: false,
    })
}

/// An interpreter found behind `python3` (or the configured one).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resolved {
    pub executable: PathBuf,
    version: String,
    /// What a confined run reads and executes: the interpreter's own file, its standard
    /// library, the folders of the shared libraries it loads and a virtual environment's
    /// `pyvenv.cfg`. Never a whole `bin` folder (`/usr/bin` may hold kata itself).
    #[serde(default)]
    pub sandbox: Vec<PathBuf>,
}

/// The real interpreter to run: the configured one or `python3` on PATH, seen through any shim.
pub fn interpreter(tools: &Toolchains, cwd: &Path) -> Result<PathBuf> {
    resolve(tools, cwd).map(|r| r.executable)
}

/// [`interpreter`], with what a confined run of it needs.
pub fn resolve(tools: &Toolchains, cwd: &Path) -> Result<Resolved> {
    let wanted = tools
        .python
        .clone()
        .unwrap_or_else(|| PathBuf::from("python3"));
    let found = find_program(&wanted).ok_or_else(|| {
        anyhow!(
            "`{}` not found: install Python {}.{} or newer (e.g. `apt install python3`), or point `python` in kata.toml (or KATA_PYTHON) at an interpreter",
            wanted.display(),
            MIN_VERSION.0,
            MIN_VERSION.1
        )
    })?;
    let key = cache_key(&found, cwd);
    let memo = tools.cache_dir.join("python-interpreters.json");
    let mut known: BTreeMap<String, Resolved> = std::fs::read(&memo)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    // Entries from a kata without the sandbox lack its paths: asked again, once.
    if let Some(hit) = known
        .get(&key)
        .filter(|r| r.executable.is_file() && !r.sandbox.is_empty())
    {
        return Ok(hit.clone());
    }
    let resolved = ask(&found, cwd)?;
    known.insert(key, resolved.clone());
    // Remembering is an optimisation: a read-only cache only costs time.
    let _ = serde_json::to_vec_pretty(&known)
        .map_err(anyhow::Error::from)
        .and_then(|bytes| write_if_changed(&memo, &bytes));
    Ok(resolved)
}

/// What a shim's choice of interpreter can depend on.
fn cache_key(found: &Path, cwd: &Path) -> String {
    let mut hasher = DefaultHasher::new();
    found.hash(&mut hasher);
    std::fs::metadata(found)
        .and_then(|m| m.modified())
        .ok()
        .hash(&mut hasher);
    cwd.hash(&mut hasher);
    for var in [
        "PATH",
        "PYENV_VERSION",
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
        "ASDF_PYTHON_VERSION",
    ] {
        std::env::var_os(var).hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

fn ask(found: &Path, cwd: &Path) -> Result<Resolved> {
    let output = Command::new(found)
        .args(["-c", ASK])
        .current_dir(cwd)
        .stdin(std::process::Stdio::null())
        .output()
        .with_context(|| format!("cannot run `{}`", found.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    let (Some(executable), Some(version), Some(paths)) = (lines.next(), lines.next(), lines.next())
    else {
        bail!(
            "`{}` did not start: {}",
            found.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    };
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if (major, minor) < MIN_VERSION {
        bail!(
            "`{}` is Python {version}; kata needs {}.{} or newer",
            found.display(),
            MIN_VERSION.0,
            MIN_VERSION.1
        );
    }
    let executable = if executable.is_empty() {
        found.to_path_buf()
    } else {
        PathBuf::from(executable)
    };
    Ok(Resolved {
        executable,
        version: version.to_string(),
        sandbox: paths
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .collect(),
    })
}

/// Prints `sys.executable`, the version, and the paths a confined run needs (NUL-separated on
/// one line): the interpreter's real file, the standard library, the folders of the shared
/// libraries it has loaded (libpython, libc, the loader: on most systems under /usr/lib,
/// elsewhere in its own prefix or a Nix store path) and a virtual environment's pyvenv.cfg.
const ASK: &str = r#"
import os, sys, sysconfig
print(sys.executable)
print('%d.%d.%d' % sys.version_info[:3])
paths = {os.path.realpath(sys.executable)} if sys.executable else set()
for name in ('stdlib', 'platstdlib'):
    if sysconfig.get_path(name):
        paths.add(os.path.realpath(sysconfig.get_path(name)))
try:
    with open('/proc/self/maps') as maps:
        for line in maps:
            mapped = line.rstrip('\n').split(None, 5)[5:]
            if mapped and mapped[0].startswith('/') and '.so' in os.path.basename(mapped[0]):
                paths.add(os.path.dirname(os.path.realpath(mapped[0])))
except OSError:
    pass
if os.path.isfile(os.path.join(sys.prefix, 'pyvenv.cfg')):
    paths.add(os.path.join(sys.prefix, 'pyvenv.cfg'))
print('\0'.join(sorted(paths)))
"#;
