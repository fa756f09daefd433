//! 质检: runs the library's check rules on a worker thread for the whole project, the
//! village at the centre of the map, or the current view (the view run is merged into the
//! last report, as an edit's re-check is); results are grouped by rule or by village with
//! counts; a click zooms to the problem's own geometry (the overlap, the gap, the
//! self-intersection point) and highlights it; a reviewer accepts a result as an exception
//! with a reason, which the project keeps.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use rust_i18n::t;

use crate::analysis::checks::{CheckReport, CheckResult, CheckScope, Severity};
use crate::app::workspace::Workspace;

/// How the result list is grouped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Grouping {
    Rule,
    Village,
}

/// Which part of the project a run covers.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum RunScope {
    /// Every feature.
    All,
    /// The village under the centre of the map.
    CurrentVillage,
    /// What the map shows.
    CurrentView,
}

/// The 质检 window's own state (the report is the document's).
pub struct ChecksView {
    grouping: Grouping,
    /// The group shown in the table (rule id or village code).
    group: Option<String>,
    /// The selected result (its key).
    selected: Option<String>,
    reason: String,
    error: Option<String>,
}

impl Default for ChecksView {
    fn default() -> Self {
        ChecksView {
            grouping: Grouping::Rule,
            group: None,
            selected: None,
            reason: String::new(),
            error: None,
        }
    }
}

/// Starts a run of `scope`; village and view runs are merged into the report when done.
pub fn run(ctx: &egui::Context, ws: &mut Workspace, view: &mut ChecksView, scope: RunScope) {
    view.error = None;
    let (scope, text) = match scope {
        RunScope::All => (CheckScope::All, t!("checks.scope_all").into_owned()),
        RunScope::CurrentVillage => match ws.village_at_centre() {
            Ok(Some((code, name))) => (
                CheckScope::Village(code),
                t!("checks.scope_village", name = name).into_owned(),
            ),
            Ok(None) => {
                view.error = Some(t!("checks.no_village").into_owned());
                return;
            }
            Err(e) => {
                view.error = Some(e.to_string());
                return;
            }
        },
        RunScope::CurrentView => match ws.doc.as_ref().and_then(|d| ws.map.view_gk(d)) {
            Some(r) => (CheckScope::Window(r), t!("checks.scope_view").into_owned()),
            None => return,
        },
    };
    ws.run_checks(ctx, scope, text);
}

/// What the window asked for this frame.
#[derive(Default)]
struct Action {
    run: Option<RunScope>,
    show: Option<CheckResult>,
    accept: Option<(CheckResult, String)>,
}

/// The 质检 window; false when it was closed.
pub fn checks_ui(ctx: &egui::Context, ws: &mut Workspace, view: &mut ChecksView) -> bool {
    let progress = ws.checks_running();
    let mut open = true;
    let mut action = Action::default();
    let report = ws.doc.as_ref().and_then(|d| d.checks());
    let scope_text = ws.checks_scope.clone();
    egui::Window::new(t!("checks.title"))
        .id(egui::Id::unique("checks_window"))
        .open(&mut open)
        // Docked low over the map, so the feature it zooms to stays visible above it.
        .default_pos([300.0, 380.0])
        .default_size([720.0, 360.0])
        .resizable(true)
        .show(ctx, |ui| {
            window_body(ui, view, report, &scope_text, progress, &mut action)
        });
    if let Some(scope) = action.run {
        run(ctx, ws, view, scope);
    }
    let Some(doc) = &mut ws.doc else { return open };
    if let Some(result) = action.show
        && let Some(geometry) = &result.geometry
        && let Err(e) = doc.show_geometry(geometry, 300.0)
    {
        view.error = Some(e.to_string());
    }
    if let Some((result, reason)) = action.accept
        && let Err(e) = doc.accept_exception(&result, &reason)
    {
        view.error = Some(e.to_string());
    }
    open
}

