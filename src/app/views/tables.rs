//! 规划表格: the plan's standard tables (docs/domain.md §6) for the village at the map
//! centre, a chosen village or township, or the county — the same library call as
//! `villageplan tables`, on a worker from a snapshot of the project. Any edit of the
//! project marks the shown tables out of date and they are computed again (one run at a
//! time; an edit during a run starts one more when it ends), so the numbers follow the
//! drawing. 导出 XLSX writes the CLI's workbook of the shown scope.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use rust_i18n::t;

use crate::analysis::areas::AreaBasis;
use crate::analysis::tables::export::{Grid, grid};
use crate::analysis::tables::xlsx::write_workbook;
use crate::analysis::tables::{AreaUnit, PlanTables, Scope, TableBook, TableKind};
use crate::app::changes::Changes;
use crate::app::jobs::Job;
use crate::app::widgets::file_browser::{FileBrowser, Filter};
use crate::app::workspace::Workspace;
use crate::model::admin::{AdminUnits, township_names};

/// A village or township to choose from: code and name.
type Unit = (String, String);

/// The 规划表格 window's own state.
pub struct TablesView {
    /// The scope shown (or being computed).
    pub scope: Scope,
    /// The table shown.
    pub kind: TableKind,
    /// 公顷 or 亩.
    pub unit: AreaUnit,
    /// Ellipsoidal (the default: tables are compared with 三调 figures) or planar.
    pub basis: AreaBasis,
    villages: Vec<Unit>,
    townships: Vec<Unit>,
    shown: Option<PlanTables>,
    /// The shown table as text for the (table, unit) it was made for, with its column
    /// widths: made when either changes, not every frame (a county's 三调汇总表 is ~200 × 60
    /// cells).
    text: Option<(TableKind, AreaUnit, Grid, Vec<f32>)>,
    error: Option<String>,
    running: Option<Job<PlanTables>>,
    /// The project changed (or the scope or basis did) since the shown tables were made.
    stale: bool,
    export_path: String,
    browser: Option<FileBrowser>,
    message: Option<String>,
}

impl TablesView {
    /// The window for the open project, on the village at the map centre (else the county).
    pub fn new(ws: &Workspace) -> Self {
        let (villages, townships) = ws.doc.as_ref().map_or_else(Default::default, |doc| {
            let project = doc.project();
            let villages = AdminUnits::villages(project)
                .map(|units| {
                    let mut list: Vec<Unit> = units
                        .list
                        .iter()
                        .map(|u| (u.code.clone(), u.name.clone()))
                        .collect();
                    list.sort();
                    list.dedup_by(|a, b| a.0 == b.0);
                    list
                })
                .unwrap_or_default();
            let townships = township_names(project).into_iter().collect();
            (villages, townships)
        });
        // No village under the centre (or no village layer): the county; an error of the
        // village layer surfaces when the tables are computed.
        let scope = match ws.village_at_centre() {
            Ok(Some((code, _))) => Scope::Village(code),
            _ => Scope::County,
        };
        let export_path = ws
            .doc
            .as_ref()
            .and_then(|d| d.path())
            .and_then(Path::parent)
            .map(|dir| dir.join("规划表格.xlsx").display().to_string())
            .unwrap_or_else(|| "规划表格.xlsx".into());
        TablesView {
            scope,
            kind: TableKind::Structure,
            unit: AreaUnit::Hectare,
            basis: AreaBasis::Ellipsoidal,
            villages,
            townships,
            shown: None,
            text: None,
            error: None,
            running: None,
            stale: true,
            export_path,
            browser: None,
            message: None,
        }
    }

    /// The tables shown, once computed.
    pub fn shown(&self) -> Option<&PlanTables> {
        self.shown.as_ref()
    }

    /// True while the tables are computed.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// The document changed: any edit, setting or layer may move a number, so the tables
    /// are computed again.
    pub fn on_change(&mut self, changes: &Changes) {
        if !changes.features.is_empty() || changes.order || changes.settings {
            self.stale = true;
        }
    }

    fn choose(&mut self, scope: Scope) {
        if scope != self.scope {
            self.scope = scope;
            self.stale = true;
        }
    }

