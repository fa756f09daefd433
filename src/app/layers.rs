//! The layer list: visibility, drawing order (drag the handle, or 上移/下移), opacity, zoom to
//! layer, attribute table, style editor, feature counts, and the legend below it.

use std::sync::Arc;

use egui::{RichText, Ui};
use rust_i18n::t;

use super::VillagePlanApp;
use crate::model::{Fill, Layer, LayerRole, LayerStyle, Rgba};
use crate::render::feature_fill;

/// What the list asked for this frame.
#[derive(Default)]
struct ListAction {
    changed: bool,
    zoom_to: Option<usize>,
    open_table: Option<usize>,
    edit_style: Option<usize>,
    /// Move the layer at `.0` to position `.1` (project order, bottom first).
    move_layer: Option<(usize, usize)>,
}

/// The layers panel on the left.
pub fn layers_panel(app: &mut VillagePlanApp, ui: &mut Ui) {
    egui::Panel::left("layers")
        .default_size(240.0)
        .show(ui, |ui| {
            ui.heading(t!("layers.title"));
            let Some(project) = &mut app.project else {
                ui.label(t!("app.no_project"));
                return;
            };
            let mut action = ListAction::default();
            egui::ScrollArea::vertical().show(ui, |ui| {
                let count = project.layers.len();
                for (i, layer) in project.layers.iter_mut().enumerate().rev() {
                    // The row edits a copy of the style, so a layer a worker shares is copied
                    // only when the user actually changes it.
                    let mut style = layer.style.clone();
                    layer_row(ui, i, count, layer, &mut style, &mut action);
                    if style != layer.style {
                        Arc::make_mut(layer).style = style;
                    }
                }
                ui.separator();
                egui::CollapsingHeader::new(t!("legend.title"))
                    .default_open(true)
                    .show(ui, |ui| legend_ui(ui, &app.legend));
            });
            if let Some(i) = action.zoom_to {
                app.pending_fit = app.canvas.layers().get(i).and_then(|d| d.extent());
            }
            if let Some(i) = action.open_table {
                app.table = Some(super::table::TableState::new(project, i));
            }
            if let Some(i) = action.edit_style {
                app.style_editor = Some(i);
            }
            if action.changed {
                sync_styles(app);
            }
            if let Some((from, to)) = action.move_layer {
                move_layer(app, from, to);
            }
        });
}

fn layer_row(
    ui: &mut Ui,
    i: usize,
    count: usize,
    layer: &Layer,
    style: &mut crate::LayerStyle,
    action: &mut ListAction,
) {
    let row = ui.scope(|ui| {
        ui.horizontal(|ui| {
            let handle = ui
                .dnd_drag_source(egui::Id::unique("layer_drag").with(i), i, |ui| {
                    drag_handle(ui);
                })
                .response;
            handle.on_hover_text(t!("layers.drag_hint"));
            if ui.checkbox(&mut style.visible, &layer.name).changed() {
                action.changed = true;
            }
        });
        ui.horizontal(|ui| {
            ui.add_space(18.0);
            if ui
                .small_button(t!("layers.locate"))
                .on_hover_text(t!("layers.zoom_to"))
                .clicked()
            {
                action.zoom_to = Some(i);
            }
            if ui.small_button(t!("table.open")).clicked() {
                action.open_table = Some(i);
            }
            if ui.small_button(t!("style.open")).clicked() {
                action.edit_style = Some(i);
            }
            // The list is drawn topmost first: 上移 draws the layer later.
            if ui
                .small_button(t!("layers.up"))
                .on_hover_text(t!("layers.up_hint"))
                .clicked()
                && i + 1 < count
            {
                action.move_layer = Some((i, i + 1));
            }
            if ui
                .small_button(t!("layers.down"))
                .on_hover_text(t!("layers.down_hint"))
                .clicked()
                && i > 0
            {
                action.move_layer = Some((i, i - 1));
            }
        });
        ui.horizontal(|ui| {
            ui.add_space(18.0);
            let slider = egui::Slider::new(&mut style.opacity, 0.0..=1.0).show_value(false);
            if ui
                .add_sized([70.0, 14.0], slider)
                .on_hover_text(t!("layers.opacity"))
                .changed()
            {
                action.changed = true;
            }
            ui.label(
                RichText::new(format!(
                    "{} · {}",
                    layer.role.name_zh(),
                    t!("layers.features", count = layer.features().len())
                ))
                .small()
                .weak(),
            );
        });
        ui.add_space(2.0);
    });
    let response = row.response;
    // Dropping a dragged layer on this row puts it here.
    if let Some(from) = response.dnd_hover_payload::<usize>()
        && *from != i
    {
        let y = if *from < i {
            response.rect.top()
        } else {
            response.rect.bottom()
        };
        ui.painter().hline(
            response.rect.x_range(),
            y,
            egui::Stroke::new(2.0, ui.visuals().selection.stroke.color),
        );
    }
    if let Some(from) = response.dnd_release_payload::<usize>()
        && *from != i
    {
        action.move_layer = Some((*from, i));
    }
}