fn window_body(
    ui: &mut Ui,
    panel: &mut ChecksView,
    report: Option<&CheckReport>,
    scope_text: &str,
    progress: Option<(f32, String)>,
    action: &mut Action,
) {
    ui.horizontal(|ui| {
        ui.add_enabled_ui(progress.is_none(), |ui| {
            if ui.button(t!("checks.run_all")).clicked() {
                action.run = Some(RunScope::All);
            }
            if ui.button(t!("checks.run_village")).clicked() {
                action.run = Some(RunScope::CurrentVillage);
            }
            if ui.button(t!("checks.run_view")).clicked() {
                action.run = Some(RunScope::CurrentView);
            }
        });
        if let Some((fraction, task)) = progress {
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(220.0)
                    .text(task),
            );
        }
    });
    if let Some(e) = &panel.error {
        ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
    }
    let Some(report) = report else {
        ui.label(t!("checks.not_run"));
        return;
    };
    let errors = report.blocking_count();
    let warnings = report
        .results
        .iter()
        .filter(|r| r.severity == Severity::Warning && r.exception.is_none())
        .count();
    let exceptions = report
        .results
        .iter()
        .filter(|r| r.exception.is_some())
        .count();
    ui.horizontal_wrapped(|ui| {
        let colour = if errors > 0 {
            egui::Color32::from_rgb(210, 50, 50)
        } else {
            egui::Color32::from_rgb(40, 150, 60)
        };
        ui.label(
            RichText::new(t!("checks.errors", count = errors))
                .color(colour)
                .strong(),
        );
        ui.label(t!("checks.warnings", count = warnings));
        ui.label(t!("checks.exceptions", count = exceptions));
        ui.label(
            RichText::new(t!(
                "checks.summary",
                rules = report.rules_run,
                scope = scope_text
            ))
            .small()
            .weak(),
        );
    });
    if !report.skipped.is_empty() {
        let english = rust_i18n::locale().starts_with("en");
        egui::CollapsingHeader::new(t!("checks.skipped", count = report.skipped.len())).show(
            ui,
            |ui| {
                for s in &report.skipped {
                    let why = if english { &s.reason_en } else { &s.reason_zh };
                    ui.label(RichText::new(format!("{}: {why}", s.rule_id)).small());
                }
            },
        );
    }
    ui.horizontal(|ui| {
        ui.label(t!("checks.group_by"));
        if ui
            .selectable_value(&mut panel.grouping, Grouping::Rule, t!("checks.by_rule"))
            .clicked()
            || ui
                .selectable_value(
                    &mut panel.grouping,
                    Grouping::Village,
                    t!("checks.by_village"),
                )
                .clicked()
        {
            panel.group = None;
        }
    });
    if let Some(key) = &panel.selected
        && let Some(result) = report.results.iter().find(|r| &r.key == key)
    {
        let english = rust_i18n::locale().starts_with("en");
        let message = if english {
            &result.message_en
        } else {
            &result.message_zh
        };
        ui.label(RichText::new(message).strong());
        match &result.exception {
            Some(reason) => {
                ui.label(t!("checks.accepted", reason = reason.as_str()));
            }
            None => {
                ui.horizontal(|ui| {
                    let label = ui.label(t!("checks.reason"));
                    ui.add(egui::TextEdit::singleline(&mut panel.reason).desired_width(320.0))
                        .labelled_by(label.id);
                    if ui
                        .add_enabled(
                            !panel.reason.trim().is_empty(),
                            egui::Button::new(t!("checks.accept")),
                        )
                        .clicked()
                    {
                        action.accept = Some((result.clone(), panel.reason.trim().to_string()));
                        panel.reason.clear();
                    }
                });
            }
        }
    }
    ui.separator();
    let groups = groups(report, panel.grouping);
    // A window grows with its content: the lists get a bounded height of their own.
    let height = ui.available_height().clamp(160.0, 360.0);
    ui.horizontal_top(|ui| {
        egui::ScrollArea::vertical()
            .id_salt("checks_groups")
            .max_height(height.max(100.0))
            .max_width(260.0)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_width(250.0);
                ui.vertical(|ui| {
                    for (key, label, count) in &groups {
                        let text = format!("{label} ({count})");
                        if ui
                            .selectable_label(panel.group.as_deref() == Some(key), text)
                            .clicked()
                        {
                            panel.group = Some(key.clone());
                        }
                    }
                });
            });
        ui.separator();
        ui.vertical(|ui| {
            let rows: Vec<&CheckResult> = report
                .results
                .iter()
                .filter(|r| {
                    panel
                        .group
                        .as_deref()
                        .is_none_or(|g| group_key(r, panel.grouping) == g)
                })
                .collect();
            results_table(ui, &rows, &mut panel.selected, height.max(100.0), action);
        });
    });
}

