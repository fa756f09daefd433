//! 成果包: the review package (`deliver::package`, the library call of `villageplan
//! package`) of the county or one village, written on a worker from a snapshot of the
//! project with its progress shown and a cancel button; a cancelled or failed package
//! leaves nothing behind (the library writes it atomically).

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};
use rust_i18n::t;

use crate::app::jobs::Job;
use crate::app::workspace::Workspace;
use crate::deliver::package::{PackageReport, PackageRequest, write_package};

/// The 成果包 window's own state.
pub struct PackageView {
    folder: String,
    /// A 12-digit village code; `None` for the whole county.
    village: Option<String>,
    /// Villages to choose from: code and short name.
    villages: Vec<(String, String)>,
    organization: String,
    zip: bool,
    force: bool,
    running: Option<Job<PackageReport>>,
    message: Option<String>,
    error: Option<String>,
}

impl PackageView {
    /// `成果包` beside the project, for the whole county.
    pub fn new(ws: &Workspace) -> Self {
        let folder = ws
            .doc
            .as_ref()
            .and_then(|d| d.path())
            .and_then(Path::parent)
            .map(|dir| dir.join("成果包").display().to_string())
            .unwrap_or_else(|| "成果包".into());
        PackageView {
            folder,
            village: None,
            villages: super::sheets::village_list(ws),
            organization: String::new(),
            zip: true,
            force: false,
            running: None,
            message: None,
            error: None,
        }
    }

    /// True while a package is written.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    fn poll(&mut self) {
        let Some(result) = self.running.as_ref().and_then(Job::poll) else {
            return;
        };
        self.running = None;
        match result {
            Ok(report) => {
                let mut text = t!(
                    "package.written",
                    folder = report.folder.display(),
                    files = report.files
                )
                .into_owned();
                if let Some(zip) = &report.zip {
                    text.push_str(&t!("package.zip_written", zip = zip.display()));
                }
                for line in &report.left_out {
                    text.push_str(&format!("\n{}{line}", t!("package.left_out")));
                }
                self.message = Some(text);
                self.error = None;
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self.message = None;
            }
        }
    }

    fn start(&mut self, ctx: &egui::Context, ws: &Workspace) {
        let Some(doc) = &ws.doc else { return };
        let project = doc.snapshot();
        let project_file = doc
            .path()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(format!("{}.gpkg", project.name)));
        let request = PackageRequest {
            out: PathBuf::from(self.folder.trim()),
            village: self.village.clone(),
            zip: self.zip,
            force: self.force,
            organization: Some(self.organization.trim().to_string()),
        };
        self.message = None;
        self.error = None;
        self.running = Some(Job::spawn(ctx, t!("package.title"), move |progress| {
            write_package(&project, &project_file, &request, progress)
        }));
    }
}

fn form(ui: &mut Ui, view: &mut PackageView) {
    egui::Grid::new("package_form")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label(t!("package.folder"));
            ui.add(egui::TextEdit::singleline(&mut view.folder).desired_width(320.0))
                .labelled_by(label.id);
            ui.end_row();
            ui.label(t!("package.village"));
            let shown = match &view.village {
                Some(code) => view
                    .villages
                    .iter()
                    .find(|v| &v.0 == code)
                    .map(|v| format!("{} {}", v.1, v.0))
                    .unwrap_or_else(|| code.clone()),
                None => t!("package.county").into_owned(),
            };
            egui::ComboBox::from_id_salt("package_village")
                .selected_text(shown)
                .width(320.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut view.village, None, t!("package.county"));
                    for (code, name) in &view.villages {
                        ui.selectable_value(
                            &mut view.village,
                            Some(code.clone()),
                            format!("{name} {code}"),
                        );
                    }
                });
            ui.end_row();
            let label = ui.label(t!("package.organization"));
            ui.add(egui::TextEdit::singleline(&mut view.organization).desired_width(320.0))
                .labelled_by(label.id);
            ui.end_row();
        });
    ui.checkbox(&mut view.zip, t!("package.zip"));
    ui.checkbox(&mut view.force, t!("package.force"));
}

/// The window; false once it is closed (a running package goes on to its end, and its
/// result is dropped).
pub fn package_ui(ctx: &egui::Context, ws: &mut Workspace, view: &mut PackageView) -> bool {
    view.poll();
    let mut open = true;
    egui::Window::new(t!("package.title"))
        .id(egui::Id::unique("package_window"))
        // Below the menu bar: a window over it takes the clicks meant for 文件.
        .default_pos([300.0, 60.0])
        .open(&mut open)
        .default_size([460.0, 260.0])
        .resizable(true)
        .show(ctx, |ui| {
            ui.add_enabled_ui(!view.running(), |ui| form(ui, view));
            ui.label(RichText::new(t!("package.hint")).small().weak());
            ui.horizontal(|ui| {
                let ready = ws.doc.is_some() && !view.folder.trim().is_empty() && !view.running();
                if ui
                    .add_enabled(ready, egui::Button::new(t!("package.write")))
                    .clicked()
                {
                    view.start(ui.ctx(), ws);
                }
                if let Some(job) = &view.running {
                    let (fraction, task) = job.progress();
                    ui.add(
                        egui::ProgressBar::new(fraction)
                            .desired_width(200.0)
                            .text(task),
                    );
                    if ui.button(t!("package.cancel")).clicked() {
                        job.cancel();
                    }
                }
            });
            if let Some(message) = &view.message {
                ui.label(message);
            }
            if let Some(error) = &view.error {
                ui.colored_label(egui::Color32::from_rgb(190, 40, 40), error);
            }
        });
    if view.running() {
        ctx.request_repaint_after(std::time::Duration::from_millis(200));
    }
    open
}
