//! Usage errors as one actionable line (clap's own multi-line report is kept for help and
//! version output only): an unknown command or value with a "did you mean", an unexpected or
//! missing argument with the usage line.

use crate::{output, suggest};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::process::ExitCode;

/// Prints `error` and returns the exit code: 0 for help and version, 2 for a usage error.
pub fn report(error: clap::Error) -> ExitCode {
    let Some(message) = one_line(&error) else {
        error.exit();
    };
    output::error(&message);
    ExitCode::from(2)
}

fn one_line(error: &clap::Error) -> Option<String> {
    let text = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(s)) => s.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        _ => String::new(),
    };
    let strings = |kind| match error.get(kind) {
        Some(ContextValue::Strings(values)) => values.clone(),
        Some(ContextValue::String(value)) => vec![value.clone()],
        _ => Vec::new(),
    };
    let did_you_mean = |kind| match strings(kind).first() {
        Some(best) => format!(": did you mean `{best}`?"),
        None => String::new(),
    };
    let usage = text(ContextKind::Usage);
    let usage = usage
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim()
        .trim_start_matches("Usage: ")
        .to_string();
    Some(match error.kind() {
        ErrorKind::InvalidValue => {
            let arg = text(ContextKind::InvalidArg);
            let arg = arg.split_whitespace().next().unwrap_or_default();
            let value = text(ContextKind::InvalidValue);
            let valid = strings(ContextKind::ValidValue);
            let choices = match valid.is_empty() {
                true => String::new(),
                false => format!(" (possible values: {})", valid.join(", ")),
            };
            if value.is_empty() {
                return Some(format!("`{arg}` needs a value{choices}"));
            }
            let candidates: Vec<&str> = valid.iter().map(String::as_str).collect();
            let hint = match suggest::closest(&value, &candidates) {
                Some(best) => format!(": did you mean `{best}`?"),
                None => String::new(),
            };
            format!("invalid value `{value}` for `{arg}`{hint}{choices}")
        }
        ErrorKind::ValueValidation => {
            let arg = text(ContextKind::InvalidArg);
            let arg = arg.split_whitespace().next().unwrap_or_default();
            let why = std::error::Error::source(error)
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            format!(
                "invalid value `{}` for `{arg}`{why}",
                text(ContextKind::InvalidValue)
            )
        }
        ErrorKind::InvalidSubcommand => format!(
            "unknown command `{}`{} (`kata --help` lists the commands)",
            text(ContextKind::InvalidSubcommand),
            did_you_mean(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::UnknownArgument => format!(
            "unexpected argument `{}`{} (usage: {usage})",
            text(ContextKind::InvalidArg),
            did_you_mean(ContextKind::SuggestedArg)
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("missing {} (usage: {usage})", text(ContextKind::InvalidArg))
        }
        _ => return None,
    })
}
