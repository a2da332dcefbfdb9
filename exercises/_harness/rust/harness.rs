//! kata's Rust harness: runs an exercise's hidden driver against the learner's crate.
//!
//! kata builds one binary from a generated root that mounts the learner's `src/lib.rs` as
//! module `learner`, this file as `harness` and the exercise's driver as `driver`, and runs
//! it as `driver-bin INPUT NONCE MEMORY_MIB < RESULTS`: the results channel is stdin, an
//! unnamed file kata opened for writing, taken before any case runs (stdin then reads
//! /dev/null). The protocol (input lines, result lines, output markers) is described in kata's
//! `src/runner/protocol.rs`. std only.
//!
//! A driver implements [`Driver`]: a fresh value per case, `op` per operation (returning the
//! rendered result line), and `probe` per complexity measurement. Results are rendered the
//! same way by every language's harness: `ok`, true/false, null, integers, floats with at least
//! one decimal, JSON strings and `[a, b]` lists. A panic in an operation becomes
//! `panic: <message>`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::fs::File;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// An argument of an operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
}

impl Value {
    pub fn int(&self) -> i64 {
        match self {
            Value::Int(i) => *i,
            other => panic!("kata driver: expected an integer argument, got {other:?}"),
        }
    }

    pub fn float(&self) -> f64 {
        match self {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            other => panic!("kata driver: expected a number argument, got {other:?}"),
        }
    }

    pub fn str(&self) -> &str {
        match self {
            Value::Str(s) => s,
            other => panic!("kata driver: expected a string argument, got {other:?}"),
        }
    }

    pub fn bool(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            other => panic!("kata driver: expected a boolean argument, got {other:?}"),
        }
    }

    pub fn list(&self) -> &[Value] {
        match self {
            Value::List(items) => items,
            other => panic!("kata driver: expected a list argument, got {other:?}"),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

/// What a driver implements for one exercise.
pub trait Driver: Sized {
    /// Fresh state for one case.
    fn new() -> Self;
    /// Runs one operation and renders its result line.
    fn op(&mut self, name: &str, args: &[Value]) -> String;
    /// Builds and times `workload` at `size` (with [`measure`]): nanoseconds per operation and
    /// a digest of the results. Exercises without probes keep this default.
    fn probe(workload: &str, _size: usize, _budget: &Budget) -> Result<Measured, TooSlow> {
        panic!("kata driver: this exercise has no probe workload `{workload}`")
    }
}

// ---- rendering -------------------------------------------------------------------------------

pub fn ok() -> String {
    "ok".to_string()
}

pub fn null() -> String {
    "null".to_string()
}

pub fn boolean(b: bool) -> String {
    b.to_string()
}

pub fn int(i: impl Into<i128>) -> String {
    i.into().to_string()
}

pub fn float(f: f64) -> String {
    if f.is_finite() && f.abs() < 1e16 && f == f.trunc() {
        format!("{f:.1}")
    } else {
        format!("{f:?}")
    }
}

/// A string result, quoted as JSON.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A list of already-rendered items.
pub fn list<I: IntoIterator<Item = String>>(items: I) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

// ---- concurrency -------------------------------------------------------------------------------

/// The seed kata gives the cases (`kata check --seed N`), for a driver's schedule exploration.
static SEED: AtomicU64 = AtomicU64::new(0);

pub fn seed() -> u64 {
    SEED.load(Ordering::Relaxed)
}

const EXPLORED: &str = "\u{0}explored:";

/// The result of an operation that explored schedules: kst's `Outcomes::to_json()`, the
/// distinct outcomes with the schedule that first produced each. kata compares every outcome
/// with the expected result and reports the first that differs, with its trace.
pub fn explored(outcomes_json: String) -> String {
    format!("{EXPLORED}{outcomes_json}")
}

// ---- panics ----------------------------------------------------------------------------------

/// Panic payload of an operation the driver cannot run (e.g. after the constructor panicked);
/// reported as `not run: <why>` instead of a confusing cascade.
pub struct NotRun(pub String);

/// `value` if present, else the operation is reported as not run.
pub fn need<T>(value: Option<&mut T>) -> &mut T {
    match value {
        Some(value) => value,
        None => panic::panic_any(NotRun(
            "the constructor failed or was not called".to_string(),
        )),
    }
}

const NOT_RUN: &str = "\u{0}not run: ";

thread_local! {
    static LAST_PANIC: RefCell<Option<(String, Option<String>)>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into `Err(message)`; the panic's location (when it is in the
/// learner's file) is kept for the report.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Ok(value),
        Err(_) => {
            let (message, _) = LAST_PANIC
                .with(|p| p.borrow().clone())
                .unwrap_or_else(|| ("panic".to_string(), None));
            Err(message)
        }
    }
}

fn take_panic_location() -> Option<String> {
    LAST_PANIC
        .with(|p| p.borrow_mut().take())
        .and_then(|(_, at)| at)
}

fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = if let Some(NotRun(why)) = payload.downcast_ref::<NotRun>() {
            format!("{NOT_RUN}{why}")
        } else if let Some(s) = payload.downcast_ref::<&str>() {
            s.to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "panic".to_string()
        };
        let message = if message.starts_with(NOT_RUN) {
            message
        } else {
            message.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let at = info.location().and_then(|l| {
            let file = l.file();
            (file.ends_with("src/lib.rs") && !file.starts_with("[kata]"))
                .then(|| format!("{}:{}", file, l.line()))
        });
        LAST_PANIC.with(|p| *p.borrow_mut() = Some((message, at)));
    }));
}

