//! The window's background work for the document — opening, saving, autosave, checks,
//! the classification, drafts. Each kind runs at most once at a time; finished work is
//! handed back as [`Finished`], tagged with the document it was started for, so the
//! workspace applies it only to that document.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rust_i18n::t;

use super::document::{Document, Prepared};
use super::jobs::Job;
use crate::analysis::checks::{CheckReport, CheckScope, RuleSet, run_checks};
use crate::analysis::classify::{Classification, VillageTable, classify, project_rules};
use crate::edit::Edit;
use crate::io::{self, LoadOptions};
use crate::model::{Layer, ProjectFile};
use crate::{Error, Progress, Project, Result, Silent};

/// How often unsaved work is copied to the recovery folder.
pub const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(60);

/// What a draft worker hands back: the message for the planner, and how to turn the draft
/// into an edit of the target layer as it is when the result arrives (so ids stay unique).
pub type DraftResult = (String, Box<dyn FnOnce(&Layer) -> Edit + Send>);

/// Work that has finished this frame.
pub enum Finished {
    /// A project was read and prepared (with the notes the load left, e.g. removed
    /// left-overs of killed saves).
    Loaded(Result<(Prepared, Vec<String>)>),
    /// A save of document `doc` to `path`.
    Saved {
        doc: u64,
        path: PathBuf,
        then_close: bool,
        result: Result<ProjectFile>,
        notes: Vec<String>,
    },
    /// The recovery copy was written.
    Autosaved(Result<()>),
    /// A check run of `scope` on document `doc`.
    Checked {
        doc: u64,
        scope: CheckScope,
        result: Result<CheckReport>,
    },
    /// A classification of document `doc`.
    Classified {
        doc: u64,
        result: Result<Classification>,
    },
    /// A draft for layer `target` of document `doc`, to apply as one step `label`.
    Drafted {
        doc: u64,
        target: String,
        label: String,
        result: Result<DraftResult>,
    },
}

struct Tagged<T> {
    job: Job<T>,
    doc: u64,
}

/// The running work (see the module documentation).
#[derive(Default)]
pub struct Work {
    load: Option<Job<(Prepared, Vec<String>)>>,
    save: Option<(Tagged<ProjectFile>, PathBuf, bool)>,
    autosave: Option<Job<()>>,
    last_autosave: Option<Instant>,
    checks: Option<(Tagged<CheckReport>, CheckScope)>,
    classify: Option<Tagged<Classification>>,
    draft: Option<(Tagged<DraftResult>, String, String)>,
}

impl Work {
    /// Starts opening `path` (a project, or any vector file as a new project in its zone).
    pub fn open(&mut self, ctx: &egui::Context, path: PathBuf) {
        let what = path.display().to_string();
        self.load = Some(Job::spawn(ctx, what, move |progress| {
            let is_project = io::layer_names(&path)?
                .iter()
                .any(|n| n == io::PROJECT_TABLE);
            let project = if is_project {
                io::load_project(&path, progress)?
            } else {
                let name = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                io::project_from_sources(&name, &[&path], &LoadOptions::default(), None, progress)?
            };
            let prepared = Prepared::new(project, is_project.then_some(path))?;
            Ok((prepared, progress.take_notes()))
        }));
    }

    /// What is loading, and how far.
    pub fn loading(&self) -> Option<(&str, (f32, String))> {
        self.load.as_ref().map(|j| (j.what.as_str(), j.progress()))
    }

    /// Starts saving `doc` to `path`, unless a save runs.
    pub fn save(&mut self, ctx: &egui::Context, doc: &Document, path: PathBuf, then_close: bool) {
        if self.save.is_some() {
            return;
        }
        let (project, target) = (doc.snapshot(), path.clone());
        let job = Job::spawn(ctx, t!("save.saving"), move |progress| {
            io::save_project(&project, &target, progress)
        });
        let tagged = Tagged { job, doc: doc.id() };
        self.save = Some((tagged, path, then_close));
    }

    /// True while a save runs.
    pub fn saving(&self) -> bool {
        self.save.is_some()
    }

