//! The window's background work for the document — opening, saving, autosave, checks,
//! the classification, drafts — started and collected through the [`Workspace`]: each kind
//! runs at most once at a time, and a result for a document that is no longer open is
//! dropped.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use geo::Rect;
use rust_i18n::t;

use super::document::{Changes, Document, Prepared};
use super::jobs::Job;
use super::settings;
use super::workspace::{Request, Status, Workspace};
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

struct SaveJob {
    job: Job<ProjectFile>,
    path: PathBuf,
    then_close: bool,
    doc: u64,
}

struct CheckJob {
    job: Job<CheckReport>,
    scope: CheckScope,
    doc: u64,
}

struct DraftJob {
    job: Job<DraftResult>,
    target: String,
    label: String,
    doc: u64,
}

/// Background work for the document (each kind at most once at a time).
#[derive(Default)]
pub struct Work {
    load: Option<Job<(Prepared, Vec<String>)>>,
    save: Option<SaveJob>,
    autosave: Option<Job<()>>,
    last_autosave: Option<Instant>,
    checks: Option<CheckJob>,
    classify: Option<(Job<Classification>, u64)>,
    draft: Option<DraftJob>,
}

impl Workspace {
    // --- Starting work ----------------------------------------------------------------

    /// Starts opening `path` (a project, or any vector file as a new project in its zone).
    pub fn open(&mut self, ctx: &egui::Context, path: PathBuf) {
        let what = path.display().to_string();
        self.work.load = Some(Job::spawn(ctx, what, move |progress| {
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

    /// The project is loading: what, and how far.
    pub fn loading(&self) -> Option<(&str, (f32, String))> {
        self.work
            .load
            .as_ref()
            .map(|j| (j.what.as_str(), j.progress()))
    }

    /// Starts saving to `path` (the project's own file, or another for 另存为).
    pub fn save(&mut self, ctx: &egui::Context, path: PathBuf, then_close: bool) {
        let Some(doc) = &self.doc else { return };
        if self.work.save.is_some() {
            return;
        }
        let (project, target) = (doc.snapshot(), path.clone());
        let job = Job::spawn(ctx, t!("save.saving"), move |progress| {
            io::save_project(&project, &target, progress)
        });
        self.work.save = Some(SaveJob {
            job,
            path,
            then_close,
            doc: doc.id(),
        });
    }

    /// Saves to the project's own file, or asks for a path when it has none.
    pub fn save_here(&mut self, ctx: &egui::Context, then_close: bool) {
        match self
            .doc
            .as_ref()
            .and_then(|d| d.path())
            .map(Path::to_path_buf)
        {
            Some(path) => self.save(ctx, path, then_close),
            None => self.request(Request::SaveAs),
        }
    }

    /// True while a save runs.
    pub fn saving(&self) -> bool {
        self.work.save.is_some()
    }

    /// Starts a check run of `scope` (described by `text` in the 质检 window).
    pub fn run_checks(&mut self, ctx: &egui::Context, scope: CheckScope, text: String) {
        let Some(doc) = &self.doc else { return };
        let project = doc.snapshot();
        let worker_scope = scope.clone();
        let job = Job::spawn(ctx, t!("checks.title"), move |progress| {
            let rules = RuleSet::for_project(&project.settings)?;
            run_checks(&project, &rules, &worker_scope, progress)
        });
        self.checks_scope = text;
        self.work.checks = Some(CheckJob {
            job,
            scope,
            doc: doc.id(),
        });
    }

    /// Progress of the running check run.
    pub fn checks_running(&self) -> Option<(f32, String)> {
        self.work.checks.as_ref().map(|c| c.job.progress())
    }

    /// Starts the classification (with an optional village table joined by code).
    pub fn run_classification(&mut self, ctx: &egui::Context, table: Option<PathBuf>) {
        let Some(doc) = &self.doc else { return };
        let project = doc.snapshot();
        let job = Job::spawn(ctx, t!("classify.running"), move |progress| {
            progress.begin(&t!("classify.running"), 1);
            let rules = project_rules(&project)?;
            let table = table.map(|p| VillageTable::read(&p)).transpose()?;
            classify(&project, &rules, table.as_ref())
        });
        self.work.classify = Some((job, doc.id()));
    }

    /// True while the classification runs.
    pub fn classifying(&self) -> bool {
        self.work.classify.is_some()
    }

    /// Starts a draft (三生空间, 管控边界) into layer `target`, applied as one step `label`.
    pub fn draft(
        &mut self,
        ctx: &egui::Context,
        target: String,
        label: String,
        work: impl FnOnce(&Project, &dyn Progress) -> Result<DraftResult> + Send + 'static,
    ) {
        let Some(doc) = &self.doc else { return };
        let project = doc.snapshot();
        let job = Job::spawn(ctx, label.clone(), move |progress| work(&project, progress));
        self.work.draft = Some(DraftJob {
            job,
            target,
            label,
            doc: doc.id(),
        });
    }

    /// True while a draft is computed.
    pub fn drafting(&self) -> bool {
        self.work.draft.is_some()
    }

    /// Writes the recovery copy now (on a worker), whatever the interval.
    pub fn autosave_now(&mut self, ctx: &egui::Context) {
        let (Some(doc), None) = (&self.doc, &self.work.autosave) else {
            return;
        };
        let Some(path) = self.recovery_path() else {
            return;
        };
        let project = doc.snapshot();
        self.work.autosave = Some(Job::spawn(ctx, t!("recovery.title"), move |_| {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            io::save_project(&project, &path, &Silent).map(|_| ())
        }));
        self.work.last_autosave = Some(Instant::now());
    }

    /// The recovery copy of the open project (see [`settings::recovery_path`]).
    pub fn recovery_path(&self) -> Option<PathBuf> {
        let doc = self.doc.as_ref()?;
        Some(settings::recovery_path(
            self.config_dir.as_deref()?,
            doc.path(),
            &doc.project().name,
        ))
    }

    /// Removes the recovery copy (after a save, or when the user discards the changes).
    pub fn remove_recovery(&mut self) {
        if let Some(path) = self.recovery_path()
            && path.exists()
            && let Err(e) = std::fs::remove_file(&path)
        {
            self.fail(t!(
                "recovery.failed",
                error = format!("{}: {e}", path.display())
            ));
        }
    }

    /// True while anything runs in the background (tests wait for it).
    pub fn busy(&self) -> bool {
        let w = &self.work;
        w.load.is_some()
            || w.save.is_some()
            || w.autosave.is_some()
            || w.checks.is_some()
            || w.classify.is_some()
            || w.draft.is_some()
    }

    // --- Results ----------------------------------------------------------------------

    /// Collects finished work into the document, once per frame. Work started for a
    /// document that is no longer open is dropped here.
    pub fn poll(&mut self, ctx: &egui::Context) {
        self.poll_load();
        self.poll_save();
        self.poll_autosave(ctx);
        self.poll_checks();
        self.poll_classification();
        self.poll_draft();
        if self.busy() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    fn current(&self, doc_id: u64) -> bool {
        self.doc.as_ref().is_some_and(|d| d.id() == doc_id)
    }

    fn poll_load(&mut self) {
        let Some(result) = self.work.load.as_ref().and_then(Job::poll) else {
            return;
        };
        self.work.load = None;
        match result {
            Ok((prepared, notes)) => {
                let mut doc = Document::open(prepared);
                for problem in doc.take_problems() {
                    self.fail(problem);
                }
                if let Some(path) = doc.path()
                    && let Err(e) = settings::remember(self.config_dir.as_deref(), path)
                {
                    self.fail(e);
                }
                self.doc = Some(doc);
                self.recovery_offer = self.newer_recovery_copy();
                self.status = Status::default();
                if !notes.is_empty() {
                    self.tell(notes.join("；"));
                }
            }
            Err(e) => self.fail(t!("app.load_failed", error = e)),
        }
    }

    /// A recovery copy of the open project newer than its file.
    fn newer_recovery_copy(&self) -> Option<PathBuf> {
        let copy = self.recovery_path()?;
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let project = self.doc.as_ref()?.path().and_then(modified);
        let newer = match (modified(&copy), project) {
            (Some(c), Some(p)) => c > p,
            (Some(_), None) => true,
            _ => false,
        };
        newer.then_some(copy)
    }

    fn poll_save(&mut self) {
        let Some(result) = self.work.save.as_ref().and_then(|s| s.job.poll()) else {
            return;
        };
        let Some(save) = self.work.save.take() else {
            return;
        };
        let notes = save.job.shared().take_notes();
        match result {
            Ok(file) if self.current(save.doc) => {
                // The work is safe in the project now: the recovery copy has done its job.
                self.remove_recovery();
                if let Some(doc) = &mut self.doc {
                    doc.saved(save.path.clone(), Some(file));
                }
                let mut text =
                    t!("save.saved", path = save.path.display().to_string()).into_owned();
                for note in notes {
                    text.push('；');
                    text.push_str(&note);
                }
                self.tell(text);
                self.close_now |= save.then_close;
            }
            Ok(_) => {}
            Err(Error::ChangedOnDisk { path }) => self.save_conflict = Some(path),
            Err(e) => self.fail(e),
        }
    }

    fn poll_autosave(&mut self, ctx: &egui::Context) {
        if let Some(result) = self.work.autosave.as_ref().and_then(Job::poll) {
            self.work.autosave = None;
            if let Err(e) = result {
                self.fail(t!("recovery.failed", error = e));
            }
        }
        let dirty = self.doc.as_ref().is_some_and(Document::dirty);
        let due = self
            .work
            .last_autosave
            .is_none_or(|t| t.elapsed() >= AUTOSAVE_INTERVAL);
        if dirty && due && self.work.save.is_none() {
            self.autosave_now(ctx);
        }
        if dirty {
            ctx.request_repaint_after(AUTOSAVE_INTERVAL);
        }
    }

    fn poll_checks(&mut self) {
        let Some(result) = self.work.checks.as_ref().and_then(|c| c.job.poll()) else {
            return;
        };
        let Some(run) = self.work.checks.take() else {
            return;
        };
        match result {
            Ok(report) if self.current(run.doc) => {
                if let Some(doc) = &mut self.doc {
                    doc.checks_done(&run.scope, report);
                }
            }
            Ok(_) => {}
            Err(e) => self.fail(e),
        }
    }

    fn poll_classification(&mut self) {
        let Some(result) = self.work.classify.as_ref().and_then(|c| c.0.poll()) else {
            return;
        };
        let Some((_, doc_id)) = self.work.classify.take() else {
            return;
        };
        if !self.current(doc_id) {
            return;
        }
        let outcome = result.and_then(|r| match &mut self.doc {
            Some(doc) => doc.classification_done(r),
            None => Ok(()),
        });
        if let Err(e) = outcome {
            self.fail(e);
        }
    }

    fn poll_draft(&mut self) {
        let Some(result) = self.work.draft.as_ref().and_then(|d| d.job.poll()) else {
            return;
        };
        let Some(draft) = self.work.draft.take() else {
            return;
        };
        if !self.current(draft.doc) {
            return;
        }
        let outcome = result.and_then(|(message, build)| {
            let doc = self
                .doc
                .as_mut()
                .ok_or_else(|| Error::Invalid(t!("app.no_project").into_owned()))?;
            let layer = doc
                .project()
                .layer(&draft.target)
                .ok_or_else(|| Error::NoLayer {
                    id: draft.target.clone(),
                })?;
            let edit = build(layer);
            doc.apply(&draft.label, edit)?;
            Ok(message)
        });
        match outcome {
            Ok(message) => self.tell(message),
            Err(e) => self.fail(e),
        }
    }

    /// After the views ran: the document's changes of this frame, and the incremental
    /// re-check they call for (only the changed area, merged into the report shown).
    pub fn after_frame(&mut self, ctx: &egui::Context) -> Changes {
        let Some(doc) = &mut self.doc else {
            return Default::default();
        };
        let changes = doc.take_changes();
        let problems = doc.take_problems();
        let recheck = changes.area.filter(|_| doc.checks().is_some());
        for problem in problems {
            self.fail(problem);
        }
        if let Some(changed) = recheck
            && self.work.checks.is_none()
        {
            // A metre around it: results touching the edited boundary are included.
            let pad = geo::coord! { x: 1.0, y: 1.0 };
            let area = Rect::new(changed.min() - pad, changed.max() + pad);
            self.run_checks(
                ctx,
                CheckScope::Window(area),
                t!("checks.scope_edit").into_owned(),
            );
        }
        changes
    }
}
