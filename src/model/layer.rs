//! A layer: typed fields, features in the working CRS, a role, a style and a spatial index.

use std::collections::HashMap;
use std::path::PathBuf;

use geo::{Area, BoundingRect, Geometry};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{AttrValue, Feature, FieldDef, LayerRole, LayerStyle};
use crate::error::{Error, Result};
use crate::index::FeatureIndex;

/// The dominant geometry type of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeometryKind {
    /// Points / multipoints.
    Point,
    /// Line strings / multi line strings.
    Line,
    /// Polygons / multipolygons.
    Polygon,
    /// Attribute table without geometry.
    None,
    /// Several kinds in one layer (GeoJSON, DXF).
    Mixed,
}

impl GeometryKind {
    /// The kind of one geometry.
    pub fn of(geometry: &Geometry<f64>) -> GeometryKind {
        match geometry {
            Geometry::Point(_) | Geometry::MultiPoint(_) => GeometryKind::Point,
            Geometry::Line(_) | Geometry::LineString(_) | Geometry::MultiLineString(_) => {
                GeometryKind::Line
            }
            Geometry::Polygon(_)
            | Geometry::MultiPolygon(_)
            | Geometry::Rect(_)
            | Geometry::Triangle(_) => GeometryKind::Polygon,
            Geometry::GeometryCollection(_) => GeometryKind::Mixed,
        }
    }
}

/// Where a layer came from, as shown by `info` and saved in the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerSource {
    /// The file or directory the layer was read from.
    pub path: PathBuf,
    /// The layer name inside that source.
    pub layer: String,
    /// The source CRS, e.g. `EPSG:4490` or the CRS name when it has no code.
    pub crs: String,
    /// The text encoding used and why (Shapefile/DBF only).
    pub encoding: Option<String>,
}

/// What happened while reading a layer that the user must know about.
///
/// Nothing is dropped silently: skipped and repaired features are counted here and
/// reported by `info`, the GUI and the load functions' callers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    /// Features whose geometry was NULL (skipped).
    pub skipped_null: usize,
    /// Features whose geometry was empty (skipped).
    pub skipped_empty: usize,
    /// Features with Z or M values (dropped to 2D).
    pub dropped_zm: usize,
    /// Features with curves (linearised).
    pub linearised: usize,
    /// Ids of polygon features that are not valid (kept, flagged for the checks).
    pub invalid_ids: Vec<i64>,
    /// Ids that more than one feature had (a source mixing features with and without FIDs):
    /// every feature after the first with such an id was given a fresh one, so that an id
    /// names one feature ([`Layer::position_of`]).
    #[serde(default)]
    pub duplicate_ids: Vec<i64>,
}

impl LoadReport {
    /// One line per non-zero count, for terminals and panels.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.skipped_null > 0 {
            out.push(format!(
                "{} features without geometry skipped",
                self.skipped_null
            ));
        }
        if self.skipped_empty > 0 {
            out.push(format!(
                "{} features with empty geometry skipped",
                self.skipped_empty
            ));
        }
        if self.dropped_zm > 0 {
            out.push(format!(
                "{} features had Z/M values (dropped)",
                self.dropped_zm
            ));
        }
        if self.linearised > 0 {
            out.push(format!("{} curved geometries linearised", self.linearised));
        }
        if !self.duplicate_ids.is_empty() {
            out.push(format!(
                "{} duplicate feature ids renumbered (ids {})",
                self.duplicate_ids.len(),
                shown(&self.duplicate_ids)
            ));
        }
        if !self.invalid_ids.is_empty() {
            out.push(format!(
                "{} invalid polygons kept and flagged (ids {})",
                self.invalid_ids.len(),
                shown(&self.invalid_ids)
            ));
        }
        out
    }
}

/// The first ten ids, then `…`.
fn shown(ids: &[i64]) -> String {
    let mut text: Vec<String> = ids.iter().take(10).map(|id| id.to_string()).collect();
    if ids.len() > 10 {
        text.push("…".into());
    }
    text.join(", ")
}

