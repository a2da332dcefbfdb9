//! `kata completions SHELL` and `kata man`: generated from the clap definitions.

use super::Outcome;
use crate::cli::Cli;
use crate::output;
use anyhow::Result;
use clap::CommandFactory;

pub fn completions(shell: clap_complete::Shell) -> Result<Outcome> {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kata", &mut buffer);
    output::out(&String::from_utf8_lossy(&buffer))?;
    Ok(Outcome::Success)
}

pub fn man() -> Result<Outcome> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buffer)?;
    output::out(&String::from_utf8_lossy(&buffer))?;
    Ok(Outcome::Success)
}
