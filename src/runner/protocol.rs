//! The driver protocol: what kata sends a hidden driver and what the driver writes back.
//!
//! kata writes one JSON object per line to the driver's input file, never an expected result:
//! `{"case": 3, "ops": [["put", 1, 1], ["get", 1]]}` or
//! `{"probe": 0, "workload": "lru_mix", "size": 1000, "budget_ms": 2000}`.
//!
//! The driver writes one JSON object per line to the results channel: an unnamed file kata
//! hands it as stdin, which the harness takes before the learner's code loads (separate from
//! the learner's stdout), flushing each line so a killed run still shows how far it got:
//! `{"t":"case","i":3}` when a case starts, `{"t":"r","v":"-1"}` per operation (with
//! `"at":"file:line"` when the learner's code raised or panicked, and `"tb"`, its frames in
//! the learner's file, outermost first), `{"t":"probe",...}` per measurement,
//! and `{"t":"done"}` once at the end. Setup failures are `syntax`, `import_error` and `missing`;
//! `memory` reports the memory limit. At the start of each case the driver also writes the
//! marker `\u{1e}kata:<nonce>:<case>\n` to stdout and stderr, so the learner's own output can be
//! split per case.
//!
//! A check passes only through this protocol: exit status 0, `done` exactly once and last,
//! every case once and in order, each with no more results than it has operations.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::catalog::case::{Case, Probe, MAX_RESULT_BYTES};

/// The input file for the cases phase; `seed` drives the schedules a concurrency exercise
/// explores (`kata check --seed N`).
pub fn cases_input<'a>(cases: impl IntoIterator<Item = &'a Case>, seed: u64) -> String {
    let mut out = String::new();
    for (i, case) in cases.into_iter().enumerate() {
        let ops: Vec<Value> = case
            .ops
            .iter()
            .map(|op| {
                let mut items = vec![Value::String(op.name.clone())];
                items.extend(op.args.iter().cloned());
                Value::Array(items)
            })
            .collect();
        out.push_str(&json!({"case": i, "ops": ops, "seed": seed}).to_string());
        out.push('\n');
    }
    out
}

/// The input file for the probes phase: one line per probe and size, smallest size first,
/// then the smallest size once more. The first measurement runs right after the interpreter
/// starts, next to the cases process and often before the CPU has left its idle clock; the
/// second runs warm. The judge keeps the best time per size.
pub fn probes_input(probes: &[Probe]) -> String {
    let mut out = String::new();
    for (i, probe) in probes.iter().enumerate() {
        for size in probe.sizes.iter().chain(probe.sizes.first()) {
            let line = json!({
                "probe": i,
                "workload": probe.workload,
                "size": size,
                "budget_ms": probe.budget_ms,
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
    }
    out
}

#[derive(Debug, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
enum Event {
    Syntax(SyntaxError),
    ImportError {
        error: String,
        #[serde(default)]
        traceback: String,
    },
    Missing {
        names: Vec<String>,
    },
    Case {
        i: usize,
    },
    R {
        v: String,
        #[serde(default)]
        at: Option<String>,
        #[serde(default)]
        tb: Vec<String>,
        #[serde(default)]
        outcomes: Vec<Explored>,
    },
    Probe(ProbeSample),
    Memory,
    Done,
}

/// A Python syntax error in the learner's file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct SyntaxError {
    /// `SyntaxError`, `IndentationError` or `TabError`.
    #[serde(default = "syntax_error_kind")]
    pub kind: String,
    pub line: Option<usize>,
    pub col: Option<usize>,
    #[serde(default)]
    pub end_col: Option<usize>,
    pub msg: String,
    #[serde(default)]
    pub text: Option<String>,
}

fn syntax_error_kind() -> String {
    "SyntaxError".into()
}

/// Why the driver could not start running cases.
#[derive(Debug, Clone, PartialEq)]
pub enum SetupFailure {
    Syntax(SyntaxError),
    Import { error: String, traceback: String },
    Missing(Vec<String>),
}

/// One measurement of a probe at one size.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ProbeSample {
    #[serde(rename = "i")]
    pub probe: usize,
    pub size: u64,
    /// Best time per operation, in nanoseconds.
    #[serde(default)]
    pub ns: Option<f64>,
    /// The digest of the timed batches' results (16 hex digits).
    #[serde(default)]
    pub digest: Option<String>,
    /// The size was abandoned after `budget_ms`; `reached` is how far building got.
    #[serde(default)]
    pub aborted: bool,
    #[serde(default)]
    pub reached: Option<u64>,
    /// The learner's code raised or panicked during the measurement.
    #[serde(default)]
    pub error: Option<String>,
}

/// One distinct outcome of an operation that explored schedules of concurrent code, with the
/// first schedule that produced it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Explored {
    /// The outcome, a result line like any other (`instances=2 init_calls=2`, `deadlock: ...`).
    pub v: String,
    /// Which schedule of the exploration, counting from 0.
    pub schedule: u64,
    /// That schedule's own seed.
    pub seed: u64,
    /// Scheduling steps it took.
    pub steps: u64,
    /// What ran, in order.
    #[serde(default)]
    pub trace: Vec<TraceEvent>,
    /// Events left out of `trace` (a long schedule keeps its start and its end).
    #[serde(default)]
    pub trace_cut: u64,
}

