//! 村庄分类: runs the five-type classification of the library on a worker thread, lists
//! every village with its type and the evidence that decided it, lets the planner override
//! a type with a reason, colours the village layer by type and charts the counts per
//! township and for the county. The result is the document's (computed, or stored in the
//! project).

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use rust_i18n::t;

use crate::LayerRole;
use crate::analysis::classify::{Classification, VillageType, clear_override, set_override};
use crate::app::selection::FeatureRef;
use crate::app::widgets::file_browser::{FileBrowser, Filter};
use crate::app::workspace::Workspace;
use crate::model::Rgba;

/// The classification window's own state.
pub struct ClassifyView {
    /// Row selected in the table (index into the result's villages).
    pub selected: Option<usize>,
    override_type: VillageType,
    override_reason: String,
    error: Option<String>,
    /// Only villages of this type are listed.
    filter: Option<VillageType>,
    /// Optional village statistics table (CSV/XLSX/ODS) joined by village code.
    table_path: String,
    /// The browser for the table, while open.
    browser: Option<FileBrowser>,
}

impl Default for ClassifyView {
    fn default() -> Self {
        ClassifyView {
            selected: None,
            override_type: VillageType::Undetermined,
            override_reason: String::new(),
            error: None,
            filter: None,
            table_path: String::new(),
            browser: None,
        }
    }
}

fn colour(c: Rgba) -> egui::Color32 {
    egui::Color32::from_rgba_unmultiplied(c.0[0], c.0[1], c.0[2], 255)
}

/// Starts the classification of the open project on a worker.
pub fn run(ctx: &egui::Context, ws: &mut Workspace, view: &ClassifyView) {
    let table = PathBuf::from(view.table_path.trim());
    let table = (!table.as_os_str().is_empty()).then_some(table);
    ws.run_classification(ctx, table);
}

/// What the window asked for this frame.
#[derive(Default)]
struct Action {
    run: bool,
    zoom: Option<i64>,
    set_override: Option<(String, VillageType, String)>,
    clear_override: Option<String>,
}

/// The 村庄分类 window; false when it was closed.
pub fn classify_ui(ctx: &egui::Context, ws: &mut Workspace, view: &mut ClassifyView) -> bool {
    let running = ws.classifying();
    let result = ws.doc.as_ref().and_then(|d| d.classification());
    let mut open = true;
    let mut action = Action::default();
    egui::Window::new(t!("classify.title"))
        .id(egui::Id::unique("classify_window"))
        .open(&mut open)
        // Docked low over the map, so the feature it zooms to stays visible above it.
        .default_pos([300.0, 380.0])
        .default_size([720.0, 360.0])
        .resizable(true)
        .show(ctx, |ui| {
            window_body(ui, view, result, running, &mut action)
        });
    if action.run {
        run(ctx, ws, view);
    }
    let Some(doc) = &mut ws.doc else { return open };
    let villages = doc
        .project()
        .layers
        .iter()
        .find(|l| l.role == LayerRole::Village)
        .map(|l| l.id.clone());
    if let (Some(feature), Some(layer)) = (action.zoom, &villages) {
        let village = FeatureRef {
            layer: layer.clone(),
            feature,
        };
        doc.select(vec![village], false, true);
    }
    let layers: Vec<String> = villages.into_iter().collect();
    let change = if let Some((code, kind, reason)) = action.set_override {
        Some(doc.change_project(&layers, |p| {
            set_override(p, &code, kind, &reason).map(|_| ())
        }))
    } else {
        action
            .clear_override
            .map(|code| doc.change_project(&layers, |p| clear_override(p, &code).map(|_| ())))
    };
    match change {
        // Overrides change the final type only: re-running recomputes nothing else, but
        // keeps the stored results and CZLX in step with what the planner decided.
        Some(Ok(())) => run(ctx, ws, view),
        Some(Err(e)) => view.error = Some(e.to_string()),
        None => {}
    }
    open
}

