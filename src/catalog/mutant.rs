//! Known-wrong solutions as small patches against a language's reference solution.
//!
//! `solutions/<slug>/<lang>/mutants/<name>.patch` holds two header lines, then a unified diff
//! (`diff -u reference.py mutant.py`), documented for authors in `exercises/README.md`:
//!
//! ```text
//! bug: get does not refresh the key's recency
//! caught-by: recency_on_get
//!
//! --- reference.py
//! +++ mutant.py
//! @@ -20,7 +20,6 @@
//! ...
//! ```
//!
//! Mutants are read from a catalog folder only (`kata verify --catalog DIR`): the installed
//! binary carries the references, not the mutants.

use anyhow::{anyhow, bail, Context, Result};

/// The file extension of a mutant.
pub const EXTENSION: &str = "patch";

/// A known-wrong solution and the case that must catch it.
#[derive(Debug)]
pub struct Mutant {
    pub name: String,
    /// The reference with the patch applied.
    pub source: String,
    /// The case (or probe) that must fail for this mutant.
    pub caught_by: String,
    /// What the bug is, for the verify report.
    pub bug: String,
}

/// Reads a mutant patch and applies it to `reference`. Errors say what is wrong with the
/// patch (a missing header line, a diff that no longer applies); the caller names the file.
pub fn apply(name: &str, patch: &str, reference: &str) -> Result<Mutant> {
    let diff_start = patch
        .find("\n--- ")
        .map(|at| at + 1)
        .or_else(|| patch.starts_with("--- ").then_some(0))
        .ok_or_else(|| anyhow!("no unified diff (a `--- reference` line) in the patch"))?;
    let (header, diff) = patch.split_at(diff_start);
    let field = |key: &str| {
        header
            .lines()
            .find_map(|line| line.strip_prefix(key).map(|v| v.trim().to_string()))
            .filter(|v| !v.is_empty())
            .ok_or_else(|| anyhow!("no `{key}` line before the diff"))
    };
    let bug = field("bug:")?;
    let caught_by = field("caught-by:")?;
    let parsed = diffy::Patch::from_str(diff).map_err(|e| anyhow!("not a unified diff: {e}"))?;
    if parsed.hunks().is_empty() {
        bail!("the diff changes nothing");
    }
    let source = diffy::apply(reference, &parsed)
        .with_context(|| "the patch no longer applies to the reference (edit the reference's copy and regenerate it with `diff -u`)")?;
    Ok(Mutant {
        name: name.to_string(),
        source,
        caught_by,
        bug,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = "def get(self, key):\n    self.touch(key)\n    return self.data[key]\n";

    #[test]
    fn applies_a_patch_with_its_header() {
        let patch = "bug: get forgets recency\ncaught-by: recency_on_get\n\n--- reference.py\n+++ mutant.py\n@@ -1,3 +1,2 @@\n def get(self, key):\n-    self.touch(key)\n     return self.data[key]\n";
        let mutant = apply("no_touch", patch, REFERENCE).unwrap();
        assert_eq!(
            mutant.source,
            "def get(self, key):\n    return self.data[key]\n"
        );
        assert_eq!(mutant.caught_by, "recency_on_get");
        assert_eq!(mutant.bug, "get forgets recency");
    }

    #[test]
    fn a_stale_patch_or_missing_header_is_an_error() {
        let stale = "bug: b\ncaught-by: c\n--- reference.py\n+++ mutant.py\n@@ -1,2 +1,1 @@\n def put(self, key):\n-    self.touch(key)\n";
        let err = apply("x", stale, REFERENCE).unwrap_err();
        assert!(format!("{err:#}").contains("no longer applies"), "{err:#}");
        let headless = "--- reference.py\n+++ mutant.py\n@@ -1 +1 @@\n-def get(self, key):\n+def get(self, k):\n";
        let err = apply("x", headless, REFERENCE).unwrap_err();
        assert!(err.to_string().contains("`bug:`"), "{err}");
        assert!(apply("x", "bug: b\ncaught-by: c\n", REFERENCE).is_err());
    }
}
