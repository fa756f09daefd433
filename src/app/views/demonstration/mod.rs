//! 示范区带线: the county's demonstration zones and corridors (docs/domain.md §8.4) in one
//! window — the list of areas with their area, the summary of the one selected (kept live
//! while a corridor's width or a centre-line vertex on the map is dragged), new corridors and zones, the designations against
//! the targets with their flags, and the export of the report. Every number comes from the
//! library (`analysis::demonstration`), every change is a library call: corridor and zone
//! edits are undoable [`crate::edit::Edit`]s, designations and targets are project settings
//! (the library keeps them outside the undo history; un-designating is the way back).

mod areas;
mod centre_handles;
mod create;
mod designations;
mod export;
mod live;
mod summary;

use std::sync::Arc;

use geo::{Geometry, MultiPolygon};
use rust_i18n::t;

use crate::analysis::areas::{AreaBasis, AreaMeasure};
use crate::analysis::classify::Classification;
use crate::analysis::demonstration::{
    Designation, Designations, Review, Summary, designate, project_classification, review,
};
use crate::app::changes::Changes;
use crate::app::document::Document;
use crate::app::jobs::Job;
use crate::app::selection::FeatureRef;
use crate::app::workspace::Workspace;
use crate::geometry::as_multipolygon;
use crate::model::LayerRole;
use crate::model::demonstration::{DemoArea, demo_areas};
use live::LiveSummary;

/// One listed zone or corridor.
pub struct AreaRow {
    /// Where it is.
    pub item: FeatureRef,
    /// What it is.
    pub area: DemoArea,
    /// Its polygon (working CRS).
    pub geometry: MultiPolygon<f64>,
    /// Its area on the window's basis (m²).
    pub area_m2: f64,
}

/// The classification designations are reviewed with, and where it came from.
type Classified = Arc<(Classification, String)>;

/// What must be made again before it is shown.
#[derive(Default)]
struct Stale {
    areas: bool,
    context: bool,
    review: bool,
}

/// The 示范区带线 window's own state.
pub struct DemoView {
    /// Ellipsoidal (the default) or planar areas.
    pub basis: AreaBasis,
    live: Option<LiveSummary>,
    /// The project's zones and corridors, in layer order.
    pub areas: Vec<AreaRow>,
    /// The area whose summary is shown.
    pub selected: Option<FeatureRef>,
    /// The summary shown (of the selected area, or of its corridor at the width dragged).
    pub summary: Option<Summary>,
    /// A width being dragged and not yet committed (m), and the polygon last previewed.
    width: Option<f64>,
    previewed: Option<f64>,
    /// The selected corridor's centre-line handles on the map.
    handles: centre_handles::Handles,
    /// The county's progress against the targets and the flagged designations.
    pub review: Option<Review>,
    classified: Option<Classified>,
    classifying: Option<Job<(Classification, String)>>,
    create: create::NewArea,
    export: export::Export,
    /// The last error, shown in red in the window.
    pub error: Option<String>,
    message: Option<String>,
    stale: Stale,
}

impl DemoView {
    /// The window for the open project.
    pub fn new(ws: &Workspace) -> Self {
        DemoView {
            basis: AreaBasis::Ellipsoidal,
            live: None,
            areas: Vec::new(),
            selected: None,
            summary: None,
            width: None,
            previewed: None,
            handles: centre_handles::Handles::default(),
            review: None,
            classified: None,
            classifying: None,
            create: create::NewArea::default(),
            export: export::Export::new(ws),
            error: None,
            message: None,
            stale: Stale {
                areas: true,
                context: true,
                review: true,
            },
        }
    }

    /// True while a summary, the classification or an export is being computed.
    pub fn running(&self) -> bool {
        self.live.as_ref().is_some_and(LiveSummary::pending)
            || self.classifying.is_some()
            || self.export.running()
    }

    /// The row of the selected area.
    pub fn selected_row(&self) -> Option<&AreaRow> {
        let item = self.selected.as_ref()?;
        self.areas.iter().find(|r| &r.item == item)
    }

