//! What every view of the window may read and ask for: the open [`Document`], the work
//! running for it, where the map was last frame, the status line, and requests to open
//! windows. Views change the document only through its methods and start work only through
//! the methods here, so a finished worker's result reaches the document one way.

use std::path::{Path, PathBuf};
use std::time::Duration;

use geo::{Coord, Rect};
use rust_i18n::t;

use super::document::{Changes, Document};
use super::settings::{self, AppSettings};
pub use super::work::DraftResult;
use super::work::{AUTOSAVE_INTERVAL, Finished, Work};
use crate::analysis::checks::CheckScope;
use crate::render::Viewport;
use crate::{Error, Progress, Project, Result};

/// A window the views ask to open (the window owns their state).
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// 质检.
    Checks,
    /// 村庄分类.
    Classification,
    /// 规划表格.
    Tables,
    /// 示范区带线.
    Demonstration,
    /// 出图.
    Sheets,
    /// 导出.
    Export,
    /// The attribute table of a layer (by id).
    Table(String),
    /// The style editor of a layer (by id).
    Style(String),
    /// 添加图层.
    AddLayer,
    /// 新建项目.
    NewProject,
    /// 打开.
    Open,
    /// 另存为.
    SaveAs,
    /// 成果包.
    Package,
    /// 首选项.
    Preferences,
    /// 关于.
    About,
    /// New preferences to apply and store (the 界面语言 menu).
    ApplySettings(AppSettings),
}

/// Where the map was drawn in the last frame.
#[derive(Debug, Clone, Copy, Default)]
pub struct MapInfo {
    /// The view in physical pixels.
    pub viewport: Option<Viewport>,
    /// The map's rectangle on screen (points).
    pub rect: Option<egui::Rect>,
    /// Ground metres per point at the view centre.
    pub ground_metres_per_point: f64,
    /// The pointer over the map, Web Mercator.
    pub hover_mercator: Option<[f64; 2]>,
}

