//! 质检: runs the library's check rules on a worker thread for the whole project, the
//! village at the centre of the map, or the current view (the view run is merged into the
//! last report, as an edit's re-check is); results are grouped by rule or by village with
//! counts; a click zooms to the problem's own geometry (the overlap, the gap, the
//! self-intersection point) and highlights it; a reviewer accepts a result as an exception
//! with a reason, which the project keeps.

use std::sync::Arc;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use geo::BoundingRect;
use rust_i18n::t;

use super::VillagePlanApp;
use super::adding::{Job, spawn};
use crate::analysis::checks::{
    CheckReport, CheckResult, CheckScope, Exceptions, RuleSet, Severity, accept_exception,
    run_checks,
};
use crate::crs::{Transformer, epsg_srs};
use crate::render::EPSG_WEB_MERCATOR;

/// How the result list is grouped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Grouping {
    Rule,
    Village,
}

/// The 质检 window's state.
pub struct ChecksPanel {
    /// The latest report.
    pub report: Option<CheckReport>,
    job: Option<(Job<CheckReport>, CheckScope)>,
    grouping: Grouping,
    /// The group shown in the table (rule id or village code).
    group: Option<String>,
    /// The selected result (its key).
    selected: Option<String>,
    reason: String,
    error: Option<String>,
    /// What the last run covered, for the summary line.
    scope_text: String,
}

impl ChecksPanel {
    /// An empty panel; nothing runs until asked.
    pub fn new() -> Self {
        ChecksPanel {
            report: None,
            job: None,
            grouping: Grouping::Rule,
            group: None,
            selected: None,
            reason: String::new(),
            error: None,
            scope_text: String::new(),
        }
    }

    /// True while checks run.
    pub fn running(&self) -> bool {
        self.job.is_some()
    }
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
    /// The area an edit changed (working CRS): merged into the last report.
    Edited(geo::Rect<f64>),
}

/// After an edit: re-checks only the changed area when a report is shown (and no run is
/// under way), so the results follow the drawing.
pub fn recheck_after_edit(app: &mut VillagePlanApp, ctx: &egui::Context, changed: geo::Rect<f64>) {
    let ready = app
        .checks
        .as_ref()
        .is_some_and(|p| p.report.is_some() && !p.running());
    if ready {
        // A metre around it: results touching the edited boundary are included.
        let pad = geo::coord! { x: 1.0, y: 1.0 };
        let area = geo::Rect::new(changed.min() - pad, changed.max() + pad);
        run(app, ctx, RunScope::Edited(area));
    }
}

/// Starts a run; view and village runs are merged into the last report when it finishes.
pub fn run(app: &mut VillagePlanApp, ctx: &egui::Context, scope: RunScope) {
    let Some(project) = &app.project else { return };
    let (scope, text) = match scope {
        RunScope::All => (CheckScope::All, t!("checks.scope_all").into_owned()),
        RunScope::CurrentVillage => match village_at_centre(app) {
            Some((code, name)) => (
                CheckScope::Village(code),
                t!("checks.scope_village", name = name).into_owned(),
            ),
            None => {
                if let Some(p) = &mut app.checks {
                    p.error = Some(t!("checks.no_village").into_owned());
                }
                return;
            }
        },
        RunScope::CurrentView => match view_rect(app) {
            Some(r) => (CheckScope::Window(r), t!("checks.scope_view").into_owned()),
            None => return,
        },
        RunScope::Edited(r) => (CheckScope::Window(r), t!("checks.scope_edit").into_owned()),
    };
    let project = Arc::new(project.clone());
    let Some(panel) = &mut app.checks else { return };
    panel.error = None;
    panel.scope_text = text;
    let worker_scope = scope.clone();
    let job = spawn(ctx, move |progress| {
        let rules = RuleSet::for_project(&project.settings).map_err(|e| e.to_string())?;
        run_checks(&project, &rules, &worker_scope, progress).map_err(|e| e.to_string())
    });
    panel.job = Some((job, scope));
}

/// The village whose polygon holds the centre of the map, as (code, name).
pub(crate) fn village_at_centre(app: &VillagePlanApp) -> Option<(String, String)> {
    let project = app.project.as_ref()?;
    let (lon, lat) = app.view_center_lonlat()?;
    let (x, y) = app.gk.as_ref()?.transform_point(lon, lat).ok()?;
    let villages = crate::model::admin::AdminUnits::villages(project).ok()?;
    let unit = villages.containing(geo::coord! { x: x, y: y })?;
    Some((unit.code.clone(), unit.name.clone()))
}