// ---- probes ----------------------------------------------------------------------------------

/// The probe's clock: the CPU time of the calling thread (the one running the workload), not
/// the wall clock, which on a busy machine also counts the time other processes ran. Not the
/// process's CPU time either: the sandbox's RLIMIT_CPU arms the kernel's process CPU timer,
/// and that clock then advances in scheduler ticks (4 ms), coarser than a small batch.
pub fn cpu_now() -> std::time::Duration {
    #[repr(C)]
    struct Timespec {
        secs: i64,
        nanos: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, now: *mut Timespec) -> i32;
    }
    #[cfg(target_os = "macos")]
    const CLOCK_THREAD_CPUTIME_ID: i32 = 16;
    #[cfg(not(target_os = "macos"))]
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut now = Timespec { secs: 0, nanos: 0 };
    // SAFETY: clock_gettime writes one timespec to a valid pointer; the clock always exists.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "kata harness: no thread CPU clock");
    std::time::Duration::new(now.secs as u64, now.nanos as u32)
}

/// The CPU time a probe may spend on one size.
pub struct Budget {
    deadline: std::time::Duration,
}

/// A probe abandoned because building or timing its workload took too long.
pub struct TooSlow {
    pub reached: Option<usize>,
}

impl Budget {
    /// Call every few hundred steps while building: `reached` is how far building got.
    pub fn check(&self, reached: usize) -> Result<(), TooSlow> {
        if cpu_now() > self.deadline {
            Err(TooSlow {
                reached: Some(reached),
            })
        } else {
            Ok(())
        }
    }
}

/// What a probe measured: the best time per operation, and a digest of the batches' results
/// that kata compares with the reference's (a solution that behaves differently while being
/// measured does not pass).
pub struct Measured {
    pub ns: f64,
    pub digest: u64,
}

/// Folds the checks of a probe's batches into its digest.
#[derive(Debug, Default, Clone, Copy)]
pub struct Digest(u64);

impl Digest {
    pub fn add(&mut self, check: u64) {
        self.0 = self.0.wrapping_mul(1_000_003).wrapping_add(check);
    }

    /// The digest so far, for a driver that times its batches itself.
    pub fn value(self) -> u64 {
        self.0
    }
}

/// Times `repeats` runs of `batch`, which returns how many operations it performed and a
/// number folded from their results: the best nanoseconds per operation (the figure least
/// disturbed by other processes) and the digest of every batch's check.
pub fn measure(
    budget: &Budget,
    repeats: usize,
    mut batch: impl FnMut() -> (usize, u64),
) -> Result<Measured, TooSlow> {
    let mut best = f64::INFINITY;
    let mut digest = Digest::default();
    for _ in 0..repeats {
        let start = cpu_now();
        let (count, check) = batch();
        let ns = (cpu_now() - start).as_nanos() as f64;
        best = best.min(ns / count.max(1) as f64);
        digest.add(check);
        if cpu_now() > budget.deadline {
            return Err(TooSlow { reached: None });
        }
    }
    Ok(Measured {
        ns: best,
        digest: digest.0,
    })
}

// ---- memory limit ----------------------------------------------------------------------------

/// Counts live heap bytes and aborts the process (after telling kata) above the limit.
pub struct LimitedAlloc;

#[global_allocator]
static ALLOCATOR: LimitedAlloc = LimitedAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);
static MEMORY_FD: std::sync::OnceLock<File> = std::sync::OnceLock::new();

