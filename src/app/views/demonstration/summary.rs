//! The summary of the selected zone or corridor: its area, the population inside (pro rata
//! by area, as the library counts it), the townships and villages it touches with the share
//! of each inside, its area by 三生 space and by 三调 class, and the natural villages inside.
//! The designation boxes in the tables designate or un-designate the unit at once.

use egui::{RichText, Ui};
use rust_i18n::t;

use super::{DemoView, ha_mu, set_designation};
use crate::analysis::demonstration::{
    ClassArea, Designation, POPULATION_RULE_ZH, Population, Summary,
};
use crate::app::workspace::Workspace;

/// A designation box ticked or cleared: what, which code, and whether it is removed.
type Toggle = (Designation, String, bool);

fn persons(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.0}"))
}

fn population_line(p: &Population) -> String {
    format!(
        "{} {} · {} {} · {} {}",
        t!("demo.registered"),
        persons(p.registered),
        t!("demo.resident"),
        persons(p.resident),
        t!("demo.poverty"),
        persons(p.poverty_alleviated)
    )
}

/// The summary of the selected area (or a note why there is none yet).
pub fn summary_ui(ui: &mut Ui, ws: &mut Workspace, view: &mut DemoView) {
    let Some(row) = view.selected_row() else {
        ui.label(RichText::new(t!("demo.select_hint")).weak());
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(&row.area.name);
        if view.running() {
            ui.spinner();
        }
    });
    let Some(s) = &view.summary else {
        ui.label(t!("demo.summarising"));
        return;
    };
    ui.label(RichText::new(format!("{} {}", t!("demo.area"), ha_mu(s.area_m2))).strong());
    ui.label(RichText::new(&s.basis).small().weak());
    ui.label(format!(
        "{}：{}",
        t!("demo.population_inside"),
        population_line(&s.population_inside)
    ));
    ui.label(RichText::new(POPULATION_RULE_ZH).small().weak());
    ui.label(format!(
        "{}：{} {} · {} {} · {} {}",
        t!("demo.designated_inside"),
        Designation::Township.name_zh(),
        s.designated(Designation::Township),
        Designation::Village.name_zh(),
        s.designated(Designation::Village),
        Designation::NaturalVillage.name_zh(),
        s.designated(Designation::NaturalVillage)
    ));
    if let Some(notes) = view.live.as_ref().map(|l| &l.notes)
        && !notes.is_empty()
    {
        for n in notes {
            ui.label(RichText::new(n).small().weak());
        }
    }
    let mut toggles: Vec<Toggle> = Vec::new();
    units_ui(ui, s, &mut toggles);
    classes_ui(ui, "demo_spaces", &t!("demo.spaces"), &s.spaces, false);
    classes_ui(ui, "demo_land_use", &t!("demo.land_use"), &s.land_use, true);
    natural_ui(ui, s, &mut toggles);
    for (d, code, remove) in toggles {
        set_designation(ws, d, &code, remove);
    }
}

/// A designation box; a change is pushed onto `toggles`.
fn mark(ui: &mut Ui, d: Designation, code: &str, designated: bool, toggles: &mut Vec<Toggle>) {
    let mut on = designated;
    if ui
        .checkbox(&mut on, "")
        .on_hover_text(d.name_zh())
        .changed()
    {
        toggles.push((d, code.to_string(), !on));
    }
}

/// The townships and villages touched.
fn units_ui(ui: &mut Ui, s: &Summary, toggles: &mut Vec<Toggle>) {
    egui::CollapsingHeader::new(t!("demo.townships", count = s.townships.len()))
        .id_salt("demo_townships")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("demo_township_grid")
                .striped(true)
                .show(ui, |ui| {
                    for h in [
                        "demo.township",
                        "demo.share",
                        "demo.inside",
                        "demo.mark_township",
                    ] {
                        ui.label(RichText::new(t!(h)).strong().small());
                    }
                    ui.end_row();
                    for u in &s.townships {
                        ui.label(&u.name);
                        ui.label(format!("{:.1} %", u.share * 100.0));
                        ui.label(ha_mu(u.inside_m2));
                        mark(ui, Designation::Township, &u.code, u.designated, toggles);
                        ui.end_row();
                    }
                });
        });
    egui::CollapsingHeader::new(t!("demo.villages", count = s.villages.len()))
        .id_salt("demo_villages")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("demo_village_grid")
                .striped(true)
                .show(ui, |ui| {
                    for h in [
                        "demo.village",
                        "demo.township",
                        "demo.share",
                        "demo.inside",
                        "demo.population_short",
                        "demo.mark_village",
                    ] {
                        ui.label(RichText::new(t!(h)).strong().small());
                    }
                    ui.end_row();
                    for v in &s.villages {
                        ui.label(&v.unit.name);
                        ui.label(&v.township);
                        ui.label(format!("{:.1} %", v.unit.share * 100.0));
                        ui.label(ha_mu(v.unit.inside_m2));
                        ui.label(format!(
                            "{} / {}",
                            persons(v.population_inside.registered),
                            persons(v.population_inside.poverty_alleviated)
                        ));
                        mark(
                            ui,
                            Designation::Village,
                            &v.unit.code,
                            v.unit.designated,
                            toggles,
                        );
                        ui.end_row();
                    }
                });
        });
}

/// Area by class (三生 space or 三调 first-level class).
fn classes_ui(ui: &mut Ui, id: &str, title: &str, classes: &[ClassArea], with_code: bool) {
    egui::CollapsingHeader::new(format!("{title}（{}）", classes.len()))
        .id_salt(id)
        .show(ui, |ui| {
            if classes.is_empty() {
                ui.label(RichText::new(t!("demo.no_layer")).weak());
            }
            egui::Grid::new(format!("{id}_grid"))
                .striped(true)
                .show(ui, |ui| {
                    for c in classes {
                        if with_code {
                            ui.label(format!("{} {}", c.code, c.name));
                        } else {
                            ui.label(&c.name);
                        }
                        ui.label(ha_mu(c.area_m2));
                        ui.end_row();
                    }
                });
        });
}

/// The natural villages inside, with their 美丽村庄 box.
fn natural_ui(ui: &mut Ui, s: &Summary, toggles: &mut Vec<Toggle>) {
    egui::CollapsingHeader::new(t!("demo.natural", count = s.natural_villages.len()))
        .id_salt("demo_natural")
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("demo_natural_scroll")
                .max_height(220.0)
                .show(ui, |ui| {
                    egui::Grid::new("demo_natural_grid")
                        .striped(true)
                        .show(ui, |ui| {
                            for h in ["demo.natural_name", "demo.households", "demo.mark_natural"] {
                                ui.label(RichText::new(t!(h)).strong().small());
                            }
                            ui.end_row();
                            for n in &s.natural_villages {
                                ui.label(&n.name);
                                ui.label(n.households.map_or("—".into(), |h| h.to_string()));
                                mark(
                                    ui,
                                    Designation::NaturalVillage,
                                    &n.code,
                                    n.designated,
                                    toggles,
                                );
                                ui.end_row();
                            }
                        });
                });
        });
}
