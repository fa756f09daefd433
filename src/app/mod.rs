//! The desktop application: an eframe window over the library. It holds no planning
//! logic; every button calls the same library functions the CLI does.

mod adding;
mod basemap;
mod canvas;
mod checks_panel;
mod classify_panel;
mod editing;
mod file_browser;
mod fonts;
mod identify;
mod labels;
mod layers;
mod loader;
mod map_view;
mod opening;
mod panels;
mod recovery;
mod saving;
mod settings;
mod table;

use std::path::PathBuf;

pub use basemap::Basemap;
pub use checks_panel::RunScope;
use rust_i18n::t;
pub use settings::AppSettings;
use walkers::{MapMemory, lon_lat};

use crate::Project;
use crate::crs::Transformer;
pub use canvas::MapCanvas;
pub use identify::Identified;
use labels::Label;
use loader::LoadJob;
use map_view::MapFeedback;

/// The window's state.
pub struct VillagePlanApp {
    pub(crate) project: Option<Project>,
    pub(crate) project_path: Option<PathBuf>,
    pub(crate) canvas: MapCanvas,
    pub(crate) memory: MapMemory,
    pub(crate) labels: Vec<Label>,
    pub(crate) load: Option<LoadJob>,
    pub(crate) error: Option<String>,
    pub(crate) search: String,
    pub(crate) search_message: Option<String>,
    pub(crate) highlight: Vec<Vec<Vec<[f64; 2]>>>,
    pub(crate) identified: Vec<Identified>,
    /// The identify panel's rows for `identified`, recomputed only when it changes
    /// (describing a feature measures its area: not per-frame work).
    pub(crate) identified_rows: (Vec<Identified>, Vec<Vec<(String, String)>>),
    pub(crate) feedback: MapFeedback,
    pub(crate) gk: Option<Transformer>,
    pub(crate) pending_fit: Option<([f64; 2], [f64; 2])>,
    pub(crate) legend: Vec<crate::render::LegendSection>,
    pub(crate) table: Option<table::TableState>,
    pub(crate) dirty: bool,
    pub(crate) saving: Option<saving::SaveJob>,
    pub(crate) dialogs: saving::SaveDialogs,
    pub(crate) message: Option<String>,
    pub(crate) open_dialog: Option<String>,
    /// Where settings and the recent list are kept (`None`: nothing is stored).
    pub(crate) config_dir: Option<PathBuf>,
    pub(crate) settings: settings::AppSettings,
    pub(crate) settings_dialogs: settings::SettingsDialogs,
    pub(crate) basemap: basemap::BasemapTiles,
    pub(crate) adding: Option<adding::AddLayer>,
    /// The layer whose 样式 window is open.
    pub(crate) style_editor: Option<usize>,
    pub(crate) new_project: Option<opening::NewProject>,
    /// When `VILLAGEPLAN_TIMING` is set: the launch instant, until the first map is
    /// reported on stderr.
    pub(crate) timing: Option<std::time::Instant>,
    /// The file browser of the open, add-layer or save-as dialog (one at a time).
    pub(crate) browser: Option<file_browser::FileBrowser>,
    /// The 村庄分类 window, when open.
    pub(crate) classify: Option<classify_panel::ClassifyPanel>,
    /// The 质检 window, when open.
    pub(crate) checks: Option<checks_panel::ChecksPanel>,
    /// The editor: history, active layer, sketch.
    pub(crate) editor: editing::Editor,
    /// Autosave and the recovery offer.
    pub(crate) recovery: recovery::Recovery,
    /// The window's context, for work started outside a frame's UI code (re-checks).
    pub(crate) ctx: Option<egui::Context>,
}

