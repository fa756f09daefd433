//! The open plan: the project, its undo history, what the map derives from it (display
//! layers, labels, legend), the selection and what is highlighted, and the latest 质检 and
//! 分类 reports.
//!
//! Every change goes through a method of [`Document`], which keeps the derived state in step
//! at once and records what changed in [`Changes`]; once per frame the window takes them and
//! refreshes the views the same way, whoever made the change (a tool, a panel, undo, a
//! finished worker). Opening or creating a project makes a new `Document`, so nothing of the
//! previous project — reports, selection, history — can survive into the next one; work
//! started for a document carries its [`Document::id`] and is dropped when it comes back to
//! another.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use geo::{BoundingRect, Geometry, Rect};

pub use super::changes::Changes;
use super::labels::{Label, build_labels};
use super::selection::{FeatureRef, Selection};
use crate::analysis::checks::{CheckReport, CheckResult, CheckScope, Exceptions, accept_exception};
use crate::analysis::classify::{Classification, VillageType, apply_classification};
use crate::crs::{Transformer, WorkingCrs, epsg_srs};
use crate::edit::{Edit, History};
use crate::model::{Layer, LayerRole, LayerStyle, ProjectSettings};
use crate::render::{DisplayLayer, EPSG_WEB_MERCATOR, LegendSection, feature_fill, legend};
use crate::{Error, Project, Result};

/// Outlines to highlight, Web Mercator: rings of polygons, lines, and points as one-point
/// rings (drawn as markers).
pub type Outlines = Vec<Vec<[f64; 2]>>;

/// A corner pair in Web Mercator: what the map is asked to fit.
pub type MercatorBox = ([f64; 2], [f64; 2]);

/// A project read and prepared for the map on a worker thread.
pub struct Prepared {
    project: Project,
    path: Option<PathBuf>,
    display: Vec<Arc<DisplayLayer>>,
}

impl Prepared {
    /// Prepares every layer of `project` for drawing (the slow part of opening: each
    /// geometry is projected to Web Mercator once).
    pub fn new(project: Project, path: Option<PathBuf>) -> Result<Self> {
        let display = project
            .layers
            .iter()
            .map(|l| DisplayLayer::prepare(l, project.crs).map(Arc::new))
            .collect::<Result<Vec<_>>>()?;
        Ok(Prepared {
            project,
            path,
            display,
        })
    }
}

/// Where the highlight comes from: the selection (it follows the selection through edits)
/// or a geometry of its own (a check result's overlap or gap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HighlightSource {
    /// Every selected feature (`all`) or only the first (a plain click selects everything
    /// under the pointer but outlines the topmost).
    Selection { all: bool },
    /// A geometry shown by [`Document::show_geometry`] or [`Document::outline_geometry`].
    Geometry,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The open plan; see the module documentation.
pub struct Document {
    id: u64,
    project: Project,
    path: Option<PathBuf>,
    history: History,
    display: Vec<Arc<DisplayLayer>>,
    display_generation: u64,
    labels: Vec<Label>,
    legend: Vec<LegendSection>,
    selection: Selection,
    highlight: Outlines,
    highlight_source: HighlightSource,
    fit: Option<MercatorBox>,
    checks: Option<CheckReport>,
    classification: Option<Classification>,
    dirty: bool,
    gk_from_lonlat: Option<Transformer>,
    mercator_from_gk: Option<Transformer>,
    changes: Changes,
    problems: Vec<String>,
}

impl Document {
    /// A document for a project read and prepared on a worker; the map is asked to show
    /// all of it.
    pub fn open(prepared: Prepared) -> Self {
        let Prepared {
            project,
            path,
            display,
        } = prepared;
        let mut problems = Vec::new();
        let gk_from_lonlat = Transformer::gk_from_lonlat(project.crs)
            .map_err(|e| problems.push(e.to_string()))
            .ok();
        let mercator_from_gk = project
            .crs
            .spatial_ref()
            .and_then(|s| Transformer::new(&s, &epsg_srs(EPSG_WEB_MERCATOR)?))
            .map_err(|e| problems.push(e.to_string()))
            .ok();
        let classification = match crate::analysis::classify::stored_classification(&project) {
            Ok(stored) => stored,
            Err(e) => {
                problems.push(e.to_string());
                None
            }
        };
        Document {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            labels: build_labels(&project.layers, &display),
            legend: legend(&project.layers),
            fit: full_extent(&display),
            project,
            path,
            history: History::default(),
            display,
            display_generation: 0,
            selection: Selection::default(),
            highlight: Vec::new(),
            highlight_source: HighlightSource::Selection { all: true },
            checks: None,
            classification,
            dirty: false,
            gk_from_lonlat,
            mercator_from_gk,
            changes: Changes::default(),
            problems,
        }
    }

