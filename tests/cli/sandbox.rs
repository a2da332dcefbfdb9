//! The sandbox (Linux): learner code that reaches for the hidden catalog, writes outside its
//! scratch folder, opens a connection or allocates around the harness is denied and never
//! passes; killing kata ends the learner's processes and its staging folders go away.
//! Landlock-dependent assertions are skipped, with a note, on kernels without it.

use crate::common::*;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// lru-cache (Python) whose module first runs `attempts`: each line `name: expression`
/// is evaluated at import and reported as `ALLOWED name` or `DENIED name <exception>`; the
/// import then fails, so the check fails and shows what was printed.
fn python_attempts(env: &Env, attempts: &[(&str, String)]) -> std::process::Output {
    let file = env.start("lru-cache", "python");
    let mut source = String::from(
        "import os, socket, sys\ndef attempt(name, action):\n    try:\n        action()\n        print('ALLOWED', name)\n    except Exception as e:\n        print('DENIED', name, type(e).__name__)\n",
    );
    for (name, expression) in attempts {
        source.push_str(&format!("attempt({name:?}, lambda: {expression})\n"));
    }
    source.push_str("raise RuntimeError('end of the attempts')\n");
    std::fs::write(&file, source).unwrap();
    env.kata().args(["check"]).output().unwrap()
}

