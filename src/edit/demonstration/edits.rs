//! Demonstration areas as undoable edits: adding a zone or a corridor, and changing a
//! corridor's width, end style, centre line or one centre-line vertex — each one [`Edit`]
//! (one undo step) that sets the corridor's attributes and gives the feature the polygon
//! rebuilt from them, so the polygon always follows its line.
//!
//! A corridor change is a batch of attribute sets and one `ReplaceGeometry`; its inverse
//! replaces the whole feature first and then puts the old attributes back, so an undo
//! restores the geometry, the area fields and every attribute bit for bit.

use geo::{Coord, Geometry, MultiPolygon};

use super::corridor::corridor_polygon;
use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::model::demonstration::{
    CENTRE_FIELD, CorridorLine, DemoKind, ENDS_FIELD, KIND_FIELD, NAME_FIELD, NOTE_FIELD,
    THEME_FIELD, WIDTH_FIELD, centre_line_text, demo_area,
};
use crate::model::{AttrValue, Feature, Layer, LayerRole, Project};

/// What a new demonstration area is called and about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemoLabel {
    /// 名称 (required, unique among the project's demonstration areas).
    pub name: String,
    /// 主题.
    pub theme: String,
    /// 备注.
    pub note: String,
}

/// A vertex of a corridor's centre line: the part and the index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CentreVertex {
    /// Part of the centre line (0 for a single line).
    pub part: usize,
    /// Vertex index within the part.
    pub index: usize,
}

fn demo_layer<'a>(project: &'a Project, layer_id: &str) -> Result<&'a Layer> {
    let layer = project.layer(layer_id).ok_or_else(|| Error::NoLayer {
        id: layer_id.to_string(),
    })?;
    if layer.role != LayerRole::Demonstration {
        return Err(Error::Invalid(format!(
            "layer '{}' is not a demonstration layer (示范区带线) but {}",
            layer.name,
            layer.role.name_zh()
        )));
    }
    Ok(layer)
}

/// Refuses an empty name or one another area of the project already has.
fn check_name(project: &Project, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::Invalid(
            "a demonstration area needs a 名称 (name)".into(),
        ));
    }
    let taken = crate::model::demonstration::demo_areas(project)?
        .into_iter()
        .find(|a| a.name == name.trim());
    match taken {
        Some(a) => Err(Error::Invalid(format!(
            "a demonstration area named '{}' exists already (layer '{}', feature {})",
            a.name, a.layer_id, a.feature_id
        ))),
        None => Ok(()),
    }
}

/// A feature of `layer` with these attributes (others NULL) and `geometry`.
fn new_feature(
    layer: &Layer,
    values: &[(&str, AttrValue)],
    geometry: MultiPolygon<f64>,
) -> Result<Feature> {
    let mut attributes = vec![AttrValue::Null; layer.fields().len()];
    for (field, value) in values {
        attributes[layer.required_field(field)?] = value.clone();
    }
    Ok(Feature {
        id: layer.next_feature_id(),
        geometry: Some(Geometry::MultiPolygon(geometry)),
        attributes,
    })
}

fn text(value: &str) -> AttrValue {
    if value.trim().is_empty() {
        AttrValue::Null
    } else {
        AttrValue::text(value.trim())
    }
}

/// Adds a 示范区 with `geometry` (drawn, built from units, or both — see
/// [`super::zone_geometry`]) to the demonstration layer `layer_id`.
pub fn add_zone(
    project: &Project,
    layer_id: &str,
    label: &DemoLabel,
    geometry: MultiPolygon<f64>,
) -> Result<Edit> {
    let layer = demo_layer(project, layer_id)?;
    check_name(project, &label.name)?;
    let feature = new_feature(
        layer,
        &[
            (NAME_FIELD, text(&label.name)),
            (KIND_FIELD, text(DemoKind::Zone.name_zh())),
            (THEME_FIELD, text(&label.theme)),
            (NOTE_FIELD, text(&label.note)),
        ],
        geometry,
    )?;
    Ok(Edit::AddFeature {
        layer: layer.id.clone(),
        position: None,
        feature,
    })
}