    /// Starts a check run of `scope` on `doc`.
    pub fn run_checks(&mut self, ctx: &egui::Context, doc: &Document, scope: CheckScope) {
        let project = doc.snapshot();
        let worker_scope = scope.clone();
        let job = Job::spawn(ctx, t!("checks.title"), move |progress| {
            let rules = RuleSet::for_project(&project.settings)?;
            run_checks(&project, &rules, &worker_scope, progress)
        });
        self.checks = Some((Tagged { job, doc: doc.id() }, scope));
    }

    /// Progress of the running check run.
    pub fn checks_running(&self) -> Option<(f32, String)> {
        self.checks.as_ref().map(|(c, _)| c.job.progress())
    }

    /// Starts the classification of `doc` (with an optional village table joined by code).
    pub fn run_classification(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        table: Option<PathBuf>,
    ) {
        let project = doc.snapshot();
        let job = Job::spawn(ctx, t!("classify.running"), move |progress| {
            progress.begin(&t!("classify.running"), 1);
            let rules = project_rules(&project)?;
            let table = table.map(|p| VillageTable::read(&p)).transpose()?;
            classify(&project, &rules, table.as_ref())
        });
        self.classify = Some(Tagged { job, doc: doc.id() });
    }

    /// True while the classification runs.
    pub fn classifying(&self) -> bool {
        self.classify.is_some()
    }

    /// Starts a draft of `doc` (三生空间, 管控边界) into layer `target`, applied as one
    /// step `label`.
    pub fn draft(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        target: String,
        label: String,
        work: impl FnOnce(&Project, &dyn Progress) -> Result<DraftResult> + Send + 'static,
    ) {
        let project = doc.snapshot();
        let job = Job::spawn(ctx, label.clone(), move |progress| work(&project, progress));
        self.draft = Some((Tagged { job, doc: doc.id() }, target, label));
    }

    /// True while a draft is computed.
    pub fn drafting(&self) -> bool {
        self.draft.is_some()
    }

    /// Writes a copy of `doc` to `path` (the recovery copy) on a worker, unless one is
    /// being written.
    pub fn autosave(&mut self, ctx: &egui::Context, doc: &Document, path: PathBuf) {
        if self.autosave.is_some() {
            return;
        }
        let project = doc.snapshot();
        self.autosave = Some(Job::spawn(ctx, t!("recovery.title"), move |_| {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            io::save_project(&project, &path, &Silent).map(|_| ())
        }));
        self.last_autosave = Some(Instant::now());
    }

    /// True when unsaved work should be copied now (a minute since the last copy, and no
    /// save running).
    pub fn autosave_due(&self) -> bool {
        self.save.is_none()
            && self
                .last_autosave
                .is_none_or(|t| t.elapsed() >= AUTOSAVE_INTERVAL)
    }

    /// True while anything runs.
    pub fn busy(&self) -> bool {
        self.load.is_some()
            || self.save.is_some()
            || self.autosave.is_some()
            || self.checks.is_some()
            || self.classify.is_some()
            || self.draft.is_some()
    }

    /// What finished since the last call.
    pub fn finished(&mut self) -> Vec<Finished> {
        let mut out = Vec::new();
        if let Some(result) = self.load.as_ref().and_then(Job::poll) {
            self.load = None;
            out.push(Finished::Loaded(result));
        }
        if let Some(result) = self.save.as_ref().and_then(|(s, _, _)| s.job.poll())
            && let Some((save, path, then_close)) = self.save.take()
        {
            out.push(Finished::Saved {
                doc: save.doc,
                path,
                then_close,
                result,
                notes: save.job.shared().take_notes(),
            });
        }
        if let Some(result) = self.autosave.as_ref().and_then(Job::poll) {
            self.autosave = None;
            out.push(Finished::Autosaved(result));
        }
        if let Some(result) = self.checks.as_ref().and_then(|(c, _)| c.job.poll())
            && let Some((run, scope)) = self.checks.take()
        {
            out.push(Finished::Checked {
                doc: run.doc,
                scope,
                result,
            });
        }
        if let Some(result) = self.classify.as_ref().and_then(|c| c.job.poll())
            && let Some(run) = self.classify.take()
        {
            out.push(Finished::Classified {
                doc: run.doc,
                result,
            });
        }
        if let Some(result) = self.draft.as_ref().and_then(|(d, _, _)| d.job.poll())
            && let Some((run, target, label)) = self.draft.take()
        {
            out.push(Finished::Drafted {
                doc: run.doc,
                target,
                label,
                result,
            });
        }
        out
    }
}
