//! The sandbox (Linux): learner code that reaches for the hidden catalog, writes outside its
//! scratch folder, opens a connection or allocates around the harness is denied and never
//! passes.
//! Landlock-dependent assertions are skipped, with a note, on kernels without it.

use crate::common::*;

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
        "DENIED signal kata PermissionError",
        "DENIED run a program PermissionError",
    ] {
        assert!(text.contains(denied), "{denied}: {text}");
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
    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
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
