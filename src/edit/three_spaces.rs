//! A draft of the 三生空间 (ecological / production / living) of villages from current land
//! use (docs/domain.md §2): each parcel's class gives its space through the bundled mapping,
//! 生态保护红线 overrides to 生态 and 永久基本农田 to 生产 (the red line first), and each space is
//! dissolved per village. The result tiles the village: the planner edits it from there.
//!
//! The overlays run in GEOS through GDAL, as the 管控边界 draft's do: geo's `BooleanOps` snaps
//! to a grid, so spaces computed one by one would overlap their neighbours by a few cm².

use gdal::vector::ToGdal;
use geo::{Area, BoundingRect, Contains, Geometry, InteriorPoint, MultiPolygon, Polygon};

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::geometry::{as_multipolygon, polygons_of};
use crate::landuse::{CodeBook, Space, Standard};
use crate::model::{Layer, LayerRole, Project};

/// One space of one village.
#[derive(Debug, Clone)]
pub struct SpaceDraft {
    /// 12-digit village code.
    pub village_code: String,
    /// 生态 / 生产 / 生活.
    pub space: Space,
    /// Its area, dissolved (working CRS).
    pub geometry: MultiPolygon<f64>,
}

/// The union of a role's polygons whose envelopes meet `bbox`, clipped to `within`.
fn zone_in(
    project: &Project,
    role: LayerRole,
    within: &MultiPolygon<f64>,
) -> Result<MultiPolygon<f64>> {
    let Some(bbox) = within.bounding_rect() else {
        return Ok(MultiPolygon(vec![]));
    };
    let zone = dissolve(super::drafts::role_polygons_in(project, role, bbox))?;
    overlay(&zone, within, Op::Intersection)
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Intersection,
    Difference,
    Union,
}

fn ogr(m: &MultiPolygon<f64>) -> Result<gdal::vector::Geometry> {
    m.to_gdal()
        .map_err(|e| Error::geos("three spaces: convert a geometry", e))
}

fn polygons(g: Option<gdal::vector::Geometry>, what: &str) -> Result<MultiPolygon<f64>> {
    let g = g.ok_or_else(|| Error::geos(what, "GEOS returned nothing"))?;
    // The gdal crate cannot convert an empty geometry, which GEOS returns for "nothing".
    if g.is_empty() {
        return Ok(MultiPolygon(vec![]));
    }
    Geometry::<f64>::try_from(&g)
        .map(|g| MultiPolygon(polygons_of(&g)))
        .map_err(|e| Error::geos(what, e))
}

/// `a op b` in GEOS.
fn overlay(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>, op: Op) -> Result<MultiPolygon<f64>> {
    match (op, a.0.is_empty(), b.0.is_empty()) {
        (Op::Intersection, true, _) | (Op::Intersection, _, true) => {
            return Ok(MultiPolygon(vec![]));
        }
        (Op::Difference | Op::Union, _, true) => return Ok(a.clone()),
        (Op::Difference, true, _) => return Ok(MultiPolygon(vec![])),
        (Op::Union, true, _) => return Ok(b.clone()),
        _ => {}
    }
    let (ga, gb) = (ogr(a)?, ogr(b)?);
    match op {
        Op::Intersection => polygons(ga.intersection(&gb), "three spaces: intersection"),
        Op::Difference => polygons(ga.difference(&gb), "three spaces: difference"),
        Op::Union => polygons(ga.union(&gb), "three spaces: union"),
    }
}

/// The union of polygons that may share edges (GEOS cascaded union).
fn dissolve(parts: Vec<Polygon<f64>>) -> Result<MultiPolygon<f64>> {
    if parts.is_empty() {
        return Ok(MultiPolygon(vec![]));
    }
    let what = "three spaces: dissolve";
    let union = crate::io::union_cascaded(&ogr(&MultiPolygon(parts))?, what)?;
    Ok(MultiPolygon(
        union.as_ref().map(polygons_of).unwrap_or_default(),
    ))
}

/// Drafts the three spaces of one village (`Some(code)`) or of every village.
pub fn draft_three_spaces(project: &Project, village: Option<&str>) -> Result<Vec<SpaceDraft>> {
    let parcels = project.required_layer(LayerRole::CurrentLandUse)?;
    let class_col = parcels.required_field("DLBM")?;
    let book = CodeBook::bundled();
    let mut out = Vec::new();
    for (code, area) in super::drafts::villages_to_draft(project, village)? {
        out.extend(village_spaces(
            project, parcels, class_col, book, &code, &area,
        )?);
    }
    Ok(out)
}

fn village_spaces(
    project: &Project,
    parcels: &Layer,
    class_col: usize,
    book: &CodeBook,
    code: &str,
    village: &MultiPolygon<f64>,
) -> Result<Vec<SpaceDraft>> {
    let Some(bbox) = village.bounding_rect() else {
        return Ok(Vec::new());
    };
    let mut by_space: [Vec<Polygon<f64>>; 3] = Default::default();
    for i in parcels.index().query(bbox.min().into(), bbox.max().into()) {
        let parcel = &parcels.features()[i];
        let Some(g) = parcel.geometry.as_ref().and_then(as_multipolygon) else {
            continue;
        };
        // A parcel belongs to the village holding its interior point.
        if !g.interior_point().is_some_and(|p| village.contains(&p)) {
            continue;
        }
        let space = parcel.attributes[class_col]
            .as_text()
            .and_then(|c| book.lookup(Standard::Sandiao, &c).and_then(|k| k.space))
            .unwrap_or(Space::Ecological);
        by_space[slot(space)].extend(g.0);
    }
    let red = zone_in(project, LayerRole::EcologicalRedLine, village)?;
    let farmland = overlay(
        &zone_in(project, LayerRole::PermanentFarmland, village)?,
        &red,
        Op::Difference,
    )?;
    let overrides = overlay(&red, &farmland, Op::Union)?;
    let mut out = Vec::new();
    for space in [Space::Ecological, Space::Production, Space::Living] {
        let parcels = std::mem::take(&mut by_space[slot(space)]);
        let own = overlay(&dissolve(parcels)?, &overrides, Op::Difference)?;
        let geometry = match space {
            Space::Ecological => overlay(&own, &red, Op::Union)?,
            Space::Production => overlay(&own, &farmland, Op::Union)?,
            Space::Living => own,
        };
        if geometry.unsigned_area() > 0.0 {
            out.push(SpaceDraft {
                village_code: code.to_string(),
                space,
                geometry,
            });
        }
    }
    Ok(out)
}

fn slot(space: Space) -> usize {
    match space {
        Space::Ecological => 0,
        Space::Production => 1,
        Space::Living => 2,
    }
}

/// The drafts as one undoable edit adding features (KJLX = space, CZDM = village code) to a
/// 三生空间 layer.
pub fn three_spaces_edit(layer: &Layer, drafts: Vec<SpaceDraft>) -> Edit {
    super::drafts::add_drafts_edit(
        layer,
        drafts.into_iter().map(|d| {
            let values = vec![
                ("KJLX", d.space.name_zh().to_string()),
                ("CZDM", d.village_code),
            ];
            (d.geometry, values)
        }),
    )
}
