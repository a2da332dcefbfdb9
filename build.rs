//! Rebuilds kata when the embedded catalog changes (include_dir cannot tell Cargo itself).

fn main() {
    println!("cargo:rerun-if-changed=exercises");
    println!("cargo:rerun-if-changed=solutions");
}