impl VillagePlanApp {
    /// A window that starts loading `path` (a project or any vector file) at once.
    pub fn new(ctx: &egui::Context, path: Option<PathBuf>) -> Self {
        fonts::install(ctx);
        let mut memory = MapMemory::default();
        let _ = memory.set_zoom(9.0);
        memory.center_at(lon_lat(99.95, 24.6));
        VillagePlanApp {
            project: None,
            project_path: None,
            canvas: MapCanvas::default(),
            memory,
            labels: Vec::new(),
            load: path.map(|p| loader::start(p, ctx.clone())),
            error: None,
            search: String::new(),
            search_message: None,
            highlight: Vec::new(),
            identified: Vec::new(),
            identified_rows: (Vec::new(), Vec::new()),
            feedback: MapFeedback::default(),
            gk: None,
            pending_fit: None,
            legend: Vec::new(),
            table: None,
            dirty: false,
            saving: None,
            dialogs: saving::SaveDialogs::default(),
            message: None,
            open_dialog: None,
            config_dir: None,
            settings: settings::AppSettings::default(),
            settings_dialogs: settings::SettingsDialogs::default(),
            basemap: basemap::BasemapTiles::default(),
            adding: None,
            style_editor: None,
            timing: None,
            browser: None,
            classify: None,
            checks: None,
            editor: editing::Editor::default(),
            recovery: recovery::Recovery::default(),
            ctx: Some(ctx.clone()),
            new_project: None,
        }
    }

    /// Reads and keeps settings and the recent-projects list in `dir` (`None`: store
    /// nothing, use the defaults — tests do this). [`run`] passes the user's config
    /// directory.
    pub fn with_config_dir(mut self, ctx: &egui::Context, dir: Option<PathBuf>) -> Self {
        self.config_dir = dir;
        let stored = settings::load(self.config_dir.as_deref());
        self.basemap.configure(
            ctx,
            stored.basemap,
            &stored.tianditu_key,
            self.config_dir.as_deref(),
        );
        self.settings = stored;
        self
    }

    /// The preferences in force.
    pub fn settings(&self) -> &settings::AppSettings {
        &self.settings
    }

    /// Opens the 质检 window.
    pub fn open_checks(&mut self) {
        if self.checks.is_none() {
            self.checks = Some(checks_panel::ChecksPanel::new());
        }
    }

    /// Runs the checks as the 质检 window's buttons do.
    pub fn run_checks(&mut self, ctx: &egui::Context, scope: checks_panel::RunScope) {
        self.open_checks();
        checks_panel::run(self, ctx, scope);
    }

    /// Writes the recovery copy now instead of waiting for the minute to pass.
    pub fn autosave_now(&mut self) {
        recovery::autosave_now(self);
    }

    /// A recovery copy is offered for the project just opened.
    pub fn recovery_offered(&self) -> bool {
        self.recovery.offer.is_some()
    }

    /// The report shown in the 质检 window.
    pub fn check_report(&self) -> Option<&crate::analysis::checks::CheckReport> {
        self.checks.as_ref()?.report.as_ref()
    }

    /// The outlines highlighted on the map (Web Mercator), one set per feature or problem.
    pub fn highlighted(&self) -> &[Vec<Vec<[f64; 2]>>] {
        &self.highlight
    }

    /// Opens the 村庄分类 window (showing the result stored in the project, if any).
    pub fn open_classification(&mut self) {
        if self.classify.is_none() {
            self.classify = Some(classify_panel::ClassifyPanel::new(self));
        }
    }

    /// Runs the classification as the window's 运行分类 button does.
    pub fn run_classification(&mut self, ctx: &egui::Context) {
        self.open_classification();
        classify_panel::run(self, ctx);
    }

    /// The classification shown in the 村庄分类 window, and whether it is still running.
    pub fn classification(&self) -> Option<(&crate::analysis::classify::Classification, bool)> {
        let panel = self.classify.as_ref()?;
        Some((panel.result.as_ref()?, panel.running()))
    }

    /// True while the classification runs.
    pub fn classifying(&self) -> bool {
        self.classify.as_ref().is_some_and(|p| p.running())
    }

    /// Opens the 设置 dialog with `settings` filled in.
    pub fn open_preferences(&mut self, settings: settings::AppSettings) {
        self.settings_dialogs.editing = Some(settings);
    }

    /// Applies preferences as the 设置 dialog's 确定 does (language, basemap) and stores
    /// them in the config directory.
    pub fn apply_settings(&mut self, ctx: &egui::Context, new: settings::AppSettings) {
        settings::apply(self, ctx, new);
    }

