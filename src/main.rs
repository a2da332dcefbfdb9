//! kata: a command-line trainer for the coding rounds of senior interviews.
//!
//! `main` parses arguments, resolves the configuration once, dispatches to a command and
//! turns the outcome into an exit code: 0 success, 1 the learner's code failed, 2 kata could
//! not do the job (printed once as `error: ...`).

mod catalog;
mod charts;
mod cli;
mod code_diff;
mod commands;
mod completion;
mod config;
mod diff;
mod examples;
mod folder_guard;
mod grade;
mod interrupt;
mod keys;
mod lang;
mod output;
mod pipeline;
mod probe;
mod progress;
mod recommend;
mod report;
mod report_json;
mod review;
mod runner;
mod sandbox;
mod spinner;
mod stage_progress;
mod stats;
mod style;
mod suggest;
mod table;
mod target;
mod text;
mod usage;
mod verdict;
mod watch;
mod workspace;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(target_os = "linux")]
    {
        let mut args = std::env::args_os().skip(1);
        if args.next().is_some_and(|first| first == sandbox::ENTRY) {
            return sandbox::trampoline::main(args);
        }
    }
    // `COMPLETE=<shell> kata ...`: the shell asking for completions (answered, then exit).
    clap_complete::CompleteEnv::with_factory(<cli::Cli as clap::CommandFactory>::command)
        .complete();
    runner::strays::adopt_orphans();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage::report(error),
    };
    let result = config::Config::resolve(cli.workspace.as_deref(), cli.color)
        .and_then(|cfg| commands::dispatch(&cfg, cli.command));
    match result {
        Ok(commands::Outcome::Success) => ExitCode::SUCCESS,
        Ok(commands::Outcome::Failure) => ExitCode::from(1),
        Err(error) if error.is::<pipeline::Cancelled>() => {
            output::note("interrupted: the check was stopped and its processes killed");
            ExitCode::from(130)
        }
        Err(error) => {
            output::error(&format!("{error:#}"));
            ExitCode::from(2)
        }
    }
}
