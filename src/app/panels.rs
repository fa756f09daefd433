//! The window's panels: menu and search bar, layers, identify, status bar, map.

use egui::{Key, RichText, Ui};
use rust_i18n::t;

use super::VillagePlanApp;
use super::identify;
use super::map_view::{self, MapInputs};

/// Keyboard shortcuts: +/− zoom, Home = full extent, Esc clears the selection.
pub fn keyboard(app: &mut VillagePlanApp, ctx: &egui::Context) {
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    let (plus, minus, home, esc) = ctx.input(|i| {
        (
            i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals),
            i.key_pressed(Key::Minus),
            i.key_pressed(Key::Home),
            i.key_pressed(Key::Escape),
        )
    });
    if plus {
        let _ = app.memory.zoom_in();
    }
    if minus {
        let _ = app.memory.zoom_out();
    }
    if home {
        app.zoom_full();
    }
    if esc {
        app.identified.clear();
        app.highlight.clear();
    }
}

/// Menu, language switch and the village/township search box.
pub fn top_bar(app: &mut VillagePlanApp, ui: &mut Ui) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(t!("menu.file"), |ui| {
                let open_shortcut = ui.ctx().format_shortcut(&super::opening::OPEN);
                if ui
                    .add(egui::Button::new(t!("menu.open")).shortcut_text(open_shortcut))
                    .clicked()
                {
                    app.open_dialog = Some(String::new());
                    ui.close();
                }
                let has_project = app.project.is_some();
                let shortcut = ui.ctx().format_shortcut(&super::saving::SAVE);
                if ui
                    .add_enabled(
                        has_project,
                        egui::Button::new(t!("menu.save")).shortcut_text(shortcut),
                    )
                    .clicked()
                {
                    super::saving::save(app, false);
                    ui.close();
                }
                if ui
                    .add_enabled(has_project, egui::Button::new(t!("menu.save_as")))
                    .clicked()
                {
                    app.dialogs.save_as = Some(
                        app.project_path
                            .as_ref()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default(),
                    );
                    ui.close();
                }
                ui.separator();
                if ui.button(t!("menu.quit")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                    ui.close();
                }
            });
            ui.menu_button(t!("menu.view"), |ui| {
                if ui.button(t!("menu.full_extent")).clicked() {
                    app.zoom_full();
                    ui.close();
                }
            });
            ui.menu_button(t!("menu.language"), |ui| {
                if ui.button("中文").clicked() {
                    super::set_language("zh-CN");
                    ui.close();
                }
                if ui.button("English").clicked() {
                    super::set_language("en");
                    ui.close();
                }
            });
            ui.separator();
            let label = ui.label(t!("search.label"));
            let search = ui
                .add(
                    egui::TextEdit::singleline(&mut app.search)
                        .hint_text(t!("search.hint"))
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
            if search.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                find(app);
            }
            if let Some(msg) = &app.search_message {
                ui.label(msg);
            }
            if let Some(p) = &app.project
                && p.settings.synthetic
            {
                ui.label(
                    RichText::new(t!("app.synthetic")).color(egui::Color32::from_rgb(180, 80, 0)),
                );
            }
        });
    });
}

/// Finds a village or township by name or code, zooms to it and highlights it.
pub fn find(app: &mut VillagePlanApp) {
    let query = app.search.trim().to_string();
    app.search_message = None;
    if query.is_empty() {
        return;
    }
    let Some(project) = &app.project else { return };
    for (li, layer) in project.layers.iter().enumerate() {
        if !matches!(
            layer.role,
            crate::LayerRole::Village | crate::LayerRole::Township
        ) {
            continue;
        }
        let (Some(code), Some(name)) = (layer.field_index("XZQDM"), layer.field_index("XZQMC"))
        else {
            continue;
        };
        let hit = layer.features().iter().position(|f| {
            let c = f.attributes[code].as_text().unwrap_or_default();
            let n = f.attributes[name].as_text().unwrap_or_default();
            c == query
                || n == query
                || n.starts_with(query.as_str())
                || super::labels::short_name(&n) == query
        });
        if let Some(fi) = hit
            && let Some(Some(g)) = app
                .canvas
                .layers()
                .get(li)
                .map(|d| d.geometries[fi].clone())
        {
            if let Some(r) = geo::BoundingRect::bounding_rect(&g) {
                app.pending_fit = Some(([r.min().x, r.min().y], [r.max().x, r.max().y]));
            }
            app.highlight = vec![rings(&g)];
            app.identified = vec![identify::Identified {
                layer_index: li,
                feature_index: fi,
            }];
            return;
        }
    }
    app.search_message = Some(t!("search.none").into_owned());
}

