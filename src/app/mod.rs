//! The desktop application: an eframe window over the library. It holds no planning
//! logic; every button calls the same library functions the CLI does.
//!
//! One frame: collect finished work into the [`document::Document`] → keys → dialogs and
//! panels (views, each with its own state, changing the document only through its methods)
//! → the map and the editing tools → open the windows views asked for → take the document's
//! changes of the frame and refresh the views that depend on them. Arrows point down: this
//! module → views and editing → workspace → document → the library.

mod basemap;
mod changes;
mod document;
mod editing;
mod jobs;
mod labels;
mod map_frame;
mod picking;
mod selection;
mod settings;
mod views;
mod widgets;
mod work;
mod workspace;

use std::path::PathBuf;

use egui::Key;
use rust_i18n::t;

use crate::Project;
use crate::analysis::checks::CheckReport;
use crate::analysis::classify::Classification;
pub use basemap::Basemap;
pub use selection::FeatureRef;
pub use settings::AppSettings;
use views::add_layer::AddLayer;
use views::checks::ChecksView;
pub use views::checks::RunScope;
use views::classify::ClassifyView;
pub use views::demonstration::{AreaRow, DemoView};
use views::identify::IdentifyView;
use views::map::MapView;
use views::menu::Search;
use views::open::{NewProject, OPEN, OpenDialog};
use views::preferences::PreferencesDialogs;
use views::save::{SaveAs, SaveDialogs};
use views::sheets::SheetsView;
use views::table::TableView;
use views::tables::TablesView;
use workspace::{Request, Workspace};

/// The window: the workspace (document, work, status) and the state of each view.
pub struct VillagePlanApp {
    ws: Workspace,
    map: MapView,
    editor: editing::Editor,
    search: Search,
    identify: IdentifyView,
    table: Option<TableView>,
    style_editor: Option<String>,
    checks: Option<ChecksView>,
    classify: Option<ClassifyView>,
    tables: Option<TablesView>,
    demo: Option<DemoView>,
    package: Option<views::package::PackageView>,
    sheets: Option<SheetsView>,
    export: Option<views::export::ExportView>,
    open_dialog: Option<OpenDialog>,
    new_project: Option<NewProject>,
    add_layer: Option<AddLayer>,
    save: SaveDialogs,
    preferences: PreferencesDialogs,
    /// The document the views were last set up for.
    shown: Option<u64>,
    /// When `VILLAGEPLAN_TIMING` is set: the launch instant, until the first map is
    /// reported on stderr.
    timing: Option<std::time::Instant>,
    ctx: egui::Context,
}

impl VillagePlanApp {
    /// A window that starts loading `path` (a project or any vector file) at once.
    pub fn new(ctx: &egui::Context, path: Option<PathBuf>) -> Self {
        widgets::fonts::install(ctx);
        let mut ws = Workspace::default();
        if let Some(path) = path {
            ws.open(ctx, path);
        }
        VillagePlanApp {
            ws,
            map: MapView::default(),
            editor: editing::Editor::default(),
            search: Search::default(),
            identify: IdentifyView::default(),
            table: None,
            style_editor: None,
            checks: None,
            classify: None,
            tables: None,
            demo: None,
            package: None,
            sheets: None,
            export: None,
            open_dialog: None,
            new_project: None,
            add_layer: None,
            save: SaveDialogs::default(),
            preferences: PreferencesDialogs::default(),
            shown: None,
            timing: None,
            ctx: ctx.clone(),
        }
    }

    /// Reads and keeps settings and the recent-projects list in `dir` (`None`: store
    /// nothing, use the defaults — tests do this). [`run`] passes the user's config
    /// directory.
    pub fn with_config_dir(mut self, ctx: &egui::Context, dir: Option<PathBuf>) -> Self {
        let stored = settings::load(dir.as_deref());
        self.map
            .basemap
            .configure(ctx, stored.basemap, &stored.tianditu_key, dir.as_deref());
        self.ws.config_dir = dir;
        self.ws.settings = stored;
        self
    }

    /// The preferences in force.
    pub fn settings(&self) -> &AppSettings {
        &self.ws.settings
    }