    /// The document changed: the list follows edits of the demonstration layers, the
    /// summaries' context any other layer, the review any edit, setting or report.
    pub fn on_change(&mut self, doc: &Document, changes: &Changes) {
        let demo = |id: &String| {
            doc.project()
                .layer(id)
                .is_some_and(|l| l.role == LayerRole::Demonstration)
        };
        if changes.order || changes.features.iter().any(demo) {
            self.stale.areas = true;
        }
        if changes.order || changes.features.iter().any(|id| !demo(id)) {
            self.stale.context = true;
            self.classified = None;
        }
        if !changes.features.is_empty() || changes.order || changes.settings || changes.reports {
            self.stale.review = true;
        }
        if changes.reports {
            self.classified = None;
        }
        if changes.settings
            && let (Some(summary), Ok(d)) = (
                &mut self.summary,
                Designations::from_settings(&doc.project().settings),
            )
        {
            summary.mark_designations(&d);
        }
    }

    /// Asks the worker for the summary of the selected area as stored.
    fn ask_selected(&mut self) {
        let geometry = self.selected_row().map(|r| r.geometry.clone());
        if let (Some(live), Some(g)) = (&mut self.live, geometry) {
            live.ask(g);
        }
    }

    /// Selects `item` (or nothing): highlighted on the map, which zooms to it, and
    /// summarised.
    fn select(&mut self, ws: &mut Workspace, item: Option<FeatureRef>) {
        self.width = None;
        self.previewed = None;
        self.handles = centre_handles::Handles::default();
        self.summary = None;
        self.selected = item.clone();
        if let (Some(doc), Some(item)) = (&mut ws.doc, item) {
            doc.select(vec![item], true, true);
        }
        self.ask_selected();
    }

    /// Everything the window shows brought up to date, once per frame: the list, the
    /// worker, its newest summary, the classification and the review.
    fn work(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(doc) = &ws.doc else { return };
        if self.stale.areas {
            self.stale.areas = false;
            match list_areas(doc, self.basis) {
                Ok(rows) => self.areas = rows,
                Err(e) => self.error = Some(e.to_string()),
            }
            if self.selected_row().is_none() {
                self.selected = None;
                self.summary = None;
            }
            self.width = None;
            self.previewed = None;
            // The line under a held vertex changed (an undo while holding): let it go.
            self.handles.cancel();
            self.ask_selected();
        }
        if self.stale.context || self.live.as_ref().is_some_and(|l| l.basis != self.basis) {
            self.stale.context = false;
            self.live = Some(LiveSummary::start(ctx, doc.snapshot(), self.basis));
            self.ask_selected();
        }
        if let Some(result) = self.live.as_mut().and_then(LiveSummary::poll) {
            match result {
                Ok(mut summary) => {
                    if let Ok(d) = Designations::from_settings(&doc.project().settings) {
                        summary.mark_designations(&d);
                    }
                    self.summary = Some(summary);
                }
                Err(e) => self.error = Some(e.to_string()),
            }
        }
        self.classify(ctx, doc);
        if self.stale.review {
            self.stale.review = false;
            let project = doc.project();
            let classification = match (doc.classification(), &self.classified) {
                (Some(c), _) => Some((c, t!("demo.classification_window").into_owned())),
                (None, Some(c)) => Some((&c.0, c.1.clone())),
                (None, None) => None,
            };
            let result = Designations::from_settings(&project.settings).and_then(|d| {
                review(
                    project,
                    &d,
                    classification.as_ref().map(|(c, s)| (*c, s.as_str())),
                    doc.checks(),
                )
            });
            match result {
                Ok(r) => self.review = Some(r),
                Err(e) => self.error = Some(e.to_string()),
            }
        }
    }

    /// Without a classification in the window, the one designations are compared with is
    /// made on a worker (the stored one, else computed with the project's rules).
    fn classify(&mut self, ctx: &egui::Context, doc: &Document) {
        if let Some(result) = self.classifying.as_ref().and_then(Job::poll) {
            self.classifying = None;
            match result {
                Ok(c) => {
                    self.classified = Some(Arc::new(c));
                    self.stale.review = true;
                }
                Err(e) => self.error = Some(e.to_string()),
            }
        }
        if doc.classification().is_none()
            && self.classified.is_none()
            && self.classifying.is_none()
            && doc.project().layer_by_role(LayerRole::Village).is_some()
        {
            let project = doc.snapshot();
            self.classifying = Some(Job::spawn(ctx, t!("demo.classifying"), move |_| {
                project_classification(&project)
            }));
        }
    }

