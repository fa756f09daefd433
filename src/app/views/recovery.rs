//! The recovery offer: when a project is opened and a copy of unsaved work newer than its
//! file exists (the window died before saving), the planner recovers or discards it.

use rust_i18n::t;

use crate::Silent;
use crate::app::document::{Document, Prepared};
use crate::app::workspace::Workspace;

/// The offer dialog, while there is one.
pub fn recovery_ui(ctx: &egui::Context, ws: &mut Workspace) {
    let Some(copy) = ws.recovery_offer.clone() else {
        return;
    };
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("recovery_offer")).show(ctx, |ui| {
        ui.heading(t!("recovery.title"));
        ui.label(t!("recovery.text"));
        ui.label(
            egui::RichText::new(copy.display().to_string())
                .small()
                .weak(),
        );
        ui.horizontal(|ui| {
            if ui.button(t!("recovery.recover")).clicked() {
                choice = Some(true);
            }
            if ui.button(t!("recovery.discard")).clicked() {
                choice = Some(false);
            }
        });
    });
    match choice {
        Some(true) => {
            ws.recovery_offer = None;
            let path = ws
                .doc
                .as_ref()
                .and_then(|d| d.path())
                .map(|p| p.to_path_buf());
            // The open project's file stamp stays: saving the recovered work over the
            // project is still refused if someone else saved it meanwhile.
            let file = ws.doc.as_ref().and_then(|d| d.project().file.clone());
            let recovered = crate::io::load_project(&copy, &Silent).and_then(|mut project| {
                project.file = file;
                Prepared::new(project, path)
            });
            match recovered {
                Ok(prepared) => {
                    let mut doc = Document::open(prepared);
                    // The recovered work is not in the project file yet.
                    doc.mark_dirty();
                    ws.doc = Some(doc);
                }
                Err(e) => ws.fail(t!("recovery.failed", error = e)),
            }
        }
        Some(false) => {
            ws.recovery_offer = None;
            if let Err(e) = std::fs::remove_file(&copy) {
                ws.fail(t!(
                    "recovery.failed",
                    error = format!("{}: {e}", copy.display())
                ));
            }
        }
        None => {}
    }
}