fn window_body(
    ui: &mut Ui,
    panel: &mut ClassifyView,
    result: Option<&Classification>,
    running: bool,
    action: &mut Action,
) {
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!running, egui::Button::new(t!("classify.run")))
            .clicked()
        {
            action.run = true;
        }
        if running {
            ui.spinner();
            ui.label(t!("classify.running"));
        }
        if let Some(r) = result {
            ui.label(
                RichText::new(t!(
                    "classify.summary",
                    count = r.villages.len(),
                    rules = r.rules_source.as_str()
                ))
                .small()
                .weak(),
            );
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(t!("classify.table"));
        ui.add(
            egui::TextEdit::singleline(&mut panel.table_path)
                .hint_text(t!("classify.table_hint"))
                .desired_width(360.0),
        )
        .labelled_by(label.id);
        if ui.small_button(t!("classify.browse")).clicked() {
            panel.browser = match panel.browser {
                Some(_) => None,
                None => Some(FileBrowser::new(
                    Path::new(panel.table_path.trim()),
                    Filter::Table,
                )),
            };
        }
    });
    if let Some(browser) = &mut panel.browser
        && browser.ui(ui, &mut panel.table_path).is_some()
    {
        panel.browser = None;
    }
    if let Some(e) = &panel.error {
        ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
    }
    let Some(result) = result else {
        ui.label(t!("classify.not_run"));
        return;
    };
    // The counts double as a filter of the table.
    ui.horizontal_wrapped(|ui| {
        let counts = result.counts();
        if ui
            .selectable_label(panel.filter.is_none(), t!("classify.all"))
            .clicked()
        {
            panel.filter = None;
        }
        for t in VillageType::ALL {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, colour(t.colour()));
            let text = format!("{} {}", type_name(t), counts.get(&t).copied().unwrap_or(0));
            if ui.selectable_label(panel.filter == Some(t), text).clicked() {
                panel.filter = Some(t);
            }
        }
    });
    if !result.warnings.is_empty() || !result.orphan_overrides.is_empty() {
        egui::CollapsingHeader::new(
            RichText::new(t!("classify.warnings", count = result.warnings.len()))
                .color(egui::Color32::from_rgb(200, 90, 0)),
        )
        .show(ui, |ui| {
            for w in &result.warnings {
                ui.label(RichText::new(w).small());
            }
            for code in &result.orphan_overrides {
                ui.label(RichText::new(t!("classify.orphan", code = code.as_str())).small());
            }
        });
    }
    egui::CollapsingHeader::new(t!("classify.chart"))
        .default_open(false)
        .show(ui, |ui| chart(ui, result));
    ui.separator();
    let detail_height = if panel.selected.is_some() { 170.0 } else { 0.0 };
    // A window grows with its content: the table gets a bounded height of its own.
    let table_height = (ui.available_height() - detail_height).clamp(120.0, 320.0);
    let rows: Vec<usize> = (0..result.villages.len())
        .filter(|&i| {
            panel
                .filter
                .is_none_or(|t| result.villages[i].final_type() == t)
        })
        .collect();
    table(ui, result, &rows, &mut panel.selected, table_height, action);
    if let Some(i) = panel.selected
        && let Some(v) = result.villages.get(i)
    {
        ui.separator();
        detail(
            ui,
            v,
            &mut panel.override_type,
            &mut panel.override_reason,
            action,
        );
    }
}

fn type_name(t: VillageType) -> &'static str {
    if rust_i18n::locale().starts_with("en") {
        t.name_en()
    } else {
        t.name_zh()
    }
}

fn table(
    ui: &mut Ui,
    result: &Classification,
    rows: &[usize],
    selected: &mut Option<usize>,
    height: f32,
    action: &mut Action,
) {
    let english = rust_i18n::locale().starts_with("en");
    TableBuilder::new(ui)
        .striped(true)
        .max_scroll_height(height)
        .sense(egui::Sense::click())
        .column(Column::exact(150.0).clip(true))
        .column(Column::exact(120.0).clip(true))
        .column(Column::exact(90.0))
        .column(Column::remainder().clip(true))
        .header(20.0, |mut header| {
            for title in [
                "classify.village",
                "classify.township",
                "classify.type",
                "classify.reason",
            ] {
                header.col(|ui| {
                    ui.strong(t!(title));
                });
            }
        })
        .body(|body| {
            body.rows(20.0, rows.len(), |mut row| {
                let i = rows[row.index()];
                let v = &result.villages[i];
                row.set_selected(*selected == Some(i));
                row.col(|ui| {
                    ui.add(egui::Label::new(&v.name).selectable(false));
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(&v.township).selectable(false));
                });
                row.col(|ui| {
                    let mut text = RichText::new(type_name(v.final_type()))
                        .color(colour(v.final_type().colour()));
                    if v.override_.is_some() {
                        text = text.italics();
                    }
                    ui.add(egui::Label::new(text).selectable(false));
                });
                row.col(|ui| {
                    let mut reason = if english { &v.reason_en } else { &v.reason_zh }.clone();
                    if v.override_.is_some() {
                        reason = format!("[{}] {reason}", t!("classify.overridden"));
                    } else if v.needs_review() {
                        reason = format!("[{}] {reason}", t!("classify.conflict"));
                    }
                    ui.add(egui::Label::new(reason).selectable(false).truncate());
                });
                if row.response().clicked() {
                    *selected = Some(i);
                    action.zoom = Some(v.feature_id);
                }
            });
        });
}