/// One step of a schedule: which thread did what, where.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct TraceEvent {
    pub th: String,
    pub ev: String,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
}

/// The result line of one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OpResult {
    pub text: String,
    /// Where in the learner's file an error was raised, e.g. `lru_cache.py:12`.
    pub at: Option<String>,
    /// The learner's frames of the error's traceback, outermost first (`file:line`).
    pub trace: Vec<String>,
    /// For an operation that explored schedules: every distinct outcome (the driver does not
    /// know which is right; kata compares each with the expected result).
    pub outcomes: Vec<Explored>,
}

/// The results of one case, as far as the driver got.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRun {
    pub index: usize,
    pub results: Vec<OpResult>,
}

/// Everything a driver reported.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DriverOutput {
    pub setup: Option<SetupFailure>,
    pub cases: Vec<CaseRun>,
    pub probes: Vec<ProbeSample>,
    pub memory_exceeded: bool,
    /// The driver reached its end (a missing `done` means the process died or exited early).
    pub done: bool,
    /// Lines that were not valid protocol (a torn last line after a kill, or tampering).
    pub malformed: usize,
    /// The first event out of sequence (a case out of order or repeated, a second `done`,
    /// anything after `done`): the channel was written by something other than the harness.
    pub out_of_sequence: Option<String>,
}

impl DriverOutput {
    /// The (case, operation) the driver was in when it stopped, if it stopped inside a case.
    pub fn position(&self) -> Option<(usize, usize)> {
        self.cases.last().map(|run| (run.index, run.results.len()))
    }
}

/// A result cut to `MAX_RESULT_BYTES`, saying how much was dropped.
fn cap_result(mut text: String) -> String {
    if text.len() <= MAX_RESULT_BYTES {
        return text;
    }
    let mut end = MAX_RESULT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let dropped = text.len() - end;
    text.truncate(end);
    text.push_str(&format!("... ({dropped} more bytes)"));
    text
}

/// Parses the results channel. Cases must arrive in order (0, 1, 2...), each once, with
/// `done` once at the very end; the first event that breaks this is recorded in
/// [`DriverOutput::out_of_sequence`].
pub fn parse_results(text: &str) -> DriverOutput {
    let mut out = DriverOutput::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(event) = serde_json::from_str::<Event>(line) else {
            out.malformed += 1;
            continue;
        };
        if out.done && out.out_of_sequence.is_none() {
            out.out_of_sequence = Some("results were written after the driver finished".into());
        }
        match event {
            Event::Syntax(error) => out.setup = Some(SetupFailure::Syntax(error)),
            Event::ImportError { error, traceback } => {
                out.setup = Some(SetupFailure::Import { error, traceback })
            }
            Event::Missing { names } => out.setup = Some(SetupFailure::Missing(names)),
            Event::Case { i } => {
                let next = out.cases.last().map_or(0, |c| c.index + 1);
                if i != next && out.out_of_sequence.is_none() {
                    out.out_of_sequence = Some(format!(
                        "case {} was reported where case {} was due",
                        i + 1,
                        next + 1
                    ));
                }
                out.cases.push(CaseRun {
                    index: i,
                    results: Vec::new(),
                })
            }
            Event::R {
                v,
                at,
                tb,
                outcomes,
            } => match out.cases.last_mut() {
                Some(run) => run.results.push(OpResult {
                    text: cap_result(crate::text::escape_controls(&v).into_owned()),
                    at,
                    trace: tb,
                    outcomes: outcomes
                        .into_iter()
                        .map(|mut o| {
                            o.v = cap_result(crate::text::escape_controls(&o.v).into_owned());
                            o
                        })
                        .collect(),
                }),
                None => out.malformed += 1,
            },
            Event::Probe(sample) => out.probes.push(sample),
            Event::Memory => out.memory_exceeded = true,
            Event::Done => out.done = true,
        }
    }
    out
}

