//! New areas: a corridor (示范带 / 示范线) through township seats in the order picked or
//! typed, or along the line features selected on the map (a road or river centre line, or
//! a line drawn with 绘制线 on a 规划线 layer); a zone (示范区) from the townships and
//! villages selected on the map. Each is one undoable step (`add_corridor`, `add_zone`);
//! the project's 示范区带线 layer is made first when it has none.

use egui::{RichText, Ui};
use geo::MultiLineString;
use rust_i18n::t;

use super::DemoView;
use crate::app::selection::FeatureRef;
use crate::app::workspace::Workspace;
use crate::edit::Edit;
use crate::edit::demonstration::{
    DemoLabel, add_corridor, add_zone, line_through_seats, new_demonstration_layer, zone_geometry,
};
use crate::model::demonstration::{CorridorLine, DemoKind, LineEnds, line_of};
use crate::model::settlements::TownshipSeats;
use crate::model::{Layer, LayerRole, Project};
use crate::{Error, Result};

/// Where a new corridor's centre line comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Centre {
    /// Straight from seat to seat, in the order given.
    #[default]
    Seats,
    /// The line features selected on the map, as the parts of one centre line.
    Selected,
}

/// The form's state.
pub struct NewArea {
    name: String,
    theme: String,
    kind: DemoKind,
    width_m: f64,
    ends: LineEnds,
    centre: Centre,
    /// Seats by name, comma separated (picked from the list or typed).
    seats: String,
}

impl Default for NewArea {
    fn default() -> Self {
        NewArea {
            name: String::new(),
            theme: String::new(),
            kind: DemoKind::Line,
            width_m: 1000.0,
            ends: LineEnds::Round,
            centre: Centre::Seats,
            seats: String::new(),
        }
    }
}

