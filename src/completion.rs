//! Dynamic shell completion: the shells call back into kata (`COMPLETE=bash kata ...`, see
//! clap_complete's `CompleteEnv`), which completes exercise slugs from the catalog it carries
//! (or `KATA_CATALOG`), each with its title.

use crate::catalog::Catalog;
use clap_complete::CompletionCandidate;
use std::path::Path;

/// Every exercise slug of the catalog, with its title as help.
pub fn slugs() -> Vec<CompletionCandidate> {
    let catalog = match std::env::var_os("KATA_CATALOG") {
        Some(dir) => Catalog::from_dir(Path::new(&dir)),
        None => Catalog::embedded(),
    };
    let Ok(catalog) = catalog else {
        return Vec::new();
    };
    catalog
        .exercises()
        .iter()
        .map(|e| CompletionCandidate::new(&e.slug).help(Some(e.meta.title.clone().into())))
        .collect()
}
