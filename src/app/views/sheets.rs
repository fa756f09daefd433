//! 出图: one map sheet as PNG — the same library call as `villageplan render`, run on a
//! worker from a snapshot of the project with a progress bar, so the window stays usable
//! while a 300 dpi A3 sheet is drawn.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};
use rust_i18n::t;

use crate::app::jobs::Job;
use crate::app::widgets::file_browser::{FileBrowser, Filter};
use crate::app::workspace::Workspace;
use crate::deliver::sheets::{
    Credits, DEFAULT_DPI, DPI_RANGE, Paper, SheetKind, SheetSpec, render_sheet, save_png,
};
use crate::model::admin::{AdminUnits, short_name};

/// What a finished run reports: the title, where it went, and the sheet's problems.
struct Done {
    title: String,
    path: PathBuf,
    problems: Vec<String>,
}

/// The 出图 dialog's own state.
pub struct SheetsView {
    kind: SheetKind,
    /// The village (code) for the village sheets.
    village: Option<String>,
    /// Villages to choose from: code and short name.
    villages: Vec<(String, String)>,
    paper: Paper,
    dpi: u32,
    organisation: String,
    date: String,
    path: String,
    browser: Option<FileBrowser>,
    running: Option<Job<Done>>,
    message: Option<String>,
    problems: Vec<String>,
    error: Option<String>,
}

impl SheetsView {
    /// The dialog for the open project, on the village at the map centre if any.
    pub fn new(ws: &Workspace) -> Self {
        let villages = village_list(ws);
        let village = match ws.village_at_centre() {
            Ok(Some((code, _))) => Some(code),
            _ => villages.first().map(|v| v.0.clone()),
        };
        let credits = ws.doc.as_ref().map(|d| Credits::of(d.project()));
        let folder = ws
            .doc
            .as_ref()
            .and_then(|d| d.path())
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut view = SheetsView {
            kind: SheetKind::Current,
            village,
            villages,
            paper: Paper::A3,
            dpi: DEFAULT_DPI,
            organisation: credits
                .as_ref()
                .map(|c| c.organisation.clone())
                .unwrap_or_default(),
            date: credits.map(|c| c.date).unwrap_or_default(),
            path: String::new(),
            browser: None,
            running: None,
            message: None,
            problems: Vec::new(),
            error: None,
        };
        view.path = folder.join(view.file_name()).display().to_string();
        view
    }

    /// True while a sheet is drawn.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// `习谦村现状图.png`, `村庄分类图.png`.
    fn file_name(&self) -> String {
        let place = match (&self.village, self.kind.is_village()) {
            (Some(code), true) => self
                .villages
                .iter()
                .find(|v| &v.0 == code)
                .map(|v| v.1.clone())
                .unwrap_or_else(|| code.clone()),
            _ => String::new(),
        };
        format!("{place}{}.png", self.kind.cli_name())
    }

    fn start(&mut self, ctx: &egui::Context, ws: &Workspace) {
        let Some(doc) = &ws.doc else { return };
        let spec = SheetSpec {
            kind: self.kind,
            village: self.village.clone().filter(|_| self.kind.is_village()),
            paper: self.paper,
            dpi: self.dpi,
        };
        let credits = Credits {
            organisation: self.organisation.trim().to_string(),
            date: self.date.trim().to_string(),
        };
        let mut path = PathBuf::from(self.path.trim());
        if path.extension().is_none() {
            path.set_extension("png");
        }
        let snapshot = doc.snapshot();
        self.error = None;
        self.message = None;
        self.problems.clear();
        self.running = Some(Job::spawn(ctx, t!("sheets.running"), move |progress| {
            let mut project = (*snapshot).clone();
            credits.store(&mut project);
            let sheet = render_sheet(&project, &spec, progress)?;
            save_png(&sheet, &path)?;
            Ok(Done {
                title: sheet.title,
                path,
                problems: sheet.problems,
            })
        }));
    }