/// Three short bars, the usual "drag me" mark (the bundled fonts have no such glyph).
fn drag_handle(ui: &mut Ui) {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(12.0, 14.0), egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, t!("layers.drag")));
    let stroke = egui::Stroke::new(1.5, ui.visuals().weak_text_color());
    for k in 0..3 {
        ui.painter()
            .hline(rect.x_range(), rect.top() + 3.0 + 4.0 * k as f32, stroke);
    }
}

/// Copies the project's styles to the map after visibility or opacity changed.
fn sync_styles(app: &mut VillagePlanApp) {
    let Some(project) = &app.project else { return };
    for (display, layer) in app.canvas.layers_mut().iter_mut().zip(&project.layers) {
        if display.style != layer.style {
            Arc::make_mut(display).style = layer.style.clone();
        }
    }
    app.legend = crate::render::legend(&project.layers);
    app.canvas.invalidate();
    app.dirty = true;
}

/// Moves a layer in the drawing order (positions bottom first), in the project and on the
/// map together.
pub fn move_layer(app: &mut VillagePlanApp, from: usize, to: usize) {
    let Some(project) = &mut app.project else {
        return;
    };
    let n = project.layers.len();
    if from >= n || to >= n || from == to {
        return;
    }
    let layer = project.layers.remove(from);
    project.layers.insert(to, layer);
    let display = app.canvas.layers_mut().remove(from);
    app.canvas.layers_mut().insert(to, display);
    app.labels = super::labels::build_labels(&project.layers, app.canvas.layers());
    app.legend = crate::render::legend(&project.layers);
    // Picks, the table and the style editor refer to layer positions, which just changed.
    app.identified.clear();
    app.highlight.clear();
    app.table = None;
    app.style_editor = None;
    app.canvas.invalidate();
    app.dirty = true;
}

/// Gives layer `i` a new style: the map's fills are recomputed only when the fill rule
/// changed.
pub fn set_style(app: &mut VillagePlanApp, i: usize, style: LayerStyle) {
    let Some(project) = &mut app.project else {
        return;
    };
    let (Some(layer), Some(display)) = (
        project.layers.get_mut(i).map(Arc::make_mut),
        app.canvas.layers_mut().get_mut(i),
    ) else {
        return;
    };
    if layer.style == style {
        return;
    }
    let refill = layer.style.fill != style.fill;
    let relabel = layer.style.label_field != style.label_field;
    layer.style = style.clone();
    let display = Arc::make_mut(display);
    if refill {
        display.fills = feature_fill(layer, &style);
    }
    display.style = style;
    if relabel {
        app.labels = super::labels::build_labels(&project.layers, app.canvas.layers());
    }
    app.legend = crate::render::legend(&project.layers);
    app.canvas.invalidate();
    app.dirty = true;
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

/// The 样式 window of one layer; edits apply to the map at once.
pub fn style_editor_ui(app: &mut VillagePlanApp, ctx: &egui::Context) {
    let Some(i) = app.style_editor else { return };
    let Some(layer) = app.project.as_ref().and_then(|p| p.layers.get(i)) else {
        app.style_editor = None;
        return;
    };
    let mut style = layer.style.clone();
    let fields: Vec<String> = layer.fields().iter().map(|f| f.name.clone()).collect();
    let role = layer.role;
    let title = format!("{} - {}", t!("style.title"), layer.name);
    let mut open = true;
    egui::Window::new(title)
        .id(egui::Id::unique("style_editor"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| style_form(ui, &mut style, &fields, role));
    set_style(app, i, style);
    if !open {
        app.style_editor = None;
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

/// Swatches and labels of the legend.
fn legend_ui(ui: &mut Ui, sections: &[crate::render::LegendSection]) {
    let colour = |c: Rgba| egui::Color32::from_rgba_unmultiplied(c.0[0], c.0[1], c.0[2], c.0[3]);
    for section in sections {
        // A one-symbol layer is its own label; categorised layers get a heading.
        if section.items.len() > 1 {
            ui.label(RichText::new(&section.title).strong().small());
        }
        for item in &section.items {
            ui.horizontal(|ui| {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(22.0, 12.0), egui::Sense::hover());
                if let Some(fill) = item.fill {
                    ui.painter().rect_filled(rect, 1.0, colour(fill));
                }
                let stroke = egui::Stroke::new(1.5, colour(item.stroke));
                if item.dashed {
                    let pts = [
                        rect.left_top(),
                        rect.right_top(),
                        rect.right_bottom(),
                        rect.left_bottom(),
                        rect.left_top(),
                    ];
                    ui.painter()
                        .extend(egui::Shape::dashed_line(&pts, stroke, 4.0, 3.0));
                } else {
                    ui.painter()
                        .rect_stroke(rect, 1.0, stroke, egui::StrokeKind::Inside);
                }
                ui.label(RichText::new(&item.label).small());
            });
        }
    }
}
