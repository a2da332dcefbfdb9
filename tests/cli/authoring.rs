//! The authoring loop on the fixture catalog: `kata verify --catalog DIR` applies every mutant
//! patch and checks it is caught, and a patch that no longer applies is named.

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
        text.contains("min-stack            python  reference 6/6"),
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
