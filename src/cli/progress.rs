//! A terminal progress bar for the library's [`Progress`] hooks (hidden when stderr is not
//! a terminal, so scripts and CI logs stay clean); notes are plain lines on stderr either
//! way.

use indicatif::{ProgressBar, ProgressStyle};
use villageplan::Progress;

/// Shows one bar per task on stderr.
pub struct TerminalProgress {
    bar: ProgressBar,
}

impl TerminalProgress {
    pub fn new() -> Self {
        let bar = ProgressBar::hidden();
        TerminalProgress { bar }
    }
}

impl Progress for TerminalProgress {
    fn begin(&self, task: &str, total: u64) {
        self.bar
            .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        self.bar.reset();
        self.bar.set_length(total);
        self.bar.set_style(
            ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        self.bar.set_message(task.to_string());
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// Notes go to stderr even when the bar is hidden: they say what changed on disk.
    fn note(&self, message: &str) {
        self.bar.suspend(|| eprintln!("villageplan: {message}"));
    }
}
