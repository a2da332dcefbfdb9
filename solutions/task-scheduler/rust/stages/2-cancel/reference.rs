//! Task scheduler: validation, then Kahn's topological order with a heap of ready tasks, run
//! one at a time (`run`) or simulated on N workers (`run_parallel`).
//!
//! `run` costs O((V + E) log V) for the V tasks and E dependencies it runs: each task is pushed
//! and popped once (O(log V) each) and each dependency edge is looked at a constant number of
//! times. Nothing recurses, so chains of 100,000 tasks are fine.
//!
//! `run_parallel` is an event simulation in simulated time: the same heap of ready tasks, plus
//! a heap of running attempts ordered by (end time, best task first). Time jumps from one end
//! to the next, so the cost is O((V + E) log V) whatever the durations and the number of
//! workers: no clock ticking through idle time, no scan over the workers.
//!
//! `cancel` walks the tasks that depend on the cancelled one, directly or not, with an
//! explicit stack over a reverse-edge index kept by `add_timed_task` (dependency name -> the
//! tasks naming it): O(affected tasks + their edges). Tasks added later behind a cancelled
//! task are skipped by their run, exactly like tasks behind a failed one.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    Pending,
    Running,
    Completed,
    Failed,
    Skipped,
    Cancelled,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SchedulerError {
    DuplicateTask(String),
    UnknownDependency { task: String, dependency: String },
    Cycle(Vec<String>), // the tasks on one cycle, in any order
}

struct Task {
    name: String,
    priority: i32,
    deps: Vec<String>,
    max_retries: u32,
    duration: u64,
    state: TaskState,
}

pub struct Scheduler {
    tasks: Vec<Task>,              // in insertion order: the index breaks priority ties
    index: HashMap<String, usize>, // name -> position in `tasks`
    first_new: usize,              // tasks[first_new..] have not been through a successful run
    needed_by: HashMap<String, Vec<usize>>, // dependency name -> the tasks that depend on it
}

/// What a run works with once the new tasks are validated (indices are new-task indices,
/// j = position in `tasks` - first).
struct RunState {
    first: usize,
    waiting: Vec<usize>,          // unfinished dependencies among the new tasks
    dependents: Vec<Vec<usize>>,  // the reverse edges
    ready: BinaryHeap<(i32, Reverse<usize>)>, // max-heap on (priority, earliest insertion)
}

impl Default for Scheduler {
    fn default() -> Self {
        Self::new()
    }
}

impl Scheduler {
    pub fn new() -> Self {
        Scheduler {
            tasks: Vec::new(),
            index: HashMap::new(),
            first_new: 0,
            needed_by: HashMap::new(),
        }
    }

    pub fn add_task(
        &mut self,
        name: &str,
        priority: i32,
        deps: &[&str],
        max_retries: u32,
    ) -> Result<(), SchedulerError> {
        self.add_timed_task(name, priority, deps, max_retries, 1)
    }

    pub fn add_timed_task(
        &mut self,
        name: &str,
        priority: i32,
        deps: &[&str],
        max_retries: u32,
        duration: u64,
    ) -> Result<(), SchedulerError> {
        assert!(duration >= 1, "a task's duration must be at least 1");
        if self.index.contains_key(name) {
            return Err(SchedulerError::DuplicateTask(name.to_string()));
        }
        for dep in deps {
            self.needed_by.entry(dep.to_string()).or_default().push(self.tasks.len());
        }
        self.index.insert(name.to_string(), self.tasks.len());
        self.tasks.push(Task {
            name: name.to_string(),
            priority,
            deps: deps.iter().map(|d| d.to_string()).collect(),
            max_retries,
            duration,
            state: TaskState::Pending,
        });
        Ok(())
    }

    pub fn status(&self, name: &str) -> Option<TaskState> {
        self.index.get(name).map(|&i| self.tasks[i].state)
    }