    /// Applies preferences as the 设置 dialog's 确定 does (language, basemap) and stores
    /// them in the config directory.
    pub fn apply_settings(&mut self, ctx: &egui::Context, new: AppSettings) {
        set_language(&new.language);
        self.map.basemap.configure(
            ctx,
            new.basemap,
            &new.tianditu_key,
            self.ws.config_dir.as_deref(),
        );
        if let Err(e) = settings::store(self.ws.config_dir.as_deref(), &new) {
            self.ws.fail(t!("settings.not_saved", error = e));
        }
        self.ws.settings = new;
    }

    /// Opens the 设置 dialog with `settings` filled in.
    pub fn open_preferences(&mut self, settings: AppSettings) {
        self.preferences.editing = Some(settings);
    }

    /// Opens the 质检 window.
    pub fn open_checks(&mut self) {
        self.checks.get_or_insert_default();
    }

    /// Runs the checks as the 质检 window's buttons do.
    pub fn run_checks(&mut self, ctx: &egui::Context, scope: RunScope) {
        let view = self.checks.get_or_insert_default();
        views::checks::run(ctx, &mut self.ws, view, scope);
    }

    /// The report shown in the 质检 window (the open project's latest).
    pub fn check_report(&self) -> Option<&CheckReport> {
        self.ws.doc.as_ref()?.checks()
    }

    /// Opens the 村庄分类 window.
    pub fn open_classification(&mut self) {
        self.classify.get_or_insert_default();
    }

    /// Runs the classification as the window's 运行分类 button does.
    pub fn run_classification(&mut self, ctx: &egui::Context) {
        let view = self.classify.get_or_insert_default();
        views::classify::run(ctx, &mut self.ws, view);
    }

    /// The open project's classification, and whether a run is under way.
    pub fn classification(&self) -> Option<(&Classification, bool)> {
        let result = self.ws.doc.as_ref()?.classification()?;
        Some((result, self.ws.classifying()))
    }

    /// True while the classification runs.
    pub fn classifying(&self) -> bool {
        self.ws.classifying()
    }

    /// Opens the 规划表格 window (on the village at the map centre) when a project is open.
    pub fn open_tables(&mut self) {
        if self.tables.is_none() && self.ws.doc.is_some() {
            self.tables = Some(TablesView::new(&self.ws));
        }
    }

    /// The tables the 规划表格 window shows, once computed.
    pub fn tables(&self) -> Option<&crate::analysis::tables::PlanTables> {
        self.tables.as_ref()?.shown()
    }

    /// Opens the 示范区带线 window when a project is open.
    pub fn open_demonstration(&mut self) {
        if self.demo.is_none() && self.ws.doc.is_some() {
            self.demo = Some(DemoView::new(&self.ws));
        }
    }

    /// The 示范区带线 window's state (its areas, the summary shown, the review).
    pub fn demonstration(&self) -> Option<&DemoView> {
        self.demo.as_ref()
    }

    /// Writes the recovery copy now instead of waiting for the minute to pass.
    pub fn autosave_now(&mut self) {
        let ctx = self.ctx.clone();
        self.ws.autosave_now(&ctx);
    }

    /// A recovery copy is offered for the project just opened.
    pub fn recovery_offered(&self) -> bool {
        self.ws.recovery_offer.is_some()
    }

    /// The outlines highlighted on the map (Web Mercator rings).
    pub fn highlighted(&self) -> &[Vec<[f64; 2]>] {
        self.ws.doc.as_ref().map_or(&[], |d| d.highlight())
    }

    /// The name of the step 撤销 would undo now, if any.
    pub fn undo_label(&self) -> Option<&str> {
        self.ws.doc.as_ref()?.history().undo_label()
    }

    /// The recent projects, most recent first.
    pub fn recent_projects(&self) -> Vec<PathBuf> {
        self.ws.recent_projects()
    }

    /// The open project, if any.
    pub fn project(&self) -> Option<&Project> {
        self.ws.doc.as_ref().map(|d| d.project())
    }

    /// Where the open project is saved, if it has been.
    pub fn project_path(&self) -> Option<&std::path::Path> {
        self.ws.doc.as_ref()?.path()
    }

    /// True while a project is loading.
    pub fn loading(&self) -> bool {
        self.ws.loading().is_some()
    }