/// The seat names in `text` (split at `,`, `，`, `、`), blanks left out.
fn seat_names(text: &str) -> Vec<&str> {
    text.split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The selected line features as one centre line.
fn selected_line(project: &Project, selected: &[FeatureRef]) -> Result<MultiLineString<f64>> {
    let parts: Vec<_> = selected
        .iter()
        .filter_map(|item| {
            let (li, fi) = item.locate(project)?;
            project.layers[li].features()[fi]
                .geometry
                .as_ref()
                .and_then(line_of)
        })
        .flat_map(|m| m.0)
        .collect();
    if parts.is_empty() {
        return Err(Error::Invalid(t!("demo.no_selected_line").into_owned()));
    }
    Ok(MultiLineString(parts))
}

/// The 9-digit township and 12-digit village codes of the selected units.
fn selected_units(project: &Project, selected: &[FeatureRef]) -> (Vec<String>, Vec<String>) {
    let mut townships = Vec::new();
    let mut villages = Vec::new();
    for (units, out) in [
        (
            crate::model::admin::AdminUnits::townships(project),
            &mut townships,
        ),
        (
            crate::model::admin::AdminUnits::villages(project),
            &mut villages,
        ),
    ] {
        let Ok(units) = units else { continue };
        for item in selected.iter().filter(|i| i.layer == units.layer.id) {
            if let Some(u) = units.list.iter().find(|u| u.feature_id == item.feature) {
                out.push(u.code.clone());
            }
        }
    }
    (townships, villages)
}

/// The edit `make` builds against the project's 示范区带线 layer, or — when it has none —
/// against a new one in a copy of the project, so that a refused area leaves no empty layer
/// behind; with that new layer, to add before the edit.
fn with_layer(
    project: &Project,
    make: impl FnOnce(&Project, &str) -> Result<Edit>,
) -> Result<(Edit, Option<Layer>)> {
    if let Some(layer) = project.layer_by_role(LayerRole::Demonstration) {
        return Ok((make(project, &layer.id)?, None));
    }
    let layer = new_demonstration_layer(project);
    let mut copy = project.clone();
    copy.add_layer(layer.clone());
    Ok((make(&copy, &layer.id)?, Some(layer)))
}

/// Adds the new layer if any (not undoable, like any new layer), applies the new area's
/// edit as one step and selects the area.
fn add(
    ws: &mut Workspace,
    view: &mut DemoView,
    label: &str,
    (mut edit, layer): (Edit, Option<Layer>),
) -> Result<()> {
    let doc = ws
        .doc
        .as_mut()
        .ok_or_else(|| Error::Invalid(t!("app.no_project").into_owned()))?;
    let Edit::AddFeature {
        layer: layer_id,
        feature,
        ..
    } = &mut edit
    else {
        return Err(Error::Invalid("not a new feature".into()));
    };
    if let Some(new) = layer {
        // The window may give the layer another id than the copy had.
        *layer_id = doc.add_layer(new)?;
    }
    let item = FeatureRef {
        layer: layer_id.clone(),
        feature: feature.id,
    };
    doc.apply(label, edit)?;
    view.stale.areas = true;
    view.select(ws, Some(item));
    Ok(())
}

fn label(form: &NewArea) -> DemoLabel {
    DemoLabel {
        name: form.name.trim().to_string(),
        theme: form.theme.trim().to_string(),
        note: String::new(),
    }
}

fn no_project() -> Error {
    Error::Invalid(t!("app.no_project").into_owned())
}

fn new_corridor(ws: &mut Workspace, view: &mut DemoView) -> Result<()> {
    let form = &view.create;
    let (label, kind) = (label(form), form.kind);
    let made = {
        let doc = ws.doc.as_ref().ok_or_else(no_project)?;
        let centre = match form.centre {
            Centre::Seats => line_through_seats(doc.project(), &seat_names(&form.seats))?,
            Centre::Selected => selected_line(doc.project(), doc.selection().items())?,
        };
        let line = CorridorLine {
            centre,
            width_m: form.width_m,
            ends: form.ends,
        };
        with_layer(doc.project(), |p, layer| {
            add_corridor(p, layer, &label, kind, &line)
        })?
    };
    let step = t!("demo.step_new", kind = kind.name_zh(), name = label.name).into_owned();
    add(ws, view, &step, made)
}

fn new_zone(ws: &mut Workspace, view: &mut DemoView) -> Result<()> {
    let label = label(&view.create);
    let made = {
        let doc = ws.doc.as_ref().ok_or_else(no_project)?;
        let (townships, villages) = selected_units(doc.project(), doc.selection().items());
        let t: Vec<&str> = townships.iter().map(String::as_str).collect();
        let v: Vec<&str> = villages.iter().map(String::as_str).collect();
        let geometry = zone_geometry(doc.project(), &t, &v, None)?;
        with_layer(doc.project(), |p, layer| {
            add_zone(p, layer, &label, geometry)
        })?
    };
    let step = t!(
        "demo.step_new",
        kind = DemoKind::Zone.name_zh(),
        name = label.name
    )
    .into_owned();
    add(ws, view, &step, made)
}

/// The 新建 section.
pub fn create_ui(ui: &mut Ui, ws: &mut Workspace, view: &mut DemoView) {
    egui::CollapsingHeader::new(RichText::new(t!("demo.new")).strong())
        .id_salt("demo_new")
        .default_open(view.areas.is_empty())
        .show(ui, |ui| form_ui(ui, ws, view));
}

fn form_ui(ui: &mut Ui, ws: &mut Workspace, view: &mut DemoView) {
    let form = &mut view.create;
    egui::Grid::new("demo_new_grid")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label(t!("demo.name"));
            ui.text_edit_singleline(&mut form.name).labelled_by(l.id);
            ui.end_row();
            let l = ui.label(t!("demo.theme"));
            ui.text_edit_singleline(&mut form.theme).labelled_by(l.id);
            ui.end_row();
        });
    ui.separator();
    ui.horizontal(|ui| {
        for kind in [DemoKind::Line, DemoKind::Belt] {
            ui.selectable_value(&mut form.kind, kind, kind.name_zh());
        }
        let l = ui.label(t!("demo.new_width"));
        ui.add(
            egui::DragValue::new(&mut form.width_m)
                .range(1.0..=crate::edit::demonstration::MAX_WIDTH_M)
                .suffix(" m")
                .speed(10.0),
        )
        .labelled_by(l.id);
        for ends in [LineEnds::Round, LineEnds::Flat] {
            ui.selectable_value(&mut form.ends, ends, ends.name_zh());
        }
    });
    ui.horizontal(|ui| {
        ui.selectable_value(&mut form.centre, Centre::Seats, t!("demo.through_seats"));
        ui.selectable_value(
            &mut form.centre,
            Centre::Selected,
            t!("demo.along_selected"),
        );
    });
    match form.centre {
        Centre::Seats => {
            let l = ui.label(t!("demo.seats"));
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut form.seats)
                        .hint_text(t!("demo.seats_hint"))
                        .desired_width(340.0),
                )
                .labelled_by(l.id);
                if ui.small_button(t!("demo.clear_seats")).clicked() {
                    form.seats.clear();
                }
            });
            let seats: Vec<String> = ws
                .doc
                .as_ref()
                .and_then(|d| TownshipSeats::read(d.project()).ok())
                .map(|s| s.list.iter().map(|s| s.label().to_string()).collect())
                .unwrap_or_default();
            if seats.is_empty() {
                ui.label(RichText::new(t!("demo.no_seats")).small().weak());
            }
            ui.horizontal_wrapped(|ui| {
                for seat in seats {
                    if ui
                        .small_button(&seat)
                        .on_hover_text(t!("demo.add_seat"))
                        .clicked()
                    {
                        if !seat_names(&form.seats).is_empty() {
                            form.seats.push('、');
                        }
                        form.seats.push_str(&seat);
                    }
                }
            });
        }
        Centre::Selected => {
            ui.label(RichText::new(t!("demo.selected_hint")).small().weak());
        }
    }
    if ui
        .button(t!("demo.create_corridor", kind = form.kind.name_zh()))
        .clicked()
    {
        match new_corridor(ws, view) {
            Ok(()) => view.error = None,
            Err(e) => view.error = Some(e.to_string()),
        }
    }
    ui.separator();
    ui.label(RichText::new(t!("demo.zone_hint")).small().weak());
    if ui.button(t!("demo.create_zone")).clicked() {
        match new_zone(ws, view) {
            Ok(()) => view.error = None,
            Err(e) => view.error = Some(e.to_string()),
        }
    }
}
