//! One way to run work off the UI thread: loading, saving, autosave, the map render,
//! adding a layer, checks, the classification and the drafts are each a [`Job`] — a worker
//! thread with progress, a cancel flag and one result, which the window polls every frame
//! so it never waits.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use crate::Progress;

/// Progress shared between a worker and the window: the library's [`Progress`] hooks write
/// it, the window reads it.
#[derive(Default)]
pub struct JobProgress {
    done: AtomicU64,
    total: AtomicU64,
    task: Mutex<String>,
    notes: Mutex<Vec<String>>,
    cancel: AtomicBool,
}

impl JobProgress {
    /// Fraction done (0–1) and the current task.
    pub fn snapshot(&self) -> (f32, String) {
        let total = self.total.load(Ordering::Relaxed).max(1);
        let done = self.done.load(Ordering::Relaxed).min(total);
        let task = self.task.lock().map(|t| t.clone()).unwrap_or_default();
        (done as f32 / total as f32, task)
    }

    /// The flag a long computation polls to stop early (the map renderer takes it as is).
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    /// The notes the work left for the user so far (stale files removed …), taken once.
    pub fn take_notes(&self) -> Vec<String> {
        self.notes
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or_default()
    }
}

impl Progress for JobProgress {
    fn begin(&self, task: &str, total: u64) {
        if let Ok(mut t) = self.task.lock() {
            *t = task.to_string();
        }
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }

    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    fn note(&self, message: &str) {
        if let Ok(mut n) = self.notes.lock() {
            n.push(message.to_string());
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Work running on a worker thread, and its result once it is there.
pub struct Job<T> {
    /// What runs, for the status bar.
    pub what: String,
    progress: Arc<JobProgress>,
    result: Receiver<crate::Result<T>>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread; the window is repainted when it is done.
    pub fn spawn(
        ctx: &egui::Context,
        what: impl Into<String>,
        work: impl FnOnce(&JobProgress) -> crate::Result<T> + Send + 'static,
    ) -> Self {
        let progress = Arc::new(JobProgress::default());
        let (tx, rx) = channel();
        let worker_progress = Arc::clone(&progress);
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            // The receiver is gone only when the window dropped the job (closed, replaced):
            // nobody is left to tell.
            let _ = tx.send(work(&worker_progress));
            ctx.request_repaint();
        });
        Job {
            what: what.into(),
            progress,
            result: rx,
        }
    }
}

impl<T> Job<T> {
    /// The result when the work is done (once); `None` while it runs. A worker that
    /// panicked is reported as an error rather than waited for forever.
    pub fn poll(&self) -> Option<crate::Result<T>> {
        match self.result.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(crate::Error::Invalid(format!(
                "{}: the worker stopped without a result",
                self.what
            )))),
        }
    }

    /// Fraction done and the current task.
    pub fn progress(&self) -> (f32, String) {
        self.progress.snapshot()
    }

    /// The shared progress (for the notes and the cancel flag).
    pub fn shared(&self) -> &JobProgress {
        &self.progress
    }

    /// Asks the work to stop; its result is then ignored by whoever drops the job.
    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::Relaxed);
    }
}