    /// True when the map shows the finished image of the current view (nothing loading or
    /// rendering).
    pub fn map_settled(&self) -> bool {
        !self.loading() && self.ws.doc.is_some() && !self.map.canvas.busy()
    }

    /// The last error shown in the status line (a failed load, save …).
    pub fn load_error(&self) -> Option<&str> {
        self.ws.status.error.as_deref()
    }

    /// True while anything runs in the background: a load, a save or autosave, a layer
    /// being read, checks, the classification or a draft.
    pub fn busy(&self) -> bool {
        self.ws.busy()
            || self.add_layer.as_ref().is_some_and(AddLayer::reading)
            || self.tables.as_ref().is_some_and(TablesView::running)
            || self.demo.as_ref().is_some_and(DemoView::running)
            || self.sheets.as_ref().is_some_and(SheetsView::running)
            || self
                .package
                .as_ref()
                .is_some_and(views::package::PackageView::running)
            || self
                .export
                .as_ref()
                .is_some_and(views::export::ExportView::running)
    }

    /// The map's current view centre in lon/lat, if the map was shown.
    pub fn view_center_lonlat(&self) -> Option<(f64, f64)> {
        self.ws.map.centre_lonlat()
    }

    /// The status bar's last message (results of tools).
    pub fn status_message(&self) -> Option<&str> {
        self.ws.status.message.as_deref()
    }

    /// The reason the editor refused the last edit, if it did.
    pub fn edit_refused(&self) -> Option<&str> {
        self.editor.refused.as_ref().map(|(r, _)| r.as_str())
    }

    /// The features selected on the map (identify, Shift+click, box, table).
    pub fn identified(&self) -> &[FeatureRef] {
        self.ws.doc.as_ref().map_or(&[], |d| d.selection().items())
    }

    /// Where the map was drawn last frame (points), and its view.
    pub fn map_view(&self) -> Option<(egui::Rect, crate::render::Viewport)> {
        Some((self.ws.map.rect?, self.ws.map.viewport?))
    }

    /// Ids of the layers as the map draws them, bottom first.
    pub fn drawing_order(&self) -> Vec<&str> {
        self.ws.doc.as_ref().map_or_else(Vec::new, |d| {
            d.display().iter().map(|l| l.layer_id.as_str()).collect()
        })
    }

    /// How many features of layer `i` the map fills, and how many it has.
    pub fn display_fills(&self, i: usize) -> (usize, usize) {
        self.ws
            .doc
            .as_ref()
            .and_then(|d| d.display().get(i))
            .map_or((0, 0), |d| {
                (
                    d.fills.iter().filter(|f| f.is_some()).count(),
                    d.fills.len(),
                )
            })
    }