    /// Cancels a pending task: it becomes Cancelled and every pending task that depends on it,
    /// directly or not, Skipped. `Some(false)` (nothing changes) when the task is not pending
    /// any more; `None` for an unknown name.
    pub fn cancel(&mut self, name: &str) -> Option<bool> {
        let i = *self.index.get(name)?;
        if self.tasks[i].state != TaskState::Pending {
            return Some(false);
        }
        self.tasks[i].state = TaskState::Cancelled;
        let mut stack: Vec<usize> = self.needed_by.get(name).cloned().unwrap_or_default();
        while let Some(j) = stack.pop() {
            if self.tasks[j].state != TaskState::Pending {
                continue;
            }
            self.tasks[j].state = TaskState::Skipped;
            if let Some(next) = self.needed_by.get(&self.tasks[j].name) {
                stack.extend_from_slice(next);
            }
        }
        Some(true)
    }

    pub fn run(
        &mut self,
        execute: &mut dyn FnMut(&str) -> Result<(), String>,
    ) -> Result<Vec<String>, SchedulerError> {
        let mut run = self.start_run()?;
        let first = run.first;
        let mut completed = Vec::new();
        while let Some((_, Reverse(j))) = run.ready.pop() {
            let task = &mut self.tasks[first + j];
            task.state = TaskState::Running;
            // One attempt plus up to max_retries retries; the Ok value carries nothing.
            let succeeded = (0..=task.max_retries).any(|_| execute(&task.name).is_ok());
            if succeeded {
                task.state = TaskState::Completed;
                completed.push(task.name.clone());
                self.release(&mut run, j);
            } else {
                task.state = TaskState::Failed;
                skip_from(&mut self.tasks[first..], run.dependents[j].clone(), &run.dependents);
            }
        }
        Ok(completed)
    }

    /// Simulates `workers` workers in simulated time starting at 0; returns the completed
    /// tasks with their finish times, in completion order. Panics when `workers` is 0.
    pub fn run_parallel(
        &mut self,
        workers: usize,
        execute: &mut dyn FnMut(&str) -> Result<(), String>,
    ) -> Result<Vec<(String, u64)>, SchedulerError> {
        assert!(workers >= 1, "run_parallel needs at least one worker");
        let mut run = self.start_run()?;
        let first = run.first;
        // Running attempts, earliest end first, then the best task: (end, priority, index,
        // failures so far, whether this attempt succeeds), as a min-heap.
        let mut running: BinaryHeap<Reverse<(u64, Reverse<i32>, usize, u32, bool)>> =
            BinaryHeap::new();
        let mut free = workers;
        let mut now = 0u64;
        let mut completed = Vec::new();
        loop {
            // 1. Settle every attempt that ends now, best task first.
            while let Some(&Reverse((end, _, j, failures, succeeded))) = running.peek() {
                if end != now {
                    break;
                }
                running.pop();
                let task = &mut self.tasks[first + j];
                if succeeded {
                    task.state = TaskState::Completed;
                    completed.push((task.name.clone(), now));
                    self.release(&mut run, j);
                    free += 1;
                } else if failures < task.max_retries {
                    // A retry starts at once, on the same worker.
                    running.push(Reverse(self.attempt(&run, j, now, failures + 1, execute)));
                } else {
                    task.state = TaskState::Failed;
                    skip_from(&mut self.tasks[first..], run.dependents[j].clone(), &run.dependents);
                    free += 1;
                }
            }
            // 2. Free workers take the best ready tasks.
            while free > 0 {
                let Some((_, Reverse(j))) = run.ready.pop() else { break };
                self.tasks[first + j].state = TaskState::Running;
                free -= 1;
                running.push(Reverse(self.attempt(&run, j, now, 0, execute)));
            }
            // 3. Jump to the next end.
            match running.peek() {
                Some(&Reverse((end, ..))) => now = end,
                None => break,
            }
        }
        Ok(completed)
    }

    /// Starts one attempt of new task `j` at `now`: execute says now whether it succeeds;
    /// the outcome takes effect when the attempt ends.
    fn attempt(
        &self,
        run: &RunState,
        j: usize,
        now: u64,
        failures: u32,
        execute: &mut dyn FnMut(&str) -> Result<(), String>,
    ) -> (u64, Reverse<i32>, usize, u32, bool) {
        let task = &self.tasks[run.first + j];
        let succeeded = execute(&task.name).is_ok();
        (now.saturating_add(task.duration), Reverse(task.priority), j, failures, succeeded)
    }

    /// New task `j` completed: its dependents whose dependencies are now all done are ready.
    fn release(&self, run: &mut RunState, j: usize) {
        for &child in &run.dependents[j] {
            run.waiting[child] -= 1;
            let other = &self.tasks[run.first + child];
            if run.waiting[child] == 0 && other.state == TaskState::Pending {
                run.ready.push((other.priority, Reverse(child)));
            }
        }
    }

