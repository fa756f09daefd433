//! 指定与目标: the county's progress per target (示范乡镇, 精品示范村, 美丽村庄: designated /
//! target), the targets (editable), the designated units the library flags (contradicting
//! the classification, to review, unresolved 质检 errors, no longer in their layer), and
//! designating the township, village or natural village selected on the map.

use egui::{Color32, RichText, Ui};
use rust_i18n::t;

use super::{DemoView, set_designation};
use crate::analysis::demonstration::{Designation, Designations, FlagKind, set_target};
use crate::app::selection::FeatureRef;
use crate::app::workspace::Workspace;
use crate::model::admin::AdminUnits;
use crate::model::settlements::NaturalVillages;
use crate::model::{LayerRole, Project};

/// The unit a selected feature is, with the designation it can take: code and name.
fn designable(project: &Project, item: &FeatureRef) -> Option<(Designation, String, String)> {
    let layer = project.layer(&item.layer)?;
    let (d, found) = match layer.role {
        LayerRole::Township | LayerRole::Village => {
            let units = if layer.role == LayerRole::Township {
                AdminUnits::townships(project).ok()?
            } else {
                AdminUnits::villages(project).ok()?
            };
            if units.layer.id != layer.id {
                return None;
            }
            let d = if layer.role == LayerRole::Township {
                Designation::Township
            } else {
                Designation::Village
            };
            let u = units.list.iter().find(|u| u.feature_id == item.feature)?;
            (d, (u.code.clone(), u.name.clone()))
        }
        LayerRole::NaturalVillage => {
            let natural = NaturalVillages::read(project).ok()?;
            if natural.layer.id != layer.id {
                return None;
            }
            let n = natural.list.iter().find(|n| n.feature_id == item.feature)?;
            (
                Designation::NaturalVillage,
                (n.code.clone(), n.name.clone()),
            )
        }
        _ => return None,
    };
    Some((d, found.0, found.1))
}

/// The section.
pub fn designations_ui(ui: &mut Ui, ws: &mut Workspace, view: &mut DemoView) {
    ui.heading(t!("demo.designations"));
    let Some(doc) = &mut ws.doc else { return };
    let designations = match Designations::from_settings(&doc.project().settings) {
        Ok(d) => d,
        Err(e) => {
            ui.colored_label(Color32::from_rgb(200, 40, 40), e.to_string());
            return;
        }
    };
    if let Some(review) = &view.review {
        egui::Grid::new("demo_targets")
            .num_columns(3)
            .show(ui, |ui| {
                for p in &review.targets {
                    ui.label(p.designation.name_zh());
                    let fraction = if p.target > 0 {
                        (p.designated as f32 / p.target as f32).min(1.0)
                    } else {
                        0.0
                    };
                    ui.add(
                        egui::ProgressBar::new(fraction)
                            .desired_width(180.0)
                            .text(format!("{} / {}", p.designated, p.target)),
                    );
                    let mut target = designations.targets.of(p.designation);
                    let r = ui.add(
                        egui::DragValue::new(&mut target)
                            .range(0..=100_000)
                            .prefix(t!("demo.target"))
                            .update_while_editing(false),
                    );
                    if r.changed()
                        && target != designations.targets.of(p.designation)
                        && let Err(e) = doc.change_project(&[], |project| {
                            set_target(project, p.designation, target)
                        })
                    {
                        view.error = Some(e.to_string());
                    }
                    ui.end_row();
                }
            });
        if !review.targets_set {
            ui.label(RichText::new(t!("demo.default_targets")).small().weak());
        }
        ui.label(RichText::new(&review.classification).small().weak());
        ui.label(RichText::new(&review.checks).small().weak());
        let flagged: Vec<_> = review
            .units
            .iter()
            .filter(|u| !u.flags.is_empty())
            .collect();
        egui::CollapsingHeader::new(t!("demo.flags", count = flagged.len()))
            .id_salt("demo_flags")
            .default_open(!flagged.is_empty())
            .show(ui, |ui| {
                for u in flagged {
                    for f in &u.flags {
                        let colour = match f.kind {
                            FlagKind::Contradiction | FlagKind::Missing => {
                                Color32::from_rgb(200, 40, 40)
                            }
                            FlagKind::Review | FlagKind::CheckErrors => {
                                Color32::from_rgb(180, 110, 0)
                            }
                        };
                        ui.colored_label(
                            colour,
                            format!(
                                "{} {} {}：{}",
                                u.designation.name_zh(),
                                u.code,
                                u.name,
                                f.message_zh
                            ),
                        );
                    }
                }
            });
    }
    selected_ui(ui, ws, &designations);
}

/// The designation buttons of the units selected on the map.
fn selected_ui(ui: &mut Ui, ws: &mut Workspace, designations: &Designations) {
    let Some(doc) = &ws.doc else { return };
    let units: Vec<(Designation, String, String)> = doc
        .selection()
        .items()
        .iter()
        .filter_map(|item| designable(doc.project(), item))
        .collect();
    if units.is_empty() {
        ui.label(RichText::new(t!("demo.designate_hint")).small().weak());
        return;
    }
    let mut chosen = None;
    for (d, code, name) in &units {
        ui.horizontal(|ui| {
            ui.label(format!("{name} {code}"));
            let on = designations.has(*d, code);
            let text = if on {
                t!("demo.undesignate", what = d.name_zh())
            } else {
                t!("demo.designate", what = d.name_zh())
            };
            if ui.button(text).clicked() {
                chosen = Some((*d, code.clone(), on));
            }
        });
    }
    if let Some((d, code, remove)) = chosen {
        set_designation(ws, d, &code, remove);
    }
}
