//! The window's panels: menu and search bar, identify, status bar, map (the layer list
//! is in [`super::layers`]).

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
                if ui.button(t!("menu.new")).clicked() {
                    app.new_project = Some(super::opening::NewProject::for_app(app));
                    ui.close();
                }
                let open_shortcut = ui.ctx().format_shortcut(&super::opening::OPEN);
                if ui
                    .add(egui::Button::new(t!("menu.open")).shortcut_text(open_shortcut))
                    .clicked()
                {
                    app.open_dialog = Some(String::new());
                    ui.close();
                }
                let has_project = app.project.is_some();
                if ui
                    .add_enabled(has_project, egui::Button::new(t!("menu.add_layer")))
                    .clicked()
                {
                    app.adding = Some(super::adding::AddLayer::new());
                    ui.close();
                }
                ui.separator();
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
            ui.menu_button(t!("menu.edit"), |ui| super::editing::menu(app, ui));
            ui.menu_button(t!("menu.view"), |ui| {
                if ui.button(t!("menu.full_extent")).clicked() {
                    app.zoom_full();
                    ui.close();
                }
            });
            ui.menu_button(t!("menu.analysis"), |ui| {
                if ui
                    .add_enabled(app.project.is_some(), egui::Button::new(t!("menu.checks")))
                    .clicked()
                {
                    app.open_checks();
                    ui.close();
                }
                if ui
                    .add_enabled(
                        app.project.is_some(),
                        egui::Button::new(t!("menu.classify")),
                    )
                    .clicked()
                {
                    app.open_classification();
                    ui.close();
                }
            });
            ui.menu_button(t!("menu.settings"), |ui| {
                if ui.button(t!("menu.preferences")).clicked() {
                    app.settings_dialogs.editing = Some(app.settings.clone());
                    ui.close();
                }
                ui.menu_button(t!("menu.language"), |ui| {
                    for (code, name) in [("zh-CN", "中文"), ("en", "English")] {
                        if ui.button(name).clicked() {
                            let mut new = app.settings.clone();
                            new.language = code.into();
                            super::settings::apply(app, &ui.ctx().clone(), new);
                            ui.close();
                        }
                    }
                });
            });
            ui.menu_button(t!("menu.help"), |ui| {
                if ui.button(t!("menu.about")).clicked() {
                    app.settings_dialogs.about = true;
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
    use crate::model::admin::AdminUnits;
    // Townships and villages, in drawing order, as the library reads them.
    let mut readers: Vec<(usize, AdminUnits)> = [
        AdminUnits::townships(project),
        AdminUnits::villages(project),
    ]
    .into_iter()
    .flatten()
    .filter_map(|units| Some((project.layer_position(&units.layer.id)?, units)))
    .collect();
    readers.sort_by_key(|(li, _)| *li);
    for (li, units) in &readers {
        let li = *li;
        let hit = units.find(&query).map(|u| u.position);
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

/// The outlines to highlight for a geometry (Web Mercator): polygon rings, lines, and
/// points as one-point rings.
pub(crate) fn rings(g: &geo::Geometry<f64>) -> Vec<Vec<[f64; 2]>> {
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
        Geometry::GeometryCollection(c) => {
            for part in &c.0 {
                out.extend(rings(part));
            }
        }
        // A point is a one-point "ring": the map draws it as a marker.
        Geometry::Point(p) => out.push(vec![[p.x(), p.y()]]),
        Geometry::MultiPoint(m) => out.extend(m.0.iter().map(|p| vec![[p.x(), p.y()]])),
        Geometry::LineString(l) => out.push(l.0.iter().map(|c| [c.x, c.y]).collect()),
        Geometry::MultiLineString(m) => {
            out.extend(m.0.iter().map(|l| l.0.iter().map(|c| [c.x, c.y]).collect()))
        }
        _ => {}
    }
    out
}

/// The identify panel: attributes, area and the land-use meaning of the picked feature.
pub fn identify_panel(app: &mut VillagePlanApp, ui: &mut Ui) {
    egui::Panel::right("identify")
        .default_size(300.0)
        .min_size(260.0)
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
    let edit_layer = app.editor.active.as_ref().and_then(|id| {
        app.project
            .as_ref()?
            .layers
            .iter()
            .find(|l| &l.id == id)
            .map(|l| l.name.clone())
    });
    let (Some(project), Some(state)) = (&app.project, &mut app.table) else {
        return;
    };
    let mut action = super::table::TableAction::default();
    egui::Panel::bottom("attribute_table")
        .resizable(true)
        .default_size(240.0)
        .show(ui, |ui| {
            action = super::table::table_ui(ui, project, state, edit_layer.as_deref());
        });
    if action.closed {
        app.table = None;
        return;
    }
    if action.create_from_selection {
        let positions: Vec<usize> = state.selected.iter().copied().collect();
        let source = state.layer;
        super::editing::create_from_selection(app, source, &positions);
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
            let overlay = super::editing::overlay(app);
            let shift = ui.input(|i| i.modifiers.shift);
            let pans = super::editing::map_pans(app, shift);
            let feedback = map_view::map_ui(
                ui,
                MapInputs {
                    memory: &mut app.memory,
                    canvas: &mut app.canvas,
                    labels: &app.labels,
                    highlight: &app.highlight,
                    basemap: &mut app.basemap,
                    edit: &overlay,
                    drawing: app.editor.tool != super::editing::Tool::Select,
                    panning: pans,
                },
                walkers::lon_lat(99.95, 24.6),
            );
            app.feedback = feedback.clone();
            let used_by_editor = super::editing::map_input(app, shift);
            if let Some(at) = feedback
                .clicked_mercator
                .filter(|_| !used_by_editor && app.editor.tool == super::editing::Tool::Select)
            {
                let tolerance = feedback.ground_metres_per_point * 4.0;
                let picks = identify::pick_all(app.canvas.layers(), at, tolerance);
                super::editing::select_on_map(app, picks, shift);
                if let Some(table) = &mut app.table {
                    let picked: Vec<usize> = app
                        .identified
                        .iter()
                        .filter(|p| p.layer_index == table.layer)
                        .map(|p| p.feature_index)
                        .collect();
                    table.select_from_map(&picked);
                }
                // Shift+click builds a selection: every selected feature is outlined.
                let shown = if shift { app.identified.len() } else { 1 };
                app.highlight = app
                    .identified
                    .iter()
                    .take(shown)
                    .filter_map(|p| {
                        app.canvas.layers().get(p.layer_index)?.geometries[p.feature_index]
                            .as_ref()
                            .map(rings)
                    })
                    .collect();
            }
            app.feedback = feedback;
        });
}
