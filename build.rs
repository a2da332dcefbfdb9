//! Rebuilds kata when the embedded catalog changes (include_dir cannot tell Cargo itself), and
//! lists the reference solutions to embed: `solutions/<slug>/<lang>/reference.*` and those of
//! follow-up stages (`.../stages/<N>-<name>/reference.*`) only, so the mutants (read by
//! `kata verify --catalog DIR` from a checkout) stay out of the binary.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=exercises");
    println!("cargo:rerun-if-changed=solutions");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut references = Vec::new();
    let mut folders = vec![root.join("solutions")];
    while let Some(dir) = folders.pop() {
        println!("cargo:rerun-if-changed={}", dir.display());
        for entry in entries(&dir) {
            let name = entry.file_name().unwrap_or_default().to_string_lossy();
            if entry.is_dir() && name != "mutants" {
                folders.push(entry);
            } else if entry.is_file() && name.starts_with("reference.") {
                references.push(entry);
            }
        }
    }
    references.sort();
    let mut code = String::from("static REFERENCES: &[(&str, &[u8])] = &[\n");
    for file in &references {
        let relative = file
            .strip_prefix(root.join("solutions"))
            .expect("below solutions/")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({relative:?}, include_bytes!({:?})),",
            file.display()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("references.rs");
    std::fs::write(out, code).expect("cannot write references.rs");
}

/// The entries of a folder, or none when it cannot be read.
fn entries(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}