fn rings(g: &geo::Geometry<f64>) -> Vec<Vec<[f64; 2]>> {
    use geo::Geometry;
    let mut out = Vec::new();
    let mut add_polygon = |p: &geo::Polygon<f64>| {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            out.push(ring.0.iter().map(|c| [c.x, c.y]).collect());
        }
    };
    match g {
        Geometry::Polygon(p) => add_polygon(p),
        Geometry::MultiPolygon(m) => m.0.iter().for_each(&mut add_polygon),
        _ => {}
    }
    out
}

/// Layers: visibility, feature count, zoom to layer.
pub fn layers_panel(app: &mut VillagePlanApp, ui: &mut Ui) {
    egui::Panel::left("layers")
        .default_size(230.0)
        .show(ui, |ui| {
            ui.heading(t!("layers.title"));
            let Some(project) = &mut app.project else {
                ui.label(t!("app.no_project"));
                return;
            };
            let mut changed = false;
            let mut zoom_to = None;
            let mut open_table = None;
            let mut move_layer: Option<(usize, usize)> = None;
            egui::ScrollArea::vertical().show(ui, |ui| {
                for (i, layer) in project.layers.iter_mut().enumerate().rev() {
                    if ui.checkbox(&mut layer.style.visible, &layer.name).changed() {
                        changed = true;
                    }
                    ui.horizontal(|ui| {
                        ui.add_space(18.0);
                        if ui
                            .small_button(t!("layers.locate"))
                            .on_hover_text(t!("layers.zoom_to"))
                            .clicked()
                        {
                            zoom_to = Some(i);
                        }
                        if ui.small_button(t!("table.open")).clicked() {
                            open_table = Some(i);
                        }
                        // The list is drawn topmost first: 上移 draws the layer later.
                        if ui
                            .small_button(t!("layers.up"))
                            .on_hover_text(t!("layers.up_hint"))
                            .clicked()
                        {
                            move_layer = Some((i, i + 1));
                        }
                        if ui
                            .small_button(t!("layers.down"))
                            .on_hover_text(t!("layers.down_hint"))
                            .clicked()
                            && i > 0
                        {
                            move_layer = Some((i, i - 1));
                        }
                        let slider = egui::Slider::new(&mut layer.style.opacity, 0.0..=1.0)
                            .show_value(false);
                        if ui
                            .add_sized([70.0, 14.0], slider)
                            .on_hover_text(t!("layers.opacity"))
                            .changed()
                        {
                            changed = true;
                        }
                    });
                    ui.horizontal(|ui| {
                        ui.add_space(18.0);
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
                }
                ui.separator();
                egui::CollapsingHeader::new(t!("legend.title"))
                    .default_open(true)
                    .show(ui, |ui| legend_ui(ui, &app.legend));
            });
            if changed {
                for (display, layer) in app.canvas.layers_mut().iter_mut().zip(&project.layers) {
                    if display.style != layer.style {
                        std::sync::Arc::make_mut(display).style = layer.style.clone();
                    }
                }
                app.legend = crate::render::legend(&project.layers);
                app.canvas.invalidate();
                app.dirty = true;
            }
            if let Some(i) = zoom_to {
                app.pending_fit = app.canvas.layers().get(i).and_then(|d| d.extent());
            }
            if let Some(i) = open_table {
                app.table = Some(super::table::TableState::new(project, i));
            }
            if let Some((from, to)) = move_layer
                && to < project.layers.len()
            {
                project.layers.swap(from, to);
                app.canvas.layers_mut().swap(from, to);
                app.labels = super::labels::build_labels(&project.layers, app.canvas.layers());
                app.legend = crate::render::legend(&project.layers);
                // Picks and the table refer to layer positions, which just changed.
                app.identified.clear();
                app.highlight.clear();
                app.table = None;
                app.canvas.invalidate();
                app.dirty = true;
            }
        });
}

/// Swatches and labels of the legend.
fn legend_ui(ui: &mut Ui, sections: &[crate::render::LegendSection]) {
    let colour = |c: crate::model::Rgba| {
        egui::Color32::from_rgba_unmultiplied(c.0[0], c.0[1], c.0[2], c.0[3])
    };
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

/// The identify panel: attributes, area and the land-use meaning of the picked feature.
pub fn identify_panel(app: &mut VillagePlanApp, ui: &mut Ui) {
    egui::Panel::right("identify")
        .default_size(300.0)
        .show(ui, |ui| {
            ui.heading(t!("identify.title"));
            let Some(project) = &app.project else { return };
            if app.identified.is_empty() {
                ui.label(t!("identify.none"));
                return;
            }
            if app.identified_rows.0 != app.identified {
                let rows = app
                    .identified
                    .iter()
                    .map(|picked| identify::describe(project, picked))
                    .collect();
                app.identified_rows = (app.identified.clone(), rows);
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                for (n, rows) in app.identified_rows.1.iter().enumerate() {
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
                                        ui.label(v);
                                        ui.end_row();
                                    }
                                });
                        });
                }
            });
        });
}