    fn recent_file(&self) -> Option<PathBuf> {
        self.config_dir.as_ref().map(|d| d.join("recent.json"))
    }

    /// The recent projects, most recent first.
    pub fn recent_projects(&self) -> Vec<PathBuf> {
        opening::recent_projects(self.recent_file().as_deref())
    }

    /// The open project, if any.
    pub fn project(&self) -> Option<&Project> {
        self.project.as_ref()
    }

    /// Where the open project is saved, if it has been.
    pub fn project_path(&self) -> Option<&std::path::Path> {
        self.project_path.as_deref()
    }

    /// True while a project is loading.
    pub fn loading(&self) -> bool {
        self.load.is_some()
    }

    /// True when the map shows the finished image of the current view (nothing loading or
    /// rendering).
    pub fn map_settled(&self) -> bool {
        self.load.is_none() && self.project.is_some() && !self.canvas.busy()
    }

    /// The error of the last failed load, if any.
    pub fn load_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// True while a project loads, a layer is being read or added, or a save runs.
    pub fn busy(&self) -> bool {
        self.load.is_some()
            || self.saving.is_some()
            || matches!(self.adding, Some(adding::AddLayer::Reading { .. }))
            || self.classifying()
            || self.checks.as_ref().is_some_and(|c| c.running())
            || recovery::writing(self)
            || self.editor.drafting.is_some()
    }

    /// The map's current view centre in lon/lat, if the map was shown.
    pub fn view_center_lonlat(&self) -> Option<(f64, f64)> {
        self.feedback
            .viewport
            .map(|v| map_view::lonlat_from_mercator(v.center))
    }

    /// The status bar's last message (results of tools, errors).
    pub fn status_message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The reason the editor refused the last edit, if it did.
    pub fn edit_refused(&self) -> Option<&str> {
        self.editor.refused.as_ref().map(|(r, _)| r.as_str())
    }

    /// The features selected on the map (identify, Shift+click, box).
    pub fn identified(&self) -> &[Identified] {
        &self.identified
    }

    /// Where the map was drawn last frame (points), and its view.
    pub fn map_view(&self) -> Option<(egui::Rect, crate::render::Viewport)> {
        Some((self.feedback.map_rect?, self.feedback.viewport?))
    }

    /// Ids of the layers as the map draws them, bottom first.
    pub fn drawing_order(&self) -> Vec<&str> {
        self.canvas
            .layers()
            .iter()
            .map(|l| l.layer_id.as_str())
            .collect()
    }

    /// How many features of layer `i` the map fills, and how many it has.
    pub fn display_fills(&self, i: usize) -> (usize, usize) {
        self.canvas.layers().get(i).map_or((0, 0), |d| {
            (
                d.fills.iter().filter(|f| f.is_some()).count(),
                d.fills.len(),
            )
        })
    }

    /// True when the project has changes not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// True while a save is running.
    pub fn saving(&self) -> bool {
        self.saving.is_some()
    }

    /// The open attribute table: layer position, rows shown (feature positions, in display
    /// order) and the selected features.
    pub fn table_view(&self) -> Option<(usize, &[usize], Vec<usize>)> {
        self.table.as_ref().map(|t| {
            (
                t.layer,
                t.rows.as_slice(),
                t.selected.iter().copied().collect(),
            )
        })
    }

    /// Searches a village or township by name or code, as the search box does.
    pub fn find(&mut self, query: &str) {
        self.search = query.to_string();
        panels::find(self);
    }

    fn poll_load(&mut self) {
        let Some(job) = &self.load else { return };
        let Ok(result) = job.result.try_recv() else {
            return;
        };
        self.load = None;
        match result {
            Ok(loaded) => {
                if let Some(path) = &loaded.path {
                    opening::remember(self.recent_file().as_deref(), path);
                }
                install(self, loaded.project, loaded.path, loaded.display);
                recovery::check_after_open(self);
            }
            Err(e) => self.error = Some(t!("app.load_failed", error = e).into_owned()),
        }
    }

    /// Zooms to the whole project.
    pub fn zoom_full(&mut self) {
        self.pending_fit = full_extent(self.canvas.layers());
    }
}

