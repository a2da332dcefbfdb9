//! End to end with kata's Rust harness: `harness.rs`, a learner's `src/lib.rs` (written with
//! `kst::` paths, as after the rewrite) and a driver that calls `kst::model::explore`, built
//! as one binary the way kata builds it. The program runs itself as the driver process
//! (`INPUT NONCE MEMORY_MIB < RESULTS`, the harness protocol as of this writing) and checks
//! the results file: results come back through
//! the harness protocol, a deadlock outside exploration is a `panic: deadlock: ...` result
//! located in `src/lib.rs`, and exploration outcomes carry `src/lib.rs:N` locations.

#[allow(dead_code)]
#[path = "../../../exercises/_harness/rust/harness.rs"]
mod harness;

#[allow(dead_code)]
#[path = "support/learner/src/lib.rs"]
mod learner;

#[path = "support/check.rs"]
mod check;

mod driver {
    use crate::harness::{self, Value};
    use crate::learner::BoundedQueue;
    use kst::model::{explore, Config};
    use kst::sync::Arc;
    use kst::time::Duration;

    pub struct Driver {
        queue: Option<BoundedQueue<i64>>,
    }

    /// `producers` threads put `per` items each; `consumers` threads (main among them) get
    /// `gets` items each.
    fn scenario(capacity: usize, producers: i64, consumers: i64, per: i64, gets: i64) -> String {
        let q = Arc::new(BoundedQueue::new(capacity));
        let ps: Vec<_> = (0..producers)
            .map(|p| {
                let q = Arc::clone(&q);
                kst::thread::spawn(move || (0..per).for_each(|i| q.put(p * 100 + i)))
            })
            .collect();
        let cs: Vec<_> = (1..consumers)
            .map(|_| {
                let q = Arc::clone(&q);
                kst::thread::spawn(move || (0..gets).map(|_| q.get()).collect::<Vec<_>>())
            })
            .collect();
        let mut got: Vec<i64> = (0..gets).map(|_| q.get()).collect();
        for c in cs {
            got.extend(c.join().unwrap());
        }
        for p in ps {
            p.join().unwrap();
        }
        got.sort();
        format!("{got:?}")
    }

    impl harness::Driver for Driver {
        fn new() -> Self {
            Driver { queue: None }
        }

        fn op(&mut self, name: &str, args: &[Value]) -> String {
            match name {
                "new" => {
                    self.queue = Some(BoundedQueue::new(args[0].int() as usize));
                    harness::ok()
                }
                "put" => {
                    harness::need(self.queue.as_mut()).put(args[0].int());
                    harness::ok()
                }
                "get" => harness::int(harness::need(self.queue.as_mut()).get()),
                "try_get" => match harness::need(self.queue.as_mut())
                    .try_get(Duration::from_secs_f64(args[0].float()))
                {
                    Some(v) => harness::int(v),
                    None => harness::null(),
                },
                "explore" => {
                    let a: Vec<i64> = args.iter().map(Value::int).collect();
                    let o = explore(
                        &Config {
                            seed: 1,
                            ..Config::default()
                        },
                        move || scenario(a[0] as usize, a[1], a[2], a[3], a[4]),
                    );
                    harness::list(o.outcomes.iter().map(|x| harness::string(&x.text)))
                }
                other => panic!("kata driver: unknown operation {other}"),
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() >= 4 {
        harness::main::<driver::Driver>();
        return;
    }
    let dir = std::env::temp_dir().join(format!("kst-harness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (input, results) = (dir.join("input.jsonl"), dir.join("results.jsonl"));
    std::fs::write(
        &input,
        concat!(
            "{\"case\": 0, \"ops\": [[\"new\", 1], [\"put\", 5], [\"get\"], [\"try_get\", 2.5], [\"get\"], [\"put\", 6], [\"get\"]]}\n",
            "{\"case\": 1, \"ops\": [[\"explore\", 1, 2, 2, 2, 2], [\"explore\", 1, 1, 2, 1, 1]]}\n",
        ),
    )
    .unwrap();
    let out = std::process::Command::new(&args[0])
        .args([input.to_str().unwrap(), "n0nce", "1024"])
        .stdin(std::fs::File::create(&results).unwrap())
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&results).unwrap_or_default();
    std::fs::remove_dir_all(&dir).ok();
    check::check(
        out.status.success(),
        &format!("driver process failed: {out:?}"),
    );
    let wait = check::line_of(include_str!("support/learner/src/lib.rs"), "// @GET-WAIT");
    let lines: Vec<&str> = text.lines().collect();
    let deadlock = format!("panic: deadlock: main waits for Condvar#1 at src/lib.rs:{wait}");
    let want_case0 = [
        "{\"t\":\"case\",\"i\":0}".to_string(),
        "{\"t\":\"r\",\"v\":\"ok\"}".to_string(),
        "{\"t\":\"r\",\"v\":\"ok\"}".to_string(),
        "{\"t\":\"r\",\"v\":\"5\"}".to_string(),
        "{\"t\":\"r\",\"v\":\"null\"}".to_string(),
        // The harness keeps the path rustc was given (kata remaps it to `src/lib.rs`).
        format!(
            "{{\"t\":\"r\",\"v\":\"{deadlock}\",\"at\":\"support/learner/src/lib.rs:{wait}\"}}"
        ),
        "{\"t\":\"r\",\"v\":\"ok\"}".to_string(),
        "{\"t\":\"r\",\"v\":\"6\"}".to_string(),
    ];
    check::check(
        lines.len() == 12 && lines[..8] == want_case0,
        &format!("case 0 results:\n{text}\nwant:\n{}", want_case0.join("\n")),
    );
    println!("ok   free-mode results through the harness, deadlock located at src/lib.rs:{wait}");
    check::check(
        lines[8] == "{\"t\":\"case\",\"i\":1}",
        &format!("case 1 header: {}", lines[8]),
    );
    check::check(
        lines[9] == "{\"t\":\"r\",\"v\":\"[\\\"[0, 1, 100, 101]\\\"]\"}",
        &format!("explore through the harness: {}", lines[9]),
    );
    let starve = lines[10];
    check::check(
        starve.starts_with("{\"t\":\"r\",\"v\":\"[\\\"deadlock: ")
            && starve.contains(&format!(" waits for Condvar#1 at src/lib.rs:{wait}")),
        &format!("starved consumer: {starve}"),
    );
    check::check(lines[11] == "{\"t\":\"done\"}", "done line");
    println!(
        "ok   explore inside a harness operation: {} / {}",
        lines[9], starve
    );
}
