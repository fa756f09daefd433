//! Progress reporting for long work (loading, generating, checking).
//!
//! The library calls these hooks; the CLI shows a terminal bar, the GUI a progress bar fed
//! from its worker thread, tests use [`Silent`].

/// Receives progress of one long task at a time.
pub trait Progress: Sync {
    /// A task with `total` steps (0 when unknown) begins.
    fn begin(&self, _task: &str, _total: u64) {}
    /// `n` more steps are done.
    fn advance(&self, _n: u64) {}
    /// The current task is over.
    fn finish(&self) {}
}

/// Ignores all progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