    /// A new, empty project in `crs`.
    pub fn empty(name: &str, crs: WorkingCrs) -> Self {
        Document::open(Prepared {
            project: Project::new(name, crs),
            path: None,
            display: Vec::new(),
        })
    }

    /// This document's identity: work started for it is applied only to it.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The project.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// A snapshot of the project for a worker thread: layers are shared, not copied (an
    /// edit made while the worker runs copies only the layer it changes).
    pub fn snapshot(&self) -> Arc<Project> {
        Arc::new(self.project.clone())
    }

    /// Where the project is saved, if it has been.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The undo history.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The layers as the map draws them, bottom first (same order as the project).
    pub fn display(&self) -> &[Arc<DisplayLayer>] {
        &self.display
    }

    /// Increases whenever anything the map draws changed.
    pub fn display_generation(&self) -> u64 {
        self.display_generation
    }

    /// Township and village names (and other label fields) to place on the map.
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    /// The legend of the visible layers.
    pub fn legend(&self) -> &[LegendSection] {
        &self.legend
    }

    /// The selected features.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// What the map outlines.
    pub fn highlight(&self) -> &Outlines {
        &self.highlight
    }

    /// The latest 质检 report of this project.
    pub fn checks(&self) -> Option<&CheckReport> {
        self.checks.as_ref()
    }

    /// The latest classification of this project (computed, or stored in the file).
    pub fn classification(&self) -> Option<&Classification> {
        self.classification.as_ref()
    }

    /// True when the project has changes not yet saved.
    pub fn dirty(&self) -> bool {
        self.dirty
    }

    /// Problems preparing derived state (a layer PROJ cannot put on the map …), taken once
    /// for the status bar.
    pub fn take_problems(&mut self) -> Vec<String> {
        std::mem::take(&mut self.problems)
    }

    /// What changed since the last call (the window refreshes its views from it).
    pub fn take_changes(&mut self) -> Changes {
        std::mem::take(&mut self.changes)
    }

    /// The zoom the map is asked to show, taken once.
    pub fn take_fit(&mut self) -> Option<MercatorBox> {
        self.fit.take()
    }

    /// lon/lat → working CRS.
    pub fn gk_from_lonlat(&self) -> Option<&Transformer> {
        self.gk_from_lonlat.as_ref()
    }

    /// Working CRS → Web Mercator.
    pub fn mercator_from_gk(&self) -> Option<&Transformer> {
        self.mercator_from_gk.as_ref()
    }

    // --- Changing the project -------------------------------------------------------

    /// Applies `edit` as one undoable step named `label`.
    pub fn apply(&mut self, label: &str, edit: Edit) -> Result<()> {
        self.history.apply(&mut self.project, label, edit)?;
        self.after_history();
        Ok(())
    }

