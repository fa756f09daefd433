//! The layer list: visibility, drawing order (drag the handle, or 上移/下移), opacity, zoom to
//! layer, attribute table, style editor, feature counts, and the legend below it.

use egui::{RichText, Ui};
use rust_i18n::t;

use crate::app::workspace::{Request, Workspace};
use crate::model::{Layer, LayerStyle, Rgba};

/// What the list asked for this frame.
#[derive(Default)]
struct ListAction {
    /// A layer's visibility or opacity changed: (id, its new style).
    style: Option<(String, LayerStyle)>,
    zoom_to: Option<String>,
    request: Option<Request>,
    /// Move the layer at `.0` to position `.1` (project order, bottom first).
    move_layer: Option<(usize, usize)>,
}

/// The layers panel on the left.
pub fn layers_panel(ui: &mut Ui, ws: &mut Workspace) {
    egui::Panel::left("layers")
        .default_size(240.0)
        .show(ui, |ui| {
            ui.heading(t!("layers.title"));
            let Some(doc) = &mut ws.doc else {
                ui.label(t!("app.no_project"));
                return;
            };
            let mut action = ListAction::default();
            egui::ScrollArea::vertical().show(ui, |ui| {
                let layers = &doc.project().layers;
                let count = layers.len();
                for (i, layer) in layers.iter().enumerate().rev() {
                    layer_row(ui, i, count, layer, &mut action);
                }
                ui.separator();
                egui::CollapsingHeader::new(t!("legend.title"))
                    .default_open(true)
                    .show(ui, |ui| legend_ui(ui, doc.legend()));
            });
            if let Some(id) = action.zoom_to {
                doc.zoom_to_layer(&id);
            }
            if let Some((id, style)) = action.style {
                doc.set_style(&id, style);
            }
            if let Some((from, to)) = action.move_layer {
                doc.move_layer(from, to);
            }
            if let Some(request) = action.request {
                ws.request(request);
            }
        });
}

fn layer_row(ui: &mut Ui, i: usize, count: usize, layer: &Layer, action: &mut ListAction) {
    let mut style = layer.style.clone();
    let row = ui.scope(|ui| {
        ui.horizontal(|ui| {
            let handle = ui
                .dnd_drag_source(egui::Id::unique("layer_drag").with(i), i, |ui| {
                    drag_handle(ui);
                })
                .response;
            handle.on_hover_text(t!("layers.drag_hint"));
            if ui.checkbox(&mut style.visible, &layer.name).changed() {
                action.style = Some((layer.id.clone(), style.clone()));
            }
        });
        ui.horizontal(|ui| {
            ui.add_space(18.0);
            if ui
                .small_button(t!("layers.locate"))
                .on_hover_text(t!("layers.zoom_to"))
                .clicked()
            {
                action.zoom_to = Some(layer.id.clone());
            }
            if ui.small_button(t!("table.open")).clicked() {
                action.request = Some(Request::Table(layer.id.clone()));
            }
            if ui.small_button(t!("style.open")).clicked() {
                action.request = Some(Request::Style(layer.id.clone()));
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
                action.style = Some((layer.id.clone(), style.clone()));
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
