//! Task scheduler: see README.md for the full statement.

/// The state of a task. (Given: keep the variants and the derives.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    Pending,
    Running,
    Completed,
    Failed,
    Skipped,
}

/// What `add_task` and `run` can return instead of a result. (Given: keep it.)
#[derive(Debug, PartialEq, Eq)]
pub enum SchedulerError {
    DuplicateTask(String),
    UnknownDependency { task: String, dependency: String },
    Cycle(Vec<String>), // the tasks on one cycle, in any order
}

pub struct Scheduler {
    // Your fields here.
}

impl Scheduler {
    /// An empty scheduler.
    pub fn new() -> Self {
        Scheduler {}
    }

    /// Registers a Pending task. `deps` names the tasks that must be Completed before it runs
    /// (they may be added later). A name that already exists -> `Err(DuplicateTask(name))`.
    pub fn add_task(
        &mut self,
        name: &str,
        priority: i32,
        deps: &[&str],
        max_retries: u32,
    ) -> Result<(), SchedulerError> {
        todo!("Scheduler::add_task({name:?}, {priority}, {deps:?}, {max_retries})")
    }

    /// Validates (unknown dependency -> `UnknownDependency`, checked first; cycle -> `Cycle`;
    /// nothing runs), then runs every pending task, highest priority first among the ready ones
    /// (ties: added first), calling `execute(name)` with up to `max_retries` retries. Returns
    /// the names of the tasks completed in this run, in completion order.
    pub fn run(
        &mut self,
        execute: &mut dyn FnMut(&str) -> Result<(), String>,
    ) -> Result<Vec<String>, SchedulerError> {
        let _ = execute;
        todo!("Scheduler::run")
    }

    /// The state of a task, or `None` for a name that was never added.
    pub fn status(&self, name: &str) -> Option<TaskState> {
        todo!("Scheduler::status({name:?})")
    }
}
