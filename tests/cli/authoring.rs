//! The authoring loop on the fixture catalog: `kata verify --catalog DIR` applies every mutant
//! patch and checks it is caught, and a patch that no longer applies is named; `kata generate`
//! draws the same random cases every time, and verify flags them once random.toml changes.

use crate::common::*;
use std::path::Path;

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn verify_applies_and_checks_every_mutant_of_a_catalog_folder() {
    let env = Env::new();
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog");
    let out = env
        .kata()
        .arg("verify")
        .arg("--catalog")
        .arg(&catalog)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.contains("min-stack            python  reference 7/7"),
        "{text}"
    );
    assert_eq!(
        text.matches("1 follow-up, 9/9 mutants caught, examples pass")
            .count(),
        2,
        "{text}"
    );
}

#[test]
fn a_patch_that_no_longer_applies_is_a_verify_error_naming_it() {
    let env = Env::new();
    let catalog = env.dir.path().join("catalog");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog"),
        &catalog,
    );
    let reference = catalog.join("solutions/min-stack/python/reference.py");
    let text = std::fs::read_to_string(&reference).unwrap();
    std::fs::write(
        &reference,
        text.replace(
            "return self.items.pop()[0]",
            "return self.items.pop()[0]  # the value",
        ),
    )
    .unwrap();
    let out = env
        .kata()
        .args(["verify", "--lang", "python", "--catalog"])
        .arg(&catalog)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("solutions/min-stack/python/mutants/pop_returns_min.patch")
            && text.contains("no longer applies"),
        "{text}"
    );
}

#[test]
fn the_installed_binary_says_it_carries_no_mutants() {
    let env = Env::new();
    let out = env
        .kata()
        .args(["verify", "lru-cache", "--lang", "python"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("mutants not checked"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("run `kata verify --catalog DIR` in a checkout"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_stage_addendum_with_its_own_heading_is_a_verify_error() {
    let env = Env::new();
    let catalog = env.dir.path().join("catalog");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog"),
        &catalog,
    );
    let addendum = catalog.join("exercises/min-stack/stages/1-max/statement.md");
    let text = std::fs::read_to_string(&addendum).unwrap();
    std::fs::write(&addendum, format!("## The maximum too\n\n{text}")).unwrap();
    let out = env
        .kata()
        .args(["verify", "--lang", "python", "--catalog"])
        .arg(&catalog)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("stage 1: statement.md starts with a heading"),
        "{text}"
    );
}

#[test]
fn generate_draws_the_same_random_cases_and_verify_flags_them_once_random_toml_changes() {
    let env = Env::new();
    let catalog = env.dir.path().join("catalog");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog"),
        &catalog,
    );
    let exercise = catalog.join("exercises/min-stack");
    let cases = exercise.join("random_cases.txt");
    let committed = std::fs::read_to_string(&cases).unwrap();
    // Verify stops at a missing or stale random_cases.txt before running anything.
    let verify = || {
        env.kata()
            .args(["verify", "--catalog"])
            .arg(&catalog)
            .output()
            .unwrap()
    };
    std::fs::remove_file(&cases).unwrap();
    let out = verify();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("random_cases.txt is missing: run `kata generate --catalog DIR min-stack`"),
        "{text}"
    );

    let generate = || {
        let out = env
            .kata()
            .args(["generate", "min-stack", "--lang", "python", "--catalog"])
            .arg(&catalog)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}{}",
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    };
    let said = |text: &str, what: &str| {
        text.lines()
            .any(|l| l.starts_with(what) && l.ends_with("random_cases.txt"))
    };
    let text = generate();
    assert!(said(&text, "  wrote "), "{text}");
    // The same seed draws the same cases: those of the fixture, with its fingerprint.
    assert_eq!(std::fs::read_to_string(&cases).unwrap(), committed);
    let text = generate();
    assert!(said(&text, "  unchanged "), "{text}");
    assert_eq!(std::fs::read_to_string(&cases).unwrap(), committed);

    let spec = exercise.join("random.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, text.replace("cases = 1\n", "cases = 2\n")).unwrap();
    let out = verify();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "random_cases.txt was drawn from another random.toml: run `kata generate --catalog DIR min-stack`"
        ),
        "{text}"
    );
}
