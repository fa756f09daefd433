//! A draft of the 三生空间 (ecological / production / living) of villages from current land
//! use (docs/domain.md §2): each parcel's class gives its space through the bundled mapping,
//! 生态保护红线 overrides to 生态 and 永久基本农田 to 生产 (the red line first), and each space is
//! dissolved per village. The result tiles the village: the planner edits it from there.

use geo::{Area, BooleanOps, BoundingRect, Contains, InteriorPoint, MultiPolygon};

use crate::edit::Edit;
use crate::error::Result;
use crate::geometry::as_multipolygon;
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
fn zone_in(project: &Project, role: LayerRole, within: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let Some(bbox) = within.bounding_rect() else {
        return MultiPolygon(vec![]);
    };
    let parts: Vec<MultiPolygon<f64>> = super::drafts::role_polygons_in(project, role, bbox)
        .into_iter()
        .map(|p| MultiPolygon(vec![p]).intersection(within))
        .collect();
    geo::unary_union(parts.iter())
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
        ));
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
) -> Vec<SpaceDraft> {
    let Some(bbox) = village.bounding_rect() else {
        return Vec::new();
    };
    let mut by_space: [Vec<MultiPolygon<f64>>; 3] = Default::default();
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
        by_space[slot(space)].push(g);
    }
    let red = zone_in(project, LayerRole::EcologicalRedLine, village);
    let farmland = zone_in(project, LayerRole::PermanentFarmland, village).difference(&red);
    let overrides = red.union(&farmland);
    [Space::Ecological, Space::Production, Space::Living]
        .into_iter()
        .filter_map(|space| {
            let own = geo::unary_union(by_space[slot(space)].iter()).difference(&overrides);
            let geometry = match space {
                Space::Ecological => own.union(&red),
                Space::Production => own.union(&farmland),
                Space::Living => own,
            };
            (geometry.unsigned_area() > 0.0).then(|| SpaceDraft {
                village_code: code.to_string(),
                space,
                geometry,
            })
        })
        .collect()
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
