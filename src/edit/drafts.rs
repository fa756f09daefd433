//! What the 三生空间 and 管控边界 drafts share: the villages to draft (every 行政村界 or
//! one, by its 12-digit code, read by [`crate::model::admin`]) and one undoable edit adding
//! the result to a plan layer.

use geo::MultiPolygon;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::geometry::as_multipolygon;
use crate::model::admin::AdminUnits;
use crate::model::{AttrValue, Feature, Layer, LayerRole, Project};

/// The polygons of every feature of `role` layers whose envelope meets `bbox` (the red
/// line or farmland around a village): the candidates, before any overlay.
pub(crate) fn role_polygons_in(
    project: &Project,
    role: LayerRole,
    bbox: geo::Rect<f64>,
) -> Vec<geo::Polygon<f64>> {
    project
        .layers_with_role(role)
        .flat_map(|layer| {
            layer
                .index()
                .query(bbox.min().into(), bbox.max().into())
                .filter_map(|i| {
                    layer.features()[i]
                        .geometry
                        .as_ref()
                        .and_then(as_multipolygon)
                })
        })
        .flatten()
        .collect()
}

/// (code, area) of every polygon of the project's 行政村界 layer, or only of the village with
/// code `village`, codes as the shared reader ([`AdminUnits::villages`]) finds them (a
/// polygon without a code is drafted with an empty one, for the planner to fill in). An
/// error when the layer or its code column is missing, or no village has that code.
pub(crate) fn villages_to_draft(
    project: &Project,
    village: Option<&str>,
) -> Result<Vec<(String, MultiPolygon<f64>)>> {
    let villages = AdminUnits::villages(project)?;
    let layer = villages.layer;
    let out: Vec<(String, MultiPolygon<f64>)> = layer
        .features()
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let code = villages.at_position(i).map_or("", |u| u.code.as_str());
            if village.is_some_and(|v| v.trim() != code) {
                return None;
            }
            Some((
                code.to_string(),
                f.geometry.as_ref().and_then(as_multipolygon)?,
            ))
        })
        .collect();
    if let Some(code) = village
        && out.is_empty()
    {
        return Err(Error::NoVillage {
            layer: layer.name.clone(),
            code: code.to_string(),
        });
    }
    Ok(out)
}

/// One edit adding `drafts` (a geometry and its text attributes by field name) to `layer`
/// with fresh feature ids — how the 三生空间 and 管控边界 drafts enter a plan layer as one
/// undoable step. Fields not named stay empty.
pub(crate) fn add_drafts_edit(
    layer: &Layer,
    drafts: impl IntoIterator<Item = (geo::MultiPolygon<f64>, Vec<(&'static str, String)>)>,
) -> Edit {
    let first_id = layer.next_feature_id();
    let edits = drafts
        .into_iter()
        .enumerate()
        .map(|(k, (geometry, values))| {
            let attributes = layer
                .fields()
                .iter()
                .map(|f| {
                    values
                        .iter()
                        .find(|(name, _)| *name == f.name)
                        .map_or(AttrValue::Null, |(_, v)| AttrValue::text(v.as_str()))
                })
                .collect();
            Edit::AddFeature {
                layer: layer.id.clone(),
                position: None,
                feature: Feature {
                    id: first_id + k as i64,
                    geometry: Some(geo::Geometry::MultiPolygon(geometry)),
                    attributes,
                },
            }
        })
        .collect();
    Edit::Batch(edits)
}