/// Adds a corridor (示范带 or 示范线) of `line` to the demonstration layer `layer_id`; its
/// polygon is built from the line ([`corridor_polygon`]), whose errors it returns.
pub fn add_corridor(
    project: &Project,
    layer_id: &str,
    label: &DemoLabel,
    kind: DemoKind,
    line: &CorridorLine,
) -> Result<Edit> {
    let layer = demo_layer(project, layer_id)?;
    if !kind.is_corridor() {
        return Err(Error::Invalid(format!(
            "a {} is not a corridor: use 示范带 or 示范线 for a centre line and a width",
            kind.name_zh()
        )));
    }
    check_name(project, &label.name)?;
    let polygon = corridor_polygon(line).map_err(|e| named(&label.name, e))?;
    let feature = new_feature(
        layer,
        &[
            (NAME_FIELD, text(&label.name)),
            (KIND_FIELD, text(kind.name_zh())),
            (THEME_FIELD, text(&label.theme)),
            (NOTE_FIELD, text(&label.note)),
            (WIDTH_FIELD, AttrValue::Real(line.width_m)),
            (ENDS_FIELD, text(line.ends.name_zh())),
            (
                CENTRE_FIELD,
                AttrValue::text(centre_line_text(&line.centre)),
            ),
        ],
        polygon,
    )?;
    Ok(Edit::AddFeature {
        layer: layer.id.clone(),
        position: None,
        feature,
    })
}

/// The error with the area's name in front.
fn named(name: &str, e: Error) -> Error {
    match e {
        Error::Invalid(message) => Error::Invalid(format!("corridor '{name}': {message}")),
        other => other,
    }
}

/// The corridor at `position` of `layer_id` changed by `change`, as one edit: the three
/// corridor attributes set and the polygon rebuilt. Errors: the feature is no corridor, or
/// the changed line is refused (nothing is changed then).
pub fn change_corridor(
    project: &Project,
    layer_id: &str,
    position: usize,
    change: impl FnOnce(&mut CorridorLine) -> Result<()>,
) -> Result<Edit> {
    let layer = demo_layer(project, layer_id)?;
    let area = demo_area(layer, position)?;
    let Some(mut line) = area.corridor else {
        return Err(Error::Invalid(format!(
            "layer '{}', feature {} ('{}') is not a corridor: it has no 中心线 (centre line)",
            layer.name, area.feature_id, area.name
        )));
    };
    change(&mut line).map_err(|e| named(&area.name, e))?;
    let polygon = corridor_polygon(&line).map_err(|e| named(&area.name, e))?;
    let set = |field: &str, value: AttrValue| Edit::SetAttribute {
        layer: layer.id.clone(),
        position,
        field: field.to_string(),
        value,
    };
    Ok(Edit::Batch(vec![
        set(WIDTH_FIELD, AttrValue::Real(line.width_m)),
        set(ENDS_FIELD, text(line.ends.name_zh())),
        set(
            CENTRE_FIELD,
            AttrValue::text(centre_line_text(&line.centre)),
        ),
        Edit::ReplaceGeometry {
            layer: layer.id.clone(),
            position,
            geometry: Some(Geometry::MultiPolygon(polygon)),
        },
    ]))
}

/// A new width (metres) for the corridor at `position`.
pub fn set_corridor_width(
    project: &Project,
    layer_id: &str,
    position: usize,
    width_m: f64,
) -> Result<Edit> {
    change_corridor(project, layer_id, position, |line| {
        line.width_m = width_m;
        Ok(())
    })
}

/// The corridor's centre-line vertex `vertex` moved to `to`.
pub fn move_centre_vertex(
    project: &Project,
    layer_id: &str,
    position: usize,
    vertex: CentreVertex,
    to: Coord<f64>,
) -> Result<Edit> {
    change_corridor(project, layer_id, position, |line| {
        let slot = line
            .centre
            .0
            .get_mut(vertex.part)
            .and_then(|part| part.0.get_mut(vertex.index))
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "the centre line has no vertex {} in part {}",
                    vertex.index + 1,
                    vertex.part + 1
                ))
            })?;
        *slot = to;
        Ok(())
    })
}