    /// Undoes the last step; its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>> {
        let label = self.history.undo(&mut self.project)?;
        if label.is_some() {
            self.after_history();
        }
        Ok(label)
    }

    /// Redoes the last undone step; its label, or `None`.
    pub fn redo(&mut self) -> Result<Option<String>> {
        let label = self.history.redo(&mut self.project)?;
        if label.is_some() {
            self.after_history();
        }
        Ok(label)
    }

    fn after_history(&mut self) {
        let ids = self.history.last_changed_layers().to_vec();
        let area = self.history.last_changed();
        self.features_changed(&ids, area);
    }

    /// Re-prepares the map layers whose features changed and everything derived from them.
    fn features_changed(&mut self, ids: &[String], area: Option<Rect<f64>>) {
        for id in ids {
            let Some(i) = self.project.layer_position(id) else {
                continue;
            };
            match DisplayLayer::prepare(&self.project.layers[i], self.project.crs) {
                Ok(display) => self.display[i] = Arc::new(display),
                Err(e) => self.problems.push(e.to_string()),
            }
        }
        self.changes.features.extend(ids.iter().cloned());
        self.changes.merge(Changes {
            area,
            ..Changes::default()
        });
        self.derived_changed(true);
        if self.selection.prune(&self.project) {
            self.changes.selection = true;
        }
        self.refresh_highlight();
        self.dirty = true;
    }

    /// Labels, legend and the map's generation after display layers changed.
    fn derived_changed(&mut self, relabel: bool) {
        if relabel {
            self.labels = build_labels(&self.project.layers, &self.display);
        }
        self.legend = legend(&self.project.layers);
        self.display_generation += 1;
    }

    /// Gives layer `id` a new style; fills are recomputed only when the fill rule changed.
    pub fn set_style(&mut self, id: &str, style: LayerStyle) {
        let Some(i) = self.project.layer_position(id) else {
            return;
        };
        let Some(layer) = self.project.layer_mut(id) else {
            return;
        };
        if layer.style == style {
            return;
        }
        let refill = layer.style.fill != style.fill;
        let relabel = layer.style.label_field != style.label_field;
        layer.style = style.clone();
        let display = Arc::make_mut(&mut self.display[i]);
        if refill {
            display.fills = feature_fill(&self.project.layers[i], &style);
        }
        display.style = style;
        self.changes.styles.insert(id.to_string());
        self.derived_changed(relabel);
        self.dirty = true;
    }

    /// Moves the layer at `from` to position `to` of the drawing order (bottom first). The
    /// selection names layers by id, so it stays.
    pub fn move_layer(&mut self, from: usize, to: usize) {
        let n = self.project.layers.len();
        if from >= n || to >= n || from == to {
            return;
        }
        let layer = self.project.layers.remove(from);
        self.project.layers.insert(to, layer);
        let display = self.display.remove(from);
        self.display.insert(to, display);
        self.changes.order = true;
        self.derived_changed(true);
        self.dirty = true;
    }

    /// Adds layers read and prepared on a worker on top of the map, with ids unique in the
    /// project; returns their ids.
    pub fn add_layers(&mut self, added: Vec<(Layer, DisplayLayer)>) -> Vec<String> {
        let mut ids = Vec::new();
        for (mut layer, mut display) in added {
            layer.id = self.project.unique_layer_id(&layer.name);
            display.layer_id = layer.id.clone();
            ids.push(layer.id.clone());
            self.project.add_layer(layer);
            self.display.push(Arc::new(display));
        }
        self.changes.order = true;
        self.derived_changed(true);
        self.dirty = true;
        ids
    }

    /// Adds a layer made here (a new, empty plan layer) on top; returns its id.
    pub fn add_layer(&mut self, layer: Layer) -> Result<String> {
        let display = DisplayLayer::prepare(&layer, self.project.crs)?;
        let ids = self.add_layers(vec![(layer, display)]);
        Ok(ids.into_iter().next().unwrap_or_default())
    }

    /// Changes the project's settings (exceptions, overrides, per-layer options).
    pub fn change_settings<T>(
        &mut self,
        change: impl FnOnce(&mut ProjectSettings) -> Result<T>,
    ) -> Result<T> {
        let out = change(&mut self.project.settings)?;
        self.changes.settings = true;
        self.dirty = true;
        Ok(out)
    }

    /// Changes the project through a library call that is not an [`Edit`] (the
    /// classification's overrides write settings and `CZLX`): the layers it names are
    /// redrawn.
    pub fn change_project<T>(
        &mut self,
        layers: &[String],
        change: impl FnOnce(&mut Project) -> Result<T>,
    ) -> Result<T> {
        let out = change(&mut self.project)?;
        self.changes.settings = true;
        self.features_changed(layers, None);
        Ok(out)
    }

    /// The project was saved to `path`: it is clean, and later saves go there.
    pub fn saved(&mut self, path: PathBuf, file: Option<crate::model::ProjectFile>) {
        self.project.file = file;
        self.path = Some(path);
        self.dirty = false;
    }

    /// Marks the project as changed though nothing in it is new (a recovered copy is not in
    /// the project file yet).
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    // --- Reports --------------------------------------------------------------------

    /// A finished check run: a whole run replaces the report, a village, view or edit run
    /// is merged into it (as the incremental re-check after an edit is).
    pub fn checks_done(&mut self, scope: &CheckScope, report: CheckReport) {
        match (&mut self.checks, scope) {
            (Some(current), CheckScope::Window(_) | CheckScope::Village(_)) => {
                current.merge(scope, report)
            }
            _ => self.checks = Some(report),
        }
        self.changes.reports = true;
    }

    /// Accepts a check result as an exception with a reason: kept in the project, shown in
    /// the report at once.
    pub fn accept_exception(&mut self, result: &CheckResult, reason: &str) -> Result<()> {
        let exceptions = self.change_settings(|settings| {
            accept_exception(settings, result, reason)?;
            Exceptions::from_settings(settings)
        })?;
        if let Some(report) = &mut self.checks {
            exceptions.apply(report);
        }
        self.changes.reports = true;
        Ok(())
    }

    /// A finished classification: the types go into the village layer's `CZLX` and the
    /// project's stored results, and the village layer becomes a thematic map of them.
    pub fn classification_done(&mut self, result: Classification) -> Result<()> {
        apply_classification(&mut self.project, &result)?;
        self.classification = Some(result);
        self.changes.reports = true;
        let Some(village) = self
            .project
            .layers
            .iter()
            .find(|l| l.role == LayerRole::Village)
            .map(|l| (l.id.clone(), VillageType::thematic_style(&l.style)))
        else {
            return Ok(());
        };
        let (id, style) = village;
        self.features_changed(std::slice::from_ref(&id), None);
        self.set_style(&id, style);
        Ok(())
    }

    // --- Selection and what the map shows --------------------------------------------

    /// Selects `items`; `all` outlines every one (Shift+click, a box, a table selection),
    /// otherwise only the first (a click lists everything under the pointer); `zoom` fits
    /// the map to them.
    pub fn select(&mut self, items: Vec<FeatureRef>, all: bool, zoom: bool) {
        self.selection.set(items);
        self.selection_changed(all, zoom);
    }

    /// Adds a feature to the selection or removes it (Shift+click).
    pub fn toggle(&mut self, item: FeatureRef) {
        self.selection.toggle(item);
        self.selection_changed(true, false);
    }

    /// Adds features to the selection (a box).
    pub fn extend_selection(&mut self, items: Vec<FeatureRef>) {
        self.selection.extend(items);
        self.selection_changed(true, false);
    }

    /// Clears the selection and the highlight (Esc).
    pub fn clear_selection(&mut self) {
        self.selection.clear();
        self.selection_changed(true, false);
    }

    fn selection_changed(&mut self, all: bool, zoom: bool) {
        self.highlight_source = HighlightSource::Selection { all };
        self.refresh_highlight();
        self.changes.selection = true;
        if zoom {
            self.fit = self.bounds(self.selection.items());
        }
    }

    fn refresh_highlight(&mut self) {
        let HighlightSource::Selection { all } = self.highlight_source else {
            return;
        };
        let shown = if all { usize::MAX } else { 1 };
        self.highlight = self
            .selection
            .items()
            .iter()
            .take(shown)
            .filter_map(|item| self.display_geometry(item))
            .flat_map(outlines)
            .collect();
    }

    /// The Web Mercator geometry of a feature, as the map draws it.
    pub fn display_geometry(&self, item: &FeatureRef) -> Option<&Geometry<f64>> {
        let (li, fi) = item.locate(&self.project)?;
        self.display.get(li)?.geometries.get(fi)?.as_ref()
    }

    /// The Web Mercator box around `items`.
    fn bounds(&self, items: &[FeatureRef]) -> Option<MercatorBox> {
        items
            .iter()
            .filter_map(|i| self.display_geometry(i)?.bounding_rect())
            .map(|r| ([r.min().x, r.min().y], [r.max().x, r.max().y]))
            .reduce(|a, b| {
                (
                    [a.0[0].min(b.0[0]), a.0[1].min(b.0[1])],
                    [a.1[0].max(b.1[0]), a.1[1].max(b.1[1])],
                )
            })
    }

    /// Shows a geometry that is not a feature (a check result's overlap, gap or crossing
    /// point; working CRS): the map fits it, at least `min_size` metres across, and
    /// outlines it.
    pub fn show_geometry(&mut self, geometry: &Geometry<f64>, min_size: f64) -> Result<()> {
        let g = self.outline_geometry(geometry)?;
        if let Some(r) = g.bounding_rect() {
            let pad = (min_size - r.width().max(r.height())).max(0.0) / 2.0;
            self.fit = Some((
                [r.min().x - pad, r.min().y - pad],
                [r.max().x + pad, r.max().y + pad],
            ));
        }
        Ok(())
    }

    /// Outlines a geometry that is not a feature (working CRS) where it is, without moving
    /// the map: a corridor while its width is dragged. Returns it in Web Mercator.
    pub fn outline_geometry(&mut self, geometry: &Geometry<f64>) -> Result<Geometry<f64>> {
        let to_mercator = self
            .mercator_from_gk
            .as_ref()
            .ok_or_else(|| Error::Invalid("no transformation to the map's plane".into()))?;
        let mut g = geometry.clone();
        to_mercator.transform_geometry(&mut g)?;
        self.highlight = outlines(&g);
        self.highlight_source = HighlightSource::Geometry;
        Ok(g)
    }

    /// Asks the map to show layer `id` whole.
    pub fn zoom_to_layer(&mut self, id: &str) {
        if let Some(i) = self.project.layer_position(id) {
            self.fit = self.display[i].extent();
        }
    }

    /// Asks the map to show the whole project.
    pub fn zoom_full(&mut self) {
        self.fit = full_extent(&self.display);
    }
}

