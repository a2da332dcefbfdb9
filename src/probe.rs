//! Complexity probes: judging measured time per operation at two sizes (pure).
//!
//! The growth of time per operation between the smallest and largest size is turned into an
//! exponent: `ratio = growth ^ exponent`. An O(1) structure measures 0-0.3 (cache misses
//! make big structures a little slower per operation), an O(n) one close to 1. A probe passes
//! when the exponent is at most its `max_exponent` (0.6 by default: 15.8x per 100x growth).

use crate::catalog::case::Probe;
use crate::runner::protocol::ProbeSample;

#[derive(Debug, Clone, PartialEq)]
pub struct ProbeVerdict {
    pub name: String,
    pub hint: String,
    pub passed: bool,
    /// One sentence explaining the measurement.
    pub message: String,
    /// Nanoseconds per operation at each measured size.
    pub samples: Vec<(u64, f64)>,
    pub ratio: Option<f64>,
    pub exponent: Option<f64>,
    /// The digest of the results at each measured size, as the driver reported it.
    pub digests: Vec<(u64, String)>,
}

/// Judges one probe from the samples the driver reported for it.
pub fn judge(probe: &Probe, index: usize, samples: &[ProbeSample]) -> ProbeVerdict {
    let mine: Vec<&ProbeSample> = samples.iter().filter(|s| s.probe == index).collect();
    let mut verdict = ProbeVerdict {
        name: probe.name.clone(),
        hint: probe.hint.clone(),
        passed: false,
        message: String::new(),
        samples: Vec::new(),
        ratio: None,
        exponent: None,
        digests: Vec::new(),
    };
    for sample in &mine {
        if let (Some(digest), true) = (&sample.digest, sample.ns.is_some()) {
            if !verdict.digests.iter().any(|(size, _)| *size == sample.size) {
                verdict.digests.push((sample.size, digest.clone()));
            }
        }
    }
    let small = probe.sizes[0];
    let large = *probe.sizes.last().expect("probes have two sizes");
    let what = &probe.what;
    if let Some(failed) = mine.iter().find(|s| s.error.is_some()) {
        verdict.message = format!(
            "{what} failed while being measured with a {} of {}: {}",
            probe.subject,
            thousands(failed.size),
            failed.error.as_deref().unwrap_or_default()
        );
        return verdict;
    }
    if let Some(slow) = mine.iter().find(|s| s.aborted) {
        let reached = match slow.reached {
            Some(n) => format!(" (it reached {})", thousands(n)),
            None => String::new(),
        };
        verdict.message = format!(
            "{what} too slow: building and timing a {} of {} did not finish within {:.1} s of CPU time{reached}: looks slower than {}",
            probe.subject,
            thousands(slow.size),
            probe.budget_ms as f64 / 1000.0,
            probe.expect
        );
        return verdict;
    }
    // The best of the measurements at a size (the smallest is measured twice).
    let time_at = |size: u64| {
        mine.iter()
            .filter(|s| s.size == size)
            .filter_map(|s| s.ns)
            .min_by(f64::total_cmp)
    };
    if let Some((size, got)) = wrong_results(probe, &mine) {
        verdict.message = format!(
            "{what} returned different results than the reference while being measured with a {} of {}{}: a solution must behave the same at every size, so the measurement does not count",
            probe.subject,
            thousands(size),
            match got {
                Some(_) => String::new(),
                None => " (no digest of its results was reported)".to_string(),
            }
        );
        return verdict;
    }
    let (Some(t_small), Some(t_large)) = (time_at(small), time_at(large)) else {
        verdict.message =
            format!("{what} was not measured: the run stopped before the probe finished");
        return verdict;
    };
    verdict.samples = probe
        .sizes
        .iter()
        .filter_map(|&size| time_at(size).map(|ns| (size, ns)))
        .collect();
    let growth = large as f64 / small as f64;
    let ratio = t_large / t_small.max(f64::MIN_POSITIVE);
    let exponent = (ratio.ln() / growth.ln()).max(0.0);
    let limit = growth.powf(probe.max_exponent);
    verdict.ratio = Some(ratio);
    verdict.exponent = Some(exponent);
    verdict.passed = ratio <= limit;
    let timing = format!(
        "{} per operation at {} -> {} at {}",
        duration(t_small),
        thousands(small),
        duration(t_large),
        thousands(large)
    );
    verdict.message = if verdict.passed {
        format!(
            "{what} {:.1}x slower when the {} grows {}x (limit {:.0}x): consistent with {} ({timing})",
            ratio,
            probe.subject,
            thousands(growth.round() as u64),
            limit,
            probe.expect
        )
    } else {
        format!(
            "{what} slow down {:.0}x when the {} grows {}x: looks {}, expected {} ({timing})",
            ratio,
            probe.subject,
            thousands(growth.round() as u64),
            classify(exponent),
            probe.expect
        )
    };
    verdict
}

