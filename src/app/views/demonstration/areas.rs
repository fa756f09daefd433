//! The list of zones and corridors, and the selected corridor's width and ends.
//!
//! *Width*: while the slider is dragged the corridor is rebuilt from its centre line for
//! each new width (`edit::demonstration::corridor_polygon`, nothing in the project
//! changes), outlined on the map and summarised by the worker; only a width that changed
//! since the last frame is rebuilt. Releasing the slider (or Enter in its number box, or an
//! arrow key) commits the width as one undoable step (`set_corridor_width`), so `Ctrl+Z`
//! brings back the previous width, polygon and area fields exactly. A width the library
//! refuses (not above 0, over 50 km) is said in the window and nothing changes.
//!
//! *Centre line*: its vertices are handles on the map ([`super::centre_handles`]).

use egui::{RichText, Ui};
use rust_i18n::t;

use super::{DemoView, ha_mu};
use crate::analysis::areas::AreaBasis;
use crate::app::workspace::Workspace;
use crate::edit::demonstration::{change_corridor, corridor_polygon, set_corridor_width};
use crate::model::demonstration::{CorridorLine, LineEnds};

/// The list: name, kind, width and area; a click selects.
pub fn areas_ui(ui: &mut Ui, ws: &mut Workspace, view: &mut DemoView) {
    ui.horizontal(|ui| {
        ui.heading(t!("demo.areas"));
        for (basis, key) in [
            (AreaBasis::Ellipsoidal, "tables.ellipsoidal"),
            (AreaBasis::Planar, "tables.planar"),
        ] {
            if ui.selectable_label(view.basis == basis, t!(key)).clicked() && view.basis != basis {
                view.basis = basis;
                view.stale.areas = true;
                view.summary = None;
            }
        }
    });
    if let Some(doc) = &ws.doc {
        ui.label(
            RichText::new(t!(
                "demo.basis",
                basis = view.basis.describe_zh(doc.project().crs)
            ))
            .small()
            .weak(),
        );
    }
    if view.areas.is_empty() {
        ui.label(t!("demo.no_areas"));
        return;
    }
    let mut clicked = None;
    egui::Grid::new("demo_areas")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for h in ["demo.name", "demo.kind", "demo.width", "demo.area"] {
                ui.label(RichText::new(t!(h)).strong());
            }
            ui.end_row();
            for row in &view.areas {
                let selected = view.selected.as_ref() == Some(&row.item);
                if ui.selectable_label(selected, &row.area.name).clicked() {
                    clicked = Some(row.item.clone());
                }
                ui.label(row.area.kind.map_or("", |k| k.name_zh()));
                ui.label(row.area.corridor.as_ref().map_or(String::new(), |c| {
                    format!("{} m（{}）", c.width_m, c.ends.name_zh())
                }));
                ui.label(ha_mu(row.area_m2));
                ui.end_row();
            }
        });
    if let Some(item) = clicked {
        view.select(ws, Some(item));
    }
    corridor_ui(ui, ws, view);
}

/// The selected corridor's width slider and end style.
fn corridor_ui(ui: &mut Ui, ws: &mut Workspace, view: &mut DemoView) {
    let Some(row) = view.selected_row() else {
        return;
    };
    let Some(line) = row.area.corridor.clone() else {
        return;
    };
    let (layer, position, name) = (
        row.area.layer_id.clone(),
        row.area.position,
        row.area.name.clone(),
    );
    let item = row.item.clone();
    let mut width = view.width.unwrap_or(line.width_m);
    let response = ui
        .horizontal(|ui| {
            let label = ui.label(t!("demo.width_label"));
            // Wide enough that a logarithmic 50 m – 5 km drag moves in steps of a few metres.
            ui.spacing_mut().slider_width = 280.0;
            ui.add(
                egui::Slider::new(&mut width, 50.0..=5000.0)
                    .logarithmic(true)
                    .clamping(egui::SliderClamping::Never)
                    .suffix(" m")
                    .fixed_decimals(0)
                    .update_while_editing(false),
            )
            .labelled_by(label.id)
        })
        .inner;
    let holding = response.dragged() || response.is_pointer_button_down_on();
    if width == line.width_m {
        if view.width.take().is_some()
            && let Some(doc) = &mut ws.doc
        {
            // Dragged back to where it was: nothing to commit, the stored corridor again.
            doc.select(vec![item.clone()], true, false);
            view.previewed = None;
            view.ask_selected();
        }
    } else if holding {
        view.width = Some(width);
        if view.previewed != Some(width) {
            view.previewed = Some(width);
            let preview = CorridorLine {
                width_m: width,
                ..line.clone()
            };
            match corridor_polygon(&preview) {
                Ok(polygon) => view.preview(ws, polygon),
                Err(e) => view.error = Some(e.to_string()),
            }
        }
    } else {
        view.width = None;
        view.previewed = None;
        let Some(doc) = &mut ws.doc else { return };
        let label = t!("demo.step_width", name = name, width = width).into_owned();
        match set_corridor_width(doc.project(), &layer, position, width)
            .and_then(|edit| doc.apply(&label, edit))
        {
            Ok(()) => {
                view.error = None;
                doc.select(vec![item.clone()], true, false);
            }
            Err(e) => view.error = Some(e.to_string()),
        }
    }
    ui.horizontal(|ui| {
        ui.label(t!("demo.ends"));
        for ends in [LineEnds::Round, LineEnds::Flat] {
            if ui
                .selectable_label(line.ends == ends, ends.name_zh())
                .clicked()
                && line.ends != ends
                && let Some(doc) = &mut ws.doc
            {
                let label = t!("demo.step_ends", name = name, ends = ends.name_zh()).into_owned();
                match change_corridor(doc.project(), &layer, position, |l| {
                    l.ends = ends;
                    Ok(())
                })
                .and_then(|edit| doc.apply(&label, edit))
                {
                    Ok(()) => view.error = None,
                    Err(e) => view.error = Some(e.to_string()),
                }
            }
        }
    });
    if view.width.is_some() {
        ui.label(RichText::new(t!("demo.uncommitted")).small().weak());
    }
    ui.label(RichText::new(t!("demo.centre_hint")).small().weak());
}
