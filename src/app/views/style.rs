//! The 样式 window of one layer: fill (none, one colour, land-use colours, categorised by a
//! field), outline colour, width and dashes, the label field, and a reset to the role's
//! conventional style. Edits apply to the map at once.

use egui::Ui;
use rust_i18n::t;

use crate::app::workspace::Workspace;
use crate::model::{Fill, LayerRole, LayerStyle, Rgba};

/// The style editor of layer `layer` (its id); false when it was closed.
pub fn style_editor_ui(ctx: &egui::Context, ws: &mut Workspace, layer: &str) -> bool {
    let Some(doc) = &mut ws.doc else { return false };
    let Some(l) = doc.project().layer(layer) else {
        return false;
    };
    let mut style = l.style.clone();
    let fields: Vec<String> = l.fields().iter().map(|f| f.name.clone()).collect();
    let role = l.role;
    let title = format!("{} - {}", t!("style.title"), l.name);
    let mut open = true;
    egui::Window::new(title)
        .id(egui::Id::unique("style_editor"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| style_form(ui, &mut style, &fields, role));
    doc.set_style(layer, style);
    open
}

/// The kinds of fill offered, in menu order.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FillKind {
    None,
    Single,
    LandUse,
    Categorized,
}

impl FillKind {
    fn of(fill: &Fill) -> Self {
        match fill {
            Fill::None => FillKind::None,
            Fill::Single { .. } => FillKind::Single,
            Fill::LandUseCode { .. } => FillKind::LandUse,
            Fill::Categorized { .. } | Fill::ByValue { .. } => FillKind::Categorized,
        }
    }

    fn name(self) -> String {
        match self {
            FillKind::None => t!("style.fill_none"),
            FillKind::Single => t!("style.fill_single"),
            FillKind::LandUse => t!("style.fill_landuse"),
            FillKind::Categorized => t!("style.fill_categorized"),
        }
        .into_owned()
    }
}

fn style_form(ui: &mut Ui, style: &mut LayerStyle, fields: &[String], role: LayerRole) {
    let first_field = || fields.first().cloned().unwrap_or_default();
    egui::Grid::new("style_grid")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label(t!("style.fill"));
            let mut kind = FillKind::of(&style.fill);
            let before = kind;
            egui::ComboBox::from_id_salt("style_fill_kind")
                .selected_text(kind.name())
                .show_ui(ui, |ui| {
                    for k in [
                        FillKind::None,
                        FillKind::Single,
                        FillKind::LandUse,
                        FillKind::Categorized,
                    ] {
                        ui.selectable_value(&mut kind, k, k.name());
                    }
                });
            if kind != before {
                style.fill = match kind {
                    FillKind::None => Fill::None,
                    FillKind::Single => Fill::Single {
                        color: Rgba::with_alpha(120, 160, 220, 160),
                    },
                    FillKind::LandUse => Fill::LandUseCode {
                        field: ["DLBM", "GHDLBM"]
                            .into_iter()
                            .find(|f| fields.iter().any(|x| x == f))
                            .map(str::to_string)
                            .unwrap_or_else(first_field),
                    },
                    FillKind::Categorized => Fill::Categorized {
                        field: first_field(),
                    },
                };
            }
            ui.end_row();
            match &mut style.fill {
                Fill::None => {}
                Fill::Single { color } => {
                    ui.label(t!("style.fill_colour"));
                    colour_edit(ui, color);
                    ui.end_row();
                }
                Fill::LandUseCode { field }
                | Fill::Categorized { field }
                | Fill::ByValue { field, .. } => {
                    ui.label(t!("style.field"));
                    field_combo(ui, "style_fill_field", field, fields);
                    ui.end_row();
                }
            }
            ui.label(t!("style.stroke"));
            colour_edit(ui, &mut style.stroke);
            ui.end_row();
            ui.label(t!("style.width"));
            ui.add(egui::Slider::new(&mut style.stroke_width, 0.0..=6.0).step_by(0.1));
            ui.end_row();
            ui.label(t!("style.dashed"));
            ui.checkbox(&mut style.dashed, "");
            ui.end_row();
            ui.label(t!("style.labels"));
            let mut label = style.label_field.clone().unwrap_or_default();
            egui::ComboBox::from_id_salt("style_label_field")
                .selected_text(if label.is_empty() {
                    t!("style.no_labels").into_owned()
                } else {
                    label.clone()
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut label, String::new(), t!("style.no_labels"));
                    for f in fields {
                        ui.selectable_value(&mut label, f.clone(), f);
                    }
                });
            style.label_field = (!label.is_empty()).then_some(label);
            ui.end_row();
        });
    if ui.button(t!("style.reset")).clicked() {
        // The role's conventional style, keeping what the list controls.
        let (visible, opacity) = (style.visible, style.opacity);
        *style = LayerStyle {
            visible,
            opacity,
            ..LayerStyle::for_role(role)
        };
    }
}

fn field_combo(ui: &mut Ui, id: &str, field: &mut String, fields: &[String]) {
    egui::ComboBox::from_id_salt(id)
        .selected_text(field.as_str())
        .show_ui(ui, |ui| {
            for f in fields {
                ui.selectable_value(field, f.clone(), f);
            }
        });
}

fn colour_edit(ui: &mut Ui, colour: &mut Rgba) {
    let [r, g, b, a] = colour.0;
    let mut c = egui::Color32::from_rgba_unmultiplied(r, g, b, a);
    if egui::color_picker::color_edit_button_srgba(ui, &mut c, egui::color_picker::Alpha::OnlyBlend)
        .changed()
    {
        *colour = Rgba(c.to_srgba_unmultiplied());
    }
}