    /// True when the project has changes not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.ws.doc.as_ref().is_some_and(|d| d.dirty())
    }

    /// True while a save is running.
    pub fn saving(&self) -> bool {
        self.ws.saving()
    }

    /// The open attribute table: layer id, rows shown (feature positions, in display
    /// order) and the selected features.
    pub fn table_view(&self) -> Option<(&str, &[usize], Vec<usize>)> {
        self.table.as_ref().map(|t| {
            (
                t.layer.as_str(),
                t.rows.as_slice(),
                t.selected.iter().copied().collect(),
            )
        })
    }

    /// Searches a village or township by name or code, as the search box does.
    pub fn find(&mut self, query: &str) {
        self.search.text = query.to_string();
        self.search.message =
            (!views::menu::find(&mut self.ws, query)).then(|| t!("search.none").into_owned());
    }

    /// Zooms to the whole project.
    pub fn zoom_full(&mut self) {
        if let Some(doc) = &mut self.ws.doc {
            doc.zoom_full();
        }
    }

    /// A different document is open: views that refer to the last one's layers and
    /// features start afresh.
    fn follow_document(&mut self) {
        let current = self.ws.doc.as_ref().map(|d| d.id());
        if current == self.shown {
            return;
        }
        self.shown = current;
        self.editor.reset();
        self.table = None;
        self.tables = None;
        self.demo = None;
        self.style_editor = None;
        self.identify.invalidate();
    }

    /// +/− zoom, Home = full extent, Esc clears the selection, Ctrl+O opens.
    fn keyboard(&mut self, ctx: &egui::Context) {
        if ctx.input_mut(|i| i.consume_shortcut(&OPEN)) {
            self.open_dialog = Some(OpenDialog::default());
        }
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let (plus, minus, home, esc) = ctx.input(|i| {
            (
                i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals),
                i.key_pressed(Key::Minus),
                i.key_pressed(Key::Home),
                i.key_pressed(Key::Escape),
            )
        });
        // Zooming past walkers' limits is simply refused: nothing to tell.
        if plus {
            let _ = self.map.memory.zoom_in();
        }
        if minus {
            let _ = self.map.memory.zoom_out();
        }
        let Some(doc) = &mut self.ws.doc else { return };
        if home {
            doc.zoom_full();
        }
        if esc {
            doc.clear_selection();
        }
    }

    /// Opens the windows the views asked for this frame.
    fn open_requested(&mut self, ctx: &egui::Context) {
        for request in std::mem::take(&mut self.ws.requests) {
            match request {
                Request::Checks => self.open_checks(),
                Request::Classification => self.open_classification(),
                Request::Tables => self.open_tables(),
                Request::Demonstration => self.open_demonstration(),
                Request::Sheets => self.sheets = Some(SheetsView::new(&self.ws)),
                Request::Export => self.export = Some(views::export::ExportView::new(&self.ws)),
                Request::Table(layer) => {
                    if let Some(doc) = &self.ws.doc {
                        self.table = Some(TableView::new(doc, &layer));
                    }
                }
                Request::Style(layer) => self.style_editor = Some(layer),
                Request::AddLayer => self.add_layer = Some(AddLayer::new()),
                Request::NewProject => self.new_project = Some(NewProject::for_workspace(&self.ws)),
                Request::Open => self.open_dialog = Some(OpenDialog::default()),
                Request::SaveAs => self.save.save_as = Some(SaveAs::new(&self.ws)),
                Request::Package => {
                    self.package = Some(views::package::PackageView::new(&self.ws));
                }
                Request::Preferences => {
                    self.preferences.editing = Some(self.ws.settings.clone());
                }
                Request::About => self.preferences.about = true,
                Request::ApplySettings(new) => self.apply_settings(ctx, new),
            }
        }
    }

    /// The dialogs and floating windows.
    fn windows(&mut self, ctx: &egui::Context) {
        let ws = &mut self.ws;
        views::save::saving_ui(ctx, ws, &mut self.save);
        views::recovery::recovery_ui(ctx, ws);
        if let Some(dialog) = &mut self.open_dialog
            && !views::open::open_ui(ctx, ws, dialog)
        {
            self.open_dialog = None;
        }
        if let Some(state) = &mut self.new_project
            && !views::open::new_project_ui(ctx, ws, state)
        {
            self.new_project = None;
        }
        if let Some(state) = self.add_layer.take() {
            self.add_layer = views::add_layer::adding_ui(ctx, ws, state);
        }
        if let Some(new) = views::preferences::preferences_ui(ctx, &mut self.preferences) {
            self.apply_settings(ctx, new);
        }
        let ws = &mut self.ws;
        if let Some(layer) = &self.style_editor
            && !views::style::style_editor_ui(ctx, ws, layer)
        {
            self.style_editor = None;
        }
        if let Some(view) = &mut self.classify
            && !views::classify::classify_ui(ctx, ws, view)
        {
            self.classify = None;
        }
        if let Some(view) = &mut self.tables
            && !views::tables::tables_ui(ctx, ws, view)
        {
            self.tables = None;
        }
        if let Some(view) = &mut self.demo
            && !views::demonstration::demo_ui(ctx, ws, view)
        {
            self.demo = None;
        }
        if let Some(view) = &mut self.package
            && !views::package::package_ui(ctx, ws, view)
        {
            self.package = None;
        }
        if let Some(view) = &mut self.sheets
            && !views::sheets::sheets_ui(ctx, ws, view)
        {
            self.sheets = None;
        }
        if let Some(view) = &mut self.export
            && !views::export::export_ui(ctx, ws, view)
        {
            self.export = None;
        }
        if let Some(view) = &mut self.checks
            && !views::checks::checks_ui(ctx, ws, view)
        {
            self.checks = None;
        }
        editing::form_ui(ctx, ws, &mut self.editor);
        editing::merge_ui(ctx, ws, &mut self.editor);
    }

    /// The attribute table, docked above the status bar.
    fn table_panel(&mut self, ui: &mut egui::Ui) {
        let (Some(table), Some(doc)) = (&mut self.table, &mut self.ws.doc) else {
            return;
        };
        let edit_layer = self
            .editor
            .active
            .as_ref()
            .and_then(|id| doc.project().layer(id))
            .map(|l| l.name.clone());
        let action = views::table::table_panel(ui, doc, table, edit_layer.as_deref());
        if let Some(positions) = action.create_from_selection {
            let source = table.layer.clone();
            editing::create_from_selection(&mut self.ws, &self.editor, &source, &positions);
        }
        if action.closed {
            self.table = None;
        }
    }

    /// The map fills the rest of the window; clicks go to the current tool, else they
    /// identify and select.
    fn central_map(&mut self, ui: &mut egui::Ui) {
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                let shift = ui.input(|i| i.modifiers.shift);
                let mut overlay = editing::overlay(&self.ws, &self.editor, shift);
                // A selected corridor's centre-line handles answer to the select tool only,
                // so they never take a drawing tool's drags.
                let handles = self.editor.tool == editing::Tool::Select;
                if let Some(demo) = self.demo.as_ref().filter(|_| handles) {
                    demo.show_handles(ui.ctx(), &self.ws, &mut overlay);
                }
                let feedback = views::map::map_ui(ui, &mut self.ws, &mut self.map, &overlay);
                let clicked = feedback.clicked_mercator;
                let tolerance = feedback.ground_metres_per_point * 4.0;
                let snap = !self.editor.snapping_off;
                let taken =
                    self.demo.as_mut().filter(|_| handles).is_some_and(|demo| {
                        demo.centre_input(ui.ctx(), &mut self.ws, &feedback, snap)
                    });
                let used = taken || editing::map_input(&mut self.ws, &mut self.editor, feedback);
                if let Some(at) = clicked.filter(|_| !used && !self.editor.drawing())
                    && let Some(doc) = &self.ws.doc
                {
                    let picks = picking::pick_all(doc, at, tolerance);
                    editing::select_on_map(&mut self.ws, picks, shift);
                }
            });
    }

    /// After the views: refresh what depends on the document's changes of this frame.
    fn after_frame(&mut self, ctx: &egui::Context) {
        let changes = self.ws.after_frame(ctx);
        if changes.is_empty() {
            return;
        }
        if !changes.features.is_empty() {
            self.identify.invalidate();
        }
        if let (Some(table), Some(doc)) = (&mut self.table, &self.ws.doc) {
            table.on_change(doc, &changes);
        }
        if let Some(tables) = &mut self.tables {
            tables.on_change(&changes);
        }
        if let (Some(demo), Some(doc)) = (&mut self.demo, &self.ws.doc) {
            demo.on_change(doc, &changes);
        }
    }
}