    /// The classification for the export: the window's, else the one made here.
    fn classification(&self, doc: &Document) -> Option<Classified> {
        match doc.classification() {
            Some(c) => Some(Arc::new((
                c.clone(),
                t!("demo.classification_window").into_owned(),
            ))),
            None => self.classified.clone(),
        }
    }

    /// Shows `polygon` on the map in place of the stored one and asks for its summary.
    fn preview(&mut self, ws: &mut Workspace, polygon: MultiPolygon<f64>) {
        if let Some(doc) = &mut ws.doc
            && let Err(e) = doc.outline_geometry(&Geometry::MultiPolygon(polygon.clone()))
        {
            self.error = Some(e.to_string());
        }
        if let Some(live) = &mut self.live {
            live.ask(polygon);
        }
    }
}

/// Every zone and corridor of the project's demonstration layers with its polygon and area.
fn list_areas(doc: &Document, basis: AreaBasis) -> crate::Result<Vec<AreaRow>> {
    let project = doc.project();
    let measure = AreaMeasure::new(basis, project.crs);
    let mut rows = Vec::new();
    for area in demo_areas(project)? {
        let Some(layer) = project.layer(&area.layer_id) else {
            continue;
        };
        let Some(geometry) = layer.features()[area.position]
            .geometry
            .as_ref()
            .and_then(as_multipolygon)
        else {
            continue;
        };
        let area_m2 = measure.area(&Geometry::MultiPolygon(geometry.clone()))?;
        rows.push(AreaRow {
            item: FeatureRef {
                layer: area.layer_id.clone(),
                feature: area.feature_id,
            },
            area,
            geometry,
            area_m2,
        });
    }
    Ok(rows)
}

/// Designates (or un-designates) a unit through the library, which checks the code.
fn set_designation(ws: &mut Workspace, d: Designation, code: &str, remove: bool) {
    let Some(doc) = &mut ws.doc else { return };
    match doc.change_project(&[], |p| designate(p, d, code, remove)) {
        Ok(_) => {
            let key = if remove {
                "demo.undesignated"
            } else {
                "demo.designated"
            };
            ws.tell(t!(key, code = code, what = d.name_zh()));
        }
        Err(e) => ws.fail(e),
    }
}

/// 公顷 and 亩 of `m2`, as every area in the window is shown.
fn ha_mu(m2: f64) -> String {
    format!(
        "{:.2} 公顷（{:.1} 亩）",
        crate::units::hectares(m2),
        crate::units::mu(m2)
    )
}

/// The 示范区带线 window; false when it was closed.
pub fn demo_ui(ctx: &egui::Context, ws: &mut Workspace, view: &mut DemoView) -> bool {
    view.work(ctx, ws);
    let mut open = true;
    egui::Window::new(t!("demo.title"))
        .id(egui::Id::unique("demo_window"))
        .open(&mut open)
        .default_pos([20.0, 60.0])
        .default_size([460.0, 680.0])
        .resizable(true)
        .show(ctx, |ui| {
            if let Some(e) = &view.error {
                ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
            }
            if let Some(m) = &view.message {
                ui.label(egui::RichText::new(m).small());
            }
            egui::ScrollArea::vertical()
                .id_salt("demo_scroll")
                .show(ui, |ui| {
                    areas::areas_ui(ui, ws, view);
                    ui.separator();
                    summary::summary_ui(ui, ws, view);
                    ui.separator();
                    create::create_ui(ui, ws, view);
                    ui.separator();
                    designations::designations_ui(ui, ws, view);
                    ui.separator();
                    export::export_ui(ui, ws, view);
                });
        });
    if !open && let Some(doc) = &mut ws.doc {
        // The outline of an uncommitted width goes with the window.
        if view.width.is_some() {
            doc.clear_selection();
        }
    }
    open
}
