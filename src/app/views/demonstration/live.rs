//! The summary of the area on show, kept current off the UI thread. Preparing a
//! [`SummaryContext`] measures every parcel (a second or more on a county), so one worker
//! per project snapshot prepares it once and then summarises each polygon it is sent. It
//! takes only the newest polygon waiting: a width slider dragged faster than summaries come
//! never queues stale work, and the summary shown trails the slider by at most one.
//!
//! The context does not read the demonstration layer, so a corridor's width or a new zone
//! keeps the worker; an edit of any other layer needs a new one (the window decides).

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use geo::MultiPolygon;

use crate::analysis::areas::AreaBasis;
use crate::analysis::demonstration::{Summary, SummaryContext};
use crate::{Error, Project, Result};

/// What the worker sends back.
enum Reply {
    /// The context is prepared; what the project lacks.
    Ready(Vec<String>),
    /// The context could not be prepared: no summary will come.
    Failed(Error),
    /// The summary of request `id`.
    Summary(u64, Result<Summary>),
}

/// One worker and what it sent so far.
pub struct LiveSummary {
    /// The area basis its summaries are on.
    pub basis: AreaBasis,
    requests: Sender<(u64, MultiPolygon<f64>)>,
    replies: Receiver<Reply>,
    /// Id of the last request sent.
    asked: u64,
    /// Id of the last summary received.
    answered: u64,
    ready: bool,
    /// What the project lacks, once the context is prepared.
    pub notes: Vec<String>,
}

impl LiveSummary {
    /// Starts a worker on `project` (a snapshot: it never sees later edits).
    pub fn start(ctx: &egui::Context, project: Arc<Project>, basis: AreaBasis) -> Self {
        let (requests, inbox) = channel::<(u64, MultiPolygon<f64>)>();
        let (outbox, replies) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            // Sends fail only when the window dropped this worker: nobody is left to tell.
            let context = match SummaryContext::new(&project, basis) {
                Ok(c) => c,
                Err(e) => {
                    let _ = outbox.send(Reply::Failed(e));
                    ctx.request_repaint();
                    return;
                }
            };
            let _ = outbox.send(Reply::Ready(context.notes.clone()));
            ctx.request_repaint();
            while let Ok(mut next) = inbox.recv() {
                while let Ok(newer) = inbox.try_recv() {
                    next = newer;
                }
                let (id, zone) = next;
                if outbox
                    .send(Reply::Summary(id, context.summarise(&zone)))
                    .is_err()
                {
                    return;
                }
                ctx.request_repaint();
            }
        });
        LiveSummary {
            basis,
            requests,
            replies,
            asked: 0,
            answered: 0,
            ready: false,
            notes: Vec::new(),
        }
    }

    /// Asks for the summary of `zone` (working CRS).
    pub fn ask(&mut self, zone: MultiPolygon<f64>) {
        self.asked += 1;
        // A worker that stopped reports it through `poll`.
        let _ = self.requests.send((self.asked, zone));
    }

    /// True while the context is prepared or a summary asked for has not come.
    pub fn pending(&self) -> bool {
        !self.ready || self.answered < self.asked
    }

    /// The newest summary received since the last call (an error when the worker failed);
    /// `None` when nothing new came.
    pub fn poll(&mut self) -> Option<Result<Summary>> {
        let mut newest = None;
        loop {
            match self.replies.try_recv() {
                Ok(Reply::Ready(notes)) => {
                    self.ready = true;
                    self.notes = notes;
                }
                Ok(Reply::Failed(e)) => {
                    self.ready = true;
                    self.answered = self.asked;
                    newest = Some(Err(e));
                }
                Ok(Reply::Summary(id, result)) => {
                    self.answered = id;
                    newest = Some(result);
                }
                Err(TryRecvError::Empty) => return newest,
                Err(TryRecvError::Disconnected) => {
                    if self.pending() {
                        self.ready = true;
                        self.answered = self.asked;
                        return Some(Err(Error::Invalid(
                            "the summary worker stopped without a result".into(),
                        )));
                    }
                    return newest;
                }
            }
        }
    }
}