    /// Starts a run when the shown tables are out of date and none runs; takes a finished
    /// run's result.
    fn work(&mut self, ctx: &egui::Context, ws: &Workspace) {
        if let Some(result) = self.running.as_ref().and_then(Job::poll) {
            self.running = None;
            match result {
                Ok(tables) => {
                    self.shown = Some(tables);
                    self.text = None;
                    self.error = None;
                }
                Err(e) => self.error = Some(e.to_string()),
            }
        }
        if !self.stale || self.running.is_some() {
            return;
        }
        let Some(doc) = &ws.doc else { return };
        self.stale = false;
        let (project, scope, basis) = (doc.snapshot(), self.scope.clone(), self.basis);
        self.running = Some(Job::spawn(ctx, t!("tables.running"), move |_| {
            TableBook::new(&project, basis)?.tables(&scope)
        }));
    }
}

/// The 规划表格 window; false when it was closed.
pub fn tables_ui(ctx: &egui::Context, ws: &mut Workspace, view: &mut TablesView) -> bool {
    view.work(ctx, ws);
    let mut open = true;
    let mut at_centre = false;
    egui::Window::new(t!("tables.title"))
        .id(egui::Id::unique("tables_window"))
        .open(&mut open)
        // On the right, clear of the map's centre: the village being drawn stays in view
        // while its numbers change.
        .default_pos([830.0, 60.0])
        .default_size([440.0, 640.0])
        .resizable(true)
        .show(ctx, |ui| {
            at_centre = scope_bar(ui, view);
            options_bar(ui, view);
            export_bar(ui, view);
            body(ui, view);
        });
    if at_centre {
        match ws.village_at_centre() {
            Ok(Some((code, _))) => view.choose(Scope::Village(code)),
            Ok(None) => view.message = Some(t!("tables.no_village_at_centre").into_owned()),
            Err(e) => view.error = Some(e.to_string()),
        }
    }
    open
}

fn unit_label(list: &[Unit], code: &str) -> String {
    list.iter()
        .find(|(c, _)| c == code)
        .map_or_else(|| code.to_string(), |(c, n)| format!("{n} {c}"))
}

/// The scope: 地图中心的村, a village, a township or the county. True when the planner
/// asked for the village at the map centre.
fn scope_bar(ui: &mut Ui, view: &mut TablesView) -> bool {
    let mut chosen = None;
    let at_centre = ui
        .horizontal(|ui| {
            let centre = ui.button(t!("tables.at_centre")).clicked();
            let village = match &view.scope {
                Scope::Village(code) => unit_label(&view.villages, code),
                _ => t!("tables.choose_village").into_owned(),
            };
            egui::ComboBox::from_id_salt("tables_village")
                .selected_text(village)
                .height(400.0)
                .show_ui(ui, |ui| {
                    for (code, name) in &view.villages {
                        if ui.button(format!("{name} {code}")).clicked() {
                            chosen = Some(Scope::Village(code.clone()));
                        }
                    }
                });
            let township = match &view.scope {
                Scope::Township(code) => unit_label(&view.townships, code),
                _ => t!("tables.choose_township").into_owned(),
            };
            egui::ComboBox::from_id_salt("tables_township")
                .selected_text(township)
                .show_ui(ui, |ui| {
                    for (code, name) in &view.townships {
                        if ui.button(format!("{name} {code}")).clicked() {
                            chosen = Some(Scope::Township(code.clone()));
                        }
                    }
                });
            if ui
                .selectable_label(view.scope == Scope::County, t!("tables.county"))
                .clicked()
            {
                chosen = Some(Scope::County);
            }
            centre
        })
        .inner;
    if let Some(scope) = chosen {
        view.choose(scope);
    }
    at_centre
}

/// The table, the unit and the area basis.
fn options_bar(ui: &mut Ui, view: &mut TablesView) {
    ui.horizontal_wrapped(|ui| {
        for kind in TableKind::ALL {
            ui.selectable_value(&mut view.kind, kind, kind.sheet_name());
        }
    });
    ui.horizontal(|ui| {
        for unit in [AreaUnit::Hectare, AreaUnit::Mu] {
            ui.selectable_value(&mut view.unit, unit, unit.name_zh());
        }
        ui.separator();
        for (basis, key) in [
            (AreaBasis::Ellipsoidal, "tables.ellipsoidal"),
            (AreaBasis::Planar, "tables.planar"),
        ] {
            if ui.selectable_label(view.basis == basis, t!(key)).clicked() && view.basis != basis {
                view.basis = basis;
                view.stale = true;
            }
        }
        if view.running() {
            ui.spinner();
            ui.label(t!("tables.running"));
        }
    });
}

