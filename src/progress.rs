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
    /// Something the user should know that is neither progress nor an error, such as the
    /// left-over files of an interrupted save that were removed: the work goes on, but
    /// files changed that the user did not ask to change.
    fn note(&self, _message: &str) {}
    /// True when the user asked the work to stop (the window's cancel): long loops look at
    /// it between steps and return early; what they return then is discarded.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Ignores all progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