fn group_key(r: &CheckResult, grouping: Grouping) -> &str {
    match grouping {
        Grouping::Rule => &r.rule_id,
        Grouping::Village => r.village.as_ref().map_or("", |v| v.code.as_str()),
    }
}

/// (key, label, count) of every group, errors first then by name.
fn groups(report: &CheckReport, grouping: Grouping) -> Vec<(String, String, usize)> {
    let mut map: std::collections::BTreeMap<String, (String, usize, bool)> = Default::default();
    for r in &report.results {
        let key = group_key(r, grouping).to_string();
        let label = match grouping {
            Grouping::Rule => r.rule_name_zh.clone(),
            Grouping::Village => r.village.as_ref().map_or_else(
                || t!("checks.no_village_group").into_owned(),
                |v| v.name.clone(),
            ),
        };
        let entry = map.entry(key).or_insert((label, 0, false));
        entry.1 += 1;
        entry.2 |= r.is_blocking();
    }
    let mut out: Vec<(String, String, usize, bool)> =
        map.into_iter().map(|(k, (l, n, e))| (k, l, n, e)).collect();
    out.sort_by(|a, b| b.3.cmp(&a.3).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(k, l, n, _)| (k, l, n)).collect()
}

fn results_table(
    ui: &mut Ui,
    rows: &[&CheckResult],
    selected: &mut Option<String>,
    height: f32,
    action: &mut Action,
) {
    let english = rust_i18n::locale().starts_with("en");
    TableBuilder::new(ui)
        .id_salt("checks_results")
        .striped(true)
        .max_scroll_height(height)
        .sense(egui::Sense::click())
        .column(Column::exact(44.0))
        .column(Column::exact(110.0).clip(true))
        .column(Column::exact(90.0))
        .column(Column::remainder().clip(true))
        .header(20.0, |mut header| {
            for title in [
                "checks.severity",
                "checks.village",
                "checks.measure",
                "checks.message",
            ] {
                header.col(|ui| {
                    ui.strong(t!(title));
                });
            }
        })
        .body(|body| {
            body.rows(20.0, rows.len(), |mut row| {
                let r = rows[row.index()];
                row.set_selected(selected.as_deref() == Some(r.key.as_str()));
                row.col(|ui| {
                    let (text, colour) = match (&r.exception, r.severity) {
                        (Some(_), _) => (t!("checks.exception"), egui::Color32::GRAY),
                        (None, Severity::Error) => {
                            (t!("checks.error"), egui::Color32::from_rgb(210, 50, 50))
                        }
                        (None, Severity::Warning) => {
                            (t!("checks.warning"), egui::Color32::from_rgb(200, 130, 0))
                        }
                    };
                    ui.add(egui::Label::new(RichText::new(text).color(colour)).selectable(false));
                });
                row.col(|ui| {
                    let name = r.village.as_ref().map_or("", |v| v.name.as_str());
                    ui.add(egui::Label::new(name).selectable(false));
                });
                row.col(|ui| {
                    let measure = r
                        .area_m2
                        .map(|a| format!("{:.2} {}", crate::units::mu(a), t!("checks.mu")))
                        .unwrap_or_default();
                    ui.add(egui::Label::new(measure).selectable(false));
                });
                row.col(|ui| {
                    let message = if english {
                        &r.message_en
                    } else {
                        &r.message_zh
                    };
                    ui.add(egui::Label::new(message).selectable(false).truncate());
                });
                if row.response().clicked() {
                    *selected = Some(r.key.clone());
                    action.show = Some(r.clone());
                }
            });
        });
}