unsafe impl GlobalAlloc for LimitedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        if live > LIMIT.load(Ordering::Relaxed) {
            memory_exceeded();
        }
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let grow = new_size - layout.size();
            let live = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
            if live > LIMIT.load(Ordering::Relaxed) {
                memory_exceeded();
            }
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
}

/// Heap bytes the process holds right now (the counting allocator's figure): a driver can
/// compare it before and after a workload to check that a structure's memory stays bounded.
pub fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

fn memory_exceeded() -> ! {
    // No allocation here: write a fixed line to the results file and abort.
    if let Some(mut file) = MEMORY_FD.get() {
        let _ = file.write_all(b"{\"t\":\"memory\"}\n");
    }
    std::process::abort()
}

// ---- main loop -------------------------------------------------------------------------------

struct Results {
    file: File,
}

impl Results {
    fn emit(&mut self, line: &str) {
        // One write per line, unbuffered: a killed run still shows how far it got.
        let _ = self.file.write_all(format!("{line}\n").as_bytes());
    }
}

/// The results channel (stdin, as kata starts the driver), with /dev/null put in its place so
/// the learner's code cannot read or write it through fd 0.
fn take_results_channel() -> File {
    use std::os::fd::{AsFd, AsRawFd};
    let fd = std::io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .expect("kata harness: no results channel on stdin");
    if let Ok(null) = File::open("/dev/null") {
        extern "C" {
            fn dup2(old: i32, new: i32) -> i32;
        }
        // SAFETY: dup2 on two open descriptors; fd 0 is replaced atomically.
        unsafe {
            dup2(null.as_raw_fd(), 0);
        }
    }
    File::from(fd)
}

/// Entry point called by the generated `main`.
pub fn main<D: Driver>() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: driver INPUT NONCE MEMORY_MIB < RESULTS (run by kata)");
        std::process::exit(2);
    }
    let file = take_results_channel();
    if let Ok(copy) = file.try_clone() {
        let _ = MEMORY_FD.set(copy);
    }
    if let Ok(mib) = args[3].parse::<usize>() {
        LIMIT.store(mib.saturating_mul(1024 * 1024), Ordering::Relaxed);
    }
    let mut results = Results { file };
    let nonce = args[2].clone();
    let input = std::fs::read_to_string(&args[1]).expect("kata harness: cannot read the input");
    install_panic_hook();
    for line in input.lines().filter(|l| !l.trim().is_empty()) {
        let request = parse(line).expect("kata harness: bad input line");
        let field = |name: &str| match &request {
            Value::List(fields) => fields.iter().find_map(|f| match f {
                Value::List(kv) if kv.len() == 2 && kv[0] == Value::Str(name.to_string()) => {
                    Some(kv[1].clone())
                }
                _ => None,
            }),
            _ => None,
        };
        if let Some(seed) = field("seed") {
            SEED.store(seed.int() as u64, Ordering::Relaxed);
        }
        if let Some(index) = field("case") {
            run_case::<D>(
                &mut results,
                &nonce,
                index.int(),
                &field("ops").unwrap_or(Value::Null),
            );
        } else if let Some(index) = field("probe") {
            let workload = field("workload")
                .map(|w| w.str().to_string())
                .unwrap_or_default();
            let size = field("size").map(|s| s.int()).unwrap_or(0);
            let budget_ms = field("budget_ms").map(|b| b.int()).unwrap_or(2000);
            run_probe::<D>(&mut results, index.int(), &workload, size, budget_ms);
        }
    }
    let _ = std::io::stdout().flush();
    results.emit("{\"t\":\"done\"}");
}

fn run_case<D: Driver>(results: &mut Results, nonce: &str, index: i64, ops: &Value) {
    results.emit(&format!("{{\"t\":\"case\",\"i\":{index}}}"));
    let marker = format!("\u{1e}kata:{nonce}:{index}\n");
    {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(marker.as_bytes());
        let _ = stdout.flush();
    }
    let _ = std::io::stderr().write_all(marker.as_bytes());
    let mut driver: Option<D> = None;
    let ops: &[Value] = match ops {
        Value::List(ops) => ops,
        _ => &[],
    };
    for op in ops {
        let items = op.list();
        let name = items[0].str().to_string();
        let args = &items[1..];
        let state = driver.get_or_insert_with(D::new);
        match catch(|| state.op(&name, args)) {
            Ok(text) => match text.strip_prefix(EXPLORED) {
                Some(outcomes) => {
                    results.emit(&format!("{{\"t\":\"r\",\"v\":\"\",\"outcomes\":{outcomes}}}"))
                }
                None => results.emit(&format!("{{\"t\":\"r\",\"v\":{}}}", string(&text))),
            },
            Err(message) if message.starts_with(NOT_RUN) => {
                let text = format!("not run: {}", &message[NOT_RUN.len()..]);
                results.emit(&format!("{{\"t\":\"r\",\"v\":{}}}", string(&text)));
            }
            Err(message) => {
                let mut line = format!(
                    "{{\"t\":\"r\",\"v\":{}",
                    string(&format!("panic: {message}"))
                );
                if let Some(at) = take_panic_location() {
                    line.push_str(&format!(",\"at\":{}", string(&at)));
                }
                line.push('}');
                results.emit(&line);
            }
        }
    }
}

