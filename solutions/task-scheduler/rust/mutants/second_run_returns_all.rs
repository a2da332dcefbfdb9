// bug: run returns every task completed so far, not only the ones completed in this run
// caught-by: second_run_only_new

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    Pending,
    Running,
    Completed,
    Failed,
    Skipped,
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
    state: TaskState,
}

pub struct Scheduler {
    tasks: Vec<Task>,              // in insertion order: the index breaks priority ties
    index: HashMap<String, usize>, // name -> position in `tasks`
    first_new: usize,              // tasks[first_new..] have not been through a successful run
    completed: Vec<String>,
}

impl Scheduler {
    pub fn new() -> Self {
        Scheduler {
            tasks: Vec::new(),
            index: HashMap::new(),
            first_new: 0,
            completed: Vec::new(),
        }
    }

    pub fn add_task(
        &mut self,
        name: &str,
        priority: i32,
        deps: &[&str],
        max_retries: u32,
    ) -> Result<(), SchedulerError> {
        if self.index.contains_key(name) {
            return Err(SchedulerError::DuplicateTask(name.to_string()));
        }
        self.index.insert(name.to_string(), self.tasks.len());
        self.tasks.push(Task {
            name: name.to_string(),
            priority,
            deps: deps.iter().map(|d| d.to_string()).collect(),
            max_retries,
            state: TaskState::Pending,
        });
        Ok(())
    }

    pub fn status(&self, name: &str) -> Option<TaskState> {
        self.index.get(name).map(|&i| self.tasks[i].state)
    }

    pub fn run(
        &mut self,
        execute: &mut dyn FnMut(&str) -> Result<(), String>,
    ) -> Result<Vec<String>, SchedulerError> {
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
        // waiting[j]: dependencies of new task j that are new tasks; dependents[j]: the reverse.
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
        // A new task that depends on an earlier FAILED or SKIPPED task is skipped at once.
        for j in 0..count {
            let blocked = deps_of[j].iter().any(|&d| {
                matches!(self.tasks[d].state, TaskState::Failed | TaskState::Skipped)
            });
            if blocked && self.tasks[first + j].state == TaskState::Pending {
                skip_from(&mut self.tasks[first..], vec![j], &dependents);
            }
        }
        // Max-heap on (priority, earliest insertion).
        let mut ready: BinaryHeap<(i32, Reverse<usize>)> = (0..count)
            .filter(|&j| waiting[j] == 0 && self.tasks[first + j].state == TaskState::Pending)
            .map(|j| (self.tasks[first + j].priority, Reverse(j)))
            .collect();
        let mut completed = std::mem::take(&mut self.completed);
        while let Some((_, Reverse(j))) = ready.pop() {
            let task = &mut self.tasks[first + j];
            task.state = TaskState::Running;
            // One attempt plus up to max_retries retries; the Ok value carries nothing.
            let succeeded = (0..=task.max_retries).any(|_| execute(&task.name).is_ok());
            if !succeeded {
                task.state = TaskState::Failed;
                skip_from(&mut self.tasks[first..], dependents[j].clone(), &dependents);
                continue;
            }
            task.state = TaskState::Completed;
            completed.push(task.name.clone());
            for &child in &dependents[j] {
                waiting[child] -= 1;
                let other = &self.tasks[first + child];
                if waiting[child] == 0 && other.state == TaskState::Pending {
                    ready.push((other.priority, Reverse(child)));
                }
            }
        }
        self.completed = completed.clone();
        Ok(completed)
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