impl eframe::App for VillagePlanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.ws.poll(&ctx);
        self.follow_document();
        if let Some(launched) = self.timing
            && self.map_settled()
        {
            eprintln!(
                "villageplan: first map after {:.2} s",
                launched.elapsed().as_secs_f64()
            );
            self.timing = None;
        }
        if let Some(demo) = &mut self.demo {
            demo.centre_keys(&ctx, &mut self.ws);
        }
        editing::keyboard(&ctx, &mut self.ws, &mut self.editor);
        self.keyboard(&ctx);
        self.windows(&ctx);
        let editor = &mut self.editor;
        views::menu::top_bar(ui, &mut self.ws, &mut self.search, |ui, ws| {
            editing::menu(ui, ws, editor)
        });
        editing::toolbar(ui, &mut self.ws, &mut self.editor);
        views::status::status_bar(ui, &self.ws, self.map.canvas.busy());
        self.table_panel(ui);
        views::layers::layers_panel(ui, &mut self.ws);
        views::identify::identify_panel(ui, &self.ws, &mut self.identify);
        self.central_map(ui);
        self.open_requested(&ctx);
        self.after_frame(&ctx);
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
                app.ws.settings.language = lang;
            }
            if std::env::var_os("VILLAGEPLAN_TIMING").is_some() {
                app.timing = Some(launched);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
