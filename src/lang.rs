//! The learner languages kata grades, and the names of their files.

use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A language a learner can solve exercises in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    Rust,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Python, Language::Rust];

    /// Folder name in the workspace and in the catalog.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Rust => "rust",
        }
    }

    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.name() == name)
    }

    /// Extension of source files in the catalog.
    pub fn extension(self) -> &'static str {
        match self {
            Language::Python => "py",
            Language::Rust => "rs",
        }
    }

    /// File name of the shared harness under `exercises/_harness/<lang>/`.
    pub fn harness_file(self) -> &'static str {
        match self {
            Language::Python => "kata_harness.py",
            Language::Rust => "harness.rs",
        }
    }

    /// Python module / Rust crate name of an exercise: the slug with `-` replaced by `_`.
    pub fn module_name(slug: &str) -> String {
        slug.replace('-', "_")
    }

    /// The learner's solution file, relative to the exercise folder.
    pub fn learner_file(self, slug: &str) -> String {
        match self {
            Language::Python => format!("{}.py", Language::module_name(slug)),
            Language::Rust => "src/lib.rs".to_string(),
        }
    }

    /// The visible examples file, relative to the exercise folder.
    pub fn examples_file(self) -> &'static str {
        match self {
            Language::Python => "test_examples.py",
            Language::Rust => "tests/examples.rs",
        }
    }

    /// How the learner runs the visible examples from the exercise folder.
    pub fn examples_command(self) -> &'static str {
        match self {
            Language::Python => "python3 -m unittest",
            Language::Rust => "cargo test",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