/// The outlines of a geometry (Web Mercator): polygon rings, lines, and points as one-point
/// rings.
pub fn outlines(g: &Geometry<f64>) -> Outlines {
    let mut out = Vec::new();
    let mut add_polygon = |p: &geo::Polygon<f64>| {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            out.push(ring.0.iter().map(|c| [c.x, c.y]).collect());
        }
    };
    match g {
        Geometry::Polygon(p) => add_polygon(p),
        Geometry::MultiPolygon(m) => m.0.iter().for_each(&mut add_polygon),
        Geometry::Rect(r) => add_polygon(&r.to_polygon()),
        Geometry::Triangle(t) => add_polygon(&t.to_polygon()),
        Geometry::GeometryCollection(c) => {
            for part in &c.0 {
                out.extend(outlines(part));
            }
        }
        Geometry::Point(p) => out.push(vec![[p.x(), p.y()]]),
        Geometry::MultiPoint(m) => out.extend(m.0.iter().map(|p| vec![[p.x(), p.y()]])),
        Geometry::Line(l) => out.push(vec![[l.start.x, l.start.y], [l.end.x, l.end.y]]),
        Geometry::LineString(l) => out.push(l.0.iter().map(|c| [c.x, c.y]).collect()),
        Geometry::MultiLineString(m) => {
            out.extend(m.0.iter().map(|l| l.0.iter().map(|c| [c.x, c.y]).collect()))
        }
    }
    out
}