/// 导出 XLSX: every table of the shown scope, in the chosen unit, written atomically.
fn export_bar(ui: &mut Ui, view: &mut TablesView) {
    ui.horizontal(|ui| {
        let label = ui.label(t!("tables.export_to"));
        ui.add(egui::TextEdit::singleline(&mut view.export_path).desired_width(380.0))
            .labelled_by(label.id);
        if ui.small_button(t!("classify.browse")).clicked() {
            view.browser = match view.browser {
                Some(_) => None,
                None => Some(FileBrowser::new(
                    Path::new(view.export_path.trim()),
                    Filter::Table,
                )),
            };
        }
        let ready = view.shown.is_some() && !view.export_path.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new(t!("tables.export")))
            .clicked()
            && let Some(tables) = &view.shown
        {
            let mut path = PathBuf::from(view.export_path.trim());
            if path.extension().is_none() {
                path.set_extension("xlsx");
            }
            match write_workbook(tables, None, view.unit, &path) {
                Ok(()) => {
                    view.message = Some(t!("tables.exported", path = path.display()).into_owned());
                    view.error = None;
                }
                Err(e) => view.error = Some(e.to_string()),
            }
        }
    });
    if let Some(browser) = &mut view.browser
        && browser.ui(ui, &mut view.export_path).is_some()
    {
        view.browser = None;
    }
}

/// What the tables say about themselves (scope, basis, deduction, notes), then the table.
fn body(ui: &mut Ui, view: &mut TablesView) {
    if let Some(e) = &view.error {
        ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
    }
    if let Some(m) = &view.message {
        ui.label(RichText::new(m).small());
    }
    let Some(tables) = &view.shown else {
        if view.error.is_none() {
            ui.label(t!("tables.running"));
        }
        return;
    };
    let note = |ui: &mut Ui, text: String| {
        ui.label(RichText::new(text).small().weak());
    };
    note(
        ui,
        format!(
            "{} {} · {}",
            tables.scope.name, tables.scope.code, tables.basis_zh
        ),
    );
    for layer in &tables.layers {
        note(
            ui,
            format!(
                "{}（{}）：{}",
                layer.layer, layer.code_field, layer.deduction_zh
            ),
        );
    }
    if !tables.notes.is_empty() {
        egui::CollapsingHeader::new(t!("tables.notes", count = tables.notes.len()))
            .id_salt("tables_notes")
            .show(ui, |ui| {
                for n in &tables.notes {
                    ui.label(RichText::new(n).small());
                }
            });
    }
    ui.separator();
    if view
        .text
        .as_ref()
        .is_none_or(|(kind, unit, ..)| (*kind, *unit) != (view.kind, view.unit))
    {
        let grid = grid(tables, view.kind, &[view.unit]);
        let widths = column_widths(&grid);
        view.text = Some((view.kind, view.unit, grid, widths));
    }
    let Some((_, _, grid, widths)) = &view.text else {
        return;
    };
    ui.label(RichText::new(&grid.title).strong());
    ui.label(RichText::new(&grid.unit).small());
    egui::ScrollArea::horizontal()
        .id_salt("tables_scroll")
        .show(ui, |ui| {
            let mut table = TableBuilder::new(ui).striped(true).resizable(true);
            for w in widths {
                table = table.column(Column::initial(*w));
            }
            table
                .header(20.0, |mut row| {
                    for h in &grid.header {
                        row.col(|ui| {
                            ui.label(RichText::new(h).strong().small());
                        });
                    }
                })
                .body(|body| {
                    body.rows(18.0, grid.rows.len(), |mut row| {
                        let cells = &grid.rows[row.index()];
                        for (c, cell) in cells.iter().enumerate() {
                            let numeric = grid.numeric.get(c).copied().unwrap_or(false);
                            row.col(|ui| {
                                if numeric {
                                    ui.with_layout(
                                        egui::Layout::right_to_left(egui::Align::Center),
                                        |ui| ui.label(cell),
                                    );
                                } else {
                                    ui.label(cell);
                                }
                            });
                        }
                    });
                });
        });
}

/// Each column's starting width (points) from its longest cell.
fn column_widths(grid: &Grid) -> Vec<f32> {
    (0..grid.header.len())
        .map(|c| {
            let chars = grid
                .rows
                .iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .chain(std::iter::once(grid.header[c].chars().count()))
                .max()
                .unwrap_or(4);
            (chars as f32 * 8.0).clamp(48.0, 320.0)
        })
        .collect()
}