/// The map's current view as a rectangle in the working CRS.
fn view_rect(app: &VillagePlanApp) -> Option<geo::Rect<f64>> {
    let viewport = app.feedback.viewport?;
    let gk = app.gk.as_ref()?;
    let (min, max) = viewport.bounds();
    let corners = [
        [min[0], min[1]],
        [min[0], max[1]],
        [max[0], min[1]],
        [max[0], max[1]],
    ];
    let pts: Vec<geo::Coord<f64>> = corners
        .iter()
        .filter_map(|m| {
            let (lon, lat) = super::map_view::lonlat_from_mercator(*m);
            gk.transform_point(lon, lat).ok()
        })
        .map(|(x, y)| geo::coord! { x: x, y: y })
        .collect();
    geo::MultiPoint::from(pts).bounding_rect()
}

/// Shows a result on the map: the view fits its geometry (at least 300 m across) and the
/// geometry is highlighted (a point as a ring marker).
fn show_result(app: &mut VillagePlanApp, result: &CheckResult) {
    let (Some(project), Some(geometry)) = (&app.project, &result.geometry) else {
        return;
    };
    let Ok(to_mercator) = project
        .crs
        .spatial_ref()
        .and_then(|s| Transformer::new(&s, &epsg_srs(EPSG_WEB_MERCATOR)?))
    else {
        return;
    };
    let mut g = geometry.clone();
    if to_mercator.transform_geometry(&mut g).is_err() {
        return;
    }
    if let Some(r) = g.bounding_rect() {
        let pad = (300.0 - r.width().max(r.height())).max(0.0) / 2.0;
        app.pending_fit = Some((
            [r.min().x - pad, r.min().y - pad],
            [r.max().x + pad, r.max().y + pad],
        ));
    }
    app.highlight = vec![super::panels::rings(&g)];
}

/// What the window asked for this frame.
#[derive(Default)]
struct Action {
    run: Option<RunScope>,
    show: Option<CheckResult>,
    accept: Option<(CheckResult, String)>,
}

/// The 质检 window.
pub fn checks_ui(app: &mut VillagePlanApp, ctx: &egui::Context) {
    let Some(panel) = &mut app.checks else { return };
    if let Some((job, _)) = &panel.job
        && let Ok(outcome) = job.result.try_recv()
    {
        let (_, scope) = panel.job.take().expect("a job");
        match outcome {
            Ok(newer) => match (&mut panel.report, &scope) {
                (Some(report), CheckScope::Window(_) | CheckScope::Village(_)) => {
                    report.merge(&scope, newer)
                }
                _ => panel.report = Some(newer),
            },
            Err(e) => panel.error = Some(e),
        }
    }
    let progress = panel.job.as_ref().map(|(j, _)| j.progress.snapshot());
    let mut open = true;
    let mut action = Action::default();
    egui::Window::new(t!("checks.title"))
        .id(egui::Id::unique("checks_window"))
        .open(&mut open)
        // Docked low over the map, so the feature it zooms to stays visible above it.
        .default_pos([300.0, 380.0])
        .default_size([720.0, 360.0])
        .resizable(true)
        .show(ctx, |ui| window_body(ui, panel, progress, &mut action));
    if panel.running() {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }
    if !open {
        app.checks = None;
        return;
    }
    if let Some(scope) = action.run {
        run(app, ctx, scope);
    }
    if let Some(result) = action.show {
        show_result(app, &result);
    }
    if let Some((result, reason)) = action.accept
        && let Some(project) = &mut app.project
    {
        match accept_exception(&mut project.settings, &result, &reason)
            .and_then(|()| Exceptions::from_settings(&project.settings))
        {
            Ok(exceptions) => {
                if let Some(report) = app.checks.as_mut().and_then(|p| p.report.as_mut()) {
                    exceptions.apply(report);
                }
                app.dirty = true;
            }
            Err(e) => {
                if let Some(p) = &mut app.checks {
                    p.error = Some(e.to_string());
                }
            }
        }
    }
}

fn window_body(
    ui: &mut Ui,
    panel: &mut ChecksPanel,
    progress: Option<(f32, String)>,
    action: &mut Action,
) {
    ui.horizontal(|ui| {
        ui.add_enabled_ui(!panel.running(), |ui| {
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
    let Some(report) = &panel.report else {
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
                scope = panel.scope_text.as_str()
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