/// A layer of a project.
///
/// Features and fields are private so that the spatial index, the id lookup and the
/// attribute alignment cannot drift from the data: every change goes through a method that
/// keeps them in step. Feature ids are unique within a layer.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Stable identifier within the project (also the GeoPackage table name).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Planning role.
    pub role: LayerRole,
    /// Dominant geometry type.
    pub geometry_kind: GeometryKind,
    /// Where it was read from, if anywhere.
    pub source: Option<LayerSource>,
    /// Drawing style.
    pub style: LayerStyle,
    /// What was skipped or repaired while reading.
    pub load_report: LoadReport,
    fields: Vec<FieldDef>,
    features: Vec<Feature>,
    index: FeatureIndex,
    /// Feature id → position.
    positions: HashMap<i64, usize>,
    /// GEOS's verdict on each feature's geometry where one is known (in step with
    /// `features`; empty when none is): the load asks GEOS anyway, so the validity check
    /// reuses the answer instead of asking again. An edited geometry forgets its verdict.
    validity: Vec<Option<bool>>,
}

impl Layer {
    /// Builds a layer; attribute rows shorter than the field list are padded with NULL. A
    /// feature whose id an earlier feature already has gets a fresh id, recorded in
    /// [`LoadReport::duplicate_ids`].
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        role: LayerRole,
        fields: Vec<FieldDef>,
        mut features: Vec<Feature>,
    ) -> Self {
        let mut next_id = features.iter().map(|f| f.id).max().unwrap_or(0) + 1;
        let mut positions = HashMap::with_capacity(features.len());
        let mut duplicate_ids = Vec::new();
        for (i, f) in features.iter_mut().enumerate() {
            f.attributes.resize(fields.len(), AttrValue::Null);
            if positions.contains_key(&f.id) {
                duplicate_ids.push(f.id);
                f.id = next_id;
                next_id += 1;
            }
            positions.insert(f.id, i);
        }
        let geometry_kind = dominant_kind(&features);
        let index = FeatureIndex::build(envelopes(&features));
        Layer {
            id: id.into(),
            name: name.into(),
            role,
            geometry_kind,
            source: None,
            style: LayerStyle::for_role(role),
            load_report: LoadReport {
                duplicate_ids,
                ..LoadReport::default()
            },
            fields,
            features,
            index,
            positions,
            validity: Vec::new(),
        }
    }

    /// Records GEOS's verdicts on the geometries as they are now (`verdicts[i]` for the
    /// feature at position `i`; `None` where unknown). Ignored unless there is one per
    /// feature, so a stale list can never be believed.
    pub fn set_known_validity(&mut self, verdicts: Vec<Option<bool>>) {
        self.validity = if verdicts.len() == self.features.len() {
            verdicts
        } else {
            Vec::new()
        };
    }

    /// GEOS's verdict on the geometry at `position` if it is known (valid: `Some(true)`),
    /// `None` when it must be asked.
    pub fn known_validity(&self, position: usize) -> Option<bool> {
        self.validity.get(position).copied().flatten()
    }

    /// The columns.
    pub fn fields(&self) -> &[FieldDef] {
        &self.fields
    }

    /// The features, in source order.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// Position of the feature with id `feature_id` (O(1)): how a selection or a check
    /// result that names features by id finds them again after other features moved.
    pub fn position_of(&self, feature_id: i64) -> Option<usize> {
        self.positions.get(&feature_id).copied()
    }

    /// Position of a field by case-insensitive name.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// Position of a field an operation cannot do without, or [`Error::MissingField`]
    /// naming the layer.
    pub fn required_field(&self, name: &str) -> Result<usize> {
        self.field_index(name).ok_or_else(|| Error::MissingField {
            layer: self.name.clone(),
            field: name.to_string(),
            accepted: name.to_string(),
        })
    }

    /// The value of `field` for the feature at position `i`.
    pub fn value(&self, i: usize, field: &str) -> Option<&AttrValue> {
        let col = self.field_index(field)?;
        self.features.get(i)?.attributes.get(col)
    }

    /// Renames the column at `index` (no-op when out of range): how a delivered layer's
    /// `JQDLBM` is read as the `DLBM` the analyses look for.
    pub fn rename_field(&mut self, index: usize, name: impl Into<String>) {
        if let Some(field) = self.fields.get_mut(index) {
            field.name = name.into();
        }
    }

    /// Adds a column (NULL in every feature) unless one with that name (case-insensitive)
    /// exists; returns its position. Used by analyses that write results into a layer,
    /// such as the village type `CZLX`.
    pub fn ensure_field(&mut self, field: FieldDef) -> usize {
        if let Some(i) = self.field_index(&field.name) {
            return i;
        }
        self.fields.push(field);
        for f in &mut self.features {
            f.attributes.push(AttrValue::Null);
        }
        self.fields.len() - 1
    }

    /// Sets one attribute of the feature at position `feature`. Geometry is untouched, so
    /// the spatial index stays valid. Fails, naming the layer, when either position is out
    /// of range.
    pub fn set_value(&mut self, feature: usize, field: usize, value: AttrValue) -> Result<()> {
        let layer = &self.name;
        let slot = self
            .features
            .get_mut(feature)
            .ok_or_else(|| Error::NoFeature {
                layer: layer.clone(),
                position: feature,
            })?
            .attributes
            .get_mut(field)
            .ok_or_else(|| Error::NoColumn {
                layer: layer.clone(),
                column: field,
            })?;
        *slot = value;
        Ok(())
    }

    /// Replaces the geometry of the feature at `position` and returns the old one; the
    /// index moves that one entry (O(log n)).
    pub fn replace_geometry(
        &mut self,
        position: usize,
        geometry: Option<Geometry<f64>>,
    ) -> Result<Option<Geometry<f64>>> {
        let layer = &self.name;
        let feature = self
            .features
            .get_mut(position)
            .ok_or_else(|| Error::NoFeature {
                layer: layer.clone(),
                position,
            })?;
        let new_rect = geometry.as_ref().and_then(|g| g.bounding_rect());
        let old = std::mem::replace(&mut feature.geometry, geometry);
        let old_rect = old.as_ref().and_then(|g| g.bounding_rect());
        self.index.update(position, old_rect, new_rect);
        if let Some(verdict) = self.validity.get_mut(position) {
            *verdict = None;
        }
        Ok(old)
    }

    /// Replaces the whole feature at `position` (id, geometry, attributes) and returns the
    /// old one: how an undo restores a feature exactly as it was.
    pub fn replace_feature(&mut self, position: usize, mut feature: Feature) -> Result<Feature> {
        if self
            .position_of(feature.id)
            .is_some_and(|other| other != position)
        {
            return Err(self.duplicate(feature.id));
        }
        feature
            .attributes
            .resize(self.fields.len(), AttrValue::Null);
        let geometry = feature.geometry.take();
        let old_geometry = self.replace_geometry(position, geometry)?;
        // The slot holds the old id and attributes with the new geometry: swap in the new
        // feature, then move the geometries to where they belong.
        let slot = &mut self.features[position];
        let mut old = std::mem::replace(slot, feature);
        slot.geometry = std::mem::replace(&mut old.geometry, old_geometry);
        self.positions.remove(&old.id);
        self.positions.insert(self.features[position].id, position);
        Ok(old)
    }

    fn duplicate(&self, id: i64) -> Error {
        Error::DuplicateFeatureId {
            layer: self.name.clone(),
            id,
        }
    }

    /// The id lookup again, after positions shifted (O(n), like the index rebuild beside it).
    fn rebuild_positions(&mut self) {
        self.positions = self
            .features
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id, i))
            .collect();
    }

    /// Inserts a feature at `position` (≤ the feature count), padding its attributes to the
    /// fields; [`Error::DuplicateFeatureId`] when its id is taken (see
    /// [`Layer::next_feature_id`]). Positions after it shift, so the index is rebuilt (bulk
    /// load, ~O(n log n); adding at the end, the usual case, is the same cost class as a
    /// save).
    pub fn insert_feature(&mut self, position: usize, mut feature: Feature) -> Result<()> {
        if position > self.features.len() {
            return Err(Error::Invalid(format!(
                "layer '{}': cannot insert at {position} of {}",
                self.name,
                self.features.len()
            )));
        }
        if self.position_of(feature.id).is_some() {
            return Err(self.duplicate(feature.id));
        }
        feature
            .attributes
            .resize(self.fields.len(), AttrValue::Null);
        if !self.validity.is_empty() {
            self.validity.insert(position, None);
        }
        if position == self.features.len() {
            let rect = feature.geometry.as_ref().and_then(|g| g.bounding_rect());
            self.positions.insert(feature.id, position);
            self.features.push(feature);
            self.index.update(position, None, rect);
        } else {
            self.features.insert(position, feature);
            self.index = FeatureIndex::build(envelopes(&self.features));
            self.rebuild_positions();
        }
        Ok(())
    }

    /// Removes and returns the feature at `position`; later positions shift down, so the
    /// index is rebuilt unless it was the last feature.
    pub fn remove_feature(&mut self, position: usize) -> Result<Feature> {
        if position >= self.features.len() {
            return Err(Error::NoFeature {
                layer: self.name.clone(),
                position,
            });
        }
        let feature = self.features.remove(position);
        if !self.validity.is_empty() {
            self.validity.remove(position);
        }
        if position == self.features.len() {
            let rect = feature.geometry.as_ref().and_then(|g| g.bounding_rect());
            self.index.update(position, rect, None);
            self.positions.remove(&feature.id);
        } else {
            self.index = FeatureIndex::build(envelopes(&self.features));
            self.rebuild_positions();
        }
        Ok(feature)
    }

    /// A feature id not used in this layer (one more than the largest): what every path
    /// creating features gives the first of them.
    pub fn next_feature_id(&self) -> i64 {
        self.positions.keys().max().map_or(1, |max| max + 1)
    }

    /// The spatial index over feature envelopes.
    pub fn index(&self) -> &FeatureIndex {
        &self.index
    }

    /// Re-applies field kinds the storage format cannot express (dates kept as text in
    /// GeoPackages) from saved metadata; fields are matched by name.
    pub fn restore_field_kinds(&mut self, saved: &[FieldDef]) {
        for field in &mut self.fields {
            if let Some(s) = saved.iter().find(|s| s.name == field.name) {
                field.kind = s.kind;
            }
        }
    }

    /// Sum of planar polygon areas in m² (working CRS).
    pub fn total_area_m2(&self) -> f64 {
        self.features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .map(|g| g.unsigned_area())
            .sum()
    }
}

