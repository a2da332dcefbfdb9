//! Integration tests: the real `kata` binary against temporary workspaces, with real python3
//! and rustc. One test binary (shared build); modules by area.

mod after_pass;
mod alternatives;
mod authoring;
mod common;
mod everyday;
// Reads /proc to see which processes survive a check, and relies on Linux's child subreaper.
#[cfg(target_os = "linux")]
mod hostile;
mod progress;
mod python_track;
mod rust_track;
// Landlock, kernel limits and the parent-death signal are Linux's; reads /proc like `hostile`.
#[cfg(target_os = "linux")]
mod sandbox;
mod snapshots;
mod stages;
mod workflow;
