//! Integration tests: the real `kata` binary against temporary workspaces, with real python3
//! and rustc. One test binary (shared build); modules by area.

mod common;
mod everyday;
mod hostile;
mod progress;
mod python_track;
mod rust_track;
mod workflow;