/// (position, envelope) of every feature with a geometry: what the index is built from
/// (measured on all cores: it walks every vertex).
fn envelopes(features: &[Feature]) -> Vec<(usize, geo::Rect<f64>)> {
    features
        .par_iter()
        .enumerate()
        .filter_map(|(i, f)| Some((i, f.geometry.as_ref()?.bounding_rect()?)))
        .collect()
}

fn dominant_kind(features: &[Feature]) -> GeometryKind {
    let mut kind = None;
    for g in features.iter().filter_map(|f| f.geometry.as_ref()) {
        let k = GeometryKind::of(g);
        match kind {
            None => kind = Some(k),
            Some(prev) if prev != k => return GeometryKind::Mixed,
            _ => {}
        }
    }
    kind.unwrap_or(GeometryKind::None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::wkt;

    fn feature(id: i64, x: f64) -> Feature {
        Feature {
            id,
            geometry: Some(Geometry::Point(wkt!(POINT(0. 0.)))),
            attributes: vec![AttrValue::Real(x)],
        }
    }

    fn layer(ids: &[i64]) -> Layer {
        let features = ids.iter().map(|&id| feature(id, id as f64)).collect();
        Layer::new("t", "t", LayerRole::Other, Vec::new(), features)
    }

    /// Every feature's id leads back to its position, and nothing else is in the lookup.
    fn assert_in_step(layer: &Layer) {
        for (i, f) in layer.features().iter().enumerate() {
            assert_eq!(layer.position_of(f.id), Some(i), "id {}", f.id);
        }
        assert_eq!(layer.positions.len(), layer.features().len());
    }

    /// A verdict stays with its feature through inserts and removals, an edited geometry
    /// loses it, and a list of the wrong length is never believed.
    #[test]
    fn validity_verdicts_follow_their_features() {
        let mut l = layer(&[10, 20, 30]);
        l.set_known_validity(vec![Some(true), Some(false)]);
        assert_eq!(l.known_validity(1), None, "two verdicts for three features");
        l.set_known_validity(vec![Some(true), Some(false), Some(true)]);
        l.insert_feature(0, feature(5, 0.0)).unwrap();
        assert_eq!(l.known_validity(0), None, "a new feature is unknown");
        assert_eq!(l.known_validity(2), Some(false), "feature 20 moved to 2");
        l.insert_feature(4, feature(40, 0.0)).unwrap();
        assert_eq!(l.known_validity(4), None);
        l.remove_feature(1).unwrap();
        assert_eq!(
            l.known_validity(1),
            Some(false),
            "feature 20 moved back to 1"
        );
        l.replace_geometry(1, None).unwrap();
        assert_eq!(
            l.known_validity(1),
            None,
            "an edited geometry is asked again"
        );
        assert_eq!(l.known_validity(2), Some(true));
        assert_eq!(l.known_validity(99), None);
    }

    #[test]
    fn ids_resolve_after_every_change() {
        let mut l = layer(&[10, 20, 30]);
        assert_in_step(&l);
        assert_eq!(l.position_of(20), Some(1));
        assert_eq!(l.position_of(99), None);
        l.insert_feature(0, feature(5, 0.0)).unwrap();
        assert_in_step(&l);
        assert_eq!(l.position_of(30), Some(3));
        l.insert_feature(4, feature(40, 0.0)).unwrap();
        assert_in_step(&l);
        l.remove_feature(1).unwrap();
        assert_in_step(&l);
        assert_eq!(l.position_of(10), None);
        l.remove_feature(3).unwrap();
        assert_in_step(&l);
        let old = l.replace_feature(0, feature(7, 0.0)).unwrap();
        assert_eq!(old.id, 5);
        assert_in_step(&l);
        assert_eq!(l.position_of(5), None);
        assert_eq!(l.next_feature_id(), 31);
    }

    #[test]
    fn a_taken_id_is_refused_and_nothing_changes() {
        let mut l = layer(&[1, 2]);
        let before = l.features().to_vec();
        let err = l.insert_feature(0, feature(2, 9.0)).unwrap_err();
        assert!(
            matches!(err, Error::DuplicateFeatureId { id: 2, .. }),
            "{err}"
        );
        assert!(matches!(
            l.replace_feature(0, feature(2, 9.0)),
            Err(Error::DuplicateFeatureId { id: 2, .. })
        ));
        assert_eq!(l.features(), &before[..]);
        assert_in_step(&l);
        // Replacing a feature by one with its own id is not a clash.
        l.replace_feature(1, feature(2, 9.0)).unwrap();
        assert_in_step(&l);
    }

    #[test]
    fn duplicate_ids_of_a_source_are_renumbered_and_reported() {
        let l = layer(&[3, 3, 1, 3]);
        let ids: Vec<i64> = l.features().iter().map(|f| f.id).collect();
        assert_eq!(ids, vec![3, 4, 1, 5]);
        assert_eq!(l.load_report.duplicate_ids, vec![3, 3]);
        assert!(
            l.load_report.lines()[0].starts_with("2 duplicate feature ids renumbered"),
            "{:?}",
            l.load_report.lines()
        );
        assert_in_step(&l);
    }
}