/// The Web Mercator box of every layer with geometry.
fn full_extent(layers: &[Arc<DisplayLayer>]) -> Option<MercatorBox> {
    layers.iter().filter_map(|l| l.extent()).reduce(|a, b| {
        (
            [a.0[0].min(b.0[0]), a.0[1].min(b.0[1])],
            [a.1[0].max(b.1[0]), a.1[1].max(b.1[1])],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Feature, LayerRole};

    fn square(x: f64) -> Geometry<f64> {
        Geometry::Polygon(geo::Polygon::new(
            geo::LineString::from(vec![
                (500_000.0 + x, 2_720_000.0),
                (500_100.0 + x, 2_720_000.0),
                (500_100.0 + x, 2_720_100.0),
                (500_000.0 + x, 2_720_000.0),
            ]),
            vec![],
        ))
    }

    /// A document with two empty plan layers.
    fn document() -> (Document, String, String) {
        let crs = WorkingCrs::from_central_meridian(99).unwrap();
        let mut doc = Document::empty("test", crs);
        let boundary = new_layer(&mut doc, LayerRole::VillageConstructionBoundary);
        let farmland = new_layer(&mut doc, LayerRole::PermanentFarmland);
        doc.take_changes();
        (doc, boundary, farmland)
    }

    fn new_layer(doc: &mut Document, role: LayerRole) -> String {
        let layer = crate::edit::new_plan_layer(doc.project(), role);
        doc.add_layer(layer).unwrap()
    }

    fn add(doc: &mut Document, layer: &str, x: f64) -> FeatureRef {
        let id = doc.project().layer(layer).unwrap().next_feature_id();
        let feature = Feature {
            id,
            geometry: Some(square(x)),
            attributes: Vec::new(),
        };
        let edit = Edit::AddFeature {
            layer: layer.to_string(),
            position: None,
            feature,
        };
        doc.apply("绘制", edit).unwrap();
        FeatureRef {
            layer: layer.to_string(),
            feature: id,
        }
    }

    #[test]
    fn an_edit_says_what_changed_and_redraws_its_layer() {
        let (mut doc, boundary, _) = document();
        let generation = doc.display_generation();
        add(&mut doc, &boundary, 0.0);
        let changes = doc.take_changes();
        assert!(changes.features.contains(&boundary));
        let area = changes.area.expect("a geometry changed");
        assert!((area.width() - 100.0).abs() < 1e-6);
        assert!(doc.dirty());
        assert!(doc.display_generation() > generation);
        let i = doc.project().layer_position(&boundary).unwrap();
        assert_eq!(
            doc.display()[i].geometries.len(),
            1,
            "the map layer follows"
        );
        assert!(doc.take_changes().is_empty(), "changes are taken once");
        doc.undo().unwrap();
        let changes = doc.take_changes();
        assert!(changes.features.contains(&boundary) && changes.area.is_some());
        assert_eq!(doc.display()[i].geometries.len(), 0);
    }

    #[test]
    fn the_selection_survives_moves_and_edits_and_drops_deleted_features() {
        let (mut doc, boundary, farmland) = document();
        let a = add(&mut doc, &boundary, 0.0);
        let b = add(&mut doc, &farmland, 200.0);
        doc.select(vec![a.clone(), b.clone()], true, false);
        assert_eq!(doc.highlight().len(), 2, "one ring per selected square");
        doc.move_layer(0, 1);
        assert_eq!(doc.project().layers[1].id, boundary);
        assert_eq!(doc.selection().items(), &[a.clone(), b.clone()]);
        assert_eq!(doc.highlight().len(), 2);
        // Inserting before a selected feature shifts its position, not its id.
        let feature = Feature {
            id: 99,
            geometry: Some(square(400.0)),
            attributes: Vec::new(),
        };
        doc.apply(
            "绘制",
            Edit::AddFeature {
                layer: boundary.clone(),
                position: Some(0),
                feature,
            },
        )
        .unwrap();
        assert_eq!(a.locate(doc.project()), Some((1, 1)));
        assert_eq!(doc.selection().items().len(), 2);
        doc.apply(
            "删除",
            Edit::RemoveFeature {
                layer: farmland.clone(),
                position: 0,
            },
        )
        .unwrap();
        assert_eq!(doc.selection().items(), &[a], "the deleted feature left it");
        assert!(doc.take_changes().selection);
        assert_eq!(doc.highlight().len(), 1);
    }

    #[test]
    fn a_new_document_has_no_reports_of_its_own_yet() {
        let (mut doc, _, _) = document();
        doc.checks_done(&CheckScope::All, CheckReport::default());
        assert!(doc.checks().is_some());
        let crs = doc.project().crs;
        let next = Document::empty("next", crs);
        assert!(next.checks().is_none() && next.classification().is_none());
        assert_ne!(next.id(), doc.id(), "work for the old one is recognised");
    }
}