    fn poll(&mut self) {
        let Some(result) = self.running.as_ref().and_then(Job::poll) else {
            return;
        };
        self.running = None;
        match result {
            Ok(done) => {
                self.message = Some(
                    t!(
                        "sheets.written",
                        title = done.title,
                        path = done.path.display()
                    )
                    .into_owned(),
                );
                self.problems = done.problems;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }
}

/// The project's villages, code and short name, in code order: what the 出图 and 成果包
/// dialogs offer to choose from.
pub(super) fn village_list(ws: &Workspace) -> Vec<(String, String)> {
    ws.doc
        .as_ref()
        .and_then(|doc| AdminUnits::villages(doc.project()).ok())
        .map(|units| {
            let mut list: Vec<(String, String)> = units
                .list
                .iter()
                .map(|u| (u.code.clone(), short_name(&u.name)))
                .collect();
            list.sort();
            list.dedup_by(|a, b| a.0 == b.0);
            list
        })
        .unwrap_or_default()
}

/// The 出图 dialog; false when it was closed.
pub fn sheets_ui(ctx: &egui::Context, ws: &mut Workspace, view: &mut SheetsView) -> bool {
    view.poll();
    let mut open = true;
    egui::Window::new(t!("sheets.title"))
        // Below the menu bar: a window over it takes the clicks meant for 文件.
        .default_pos([300.0, 60.0])
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            let before = view.file_name();
            choices(ui, view);
            if view.file_name() != before {
                // Follow the choice in the file name unless the user typed their own.
                if let Some(rest) = view.path.strip_suffix(&before) {
                    view.path = format!("{rest}{}", view.file_name());
                }
            }
            if let Some(browser) = &mut view.browser
                && browser.ui(ui, &mut view.path).is_some()
            {
                view.browser = None;
            }
            ui.separator();
            footer(ui, ctx, ws, view);
        });
    open
}

fn choices(ui: &mut Ui, view: &mut SheetsView) {
    egui::Grid::new("sheets_grid")
        .num_columns(2)
        .show(ui, |ui| {
            // A list, not wrapped buttons: a wrapped row inside a grid cell overlaps the
            // next row.
            ui.label(t!("sheets.kind"));
            egui::ComboBox::from_id_salt("sheets_kind")
                .selected_text(view.kind.cli_name())
                .width(260.0)
                .show_ui(ui, |ui| {
                    for kind in SheetKind::ALL {
                        ui.selectable_value(&mut view.kind, kind, kind.cli_name());
                    }
                });
            ui.end_row();
            if view.kind.is_village() {
                ui.label(t!("sheets.village"));
                let shown = view
                    .village
                    .as_ref()
                    .and_then(|c| view.villages.iter().find(|v| &v.0 == c))
                    .map(|v| format!("{} {}", v.1, v.0))
                    .unwrap_or_default();
                egui::ComboBox::from_id_salt("sheets_village")
                    .selected_text(shown)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        for (code, name) in &view.villages {
                            ui.selectable_value(
                                &mut view.village,
                                Some(code.clone()),
                                format!("{name} {code}"),
                            );
                        }
                    });
                ui.end_row();
            }
            ui.label(t!("sheets.paper"));
            ui.horizontal(|ui| {
                for paper in [Paper::A3, Paper::A4] {
                    ui.selectable_value(&mut view.paper, paper, paper.to_string());
                }
                ui.separator();
                ui.label("dpi");
                ui.add(egui::DragValue::new(&mut view.dpi).range(DPI_RANGE));
            });
            ui.end_row();
            ui.label(t!("sheets.organisation"));
            ui.text_edit_singleline(&mut view.organisation);
            ui.end_row();
            ui.label(t!("sheets.date"));
            ui.text_edit_singleline(&mut view.date);
            ui.end_row();
            let label = ui.label(t!("sheets.output"));
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut view.path).desired_width(320.0))
                    .labelled_by(label.id);
                if ui.small_button(t!("classify.browse")).clicked() {
                    view.browser = match view.browser {
                        Some(_) => None,
                        None => Some(FileBrowser::new(Path::new(view.path.trim()), Filter::Image)),
                    };
                }
            });
            ui.end_row();
        });
}

fn footer(ui: &mut Ui, ctx: &egui::Context, ws: &Workspace, view: &mut SheetsView) {
    match &view.running {
        Some(job) => {
            let (fraction, task) = job.progress();
            ui.add(egui::ProgressBar::new(fraction).text(task));
        }
        None => {
            let ready = ws.doc.is_some()
                && !view.path.trim().is_empty()
                && (!view.kind.is_village() || view.village.is_some());
            if ui
                .add_enabled(ready, egui::Button::new(t!("sheets.render")))
                .clicked()
            {
                view.start(ctx, ws);
            }
        }
    }
    if let Some(e) = &view.error {
        ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
    }
    if let Some(m) = &view.message {
        ui.label(RichText::new(m).small());
    }
    for p in &view.problems {
        ui.colored_label(egui::Color32::from_rgb(180, 80, 0), p);
    }
}