/// The attribute table, docked above the status bar.
pub fn table_panel(app: &mut VillagePlanApp, ui: &mut Ui) {
    let (Some(project), Some(state)) = (&app.project, &mut app.table) else {
        return;
    };
    let mut action = super::table::TableAction::default();
    egui::Panel::bottom("attribute_table")
        .resizable(true)
        .default_size(240.0)
        .show(ui, |ui| {
            action = super::table::table_ui(ui, project, state);
        });
    if action.closed {
        app.table = None;
        return;
    }
    if action.selection_changed {
        let Some(display) = app.canvas.layers().get(state.layer) else {
            return;
        };
        let mut bounds: Option<([f64; 2], [f64; 2])> = None;
        app.highlight.clear();
        for &i in &state.selected {
            let Some(g) = &display.geometries[i] else {
                continue;
            };
            app.highlight.push(rings(g));
            if let Some(r) = geo::BoundingRect::bounding_rect(g) {
                let (min, max) = ([r.min().x, r.min().y], [r.max().x, r.max().y]);
                bounds = Some(match bounds {
                    None => (min, max),
                    Some((a, b)) => (
                        [a[0].min(min[0]), a[1].min(min[1])],
                        [b[0].max(max[0]), b[1].max(max[1])],
                    ),
                });
            }
        }
        app.identified = state
            .selected
            .iter()
            .map(|&i| identify::Identified {
                layer_index: state.layer,
                feature_index: i,
            })
            .collect();
        app.pending_fit = bounds;
    }
}

/// Cursor position (lon/lat and Gauss-Kruger), scale and working CRS.
pub fn status_bar(app: &mut VillagePlanApp, ui: &mut Ui) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(job) = &app.load {
                let (fraction, task) = job.progress.snapshot();
                ui.label(t!("app.loading", what = job.what.as_str()));
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(200.0)
                        .text(task),
                );
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
            if let Some(e) = &app.error {
                ui.colored_label(egui::Color32::RED, e);
                return;
            }
            if app.saving.is_some() {
                ui.label(t!("save.saving"));
                ui.separator();
            } else if let Some(m) = &app.message {
                ui.label(m);
                ui.separator();
            }
            if let Some(m) = app.feedback.hover_mercator {
                let (lon, lat, gk) = map_view::describe_position(m, app.gk.as_ref());
                ui.label(format!("{} {lon:.6}°E {lat:.6}°N", t!("status.lonlat")));
                if let Some((x, y)) = gk {
                    ui.separator();
                    ui.label(format!("{} X {x:.1} Y {y:.1}", t!("status.gk")));
                }
            }
            ui.separator();
            let n = map_view::scale_denominator(app.feedback.ground_metres_per_point);
            if n.is_finite() && n > 0.0 {
                ui.label(format!("{} 1:{:.0}", t!("status.scale"), n));
            }
            if let Some(p) = &app.project {
                ui.separator();
                ui.label(format!("{} {}", t!("status.crs"), p.crs.label()));
            }
            if app.canvas.busy() {
                ui.separator();
                ui.label(t!("status.rendering"));
            }
        });
    });
}

/// The map fills the rest of the window.
pub fn central_map(app: &mut VillagePlanApp, ui: &mut Ui) {
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE)
        .show(ui, |ui| {
            if let Some((min, max)) = app.pending_fit.take() {
                map_view::fit_view(&mut app.memory, min, max, ui.available_size());
            }
            let feedback = map_view::map_ui(
                ui,
                MapInputs {
                    memory: &mut app.memory,
                    canvas: &mut app.canvas,
                    labels: &app.labels,
                    highlight: &app.highlight,
                },
                walkers::lon_lat(99.95, 24.6),
            );
            if let Some(at) = feedback.clicked_mercator {
                let tolerance = feedback.ground_metres_per_point * 4.0;
                app.identified = identify::pick_all(app.canvas.layers(), at, tolerance);
                if let Some(table) = &mut app.table {
                    let picked: Vec<usize> = app
                        .identified
                        .iter()
                        .filter(|p| p.layer_index == table.layer)
                        .map(|p| p.feature_index)
                        .collect();
                    table.select_from_map(&picked);
                }
                app.highlight = app
                    .identified
                    .first()
                    .and_then(|p| {
                        app.canvas.layers().get(p.layer_index)?.geometries[p.feature_index]
                            .as_ref()
                            .map(rings)
                    })
                    .into_iter()
                    .collect();
            }
            app.feedback = feedback;
        });
}