/// A captured stream split per case (see [`split_output`]), its kept end included: the part
/// of the end before its first marker belongs to the case before that marker's, or, with no
/// marker, to `running` (the case the driver was in when it stopped). Where bytes were cut, a
/// line says how many.
pub fn split_captured(
    captured: &super::process::Captured,
    nonce: &str,
    running: Option<usize>,
) -> Vec<(Option<usize>, String)> {
    let mut parts = split_output(&captured.bytes, nonce);
    if captured.tail.is_empty() {
        return parts;
    }
    let cut = captured.total - (captured.bytes.len() + captured.tail.len()) as u64;
    // The end starts mid-line (maybe mid-marker) when bytes were cut before it.
    let tail = match (cut, captured.tail.iter().position(|&b| b == b'\n')) {
        (0, _) => &captured.tail[..],
        (_, Some(newline)) => &captured.tail[newline + 1..],
        (_, None) => &[][..],
    };
    let mut ends = split_marked(tail, nonce);
    // The case of the first marker (a case that printed nothing still has its part here).
    let first_marked = ends.get(1).and_then(|(case, _)| *case);
    ends.retain(|(_, text)| !text.is_empty());
    let before = match first_marked {
        Some(case) => case.checked_sub(1),
        None => running,
    };
    if cut > 0 {
        let note = format!("[kata: {cut} bytes of output cut here]\n");
        match ends.first_mut() {
            Some((None, text)) => text.insert_str(0, &note),
            _ => ends.insert(0, (None, note)),
        }
    }
    for (case, _) in ends.iter_mut() {
        if case.is_none() {
            *case = before;
        } else {
            break;
        }
    }
    parts.extend(ends);
    parts
}

/// The learner's output split at the per-case markers: `(None, text)` before the first case.
pub fn split_output(bytes: &[u8], nonce: &str) -> Vec<(Option<usize>, String)> {
    let mut parts = split_marked(bytes, nonce);
    parts.retain(|(_, text)| !text.is_empty());
    parts
}

