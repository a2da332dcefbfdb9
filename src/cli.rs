//! Command-line arguments (clap types only; doc comments are the help text).

pub use crate::catalog::meta::Difficulty;
use crate::lang::Language;
use clap::{Parser, Subcommand, ValueEnum};
use clap_complete::ArgValueCandidates;
use std::path::PathBuf;

/// A trainer for the coding rounds of senior interviews: start an exercise, solve it in
/// Python or Rust, and `kata check` it against hidden cases with diffs, hints and a
/// complexity verdict.
#[derive(Debug, Parser)]
#[command(name = "kata", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Workspace folder (default: $KATA_WORKSPACE, else the nearest folder above holding
    /// kata.toml, else ~/kata).
    #[arg(long, global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,

    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

/// An exercise's status for one learner and language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Status {
    New,
    Started,
    Solved,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour on terminals, unless NO_COLOR is set (CLICOLOR_FORCE forces it).
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the catalog with your status per language.
    List {
        /// Only exercises available in this language (status columns: only this one).
        #[arg(long, value_enum)]
        lang: Option<Language>,
        /// Only exercises with this topic.
        #[arg(long)]
        topic: Option<String>,
        /// Only exercises of this difficulty.
        #[arg(long, value_enum)]
        difficulty: Option<Difficulty>,
        /// Only exercises with this status (in --lang, else in any language).
        #[arg(long, value_enum)]
        status: Option<Status>,
    },
    /// Scaffold an exercise in the workspace (never overwrites your work).
    Start {
        /// Exercise to start, e.g. lru-cache (see `kata list`).
        #[arg(add = ArgValueCandidates::new(crate::completion::slugs))]
        slug: String,
        /// Language to solve it in (default: `language` in kata.toml, else python).
        #[arg(long, value_enum)]
        lang: Option<Language>,
        /// Start an interview clock (default: the exercise's time budget); each check shows
        /// the time used. On an exercise already started, restarts the clock only.
        #[arg(long, value_name = "MIN", num_args = 0..=1)]
        timed: Option<Option<u32>>,
    },
    /// Compile your solution, run the hidden cases and report.
    Check {
        /// Exercise to check (default: the one in the current folder, else the last started).
        #[arg(add = ArgValueCandidates::new(crate::completion::slugs))]
        slug: Option<String>,
        #[arg(long, value_enum)]
        lang: Option<Language>,
        /// Print a machine-readable report (Exercism results.json v3 field names).
        #[arg(long, conflicts_with = "watch")]
        json: bool,
        /// Check again on every save of your file, until Ctrl-C.
        #[arg(long)]
        watch: bool,
        /// Run one case only, in full: every operation and your output (the case names are
        /// in the report, e.g. `kata check --case eviction_order`); a probe's name runs that
        /// probe alone.
        #[arg(long, value_name = "NAME", conflicts_with_all = ["json", "watch"])]
        case: Option<String>,
        /// Seed of the schedules explored for concurrent code (the report of a failing
        /// schedule names the seed that replays it).
        #[arg(long, value_name = "N", default_value_t = crate::pipeline::DEFAULT_SEED)]
        seed: u64,
        /// Grade one follow-up stage alone (0: the exercise itself); by default a check grades
        /// your current stage and every one before it.
        #[arg(long, value_name = "N", conflicts_with_all = ["watch", "case"])]
        stage: Option<u32>,
    },
    /// Check on every save of your file (the same as `kata check --watch`).
    Watch {
        #[arg(add = ArgValueCandidates::new(crate::completion::slugs))]
        slug: Option<String>,
        #[arg(long, value_enum)]
        lang: Option<Language>,
        /// Seed of the schedules explored for concurrent code.
        #[arg(long, value_name = "N", default_value_t = crate::pipeline::DEFAULT_SEED)]
        seed: u64,
    },
    /// One case as a test in your language: printed, or with --export added to your visible
    /// tests (backed up first) to run under your own debugger.
    Case {
        /// The case, as a report names it (e.g. `eviction_order`).
        name: String,
        #[arg(add = ArgValueCandidates::new(crate::completion::slugs))]
        slug: Option<String>,
        #[arg(long, value_enum)]
        lang: Option<Language>,
        /// Append it to test_examples.py / tests/examples.rs instead of printing it.
        #[arg(long)]
        export: bool,
    },
    /// Reveal the next progressive hint.
    Hint {
        #[arg(add = ArgValueCandidates::new(crate::completion::slugs))]
        slug: Option<String>,
        #[arg(long, value_enum)]
        lang: Option<Language>,
    },
    /// Progress: solved per language and topic, attempts, streaks, recent activity.
    Stats {
        /// Print the same figures as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Recommend what to practise next, with the reason.
    Next,
    /// Show the reference solution (after you pass, or with --reveal).
    Solution {
        #[arg(add = ArgValueCandidates::new(crate::completion::slugs))]
        slug: String,
        #[arg(long, value_enum)]
        lang: Option<Language>,
        /// Show it before you have passed (recorded as peeked in your stats).
        #[arg(long)]
        reveal: bool,
    },
    /// After a pass: your solution beside the reference (side by side on a wide terminal, else
    /// a diff), the exercise's trade-off notes, and your own figures on it.
    Review {
        /// Exercise to review (default: the one in the current folder, else the last started).
        #[arg(add = ArgValueCandidates::new(crate::completion::slugs))]
        slug: Option<String>,
        #[arg(long, value_enum)]
        lang: Option<Language>,
    },
    /// Restore the starter; your file is first copied to .kata/backups/.
    Reset {
        #[arg(add = ArgValueCandidates::new(crate::completion::slugs))]
        slug: String,
        #[arg(long, value_enum)]
        lang: Option<Language>,
    },
    /// Print the shell code that completes kata's commands, options, exercise slugs and
    /// languages, e.g. `source <(kata completions bash)` in ~/.bashrc (or `COMPLETE=bash kata`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `kata man > ~/.local/share/man/man1/kata.1`.
    Man,
    /// Catalog self-test for authors: references pass, starters and mutants fail.
    Verify {
        /// Only this exercise.
        #[arg(add = ArgValueCandidates::new(crate::completion::slugs))]
        slug: Option<String>,
        /// Only this language.
        #[arg(long, value_enum)]
        lang: Option<Language>,
        /// Verify a catalog folder on disk (holding exercises/ and solutions/) instead of the
        /// embedded one.
        #[arg(long, value_name = "DIR")]
        catalog: Option<PathBuf>,
        /// How many exercise tracks to verify at once (default: one per CPU). Results are
        /// printed in catalog order either way.
        #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
    },
    /// For authors: record what the reference solutions produce in a catalog folder: the
    /// random cases `random.toml` describes, with the reference's results
    /// (`random_cases.txt`), and the digests of the probes' results (`digests.toml`).
    Generate {
        /// Only this exercise.
        #[arg(add = ArgValueCandidates::new(crate::completion::slugs))]
        slug: Option<String>,
        /// Only this language.
        #[arg(long, value_enum)]
        lang: Option<Language>,
        /// The catalog folder (holding exercises/ and solutions/) to write into.
        #[arg(long, value_name = "DIR", default_value = ".")]
        catalog: PathBuf,
    },
}
