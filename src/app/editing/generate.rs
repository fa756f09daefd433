//! Drafts from the library, computed on a worker: the 三生空间 and the 管控边界 of the
//! village at the map centre or of every village, applied as one undoable step.

use std::sync::Arc;

use egui::Ui;
use rust_i18n::t;

use super::{VillagePlanApp, apply, create_layer};
use crate::edit::Edit;
use crate::model::{Layer, LayerRole};

/// What a worker hands back: the message for the planner once applied, and how to turn the
/// draft into an edit of the target layer as it is when the result arrives (so feature ids
/// stay unique).
type Built = (String, Box<dyn FnOnce(&Layer) -> Edit + Send>);

/// A draft being computed: the target layer, its label and the job.
pub struct Drafting {
    target: String,
    label: String,
    job: crate::app::adding::Job<Built>,
}

/// Which draft.
#[derive(Clone, Copy)]
enum Kind {
    ThreeSpaces,
    ControlZones,
}

impl Kind {
    fn role(self) -> LayerRole {
        match self {
            Kind::ThreeSpaces => LayerRole::ThreeSpaces,
            Kind::ControlZones => LayerRole::ControlZone,
        }
    }
}

/// The draft entries of the 编辑 menu.
pub(super) fn menu_items(app: &mut VillagePlanApp, ui: &mut Ui) {
    let busy = app.editor.drafting.is_some();
    for (kind, village_key, all_key) in [
        (
            Kind::ThreeSpaces,
            "edit.three_spaces_village",
            "edit.three_spaces_all",
        ),
        (
            Kind::ControlZones,
            "edit.control_zones_village",
            "edit.control_zones_all",
        ),
    ] {
        for (all, key) in [(false, village_key), (true, all_key)] {
            if ui.add_enabled(!busy, egui::Button::new(t!(key))).clicked() {
                start(app, &ui.ctx().clone(), kind, all);
                ui.close();
            }
        }
    }
}

/// Starts a draft of the village at the map centre (`all`: every village) on a worker,
/// into the active layer of the draft's role or the first such layer or a new one.
fn start(app: &mut VillagePlanApp, ctx: &egui::Context, kind: Kind, all: bool) {
    let village = if all {
        None
    } else {
        match crate::app::checks_panel::village_at_centre(app) {
            Some((code, _)) => Some(code),
            None => {
                app.message = Some(t!("checks.no_village").into_owned());
                return;
            }
        }
    };
    let Some(project) = &app.project else { return };
    let role = kind.role();
    let has_role = |id: &String| project.layers.iter().any(|l| &l.id == id && l.role == role);
    let target = app.editor.active.clone().filter(has_role).or_else(|| {
        project
            .layers
            .iter()
            .find(|l| l.role == role)
            .map(|l| l.id.clone())
    });
    let target = match target {
        Some(t) => t,
        None => {
            create_layer(app, role);
            match app.editor.active.clone() {
                Some(t) => t,
                None => return,
            }
        }
    };
    let Some(project) = &app.project else { return };
    let snapshot = Arc::new(project.clone());
    let (label, progress_key) = match kind {
        Kind::ThreeSpaces => (t!("edit.three_spaces"), "edit.drafting"),
        Kind::ControlZones => (t!("edit.control_zones"), "edit.drafting_zones"),
    };
    let job = crate::app::adding::spawn(ctx, move |progress| {
        use crate::progress::Progress;
        progress.begin(&t!(progress_key), 1);
        let village = village.as_deref();
        let built: Built = match kind {
            Kind::ThreeSpaces => {
                let drafts = crate::edit::draft_three_spaces(&snapshot, village)
                    .map_err(|e| e.to_string())?;
                (
                    t!(
                        "edit.drafted",
                        count = drafts.len(),
                        what = t!("edit.three_spaces")
                    )
                    .into_owned(),
                    Box::new(move |l: &Layer| crate::edit::three_spaces_edit(l, drafts)),
                )
            }
            Kind::ControlZones => {
                let drafts = crate::edit::draft_control_zones(&snapshot, village)
                    .map_err(|e| e.to_string())?;
                (
                    zones_message(&drafts),
                    Box::new(move |l: &Layer| crate::edit::control_zones_edit(l, drafts)),
                )
            }
        };
        Ok(built)
    });
    app.editor.drafting = Some(Drafting {
        target,
        label: label.into_owned(),
        job,
    });
}

/// Applies a finished draft as one undoable step.
pub fn poll_drafting(app: &mut VillagePlanApp, ctx: &egui::Context) {
    let Some(drafting) = &app.editor.drafting else {
        return;
    };
    let Ok(result) = drafting.job.result.try_recv() else {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
        return;
    };
    let Drafting { target, label, .. } = app.editor.drafting.take().expect("a drafting job");
    let (message, build) = match result {
        Ok(built) => built,
        Err(e) => {
            app.message = Some(e);
            return;
        }
    };
    let Some(layer) = app
        .project
        .as_ref()
        .and_then(|p| p.layers.iter().find(|l| l.id == target))
    else {
        return;
    };
    let edit = build(layer);
    app.message = Some(match apply(app, &label, edit) {
        Ok(()) => message,
        Err(e) => e,
    });
}

/// What the planner is told after a 管控边界 draft: how many zones, and — since zones should
/// follow the *planned* land use — how many villages were drafted from current land use
/// because they have no 规划地类 yet, and how many slivers stayed for them to look at.
fn zones_message(drafts: &[crate::edit::ZoneDraft]) -> String {
    use std::collections::BTreeSet;
    let from_current: BTreeSet<&str> = drafts
        .iter()
        .filter(|d| d.source == crate::edit::LandUseSource::Current)
        .map(|d| d.village_code.as_str())
        .collect();
    let kept: usize = drafts.iter().map(|d| d.slivers_kept).sum();
    let mut message = t!(
        "edit.drafted",
        count = drafts.len(),
        what = t!("edit.control_zones")
    )
    .into_owned();
    if !from_current.is_empty() {
        message.push_str(&t!("edit.zones_from_current", count = from_current.len()));
    }
    if kept > 0 {
        message.push_str(&t!("edit.slivers_kept", count = kept));
    }
    message
}
