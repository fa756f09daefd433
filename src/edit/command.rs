//! The edits themselves. Each one, applied, hands back the edit that undoes it, so undo is
//! never a separate code path that could drift from the forward one.

use geo::Geometry;

use super::area_fields::update_area_fields;
use super::validate::validate_geometry;
use crate::error::{Error, Result};
use crate::model::{AttrValue, Feature, Layer, Project};

/// One change to a project's features. Features are addressed by layer id and position
/// (the order the table and the file use).
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Insert a feature at `position` (`None`: at the end). Its area fields are computed.
    AddFeature {
        layer: String,
        position: Option<usize>,
        feature: Feature,
    },
    /// Remove the feature at `position`.
    RemoveFeature { layer: String, position: usize },
    /// Put a feature back exactly as it was (the undo of a removal: area fields and all
    /// attributes are restored verbatim, not recomputed).
    RestoreFeature {
        layer: String,
        position: usize,
        feature: Feature,
    },
    /// Replace a whole feature exactly (the undo of a geometry change, which must bring back
    /// the old area values too — e.g. an ellipsoidal 三调 TBMJ).
    ReplaceFeature {
        layer: String,
        position: usize,
        feature: Feature,
    },
    /// Give the feature at `position` a new geometry (validated first); area fields follow.
    ReplaceGeometry {
        layer: String,
        position: usize,
        geometry: Option<Geometry<f64>>,
    },
    /// Set one attribute of the feature at `position`.
    SetAttribute {
        layer: String,
        position: usize,
        field: String,
        value: AttrValue,
    },
    /// Several edits as one user action (a split: replace + add; a merge: replace +
    /// removes). All or nothing: if one fails, those already applied are undone.
    Batch(Vec<Edit>),
}

fn layer_mut<'a>(project: &'a mut Project, id: &str) -> Result<&'a mut Layer> {
    project
        .layer_mut(id)
        .ok_or_else(|| Error::NoLayer { id: id.to_string() })
}

/// Refuses an invalid geometry for feature `feature` of `layer`, with where the problem is.
fn check(layer: &Layer, feature: Option<i64>, geometry: Option<&Geometry<f64>>) -> Result<()> {
    match geometry.map(validate_geometry) {
        Some(Err(invalid)) => Err(Error::InvalidGeometry {
            layer: layer.name.clone(),
            feature,
            reason: invalid.message,
            at: invalid.at,
        }),
        _ => Ok(()),
    }
}

fn no_feature(layer: &Layer, position: usize) -> Error {
    Error::NoFeature {
        layer: layer.name.clone(),
        position,
    }
}

impl Edit {
    /// Applies the edit and returns its inverse. On error nothing has changed.
    pub fn apply(self, project: &mut Project) -> Result<Edit> {
        match self {
            Edit::AddFeature {
                layer,
                position,
                feature,
            } => {
                let l = layer_mut(project, &layer)?;
                check(l, Some(feature.id), feature.geometry.as_ref())?;
                let at = position.unwrap_or(l.features().len());
                l.insert_feature(at, feature)?;
                update_area_fields(l, at)?;
                Ok(Edit::RemoveFeature {
                    layer,
                    position: at,
                })
            }
            Edit::RemoveFeature { layer, position } => {
                let l = layer_mut(project, &layer)?;
                let feature = l.remove_feature(position)?;
                Ok(Edit::RestoreFeature {
                    layer,
                    position,
                    feature,
                })
            }
            Edit::RestoreFeature {
                layer,
                position,
                feature,
            } => {
                layer_mut(project, &layer)?.insert_feature(position, feature)?;
                Ok(Edit::RemoveFeature { layer, position })
            }
            Edit::ReplaceFeature {
                layer,
                position,
                feature,
            } => {
                let old = layer_mut(project, &layer)?.replace_feature(position, feature)?;
                Ok(Edit::ReplaceFeature {
                    layer,
                    position,
                    feature: old,
                })
            }
            Edit::ReplaceGeometry {
                layer,
                position,
                geometry,
            } => {
                let l = layer_mut(project, &layer)?;
                let before = l
                    .features()
                    .get(position)
                    .cloned()
                    .ok_or_else(|| no_feature(l, position))?;
                check(l, Some(before.id), geometry.as_ref())?;
                l.replace_geometry(position, geometry)?;
                update_area_fields(l, position)?;
                Ok(Edit::ReplaceFeature {
                    layer,
                    position,
                    feature: before,
                })
            }
            Edit::SetAttribute {
                layer,
                position,
                field,
                value,
            } => {
                let l = layer_mut(project, &layer)?;
                let col = l.field_index(&field).ok_or_else(|| Error::MissingField {
                    layer: l.name.clone(),
                    field: field.clone(),
                    accepted: field.clone(),
                })?;
                let old = l
                    .value(position, &field)
                    .cloned()
                    .ok_or_else(|| no_feature(l, position))?;
                l.set_value(position, col, value)?;
                Ok(Edit::SetAttribute {
                    layer,
                    position,
                    field,
                    value: old,
                })
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(project) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(e) => {
                            // Roll back what was applied, newest first.
                            for inverse in inverses.into_iter().rev() {
                                let _ = inverse.apply(project);
                            }
                            return Err(e);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
        }
    }

    /// The envelope of every geometry this edit carries (working CRS). An edit and its
    /// inverse together cover everything a change touched: what a re-check must look at.
    pub fn bbox(&self) -> Option<geo::Rect<f64>> {
        use geo::BoundingRect;
        match self {
            Edit::AddFeature { feature, .. }
            | Edit::RestoreFeature { feature, .. }
            | Edit::ReplaceFeature { feature, .. } => {
                feature.geometry.as_ref().and_then(|g| g.bounding_rect())
            }
            Edit::ReplaceGeometry { geometry, .. } => {
                geometry.as_ref().and_then(|g| g.bounding_rect())
            }
            Edit::RemoveFeature { .. } | Edit::SetAttribute { .. } => None,
            Edit::Batch(edits) => edits.iter().map(Edit::bbox).fold(None, union),
        }
    }

    /// The layers this edit touches (to redraw and re-check only those).
    pub fn layers(&self) -> Vec<&str> {
        match self {
            Edit::AddFeature { layer, .. }
            | Edit::RemoveFeature { layer, .. }
            | Edit::RestoreFeature { layer, .. }
            | Edit::ReplaceFeature { layer, .. }
            | Edit::ReplaceGeometry { layer, .. }
            | Edit::SetAttribute { layer, .. } => vec![layer.as_str()],
            Edit::Batch(edits) => {
                let mut all: Vec<&str> = edits.iter().flat_map(|e| e.layers()).collect();
                all.sort_unstable();
                all.dedup();
                all
            }
        }
    }
}

/// The envelope of two optional envelopes.
pub(super) fn union(
    a: Option<geo::Rect<f64>>,
    b: Option<geo::Rect<f64>>,
) -> Option<geo::Rect<f64>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(geo::Rect::new(
            geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )),
        (a, b) => a.or(b),
    }
}
