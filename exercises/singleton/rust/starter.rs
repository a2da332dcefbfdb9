//! Thread-safe one-time initialisation: see README.md. Use std only; std::sync::Once,
//! OnceLock and LazyLock are not available here (implement Once yourself).

pub struct Once {
    // Your fields here.
}

impl Once {
    pub fn new() -> Self {
        todo!("Once::new")
    }

    /// Runs `f` exactly once over the Once's life, whichever threads call. A caller arriving
    /// while `f` runs waits until it has finished. If `f` panics, the panic reaches that
    /// caller and the Once stays not done: the next caller (or a waiting one) runs its own `f`.
    pub fn call_once<F: FnOnce()>(&self, f: F) {
        let _ = f;
        todo!("Once::call_once")
    }

    /// True once some `f` has returned normally.
    pub fn is_completed(&self) -> bool {
        todo!("Once::is_completed")
    }
}

impl Default for Once {
    fn default() -> Self {
        Once::new()
    }
}
