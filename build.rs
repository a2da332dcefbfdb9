//! Rebuilds kata when the embedded catalog changes (include_dir cannot tell Cargo itself), and
//! lists the reference solutions to embed: `solutions/<slug>/<lang>/reference.*` only, so the
//! mutants (read by `kata verify --catalog DIR` from a checkout) stay out of the binary.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=exercises");
    println!("cargo:rerun-if-changed=solutions");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut references = Vec::new();
    for exercise in entries(&root.join("solutions")) {
        for lang in entries(&exercise) {
            println!("cargo:rerun-if-changed={}", lang.display());
            for file in entries(&lang) {
                let name = file.file_name().unwrap_or_default().to_string_lossy();
                if file.is_file() && name.starts_with("reference.") {
                    references.push(file);
                }
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
