//! `kata completions SHELL` (the registration of dynamic completions) and `kata man`, both
//! from the clap definitions.

use super::Outcome;
use crate::cli::Cli;
use crate::output;
use anyhow::Result;
use clap::CommandFactory;

/// The shell code that registers kata's dynamic completions: the shell then asks kata itself
/// (`COMPLETE=<shell> kata -- ...`), so exercise slugs come from the catalog.
pub fn completions(shell: clap_complete::Shell) -> Result<Outcome> {
    let name = shell.to_string();
    let shells = clap_complete::env::Shells::builtins();
    let completer = shells
        .completer(&name)
        .ok_or_else(|| anyhow::anyhow!("no dynamic completion for {name}"))?;
    let mut buffer = Vec::new();
    completer.write_registration("COMPLETE", "kata", "kata", "kata", &mut buffer)?;
    output::out(&String::from_utf8_lossy(&buffer))?;
    Ok(Outcome::Success)
}

pub fn man() -> Result<Outcome> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buffer)?;
    output::out(&String::from_utf8_lossy(&buffer))?;
    Ok(Outcome::Success)
}
