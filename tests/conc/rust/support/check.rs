//! Shared by the scenario programs in `tests/conc/rust/`: deterministic exploration helpers,
//! a quiet panic hook for expected panics, and loud failures.

#![allow(dead_code)]

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

use kst::model::{explore, Config, Outcomes};

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Panics of model threads (named `T1`, `T2`...) and of code run under [`quietly`] are
/// expected: keep them off stderr. Any other panic is reported as usual.
pub fn install_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let model_thread = std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with('T'));
        if !model_thread && !QUIET.with(Cell::get) {
            default(info);
        }
    }));
}

pub fn quietly<T>(f: impl FnOnce() -> T) -> T {
    QUIET.with(|q| q.set(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    match r {
        Ok(v) => v,
        Err(p) => panic::resume_unwind(p),
    }
}

/// Runs `f`, expecting a panic; returns its message.
pub fn panic_message(f: impl FnOnce()) -> String {
    QUIET.with(|q| q.set(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    match r {
        Ok(()) => fail("expected a panic, got none"),
        Err(p) => {
            if let Some(s) = p.downcast_ref::<&str>() {
                s.to_string()
            } else if let Some(s) = p.downcast_ref::<String>() {
                s.clone()
            } else {
                "<non-string payload>".to_string()
            }
        }
    }
}

pub fn fail(msg: &str) -> ! {
    let mut cut = msg.len().min(4000);
    while !msg.is_char_boundary(cut) {
        cut -= 1;
    }
    let msg = if cut < msg.len() {
        format!("{}... ({} bytes)", &msg[..cut], msg.len())
    } else {
        msg.to_string()
    };
    eprintln!("FAIL: {msg}");
    std::process::exit(1)
}

pub fn check(cond: bool, msg: &str) {
    if !cond {
        fail(msg);
    }
}

pub fn cfg(seed: u64) -> Config {
    Config {
        seed,
        ..Config::default()
    }
}

/// Explores twice with the same config and insists on byte-identical JSON.
pub fn explore_twice(name: &str, cfg: &Config, scenario: impl Fn() -> String + Sync) -> Outcomes {
    let a = quietly(|| explore(cfg, &scenario));
    let b = quietly(|| explore(cfg, &scenario));
    if a.to_json() != b.to_json() {
        fail(&format!(
            "{name}: two explorations with the same seed differ:\n{}\n{}",
            a.to_json(),
            b.to_json()
        ));
    }
    a
}

/// Exactly one outcome, equal to `expected`, after all `cfg.schedules` schedules.
pub fn expect_clean(name: &str, o: &Outcomes, expected: &str, schedules: usize) {
    if o.texts() != [expected] || o.schedules_run != schedules {
        fail(&format!(
            "{name}: expected only {expected:?} over {schedules} schedules, got {:?} after {}\n{}",
            o.texts(),
            o.schedules_run,
            o.to_json()
        ));
    }
    println!(
        "ok   {name}: {expected:?} in all {} schedules",
        o.schedules_run
    );
}

/// Some outcome satisfies `bad`; returns it.
pub fn expect_caught<'a>(
    name: &str,
    o: &'a Outcomes,
    bad: impl Fn(&str) -> bool,
) -> &'a kst::model::Outcome {
    match o.outcomes.iter().find(|x| bad(&x.text)) {
        Some(x) => {
            println!(
                "ok   {name}: caught at schedule {} ({} steps): {}",
                x.schedule, x.steps, x.text
            );
            x
        }
        None => fail(&format!(
            "{name}: bug not caught in {} schedules: {:?}",
            o.schedules_run,
            o.texts()
        )),
    }
}

/// The 1-based line of `src` holding `marker` (a comment at the end of a learner line).
pub fn line_of(src: &str, marker: &str) -> u32 {
    let hits: Vec<usize> = src
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_end().ends_with(marker))
        .map(|(i, _)| i)
        .collect();
    match hits[..] {
        [i] => i as u32 + 1,
        _ => fail(&format!("marker {marker:?} found {} times", hits.len())),
    }
}