fn run_probe<D: Driver>(
    results: &mut Results,
    index: i64,
    workload: &str,
    size: i64,
    budget_ms: i64,
) {
    let budget = Budget {
        deadline: cpu_now() + std::time::Duration::from_millis(budget_ms.max(1) as u64),
    };
    let mut line = format!("{{\"t\":\"probe\",\"i\":{index},\"size\":{size}");
    match catch(|| D::probe(workload, size as usize, &budget)) {
        Ok(Ok(measured)) => line.push_str(&format!(
            ",\"ns\":{},\"digest\":\"{:016x}\"",
            float(measured.ns),
            measured.digest
        )),
        Ok(Err(slow)) => {
            line.push_str(",\"aborted\":true");
            if let Some(reached) = slow.reached {
                line.push_str(&format!(",\"reached\":{reached}"));
            }
        }
        Err(message) => line.push_str(&format!(
            ",\"error\":{}",
            string(&format!("panic: {message}"))
        )),
    }
    line.push('}');
    results.emit(&line);
}

// ---- a small JSON reader (objects become lists of [key, value] pairs) -------------------------

fn parse(text: &str) -> Result<Value, String> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let value = reader.value()?;
    reader.space();
    if reader.pos != reader.bytes.len() {
        return Err(format!("trailing characters at {}", reader.pos));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn space(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        self.space();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at {}", byte as char, self.pos))
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.space();
        match self.peek() {
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.space();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Value::List(items));
                }
                loop {
                    items.push(self.value()?);
                    self.space();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Value::List(items));
                        }
                        _ => return Err(format!("expected ',' or ']' at {}", self.pos)),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut pairs = Vec::new();
                self.space();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(Value::List(pairs));
                }
                loop {
                    self.space();
                    let key = self.string()?;
                    self.expect(b':')?;
                    let value = self.value()?;
                    pairs.push(Value::List(vec![Value::Str(key), value]));
                    self.space();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Value::List(pairs));
                        }
                        _ => return Err(format!("expected ',' or '}}' at {}", self.pos)),
                    }
                }
            }
            Some(b'"') => self.string().map(Value::Str),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'n') => self.word("null", Value::Null),
            Some(_) => self.number(),
            None => Err("unexpected end of input".to_string()),
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, String> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(format!("unexpected input at {}", self.pos))
        }
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        while self.pos < self.bytes.len()
            && matches!(
                self.bytes[self.pos],
                b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
            )
        {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).map_err(|e| e.to_string())?;
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Value::Int(i));
        }
        text.parse::<f64>()
            .map(Value::Float)
            .map_err(|_| format!("bad number '{text}' at {start}"))
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let Some(byte) = self.peek() else {
                return Err("unterminated string".to_string());
            };
            self.pos += 1;
            match byte {
                b'"' => return String::from_utf8(out).map_err(|e| e.to_string()),
                b'\\' => {
                    let escaped = self.peek().ok_or("unterminated escape")?;
                    self.pos += 1;
                    match escaped {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = std::str::from_utf8(&self.bytes[self.pos..self.pos + 4])
                                .map_err(|e| e.to_string())?;
                            let mut code =
                                u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
                            self.pos += 4;
                            if (0xD800..0xDC00).contains(&code)
                                && self.bytes[self.pos..].starts_with(b"\\u")
                            {
                                let low =
                                    std::str::from_utf8(&self.bytes[self.pos + 2..self.pos + 6])
                                        .map_err(|e| e.to_string())?;
                                let low =
                                    u32::from_str_radix(low, 16).map_err(|e| e.to_string())?;
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                self.pos += 6;
                            }
                            let c = char::from_u32(code).unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }
}
