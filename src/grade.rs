//! Grading: the driver's result lines against the expected ones, case by case (pure).

use crate::catalog::case::Case;
use crate::runner::protocol::{CaseRun, Explored, OpResult};

/// Outcome of one case, named after Exercism's test statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    /// Every operation ran and at least one result differs.
    Fail,
    /// The case did not complete (time limit, crash, early exit, not reached), or its first
    /// wrong result is an unexpected error or panic.
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
        }
    }
}

/// One operation of a graded case.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub op: String,
    pub expected: String,
    /// `None` when the operation never produced a result.
    pub actual: Option<String>,
    /// Where the learner's code raised, when it did.
    pub at: Option<String>,
    /// The learner's frames of that error, outermost first.
    pub trace: Vec<String>,
    /// For an operation that explored schedules: the schedule whose outcome is `actual`, when
    /// it is wrong (with its trace), and how many distinct outcomes there were.
    pub schedule: Option<Explored>,
    pub outcomes: usize,
    pub matches: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseVerdict {
    pub name: String,
    /// A visible example (shown in the statement and the learner's tests).
    pub example: bool,
    /// Drawn at random (`random_cases.txt`).
    pub random: bool,
    /// The follow-up stage it belongs to (0: the exercise itself).
    pub stage: u32,
    pub hint: String,
    pub status: Status,
    pub rows: Vec<Row>,
    /// Index of the first row that differs.
    pub first_divergence: Option<usize>,
    /// Why the case did not complete, when it did not.
    pub interrupted: Option<String>,
}

/// Whether an actual result line satisfies an expected one. Results must be equal, except
/// that an expected `error Kind` or `panic` accepts any message: `error Kind: the message`.
pub fn results_match(expected: &str, actual: &str) -> bool {
    let expected = expected.trim();
    let actual = actual.trim();
    if expected == actual {
        return true;
    }
    let open_ended =
        expected == "panic" || (expected.starts_with("error ") && !expected.contains(':'));
    open_ended
        && actual
            .strip_prefix(expected)
            .is_some_and(|rest| rest.starts_with(':'))
}

/// An actual result that reports an error or panic.
pub fn is_error_result(actual: &str) -> bool {
    actual.starts_with("error ") || actual.starts_with("panic:")
}

/// The actual result of an operation that explored schedules: the first distinct outcome
/// that differs from the expected one (with its schedule), else the common outcome.
fn explored_actual(expected: &str, result: &OpResult) -> (Option<String>, Option<Explored>) {
    match result
        .outcomes
        .iter()
        .find(|o| !results_match(expected, &o.v))
    {
        Some(wrong) => (Some(wrong.v.clone()), Some(wrong.clone())),
        None => (Some(result.outcomes[0].v.clone()), None),
    }
}