/// [`split_output`] with the empty parts kept: one part before the first marker, then one
/// per marker.
fn split_marked(bytes: &[u8], nonce: &str) -> Vec<(Option<usize>, String)> {
    let text = String::from_utf8_lossy(bytes);
    let marker = format!("\u{1e}kata:{nonce}:");
    let mut parts = Vec::new();
    let mut current: Option<usize> = None;
    let mut rest: &str = &text;
    while let Some(at) = rest.find(&marker) {
        parts.push((current, rest[..at].to_string()));
        let after = &rest[at + marker.len()..];
        let end = after.find('\n').unwrap_or(after.len());
        current = after[..end].parse().ok();
        rest = after.get(end + 1..).unwrap_or("");
    }
    parts.push((current, rest.to_string()));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_results_are_capped_on_a_char_boundary() {
        let line = format!(
            "{{\"t\":\"case\",\"i\":0}}\n{{\"t\":\"r\",\"v\":\"{}\"}}\n",
            "é".repeat(5000)
        );
        let out = parse_results(&line);
        let text = &out.cases[0].results[0].text;
        assert!(text.starts_with("éé"));
        assert!(text.ends_with("... (5904 more bytes)"), "{}", &text[4000..]);
        assert!(text.len() < MAX_RESULT_BYTES + 30);
    }

    #[test]
    fn parses_a_killed_run() {
        let text = "{\"t\":\"case\",\"i\":0}\n{\"t\":\"r\",\"v\":\"ok\"}\n{\"t\":\"case\",\"i\":1}\n{\"t\":\"r\",\"v\":\"1\"}\n{\"t\":\"r\",\"v\":\"error ValueError: x\",\"at\":\"m.py:3\"}\n{\"t\":\"r\",\"v";
        let out = parse_results(text);
        assert!(!out.done);
        assert_eq!(out.malformed, 1);
        assert_eq!(out.position(), Some((1, 2)));
        assert_eq!(out.cases[1].results[1].at.as_deref(), Some("m.py:3"));
    }

    #[test]
    fn events_out_of_sequence_are_flagged() {
        let ok = "{\"t\":\"case\",\"i\":0}\n{\"t\":\"case\",\"i\":1}\n{\"t\":\"done\"}\n";
        assert_eq!(parse_results(ok).out_of_sequence, None);
        let skipped = "{\"t\":\"case\",\"i\":0}\n{\"t\":\"case\",\"i\":2}\n";
        assert_eq!(
            parse_results(skipped).out_of_sequence.as_deref(),
            Some("case 3 was reported where case 2 was due")
        );
        let twice = "{\"t\":\"case\",\"i\":0}\n{\"t\":\"done\"}\n{\"t\":\"done\"}\n";
        assert!(parse_results(twice).out_of_sequence.is_some());
    }

    #[test]
    fn splits_output_per_case() {
        let text = "boot\n\u{1e}kata:n1:0\nfirst\n\u{1e}kata:n1:1\nsecond";
        let parts = split_output(text.as_bytes(), "n1");
        assert_eq!(
            parts,
            vec![
                (None, "boot\n".to_string()),
                (Some(0), "first\n".to_string()),
                (Some(1), "second".to_string())
            ]
        );
    }

    #[test]
    fn inputs_carry_no_expectations() {
        let file =
            crate::catalog::case_parser::parse("case a\n hint: h\n put 1 2 => ok\n").unwrap();
        let input = cases_input(&file.cases, 7);
        assert_eq!(input, "{\"case\":0,\"ops\":[[\"put\",1,2]],\"seed\":7}\n");
    }

    fn captured(stream: &str, cap: usize) -> crate::runner::process::Captured {
        let bytes = stream.as_bytes();
        let tail = bytes.len().saturating_sub(cap).max(cap);
        crate::runner::process::Captured {
            bytes: bytes[..cap.min(bytes.len())].to_vec(),
            tail: bytes[tail..].to_vec(),
            total: bytes.len() as u64,
        }
    }

    #[test]
    fn the_kept_end_of_a_long_stream_goes_to_the_case_that_printed_it() {
        let mut stream = String::from("import\n\u{1e}kata:n:0\n");
        for i in 0..2000 {
            stream.push_str(&format!("line {i}\n"));
        }
        // cases 1 and 2 print nothing: only their markers follow
        stream.push_str("\u{1e}kata:n:1\n\u{1e}kata:n:2\n");
        let parts = split_captured(&captured(&stream, 1000), "n", Some(2));
        let case0: String = parts
            .iter()
            .filter(|(c, _)| *c == Some(0))
            .map(|(_, t)| t.as_str())
            .collect();
        assert!(case0.starts_with("line 0\n"), "{case0}");
        assert!(case0.ends_with("line 1999\n"), "{case0}");
        assert!(
            case0.contains("bytes of output cut here]\nline 1"),
            "{case0}"
        );
        assert_eq!(parts[0], (None, "import\n".to_string()));
    }

    #[test]
    fn an_end_without_markers_belongs_to_the_running_case() {
        let mut stream = String::from("\u{1e}kata:n:0\n\u{1e}kata:n:1\n");
        for i in 0..2000 {
            stream.push_str(&format!("spin {i}\n"));
        }
        let parts = split_captured(&captured(&stream, 500), "n", Some(1));
        let last = parts.last().unwrap();
        assert_eq!(last.0, Some(1));
        assert!(last.1.ends_with("spin 1999\n"), "{}", last.1);
        // a stream that fits is split as before, with no note
        let short = "\u{1e}kata:n:0\nhello\n";
        let whole = crate::runner::process::Captured {
            bytes: short.as_bytes().to_vec(),
            tail: Vec::new(),
            total: short.len() as u64,
        };
        assert_eq!(
            split_captured(&whole, "n", Some(0)),
            vec![(Some(0), "hello\n".to_string())]
        );
    }
}
