//! The identify panel: every feature selected on the map with its attributes, its area in
//! m², 公顷 and 亩, and what its land-use code means.

use egui::{RichText, Ui};
use geo::Area;
use rust_i18n::t;

use crate::app::selection::FeatureRef;
use crate::app::workspace::Workspace;
use crate::landuse::{CodeBook, Standard};
use crate::{Project, units};

/// The rows of the features shown, recomputed only when the selection changes (describing
/// a feature measures its area: not per-frame work).
#[derive(Default)]
pub struct IdentifyView {
    shown: Vec<FeatureRef>,
    rows: Vec<Vec<(String, String)>>,
}

impl IdentifyView {
    /// Forgets the rows (the features' attributes changed).
    pub fn invalidate(&mut self) {
        self.shown.clear();
        self.rows.clear();
    }
}

/// The panel on the right.
pub fn identify_panel(ui: &mut Ui, ws: &Workspace, view: &mut IdentifyView) {
    egui::Panel::right("identify")
        .default_size(300.0)
        .min_size(260.0)
        .show(ui, |ui| {
            ui.heading(t!("identify.title"));
            let Some(doc) = &ws.doc else { return };
            let selected = doc.selection().items();
            if selected.is_empty() {
                ui.label(t!("identify.none"));
                return;
            }
            if view.shown != selected {
                view.rows = selected
                    .iter()
                    .map(|picked| describe(doc.project(), picked))
                    .collect();
                view.shown = selected.to_vec();
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                for (n, rows) in view.rows.iter().enumerate() {
                    let title = rows.first().map(|(_, v)| v.clone()).unwrap_or_default();
                    egui::CollapsingHeader::new(RichText::new(title).strong())
                        .id_salt(("identified", n))
                        .default_open(n == 0)
                        .show(ui, |ui| {
                            egui::Grid::new(("identify_grid", n))
                                .striped(true)
                                .num_columns(2)
                                .show(ui, |ui| {
                                    for (k, v) in rows.iter().skip(1) {
                                        ui.label(RichText::new(k).strong());
                                        // A long value (a corridor's centre-line WKT) is cut
                                        // at the panel's edge rather than widening the panel
                                        // over the map; the pointer shows it whole.
                                        ui.add(egui::Label::new(v).truncate());
                                        ui.end_row();
                                    }
                                });
                        });
                }
            });
        });
}

/// Rows of (label, value) describing an identified feature.
pub fn describe(project: &Project, picked: &FeatureRef) -> Vec<(String, String)> {
    let Some((li, fi)) = picked.locate(project) else {
        return Vec::new();
    };
    let layer = &project.layers[li];
    let feature = &layer.features()[fi];
    let mut rows = vec![(
        "图层 Layer".to_string(),
        format!("{} ({})", layer.name, layer.role.name_zh()),
    )];
    rows.push(("FID".into(), feature.id.to_string()));
    for (field, value) in layer.fields().iter().zip(&feature.attributes) {
        rows.push((
            field.name.clone(),
            value
                .as_text()
                .map(|v| v.into_owned())
                .unwrap_or_else(|| "NULL".into()),
        ));
    }
    if let Some(g) = &feature.geometry {
        let a = g.unsigned_area();
        if a > 0.0 {
            rows.push((
                "面积 Area".into(),
                format!(
                    "{:.2} m² = {:.4} 公顷 = {:.2} 亩",
                    a,
                    units::hectares(a),
                    units::mu(a)
                ),
            ));
        }
    }
    for (field, standard) in [("DLBM", Standard::Sandiao), ("GHDLBM", Standard::Ydyh2023)] {
        let Some(code) = layer.value(fi, field).and_then(|v| v.as_text()) else {
            continue;
        };
        let book = CodeBook::bundled();
        match book.lookup(standard, &code) {
            Some(class) => {
                let level1 = book
                    .level1(standard, &code)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                rows.push((
                    "地类含义 Class".into(),
                    format!("{} {} （{}）", class.code, class.name, level1),
                ));
                if let Some(c) = class.three_category {
                    rows.push(("三大类".into(), c.name_zh().into()));
                }
                if let Some(space) = class.space {
                    rows.push(("三生空间".into(), space.name_zh().into()));
                }
                if let Some(conv) = (standard == Standard::Sandiao)
                    .then(|| book.sandiao_to_ydyh2023(&code))
                    .flatten()
                {
                    let flag = if conv.needs_refinement {
                        "（待细分）"
                    } else {
                        ""
                    };
                    rows.push(("用地用海 2023".into(), format!("{}{flag}", conv.ydyh2023)));
                }
            }
            None => rows.push((
                "地类含义 Class".into(),
                format!("{code}: 不在字典中 (not in the dictionary)"),
            )),
        }
    }
    rows
}
