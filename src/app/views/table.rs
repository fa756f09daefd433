//! The attribute table of one layer: virtualised (only visible rows are laid out, so
//! 200 000 rows scroll smoothly), sortable, filterable with [`AttributeFilter`], and tied
//! to the map selection both ways (the table's selected rows are the document's selected
//! features of its layer).

use std::collections::BTreeSet;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use rust_i18n::t;

use crate::Project;
use crate::app::document::{Changes, Document};
use crate::app::selection::FeatureRef;
use crate::model::{AttributeFilter, compare_values};

/// What the table shows.
#[derive(Debug, Clone, Default)]
pub struct TableView {
    /// The layer's id.
    pub layer: String,
    /// The filter as typed.
    pub filter_text: String,
    /// Why the filter was refused, if it was.
    pub filter_error: Option<String>,
    /// Feature positions shown, in display order.
    pub rows: Vec<usize>,
    /// Sorted by this column (0 = FID, k = field k−1), ascending?
    pub sort: Option<(usize, bool)>,
    /// Selected feature positions.
    pub selected: BTreeSet<usize>,
    /// Scroll to this display row next frame.
    pub scroll_to: Option<usize>,
    /// The table itself just changed the document's selection (do not scroll to it).
    own_selection: bool,
}

impl TableView {
    /// A table of every feature of layer `layer` (its id).
    pub fn new(doc: &Document, layer: &str) -> Self {
        let mut state = TableView {
            layer: layer.to_string(),
            ..TableView::default()
        };
        state.refresh(doc.project());
        state.sync_selection(doc, false);
        state
    }

    /// Follows the document: rows again when the layer's features changed, the selected
    /// rows when the selection changed (scrolling to them when the map made it).
    pub fn on_change(&mut self, doc: &Document, changes: &Changes) {
        if changes.features.contains(&self.layer) {
            self.refresh(doc.project());
        }
        if changes.selection || changes.features.contains(&self.layer) {
            let scroll = !std::mem::take(&mut self.own_selection);
            self.sync_selection(doc, scroll);
        }
    }

    fn sync_selection(&mut self, doc: &Document, scroll: bool) {
        let positions = doc.selection().positions_in(doc.project(), &self.layer);
        self.selected = positions.iter().copied().collect();
        if scroll {
            self.scroll_to = positions
                .first()
                .and_then(|f| self.rows.iter().position(|r| r == f));
        }
    }

    /// Re-applies filter and sort.
    pub fn refresh(&mut self, project: &Project) {
        let Some(layer) = project.layer(&self.layer) else {
            self.rows.clear();
            return;
        };
        match AttributeFilter::parse(&self.filter_text, layer) {
            Ok(filter) => {
                self.filter_error = None;
                self.rows = filter.select(layer);
            }
            Err(e) => {
                self.filter_error = Some(e.to_string());
                return;
            }
        }
        if let Some((col, ascending)) = self.sort {
            let features = layer.features();
            self.rows.sort_by(|&a, &b| {
                let ord = if col == 0 {
                    features[a].id.cmp(&features[b].id)
                } else {
                    compare_values(
                        &features[a].attributes[col - 1],
                        &features[b].attributes[col - 1],
                    )
                };
                if ascending { ord } else { ord.reverse() }
            });
        }
    }

    /// The selected features, for the document.
    fn selected_refs(&self, project: &Project) -> Vec<FeatureRef> {
        let Some(layer) = project.layer(&self.layer) else {
            return Vec::new();
        };
        self.selected
            .iter()
            .filter_map(|&i| {
                Some(FeatureRef {
                    layer: self.layer.clone(),
                    feature: layer.features().get(i)?.id,
                })
            })
            .collect()
    }
}

/// What the user asked of the table this frame, beyond its own state.
#[derive(Debug, Default)]
pub struct TableAction {
    /// The table was closed.
    pub closed: bool,
    /// Create one feature of the edit layer from the selected rows (their positions).
    pub create_from_selection: Option<Vec<usize>>,
}

/// The attribute table, docked above the status bar. `edit_layer` names the layer new
/// features go into (for 用所选创建要素).
pub fn table_panel(
    ui: &mut Ui,
    doc: &mut Document,
    state: &mut TableView,
    edit_layer: Option<&str>,
) -> TableAction {
    let mut action = TableAction::default();
    let mut selection_changed = false;
    egui::Panel::bottom("attribute_table")
        .resizable(true)
        .default_size(240.0)
        .show(ui, |ui| {
            action = table_ui(ui, doc.project(), state, edit_layer, &mut selection_changed);
        });
    if selection_changed {
        // Selected rows are highlighted and the map zooms to them.
        state.own_selection = true;
        doc.select(state.selected_refs(doc.project()), true, true);
    }
    action
}

