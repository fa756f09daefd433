//! Drafts from the library, computed on a worker: the 三生空间 and the 管控边界 of the
//! village at the map centre or of every village, applied as one undoable step.

use egui::Ui;
use rust_i18n::t;

use super::{Editor, create_layer};
use crate::app::workspace::{DraftResult, Workspace};
use crate::model::{Layer, LayerRole};
use crate::progress::Progress;

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
pub(super) fn menu_items(ui: &mut Ui, ws: &mut Workspace, editor: &mut Editor) {
    let busy = ws.drafting();
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
                start(&ui.ctx().clone(), ws, editor, kind, all);
                ui.close();
            }
        }
    }
}

/// Starts a draft of the village at the map centre (`all`: every village) on a worker,
/// into the active layer of the draft's role or the first such layer or a new one.
fn start(ctx: &egui::Context, ws: &mut Workspace, editor: &mut Editor, kind: Kind, all: bool) {
    let village = if all {
        None
    } else {
        match ws.village_at_centre() {
            Ok(Some((code, _))) => Some(code),
            Ok(None) => {
                ws.tell(t!("checks.no_village"));
                return;
            }
            Err(e) => {
                ws.fail(e);
                return;
            }
        }
    };
    let Some(doc) = &ws.doc else { return };
    let role = kind.role();
    let project = doc.project();
    let has_role = |id: &String| project.layer(id).is_some_and(|l| l.role == role);
    let target = editor.active.clone().filter(has_role).or_else(|| {
        project
            .layers
            .iter()
            .find(|l| l.role == role)
            .map(|l| l.id.clone())
    });
    let target = match target {
        Some(t) => t,
        None => {
            create_layer(ws, editor, role);
            match editor.active.clone() {
                Some(t) => t,
                None => return,
            }
        }
    };
    let (label, progress_key) = match kind {
        Kind::ThreeSpaces => (t!("edit.three_spaces"), "edit.drafting"),
        Kind::ControlZones => (t!("edit.control_zones"), "edit.drafting_zones"),
    };
    ws.draft(
        ctx,
        target,
        label.into_owned(),
        move |project, progress: &dyn Progress| {
            progress.begin(&t!(progress_key), 1);
            let village = village.as_deref();
            let built: DraftResult = match kind {
                Kind::ThreeSpaces => {
                    let drafts = crate::edit::draft_three_spaces(project, village)?;
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
                    let drafts = crate::edit::draft_control_zones(project, village)?;
                    (
                        zones_message(&drafts),
                        Box::new(move |l: &Layer| crate::edit::control_zones_edit(l, drafts)),
                    )
                }
            };
            Ok(built)
        },
    );
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