    /// Validates the tasks added since the last successful run, then commits to the run.
    fn start_run(&mut self) -> Result<RunState, SchedulerError> {
        let first = self.first_new;
        let count = self.tasks.len() - first;
        // 1. Validate without changing anything: unknown dependencies first, then cycles.
        //    deps_of[j]: the dependencies of new task j as indices into `tasks`.
        let mut deps_of: Vec<Vec<usize>> = Vec::with_capacity(count);
        for task in &self.tasks[first..] {
            let mut deps = Vec::with_capacity(task.deps.len());
            for dep in &task.deps {
                match self.index.get(dep) {
                    Some(&d) => deps.push(d),
                    None => {
                        return Err(SchedulerError::UnknownDependency {
                            task: task.name.clone(),
                            dependency: dep.clone(),
                        })
                    }
                }
            }
            deps_of.push(deps);
        }
        // Only new tasks can be on a cycle: an older task depends only on older tasks.
        let mut waiting = vec![0usize; count];
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (j, deps) in deps_of.iter().enumerate() {
            for &d in deps {
                if d >= first {
                    dependents[d - first].push(j);
                    waiting[j] += 1;
                }
            }
        }
        if let Some(cycle) = find_cycle(&waiting, &dependents, &deps_of, first) {
            return Err(SchedulerError::Cycle(
                cycle.into_iter().map(|j| self.tasks[first + j].name.clone()).collect(),
            ));
        }

        // 2. From here on the run goes ahead: commit.
        self.first_new = self.tasks.len();
        // A new task that depends on a failed, skipped or cancelled task is skipped at once.
        for j in 0..count {
            let blocked = deps_of[j].iter().any(|&d| {
                matches!(
                    self.tasks[d].state,
                    TaskState::Failed | TaskState::Skipped | TaskState::Cancelled
                )
            });
            if blocked && self.tasks[first + j].state == TaskState::Pending {
                skip_from(&mut self.tasks[first..], vec![j], &dependents);
            }
        }
        let ready = (0..count)
            .filter(|&j| waiting[j] == 0 && self.tasks[first + j].state == TaskState::Pending)
            .map(|j| (self.tasks[first + j].priority, Reverse(j)))
            .collect();
        Ok(RunState {
            first,
            waiting,
            dependents,
            ready,
        })
    }
}

/// Marks the new tasks in `stack` and every task that depends on them, directly or not,
/// SKIPPED (iteratively: chains can be very long). `new` is the slice of new tasks.
fn skip_from(new: &mut [Task], mut stack: Vec<usize>, dependents: &[Vec<usize>]) {
    while let Some(j) = stack.pop() {
        if new[j].state != TaskState::Pending {
            continue;
        }
        new[j].state = TaskState::Skipped;
        stack.extend_from_slice(&dependents[j]);
    }
}

/// Kahn's algorithm on a copy of the counters; when some tasks cannot be ordered, returns the
/// tasks (new-task indices) of one cycle among them.
fn find_cycle(
    waiting: &[usize],
    dependents: &[Vec<usize>],
    deps_of: &[Vec<usize>],
    first: usize,
) -> Option<Vec<usize>> {
    let mut left = waiting.to_vec();
    let mut queue: Vec<usize> = (0..left.len()).filter(|&j| left[j] == 0).collect();
    let mut ordered = 0;
    while let Some(j) = queue.pop() {
        ordered += 1;
        for &child in &dependents[j] {
            left[child] -= 1;
            if left[child] == 0 {
                queue.push(child);
            }
        }
    }
    if ordered == left.len() {
        return None;
    }
    // Every task left has a dependency that is left too: walk those until one repeats.
    let mut j = (0..left.len()).find(|&j| left[j] > 0)?;
    let mut seen = vec![usize::MAX; left.len()];
    let mut path = Vec::new();
    while seen[j] == usize::MAX {
        seen[j] = path.len();
        path.push(j);
        j = deps_of[j]
            .iter()
            .map(|&d| d.wrapping_sub(first))
            .find(|&d| d < left.len() && left[d] > 0)?;
    }
    Some(path.split_off(seen[j]))
}