fn table_ui(
    ui: &mut Ui,
    project: &Project,
    state: &mut TableView,
    edit_layer: Option<&str>,
    selection_changed: &mut bool,
) -> TableAction {
    let mut action = TableAction::default();
    let Some(layer) = project.layer(&state.layer) else {
        action.closed = true;
        return action;
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("{} — {}", t!("table.title"), layer.name)).strong());
        let label = ui.label(t!("table.filter"));
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut state.filter_text)
                    .hint_text("DLBM ^= 01 and TBMJ > 1000")
                    .desired_width(280.0),
            )
            .labelled_by(label.id);
        if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            state.refresh(project);
        }
        ui.label(t!(
            "table.count",
            shown = state.rows.len(),
            total = layer.features().len()
        ));
        if let Some(e) = &state.filter_error {
            ui.colored_label(egui::Color32::RED, e);
        }
        if ui.button(t!("table.select_all")).clicked() {
            state.selected = state.rows.iter().copied().collect();
            *selection_changed = true;
        }
        let create_hint = match edit_layer {
            Some(name) => t!("table.create_hint", layer = name),
            None => t!("table.create_needs_layer"),
        };
        if ui
            .add_enabled(
                edit_layer.is_some() && !state.selected.is_empty(),
                egui::Button::new(t!("table.create")),
            )
            .on_hover_text(create_hint)
            .on_disabled_hover_text(t!("table.create_needs_layer"))
            .clicked()
        {
            action.create_from_selection = Some(state.selected.iter().copied().collect());
        }
        if ui.button(t!("table.close")).clicked() {
            action.closed = true;
        }
    });
    let columns = layer.fields().len() + 1;
    let mut table = TableBuilder::new(ui)
        .striped(true)
        .resizable(true)
        .min_scrolled_height(0.0)
        .max_scroll_height(f32::INFINITY)
        .columns(Column::auto().at_least(60.0).clip(true), columns)
        .sense(egui::Sense::click());
    if let Some(row) = state.scroll_to.take() {
        table = table.scroll_to_row(row, Some(egui::Align::Center));
    }
    let mut clicked_sort = None;
    table
        .header(20.0, |mut header| {
            let names =
                std::iter::once("FID").chain(layer.fields().iter().map(|f| f.name.as_str()));
            for (c, name) in names.enumerate() {
                header.col(|ui| {
                    let arrow = match state.sort {
                        Some((s, true)) if s == c => " (升)",
                        Some((s, false)) if s == c => " (降)",
                        _ => "",
                    };
                    if ui
                        .button(RichText::new(format!("{name}{arrow}")).strong())
                        .clicked()
                    {
                        clicked_sort = Some(c);
                    }
                });
            }
        })
        .body(|body| {
            let features = layer.features();
            body.rows(18.0, state.rows.len(), |mut row| {
                let i = state.rows[row.index()];
                row.set_selected(state.selected.contains(&i));
                // The FID cell is the row's selection handle; the other cells are plain
                // (non-selectable) text so a click anywhere on the row selects it too.
                let mut handle_clicked = false;
                row.col(|ui| {
                    let selected = state.selected.contains(&i);
                    handle_clicked = ui
                        .selectable_label(selected, features[i].id.to_string())
                        .clicked();
                });
                for value in &features[i].attributes {
                    let text = value
                        .as_text()
                        .map(|v| v.into_owned())
                        .unwrap_or_else(|| "NULL".into());
                    row.col(|ui| {
                        ui.add(egui::Label::new(text).selectable(false));
                    });
                }
                if handle_clicked || row.response().clicked() {
                    let multi = row.response().ctx.input(|inp| inp.modifiers.command);
                    if !multi {
                        state.selected.clear();
                    }
                    if !state.selected.insert(i) {
                        state.selected.remove(&i);
                    }
                    *selection_changed = true;
                }
            });
        });
    if let Some(c) = clicked_sort {
        state.sort = match state.sort {
            Some((s, true)) if s == c => Some((c, false)),
            _ => Some((c, true)),
        };
        state.refresh(project);
    }
    action
}