/// Web Mercator metres to lon/lat (the spherical formula EPSG:3857 defines).
pub fn lonlat_from_mercator(m: [f64; 2]) -> (f64, f64) {
    const R: f64 = 6_378_137.0;
    let lon = (m[0] / R).to_degrees();
    let lat = (2.0 * (m[1] / R).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    (lon, lat)
}

impl MapInfo {
    /// A Web Mercator point in the working CRS of `doc`.
    pub fn gk_from_mercator(doc: &Document, m: [f64; 2]) -> Option<Coord<f64>> {
        let (lon, lat) = lonlat_from_mercator(m);
        let (x, y) = doc.gk_from_lonlat()?.transform_point(lon, lat).ok()?;
        Some(Coord { x, y })
    }

    /// The centre of the map in lon/lat.
    pub fn centre_lonlat(&self) -> Option<(f64, f64)> {
        self.viewport.map(|v| lonlat_from_mercator(v.center))
    }

    /// The centre of the map in the working CRS.
    pub fn centre_gk(&self, doc: &Document) -> Option<Coord<f64>> {
        MapInfo::gk_from_mercator(doc, self.viewport?.center)
    }

    /// The map's view as a rectangle in the working CRS.
    pub fn view_gk(&self, doc: &Document) -> Option<Rect<f64>> {
        let (min, max) = self.viewport?.bounds();
        let corners = [
            [min[0], min[1]],
            [min[0], max[1]],
            [max[0], min[1]],
            [max[0], max[1]],
        ];
        let points: Vec<Coord<f64>> = corners
            .iter()
            .filter_map(|m| MapInfo::gk_from_mercator(doc, *m))
            .collect();
        geo::BoundingRect::bounding_rect(&geo::MultiPoint::from(points))
    }
}

/// The status line: the last message, or the last error (shown in red until the next
/// message). Every error is also written to stderr, so none is lost.
#[derive(Debug, Default)]
pub struct Status {
    /// What the last action did.
    pub message: Option<String>,
    /// What went wrong last.
    pub error: Option<String>,
}

/// See the module documentation.
#[derive(Default)]
pub struct Workspace {
    /// The open plan.
    pub doc: Option<Document>,
    /// The map as drawn last frame.
    pub map: MapInfo,
    /// The status line.
    pub status: Status,
    /// Windows to open this frame.
    pub requests: Vec<Request>,
    /// Where settings, the recent list and recovery copies are kept (`None`: nothing is
    /// stored, as in tests).
    pub config_dir: Option<PathBuf>,
    /// The preferences in force.
    pub settings: AppSettings,
    /// A recovery copy newer than the project just opened, offered to the user.
    pub recovery_offer: Option<PathBuf>,
    /// A save refused because the file changed on disk since it was opened: the path.
    pub save_conflict: Option<PathBuf>,
    /// The window should close (a save before closing finished).
    pub close_now: bool,
    /// The scope of the last check run, for the 质检 window's summary.
    pub checks_scope: String,
    work: Work,
}

impl Workspace {
    /// Shows `message` in the status line.
    pub fn tell(&mut self, message: impl Into<String>) {
        self.status.message = Some(message.into());
        self.status.error = None;
    }

    /// Shows an error in the status line (and on stderr, so it is never lost).
    pub fn fail(&mut self, error: impl std::fmt::Display) {
        let text = error.to_string();
        eprintln!("villageplan: {text}");
        self.status.error = Some(text);
    }

    /// Asks for a window.
    pub fn request(&mut self, request: Request) {
        self.requests.push(request);
    }

    /// The 12-digit code and the name of the village under the centre of the map.
    pub fn village_at_centre(&self) -> Result<Option<(String, String)>> {
        let Some(doc) = &self.doc else {
            return Ok(None);
        };
        let Some(centre) = self.map.centre_gk(doc) else {
            return Ok(None);
        };
        let villages = crate::model::admin::AdminUnits::villages(doc.project())?;
        Ok(villages
            .containing(centre)
            .map(|v| (v.code.clone(), v.name.clone())))
    }

    /// The recent projects, most recent first.
    pub fn recent_projects(&self) -> Vec<PathBuf> {
        settings::recent_projects(self.config_dir.as_deref())
    }

    // --- Starting work (see `super::work`) --------------------------------------------

    /// Starts opening `path` (a project, or any vector file as a new project in its zone).
    pub fn open(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.work.open(ctx, path);
    }

    /// The project is loading: what, and how far.
    pub fn loading(&self) -> Option<(&str, (f32, String))> {
        self.work.loading()
    }

    /// Starts saving to `path` (the project's own file, or another for 另存为).
    pub fn save(&mut self, ctx: &egui::Context, path: PathBuf, then_close: bool) {
        if let Some(doc) = &self.doc {
            self.work.save(ctx, doc, path, then_close);
        }
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
        self.work.saving()
    }

    /// Starts a check run of `scope` (described by `text` in the 质检 window).
    pub fn run_checks(&mut self, ctx: &egui::Context, scope: CheckScope, text: String) {
        if let Some(doc) = &self.doc {
            self.work.run_checks(ctx, doc, scope);
            self.checks_scope = text;
        }
    }

    /// Progress of the running check run.
    pub fn checks_running(&self) -> Option<(f32, String)> {
        self.work.checks_running()
    }

    /// Starts the classification (with an optional village table joined by code).
    pub fn run_classification(&mut self, ctx: &egui::Context, table: Option<PathBuf>) {
        if let Some(doc) = &self.doc {
            self.work.run_classification(ctx, doc, table);
        }
    }

    /// True while the classification runs.
    pub fn classifying(&self) -> bool {
        self.work.classifying()
    }

    /// Starts a draft (三生空间, 管控边界) into layer `target`, applied as one step `label`.
    pub fn draft(
        &mut self,
        ctx: &egui::Context,
        target: String,
        label: String,
        work: impl FnOnce(&Project, &dyn Progress) -> Result<DraftResult> + Send + 'static,
    ) {
        if let Some(doc) = &self.doc {
            self.work.draft(ctx, doc, target, label, work);
        }
    }

    /// True while a draft is computed.
    pub fn drafting(&self) -> bool {
        self.work.drafting()
    }

    /// Writes the recovery copy now (on a worker), whatever the interval.
    pub fn autosave_now(&mut self, ctx: &egui::Context) {
        if let (Some(doc), Some(path)) = (&self.doc, self.recovery_path()) {
            self.work.autosave(ctx, doc, path);
        }
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
        self.work.busy()
    }

    // --- Results ----------------------------------------------------------------------

    /// Collects finished work into the document, once per frame; work started for a
    /// document that is no longer open is dropped. Starts the autosave when it is due.
    pub fn poll(&mut self, ctx: &egui::Context) {
        for finished in self.work.finished() {
            self.apply(finished);
        }
        let dirty = self.doc.as_ref().is_some_and(Document::dirty);
        if dirty && self.work.autosave_due() {
            self.autosave_now(ctx);
        }
        if dirty {
            ctx.request_repaint_after(AUTOSAVE_INTERVAL);
        }
        if self.busy() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    fn current(&self, doc_id: u64) -> bool {
        self.doc.as_ref().is_some_and(|d| d.id() == doc_id)
    }

    fn apply(&mut self, finished: Finished) {
        match finished {
            Finished::Loaded(Ok((prepared, notes))) => {
                let mut doc = Document::open(prepared);
                let problems = doc.take_problems();
                let remembered = doc.path().map_or(Ok(()), |p| {
                    settings::remember(self.config_dir.as_deref(), p)
                });
                self.doc = Some(doc);
                self.recovery_offer = self.newer_recovery_copy();
                self.status = Status::default();
                if !notes.is_empty() {
                    self.tell(notes.join("；"));
                }
                for problem in problems {
                    self.fail(problem);
                }
                if let Err(e) = remembered {
                    self.fail(e);
                }
            }
            Finished::Loaded(Err(e)) => self.fail(t!("app.load_failed", error = e)),
            Finished::Saved {
                doc,
                path,
                then_close,
                result,
                notes,
            } => match result {
                Ok(file) if self.current(doc) => {
                    // The work is safe in the project now: the recovery copy has done its job.
                    self.remove_recovery();
                    if let Some(doc) = &mut self.doc {
                        doc.saved(path.clone(), Some(file));
                    }
                    let mut text = t!("save.saved", path = path.display().to_string()).into_owned();
                    for note in notes {
                        text.push('；');
                        text.push_str(&note);
                    }
                    self.tell(text);
                    self.close_now |= then_close;
                }
                Ok(_) => {}
                Err(Error::ChangedOnDisk { path }) => self.save_conflict = Some(path),
                Err(e) => self.fail(e),
            },
            Finished::Autosaved(result) => {
                if let Err(e) = result {
                    self.fail(t!("recovery.failed", error = e));
                }
            }
            Finished::Checked { doc, scope, result } => match result {
                Ok(report) if self.current(doc) => {
                    if let Some(doc) = &mut self.doc {
                        doc.checks_done(&scope, report);
                    }
                }
                Ok(_) => {}
                Err(e) => self.fail(e),
            },
            Finished::Classified { doc, result } => {
                if !self.current(doc) {
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
            Finished::Drafted {
                doc,
                target,
                label,
                result,
            } => {
                if !self.current(doc) {
                    return;
                }
                let outcome = result.and_then(|(message, build)| {
                    let doc = self
                        .doc
                        .as_mut()
                        .ok_or_else(|| Error::Invalid(t!("app.no_project").into_owned()))?;
                    let layer = doc
                        .project()
                        .layer(&target)
                        .ok_or_else(|| Error::NoLayer { id: target.clone() })?;
                    let edit = build(layer);
                    doc.apply(&label, edit)?;
                    Ok(message)
                });
                match outcome {
                    Ok(message) => self.tell(message),
                    Err(e) => self.fail(e),
                }
            }
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
            && self.work.checks_running().is_none()
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
