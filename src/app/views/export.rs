//! 导出: one layer or every layer as GeoJSON (RFC 7946, or the Gauss-Kruger variant for
//! internal use), GeoPackage, Shapefile (GBK or UTF-8) or FileGDB — `deliver::export`, the call of
//! `villageplan export` — written on a worker from a snapshot of the project, with what
//! was left out and renamed listed.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};
use rust_i18n::t;

use crate::analysis::areas::AreaBasis;
use crate::app::jobs::Job;
use crate::app::widgets::file_browser::{FileBrowser, Filter};
use crate::app::workspace::Workspace;
use crate::deliver::export::{ExportRequest, Exported, Format, Which, export};
use crate::deliver::plan_geopackage::table_names;
use crate::io::{ExportFormat, ShapefileEncoding};

/// The formats offered, in menu order: GeoJSON twice (RFC 7946 and Gauss-Kruger).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    GeoJson,
    GeoJsonGaussKruger,
    GeoPackage,
    Shapefile,
    FileGdb,
}

impl Choice {
    const ALL: [Choice; 5] = [
        Choice::GeoJson,
        Choice::GeoJsonGaussKruger,
        Choice::GeoPackage,
        Choice::Shapefile,
        Choice::FileGdb,
    ];

    fn label(self) -> String {
        match self {
            Choice::GeoJson => t!("export.geojson").into_owned(),
            Choice::GeoJsonGaussKruger => t!("export.geojson_gk").into_owned(),
            Choice::GeoPackage => "GeoPackage".into(),
            Choice::Shapefile => "Shapefile".into(),
            Choice::FileGdb => "FileGDB".into(),
        }
    }

    fn format(self) -> Format {
        match self {
            Choice::GeoJson | Choice::GeoJsonGaussKruger => Format::Layer(ExportFormat::GeoJson),
            Choice::GeoPackage => Format::Layer(ExportFormat::GeoPackage),
            Choice::Shapefile => Format::Layer(ExportFormat::Shapefile),
            Choice::FileGdb => Format::FileGdb,
        }
    }

    fn ending(self) -> &'static str {
        match self {
            Choice::GeoJson | Choice::GeoJsonGaussKruger => "geojson",
            Choice::GeoPackage => "gpkg",
            Choice::Shapefile => "shp",
            Choice::FileGdb => "gdb",
        }
    }
}

/// A layer to choose: its id, display name and file name (the plan GeoPackage's table name,
/// as `--all` names it).
struct LayerChoice {
    id: String,
    name: String,
    stem: String,
}

/// The 导出 dialog's own state.
pub struct ExportView {
    /// The layers; `layer` `None` means every layer.
    layers: Vec<LayerChoice>,
    layer: Option<String>,
    choice: Choice,
    encoding: ShapefileEncoding,
    basis: AreaBasis,
    folder: PathBuf,
    path: String,
    browser: Option<FileBrowser>,
    running: Option<Job<Exported>>,
    message: Option<String>,
    warnings: Vec<String>,
    error: Option<String>,
}