/// Shows `project` in the window: map layers, labels, legend, view; clears selections,
/// tables and the edit history (they refer to the previous project).
fn install(
    app: &mut VillagePlanApp,
    project: Project,
    path: Option<PathBuf>,
    display: Vec<std::sync::Arc<crate::render::DisplayLayer>>,
) {
    app.labels = labels::build_labels(&project.layers, &display);
    app.gk = map_view::gk_transformer(project.crs);
    app.pending_fit = full_extent(&display);
    app.legend = crate::render::legend(&project.layers);
    app.canvas.set_layers(display);
    app.project = Some(project);
    app.project_path = path;
    app.error = None;
    app.identified.clear();
    app.highlight.clear();
    app.table = None;
    app.dirty = false;
    app.editor = editing::Editor::default();
}

/// Replaces the open project with one already in memory (a recovered copy).
pub(crate) fn replace_project(app: &mut VillagePlanApp, project: Project, path: Option<PathBuf>) {
    match loader::prepare_display(&project) {
        Ok(display) => install(app, project, path, display),
        Err(e) => app.error = Some(t!("app.load_failed", error = e).into_owned()),
    }
}

fn full_extent(
    layers: &[std::sync::Arc<crate::render::DisplayLayer>],
) -> Option<([f64; 2], [f64; 2])> {
    layers.iter().filter_map(|l| l.extent()).reduce(|a, b| {
        (
            [a.0[0].min(b.0[0]), a.0[1].min(b.0[1])],
            [a.1[0].max(b.1[0]), a.1[1].max(b.1[1])],
        )
    })
}

impl eframe::App for VillagePlanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.poll_load();
        if let Some(launched) = self.timing
            && self.map_settled()
        {
            eprintln!(
                "villageplan: first map after {:.2} s",
                launched.elapsed().as_secs_f64()
            );
            self.timing = None;
        }
        editing::keyboard(self, &ui.ctx().clone());
        panels::keyboard(self, ui.ctx());
        saving::saving_ui(self, &ui.ctx().clone());
        recovery::recovery_ui(self, &ui.ctx().clone());
        opening::opening_ui(self, &ui.ctx().clone());
        settings::settings_ui(self, &ui.ctx().clone());
        adding::adding_ui(self, &ui.ctx().clone());
        opening::new_project_ui(self, &ui.ctx().clone());
        layers::style_editor_ui(self, &ui.ctx().clone());
        classify_panel::classify_ui(self, &ui.ctx().clone());
        checks_panel::checks_ui(self, &ui.ctx().clone());
        panels::top_bar(self, ui);
        editing::toolbar(self, ui);
        editing::form_ui(self, &ui.ctx().clone());
        editing::merge_ui(self, &ui.ctx().clone());
        editing::poll_drafting(self, &ui.ctx().clone());
        panels::status_bar(self, ui);
        panels::table_panel(self, ui);
        layers::layers_panel(self, ui);
        panels::identify_panel(self, ui);
        panels::central_map(self, ui);
    }
}

/// Sets the UI language (`zh-CN` or `en`).
pub fn set_language(lang: &str) {
    rust_i18n::set_locale(if lang.starts_with("en") {
        "en"
    } else {
        "zh-CN"
    });
}

/// Opens the window (blocking until it closes).
pub fn run(path: Option<PathBuf>, lang: Option<&str>) -> anyhow::Result<()> {
    let launched = std::time::Instant::now();
    let lang = lang.map(str::to_string);
    let config_dir = settings::default_config_dir();
    set_language(
        &lang
            .clone()
            .unwrap_or_else(|| settings::load(config_dir.as_deref()).language),
    );
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_title(t!("app.title").into_owned()),
        ..Default::default()
    };
    eframe::run_native(
        "villageplan",
        options,
        Box::new(move |cc| {
            let mut app =
                VillagePlanApp::new(&cc.egui_ctx, path).with_config_dir(&cc.egui_ctx, config_dir);
            if let Some(lang) = lang {
                app.settings.language = lang;
            }
            if std::env::var_os("VILLAGEPLAN_TIMING").is_some() {
                app.timing = Some(launched);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
