//! 导出: the report of every zone and corridor and the county's designations — the same
//! library report and writers as `villageplan demo` — to CSV (UTF-8 with BOM), an XLSX
//! workbook or GeoJSON (one feature per area, lon/lat), chosen by the file's ending. The
//! report is made on a worker from a snapshot; files are written atomically by the library
//! (CSV by a temporary file renamed over it here).

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};
use rust_i18n::t;

use super::DemoView;
use crate::analysis::checks::CheckReport;
use crate::analysis::demonstration::{csv_text, demo_report, write_geojson, write_workbook};
use crate::app::jobs::Job;
use crate::app::widgets::file_browser::{FileBrowser, Filter};
use crate::app::workspace::Workspace;
use crate::{Error, Result};

/// The export's state: where to, the browser, a running export and what it said.
pub struct Export {
    path: String,
    browser: Option<FileBrowser>,
    running: Option<Job<String>>,
}

impl Export {
    /// `示范区带线.xlsx` beside the project.
    pub fn new(ws: &Workspace) -> Self {
        let path = ws
            .doc
            .as_ref()
            .and_then(|d| d.path())
            .and_then(Path::parent)
            .map(|dir| dir.join("示范区带线.xlsx").display().to_string())
            .unwrap_or_else(|| "示范区带线.xlsx".into());
        Export {
            path,
            browser: None,
            running: None,
        }
    }

    /// True while the report is made and written.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }
}

/// Writes the CSV text through a temporary file beside `path`, renamed over it.
fn write_text(path: &Path, text: &str) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.writing-{}", std::process::id()));
    std::fs::write(&temp, text).map_err(|e| Error::write(path, e.to_string()))?;
    std::fs::rename(&temp, path).map_err(|e| {
        std::fs::remove_file(&temp).ok();
        Error::write(path, e.to_string())
    })
}

/// The export bar.
pub fn export_ui(ui: &mut Ui, ws: &mut Workspace, view: &mut DemoView) {
    if let Some(result) = view.export.running.as_ref().and_then(Job::poll) {
        view.export.running = None;
        match result {
            Ok(message) => {
                view.message = Some(message);
                view.error = None;
            }
            Err(e) => view.error = Some(e.to_string()),
        }
    }
    ui.heading(t!("demo.export_title"));
    ui.horizontal(|ui| {
        let label = ui.label(t!("tables.export_to"));
        ui.add(egui::TextEdit::singleline(&mut view.export.path).desired_width(300.0))
            .labelled_by(label.id);
        if ui.small_button(t!("classify.browse")).clicked() {
            view.export.browser = match view.export.browser {
                Some(_) => None,
                None => Some(FileBrowser::new(
                    Path::new(view.export.path.trim()),
                    Filter::Report,
                )),
            };
        }
        let ready =
            ws.doc.is_some() && !view.export.path.trim().is_empty() && !view.export.running();
        if ui
            .add_enabled(ready, egui::Button::new(t!("demo.export")))
            .clicked()
        {
            start(ui.ctx(), ws, view);
        }
        if view.export.running() {
            ui.spinner();
        }
    });
    ui.label(RichText::new(t!("demo.export_hint")).small().weak());
    if let Some(browser) = &mut view.export.browser
        && browser.ui(ui, &mut view.export.path).is_some()
    {
        view.export.browser = None;
    }
}

/// Starts the export to the path typed (`.xlsx` added when it has no ending).
fn start(ctx: &egui::Context, ws: &Workspace, view: &mut DemoView) {
    let Some(doc) = &ws.doc else { return };
    let mut path = PathBuf::from(view.export.path.trim());
    if path.extension().is_none() {
        path.set_extension("xlsx");
    }
    let ending = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !["csv", "xlsx", "geojson"].contains(&ending.as_str()) {
        view.error = Some(t!("demo.export_ending", ending = ending).into_owned());
        return;
    }
    let project = doc.snapshot();
    let checks: Option<CheckReport> = doc.checks().cloned();
    let classification = view.classification(doc);
    let basis = view.basis;
    view.export.running = Some(Job::spawn(ctx, t!("demo.exporting"), move |_| {
        let report = demo_report(
            &project,
            basis,
            None,
            classification.as_ref().map(|c| (&c.0, c.1.as_str())),
            checks.as_ref(),
        )?;
        let mut message = t!("tables.exported", path = path.display()).into_owned();
        match ending.as_str() {
            "csv" => write_text(&path, &csv_text(&report)?)?,
            "xlsx" => write_workbook(&report, &path)?,
            _ => {
                for line in write_geojson(&report, project.crs, &path)? {
                    message.push_str(&format!("；{line}"));
                }
            }
        }
        Ok(message)
    }));
}