impl ExportView {
    /// The dialog on the layer of the selection (else the first), as RFC 7946 GeoJSON
    /// beside the project.
    pub fn new(ws: &Workspace) -> Self {
        let layers: Vec<LayerChoice> = ws
            .doc
            .as_ref()
            .map(|d| {
                let layers = &d.project().layers;
                let stems = table_names(layers.iter().map(|l| l.as_ref()));
                layers
                    .iter()
                    .zip(stems)
                    .map(|(l, stem)| LayerChoice {
                        id: l.id.clone(),
                        name: l.name.clone(),
                        stem,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let layer = ws
            .doc
            .as_ref()
            .and_then(|d| d.selection().items().first().map(|f| f.layer.clone()))
            .or_else(|| layers.first().map(|l| l.id.clone()));
        let folder = ws
            .doc
            .as_ref()
            .and_then(|d| d.path())
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut view = ExportView {
            layers,
            layer,
            choice: Choice::GeoJson,
            encoding: ShapefileEncoding::Gbk,
            basis: AreaBasis::Ellipsoidal,
            folder,
            path: String::new(),
            browser: None,
            running: None,
            message: None,
            warnings: Vec::new(),
            error: None,
        };
        view.path = view.default_path();
        view
    }

    /// True while an export runs.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// `<folder>/JQDLTB.geojson`; every layer: `规划数据.gpkg` or the folder `规划数据`.
    fn default_path(&self) -> String {
        let name = match &self.layer {
            Some(id) => {
                let stem = self.layers.iter().find(|l| &l.id == id).map(|l| &l.stem);
                format!("{}.{}", stem.unwrap_or(id), self.choice.ending())
            }
            None if self.choice == Choice::GeoPackage => t!("export.all_file").into_owned(),
            None if self.choice == Choice::FileGdb => t!("export.all_gdb").into_owned(),
            None => t!("export.all_folder").into_owned(),
        };
        self.folder.join(name).display().to_string()
    }

    fn start(&mut self, ctx: &egui::Context, ws: &Workspace) {
        let Some(doc) = &ws.doc else { return };
        let project = doc.snapshot();
        let out = PathBuf::from(self.path.trim());
        let which = match &self.layer {
            Some(id) => Which::Layer(id.clone()),
            None => Which::All,
        };
        let (choice, encoding, basis) = (self.choice, self.encoding, self.basis);
        self.message = None;
        self.warnings.clear();
        self.error = None;
        self.running = Some(Job::spawn(ctx, t!("export.running"), move |progress| {
            let request = ExportRequest {
                which,
                format: choice.format(),
                out: &out,
                basis,
                gauss_kruger: choice == Choice::GeoJsonGaussKruger,
                encoding,
            };
            export(&project, &request, progress)
        }));
    }

    fn poll(&mut self) {
        let Some(result) = self.running.as_ref().and_then(Job::poll) else {
            return;
        };
        self.running = None;
        match result {
            Ok(done) => {
                self.message = Some(done.lines.join("\n"));
                self.warnings = done
                    .left_out
                    .iter()
                    .map(|l| format!("{}{l}", t!("export.left_out")))
                    .chain(done.warnings)
                    .collect();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }
}

/// The 导出 dialog; false when it was closed.
pub fn export_ui(ctx: &egui::Context, ws: &mut Workspace, view: &mut ExportView) -> bool {
    view.poll();
    let mut open = true;
    egui::Window::new(t!("export.title"))
        .id(egui::Id::unique("export_window"))
        // Below the menu bar: a window over it takes the clicks meant for 文件.
        .default_pos([300.0, 60.0])
        .open(&mut open)
        .default_width(480.0)
        .resizable(true)
        .show(ctx, |ui| {
            let before = view.default_path();
            ui.add_enabled_ui(!view.running(), |ui| form(ui, view));
            if view.default_path() != before && view.path == before {
                // Follow the choices unless the user typed their own path.
                view.path = view.default_path();
            }
            if let Some(browser) = &mut view.browser
                && browser.ui(ui, &mut view.path).is_some()
            {
                view.browser = None;
            }
            ui.label(RichText::new(t!("export.hint")).small().weak());
            ui.separator();
            footer(ui, ws, view);
        });
    if view.running() {
        ctx.request_repaint_after(std::time::Duration::from_millis(200));
    }
    open
}

fn form(ui: &mut Ui, view: &mut ExportView) {
    egui::Grid::new("export_grid")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(t!("export.layer"));
            let shown = match &view.layer {
                Some(id) => view
                    .layers
                    .iter()
                    .find(|l| &l.id == id)
                    .map(|l| l.name.clone())
                    .unwrap_or_else(|| id.clone()),
                None => t!("export.all").into_owned(),
            };
            egui::ComboBox::from_id_salt("export_layer")
                .selected_text(shown)
                .width(300.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut view.layer, None, t!("export.all"));
                    for l in &view.layers {
                        ui.selectable_value(&mut view.layer, Some(l.id.clone()), &l.name);
                    }
                });
            ui.end_row();
            ui.label(t!("export.format"));
            egui::ComboBox::from_id_salt("export_format")
                .selected_text(view.choice.label())
                .width(300.0)
                .show_ui(ui, |ui| {
                    for choice in Choice::ALL {
                        ui.selectable_value(&mut view.choice, choice, choice.label());
                    }
                });
            ui.end_row();
            if view.choice == Choice::Shapefile {
                ui.label(t!("export.encoding"));
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut view.encoding, ShapefileEncoding::Gbk, "GBK (936)");
                    ui.selectable_value(&mut view.encoding, ShapefileEncoding::Utf8, "UTF-8");
                });
                ui.end_row();
            }
            if matches!(view.choice, Choice::GeoJson | Choice::GeoJsonGaussKruger) {
                ui.label(t!("export.basis"));
                ui.horizontal(|ui| {
                    ui.selectable_value(
                        &mut view.basis,
                        AreaBasis::Ellipsoidal,
                        t!("export.ellipsoidal"),
                    );
                    ui.selectable_value(&mut view.basis, AreaBasis::Planar, t!("export.planar"));
                });
                ui.end_row();
            }
            let label = ui.label(t!("export.output"));
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut view.path).desired_width(300.0))
                    .labelled_by(label.id);
                if ui.small_button(t!("classify.browse")).clicked() {
                    view.browser = match view.browser {
                        Some(_) => None,
                        None => Some(FileBrowser::new(
                            Path::new(view.path.trim()),
                            Filter::Vector,
                        )),
                    };
                }
            });
            ui.end_row();
        });
}

fn footer(ui: &mut Ui, ws: &Workspace, view: &mut ExportView) {
    match &view.running {
        Some(job) => {
            let (fraction, task) = job.progress();
            ui.add(egui::ProgressBar::new(fraction).text(task));
        }
        None => {
            let ready = ws.doc.is_some() && !view.path.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(t!("export.write")))
                .clicked()
            {
                view.start(ui.ctx(), ws);
            }
        }
    }
    if let Some(e) = &view.error {
        ui.colored_label(egui::Color32::from_rgb(190, 40, 40), e);
    }
    // Every layer's line can be 20 and more: scrolled, so the window stays below the menu.
    egui::ScrollArea::vertical()
        .max_height(180.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if let Some(m) = &view.message {
                ui.label(RichText::new(m).small());
            }
            for w in &view.warnings {
                ui.colored_label(egui::Color32::from_rgb(180, 80, 0), w);
            }
        });
}