fn detail(
    ui: &mut Ui,
    v: &crate::analysis::classify::VillageResult,
    kind: &mut VillageType,
    reason: &mut String,
    action: &mut Action,
) {
    let english = rust_i18n::locale().starts_with("en");
    egui::ScrollArea::vertical()
        .id_salt("classify_detail")
        .max_height(160.0)
        .show(ui, |ui| {
            ui.label(RichText::new(format!("{} {} · {}", v.township, v.name, v.code)).strong());
            ui.horizontal(|ui| {
                let label = ui.label(t!("classify.override_to"));
                egui::ComboBox::from_id_salt("override_type")
                    .selected_text(type_name(*kind))
                    .show_ui(ui, |ui| {
                        for t in VillageType::ALL {
                            ui.selectable_value(kind, t, type_name(t));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                let label = ui.label(t!("classify.override_reason"));
                ui.add(egui::TextEdit::singleline(reason).desired_width(220.0))
                    .labelled_by(label.id);
                if ui
                    .add_enabled(
                        !reason.trim().is_empty(),
                        egui::Button::new(t!("classify.override")),
                    )
                    .clicked()
                {
                    action.set_override = Some((v.code.clone(), *kind, reason.trim().to_string()));
                    reason.clear();
                }
                if v.override_.is_some() && ui.button(t!("classify.clear_override")).clicked() {
                    action.clear_override = Some(v.code.clone());
                }
            });
            ui.label(format!(
                "{}: {} ({}: {})",
                t!("classify.computed"),
                type_name(v.computed_type),
                t!("classify.rule"),
                v.rule.as_deref().unwrap_or("-")
            ));
            ui.label(if english { &v.reason_en } else { &v.reason_zh });
            for c in &v.conflicts {
                ui.colored_label(
                    egui::Color32::from_rgb(200, 90, 0),
                    format!(
                        "{}: {}",
                        t!("classify.conflict"),
                        if english {
                            &c.message_en
                        } else {
                            &c.message_zh
                        }
                    ),
                );
            }
            egui::CollapsingHeader::new(t!("classify.indicators"))
                .id_salt(("classify_indicators", &v.code))
                .show(ui, |ui| {
                    egui::Grid::new(("indicator_grid", &v.code))
                        .striped(true)
                        .num_columns(2)
                        .show(ui, |ui| {
                            for (indicator, value) in &v.indicators {
                                let name = if english {
                                    indicator.name_en()
                                } else {
                                    indicator.name_zh()
                                };
                                ui.label(name);
                                ui.label(indicator.format(*value));
                                ui.end_row();
                            }
                        });
                });
            if let Some(o) = &v.override_ {
                ui.label(format!(
                    "{}: {} - {}",
                    t!("classify.overridden"),
                    type_name(o.village_type),
                    o.reason
                ));
            }
        });
}

/// Stacked bars: villages per township by type, and the county total.
fn chart(ui: &mut Ui, result: &Classification) {
    use egui_plot::{Bar, BarChart, Legend, Plot};
    let by_township = result.counts_by_township();
    let townships: Vec<String> = by_township.keys().cloned().collect();
    let mut charts: Vec<BarChart> = Vec::new();
    for t in VillageType::ALL {
        let bars = townships
            .iter()
            .enumerate()
            .map(|(x, name)| {
                let n = by_township[name].get(&t).copied().unwrap_or(0);
                Bar::new(x as f64, n as f64)
                    .name(name)
                    .fill(colour(t.colour()))
            })
            .collect();
        let refs: Vec<&BarChart> = charts.iter().collect();
        let chart = BarChart::new(type_name(t), bars)
            .color(colour(t.colour()))
            .width(0.7)
            .stack_on(&refs);
        charts.push(chart);
    }
    let labels = townships.clone();
    Plot::new("classify_chart")
        .height(200.0)
        .legend(Legend::default())
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .y_axis_label(t!("classify.villages"))
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            for c in charts {
                plot.bar_chart(c);
            }
        });
    let counts = result.counts();
    ui.label(
        VillageType::ALL
            .iter()
            .map(|t| format!("{} {}", type_name(*t), counts.get(t).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(" · ")
            + &format!(
                " · {} {}",
                t!("classify.county_total"),
                result.villages.len()
            ),
    );
}