/// Grades one case. `run` is what the driver reported for it (`None`: never reached);
/// `interrupted` says why the run stopped inside this case, if it did.
pub fn grade_case(case: &Case, run: Option<&CaseRun>, interrupted: Option<String>) -> CaseVerdict {
    let results = run.map(|r| r.results.as_slice()).unwrap_or_default();
    let rows: Vec<Row> = case
        .ops
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let result = results.get(i);
            let (actual, schedule) = match result {
                Some(r) if !r.outcomes.is_empty() => explored_actual(&op.expected, r),
                Some(r) => (Some(r.text.clone()), None),
                None => (None, None),
            };
            Row {
                op: op.text.clone(),
                expected: op.expected.clone(),
                matches: actual
                    .as_deref()
                    .is_some_and(|a| results_match(&op.expected, a)),
                at: result.and_then(|r| r.at.clone()),
                trace: result.map(|r| r.trace.clone()).unwrap_or_default(),
                outcomes: result.map_or(0, |r| r.outcomes.len()),
                schedule,
                actual,
            }
        })
        .collect();
    let first_divergence = rows.iter().position(|r| !r.matches);
    let complete = results.len() >= case.ops.len();
    let interrupted = match (interrupted, run, complete) {
        (Some(why), _, _) => Some(why),
        (None, None, _) => Some("not run: the check stopped before this case".to_string()),
        (None, Some(_), false) => Some("the driver stopped in the middle of this case".to_string()),
        (None, Some(_), true) => None,
    };
    let status = match (first_divergence, &interrupted) {
        (_, Some(_)) => Status::Error,
        (None, None) => Status::Pass,
        (Some(i), None) => match &rows[i].actual {
            Some(actual) if is_error_result(actual) => Status::Error,
            _ => Status::Fail,
        },
    };
    CaseVerdict {
        name: case.name.clone(),
        example: case.example,
        random: case.random,
        stage: case.stage,
        hint: case.hint.clone(),
        status,
        rows,
        first_divergence,
        interrupted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::case_parser::parse;
    use crate::runner::protocol::OpResult;

    fn case() -> Case {
        parse("case c\n hint: h\n new 2 => ok\n get 1 => -1\n new 0 => error ValueError\n")
            .unwrap()
            .cases
            .remove(0)
    }

    fn run(results: &[&str]) -> CaseRun {
        CaseRun {
            index: 0,
            results: results
                .iter()
                .map(|t| OpResult {
                    text: t.to_string(),
                    at: None,
                    trace: Vec::new(),
                    outcomes: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn matching() {
        assert!(results_match("-1", " -1 "));
        assert!(results_match("error ValueError", "error ValueError"));
        assert!(results_match("error ValueError", "error ValueError: bad"));
        assert!(!results_match("error ValueError", "error ValueErrorX: bad"));
        assert!(!results_match(
            "error ValueError",
            "error KeyError: ValueError"
        ));
        assert!(!results_match(
            "error ValueError: exact",
            "error ValueError: other"
        ));
        assert!(!results_match("1", "1.0"));
        assert!(results_match("panic", "panic: capacity must be positive"));
        assert!(!results_match("panic", "panicked"));
    }

    #[test]
    fn pass_fail_error() {
        let c = case();
        let pass = grade_case(&c, Some(&run(&["ok", "-1", "error ValueError: no"])), None);
        assert_eq!(pass.status, Status::Pass);
        let fail = grade_case(&c, Some(&run(&["ok", "3", "error ValueError"])), None);
        assert_eq!(
            (fail.status, fail.first_divergence),
            (Status::Fail, Some(1))
        );
        let error = grade_case(&c, Some(&run(&["ok", "error KeyError: 1", "ok"])), None);
        assert_eq!(error.status, Status::Error);
        let short = grade_case(&c, Some(&run(&["ok"])), None);
        assert_eq!(short.status, Status::Error);
        assert_eq!(short.rows[1].actual, None);
        let missing = grade_case(&c, None, None);
        assert!(missing.interrupted.unwrap().starts_with("not run"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn every_result_matches_itself(line in "[^\\n]{0,40}") {
                prop_assert!(results_match(&line, &line));
            }

            #[test]
            fn an_error_kind_accepts_any_message(kind in "[A-Za-z][A-Za-z0-9]{0,15}", message in "[^\\n]{0,40}") {
                let expected = format!("error {kind}");
                let with_message = format!("error {kind}: {message}");
                let other_kind = format!("error {kind}X: {message}");
                let (exact_x, exact_y) = (format!("{with_message}x"), format!("{with_message}y"));
                prop_assert!(results_match(&expected, &with_message));
                prop_assert!(!results_match(&expected, &other_kind));
                prop_assert!(!results_match(&exact_x, &exact_y));
            }

            #[test]
            fn different_plain_results_never_match(a in "[a-z0-9\\-\\[\\]\", ]{1,20}", b in "[a-z0-9\\-\\[\\]\", ]{1,20}") {
                prop_assume!(a.trim() != b.trim() && !a.trim().is_empty());
                prop_assert!(!results_match(&a, &b));
            }
        }
    }
}