/// The first measured size whose digest differs from the reference's: (size, the digest).
fn wrong_results<'a>(probe: &Probe, samples: &[&'a ProbeSample]) -> Option<(u64, Option<&'a str>)> {
    samples.iter().filter(|s| s.ns.is_some()).find_map(|s| {
        let expected = probe.digests.iter().find(|(size, _)| *size == s.size)?;
        let got = s.digest.as_deref();
        (got != Some(expected.1.as_str())).then_some((s.size, got))
    })
}

/// The message for a probe stopped by the check's time limit before it measured every size.
pub fn out_of_time(probe: &Probe, limit: std::time::Duration) -> String {
    format!(
        "{} too slow: measuring up to a {} of {} did not finish within the check's time limit of {:.1} s: looks slower than {}",
        probe.what,
        probe.subject,
        thousands(*probe.sizes.last().expect("probes have two sizes")),
        limit.as_secs_f64(),
        probe.expect
    )
}

/// A rough name for a growth exponent of time per operation.
fn classify(exponent: f64) -> &'static str {
    match exponent {
        e if e < 0.35 => "O(1) or O(log n)",
        e if e < 1.5 => "O(n)",
        e if e < 2.5 => "O(n^2)",
        _ => "worse than O(n^2)",
    }
}

/// `100000` as `100,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn duration(ns: f64) -> String {
    if ns >= 1_000_000.0 {
        format!("{:.1} ms", ns / 1_000_000.0)
    } else if ns >= 1_000.0 {
        format!("{:.2} us", ns / 1_000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::case_parser::parse;

    fn probe() -> Probe {
        parse("probe p\n hint: h\n workload: w\n sizes: 1000 100000\n what: get/put\n subject: cache\n")
            .unwrap()
            .probes
            .remove(0)
    }

    fn sample(size: u64, ns: f64) -> ProbeSample {
        ProbeSample {
            probe: 0,
            size,
            ns: Some(ns),
            digest: Some("d".repeat(16)),
            aborted: false,
            reached: None,
            error: None,
        }
    }

    #[test]
    fn flat_passes_linear_fails() {
        let ok = judge(&probe(), 0, &[sample(1000, 400.0), sample(100000, 1400.0)]);
        assert!(ok.passed, "{}", ok.message);
        assert!(ok.message.contains("3.5x slower"), "{}", ok.message);
        let bad = judge(&probe(), 0, &[sample(1000, 400.0), sample(100000, 25200.0)]);
        assert!(!bad.passed);
        assert!(
            bad.message.starts_with(
                "get/put slow down 63x when the cache grows 100x: looks O(n), expected O(1)"
            ),
            "{}",
            bad.message
        );
    }

    #[test]
    fn the_best_time_per_size_counts() {
        let v = judge(
            &probe(),
            0,
            &[
                sample(1000, 900.0),
                sample(100000, 1400.0),
                sample(1000, 400.0),
            ],
        );
        assert_eq!(v.samples, vec![(1000, 400.0), (100000, 1400.0)]);
        assert!(v.message.contains("3.5x slower"), "{}", v.message);
    }

    #[test]
    fn aborted_and_missing() {
        let mut slow = sample(100000, 0.0);
        slow.ns = None;
        slow.aborted = true;
        slow.reached = Some(12000);
        let v = judge(&probe(), 0, &[sample(1000, 400.0), slow]);
        assert!(!v.passed);
        assert!(v.message.contains("reached 12,000"), "{}", v.message);
        let v = judge(&probe(), 0, &[sample(1000, 400.0)]);
        assert!(!v.passed && v.message.contains("not measured"));
    }

    #[test]
    fn results_unlike_the_references_void_the_measurement() {
        let mut probe = probe();
        probe.digests = vec![(1000, "d".repeat(16)), (100000, "e".repeat(16))];
        let v = judge(&probe, 0, &[sample(1000, 400.0), sample(100000, 410.0)]);
        assert!(!v.passed);
        assert!(
            v.message.contains("returned different results than the reference while being measured with a cache of 100,000"),
            "{}",
            v.message
        );
        probe.digests[1].1 = "d".repeat(16);
        assert!(judge(&probe, 0, &[sample(1000, 400.0), sample(100000, 410.0)]).passed);
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100000), "100,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