#[test]
fn a_python_solution_cannot_read_the_catalog_write_outside_or_connect() {
    if !landlock(4, "Landlock file and network rules") {
        return;
    }
    let env = Env::new();
    let kata = env!("CARGO_BIN_EXE_kata");
    let outside = env.dir.path().join("escaped.txt");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let out = python_attempts(
        &env,
        &[
            // The catalog is embedded in kata's binary: through the parent's /proc entry...
            (
                "parent exe",
                "open('/proc/%d/exe' % os.getppid(), 'rb').read(64)".into(),
            ),
            (
                "parent environ",
                "open('/proc/%d/environ' % os.getppid(), 'rb').read()".into(),
            ),
            // ...or its path.
            ("kata binary", format!("open({kata:?}, 'rb').read(64)")),
            (
                "write outside",
                format!("open({:?}, 'w').write('x')", outside.display().to_string()),
            ),
            (
                "write beside",
                "open(os.path.join(os.path.dirname(__file__), 'x.py'), 'w').write('x')".into(),
            ),
            (
                "tcp connect",
                format!("socket.create_connection(('127.0.0.1', {port}), timeout=2)"),
            ),
            ("tcp bind", "socket.socket().bind(('127.0.0.1', 0))".into()),
            ("signal kata", "os.kill(os.getppid(), 0)".into()),
            (
                "run a program",
                "__import__('subprocess').run(['/bin/true'])".into(),
            ),
            // The scratch folder is the one place it may write.
            (
                "write in TMPDIR",
                "__import__('tempfile').TemporaryFile().write(b'x')".into(),
            ),
        ],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for denied in [
        "DENIED parent exe PermissionError",
        "DENIED parent environ PermissionError",
        "DENIED kata binary PermissionError",
        "DENIED write outside PermissionError",
        "DENIED write beside PermissionError",
        "DENIED tcp connect PermissionError",
        "DENIED tcp bind PermissionError",
        "DENIED run a program PermissionError",
    ] {
        assert!(text.contains(denied), "{denied}: {text}");
    }
    if landlock(6, "signal scoping") {
        assert!(
            text.contains("DENIED signal kata PermissionError"),
            "{text}"
        );
    }
    assert!(text.contains("ALLOWED write in TMPDIR"), "{text}");
    assert!(!outside.exists());
    assert_eq!(
        listener.accept().map_err(|e| e.kind()).err(),
        Some(std::io::ErrorKind::WouldBlock),
        "no connection reached the listener"
    );
}

#[test]
fn a_rust_solution_cannot_read_kata_or_allocate_around_the_harness() {
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    // `System` bypasses the harness's counting allocator: only the kernel limit stops it.
    let greedy = solution("lru-cache/rust/reference.rs").replace(
        "    pub fn len(&self) -> usize {\n",
        "    pub fn len(&self) -> usize {\n        use std::alloc::{GlobalAlloc, Layout, System};\n        let layout = Layout::from_size_align(3 << 30, 4096).unwrap();\n        let block = unsafe { System.alloc(layout) };\n        assert!(!block.is_null(), \"the kernel refused 3 GiB\");\n        unsafe { System.dealloc(block, layout) };\n",
    );
    std::fs::write(&file, greedy).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("panic: the kernel refused 3 GiB"),
        "{}",
        stdout(&out)
    );

    if !landlock(1, "Landlock file rules (Rust)") {
        return;
    }
    let reader = solution("lru-cache/rust/reference.rs").replace(
        "    pub fn len(&self) -> usize {\n",
        &format!(
            "    pub fn len(&self) -> usize {{\n        let parent = std::os::unix::process::parent_id();\n        if let Err(e) = std::fs::read(format!(\"/proc/{{parent}}/exe\")) {{ panic!(\"parent exe: {{:?}}\", e.kind()); }}\n        if let Err(e) = std::fs::read({:?}) {{ panic!(\"kata binary: {{:?}}\", e.kind()); }}\n",
            env!("CARGO_BIN_EXE_kata")
        ),
    );
    std::fs::write(&file, reader).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("panic: parent exe: PermissionDenied"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn one_line_says_when_code_runs_unconfined() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, final_reference("lru-cache", "python")).unwrap();
    let out = env
        .kata()
        .env("KATA_SANDBOX", "off")
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "warning: your code runs without a sandbox here (KATA_SANDBOX=off): it can read and write what you can\n"
    );
    let out = env
        .kata()
        .env("KATA_SANDBOX", "perhaps")
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("KATA_SANDBOX=`perhaps`"),
        "{}",
        stderr(&out)
    );
    if landlock(6, "the absence of the warning") {
        let out = env.kata().args(["check"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The staging folders of kata process `pid` in `tmp`.
fn staging_folders(tmp: &Path, pid: u32) -> Vec<PathBuf> {
    let prefix = format!("kata-run-{pid}-");
    std::fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect()
}

/// Starts `kata check` (staging in `tmp`) on a solution that never finishes, waits until it
/// runs, sends kata `signal`, and returns kata's exit code and its staging folders.
fn kill_kata_mid_check(
    env: &Env,
    tmp: &Path,
    file: &Path,
    signal: Signal,
) -> (Option<i32>, Vec<PathBuf>) {
    let mut kata = Running(
        Command::new(env!("CARGO_BIN_EXE_kata"))
            .env_remove("KATA_SANDBOX")
            .env("NO_COLOR", "1")
            .env("KATA_CACHE_DIR", cache_dir())
            .env("TMPDIR", tmp)
            .arg("--workspace")
            .arg(env.workspace())
            .args(["check", "lru-cache"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let needle = file.display().to_string();
    assert!(
        eventually(|| processes_running(&needle) > 0),
        "the check never started"
    );
    let folders = staging_folders(tmp, kata.id());
    assert!(!folders.is_empty(), "a running check has a staging folder");
    kill(Pid::from_raw(kata.id() as i32), signal).unwrap();
    let status = kata.wait().unwrap();
    assert!(
        eventually(|| processes_running(&needle) == 0),
        "the learner's process outlived kata after {signal}"
    );
    (status.code(), folders)
}

#[test]
fn killing_kata_ends_the_learners_processes_and_its_staging_folders() {
    let env = Env::new();
    // A temporary folder of this test's own, so no other test's kata sweeps it meanwhile.
    let tmp = env.dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    env.write_settings("timeout_secs = 60\n");
    let file = env.start("lru-cache", "python");
    // A loop that never ends but sleeps: it keeps two cores free for the other tests.
    std::fs::write(
        &file,
        "import time\nclass LRUCache:\n    def __init__(self, capacity):\n        while True:\n            time.sleep(0.01)\n",
    )
    .unwrap();
    // Handled like Ctrl-C: the group is killed, the folder removed, exit 130.
    for signal in [Signal::SIGTERM, Signal::SIGHUP] {
        let (code, folders) = kill_kata_mid_check(&env, &tmp, &file, signal);
        assert_eq!(code, Some(130), "{signal}");
        assert!(folders.iter().all(|f| !f.exists()), "{signal}: {folders:?}");
    }
    // SIGKILL cannot be handled: the parent-death signal ends the learner's process, and
    // the folder left behind is swept by the next check.
    let (code, folders) = kill_kata_mid_check(&env, &tmp, &file, Signal::SIGKILL);
    assert_eq!(code, None, "killed by the signal");
    assert!(folders.iter().all(|f| f.exists()), "{folders:?}");
    std::fs::write(&file, "class LRUCache:\n    pass\n").unwrap();
    env.kata()
        .env("TMPDIR", &tmp)
        .args(["check"])
        .assert()
        .code(1);
    assert!(folders.iter().all(|f| !f.exists()), "{folders:?}");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "nothing left");
}
