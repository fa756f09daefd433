//! A draft of the 管控边界 (control zones, `GKBJ`) of villages (docs/domain.md §2): each land-use
//! parcel's 用地用海 first-level class gives its zone through the bundled rules
//! (`assets/rules/control_zones.toml`: 一般农业空间, 一般生态空间, 村庄集中建设区, 其他);
//! 生态保护红线 overrides to 0102 and 永久基本农田 to 0202 (the red line first); each zone is
//! dissolved per village and slivers are merged into their neighbours. The result tiles the
//! village, so the planner starts from a complete 国土空间管控 map rather than a blank layer.
//!
//! The land use read is the project's 规划地类 (`GHDLBM`, 用地用海 2023) where the village has
//! planned parcels — the control zones of a plan follow the *planned* land use. A village
//! without them falls back to 现状地类 (`DLBM`, 三调) converted to 用地用海 2023 through the
//! bundled table (`assets/landuse/sandiao_to_ydyh2023_codes.csv`); every draft says which one
//! was used ([`ZoneDraft::source`]) so the planner knows whether the zones reflect the plan.
//!
//! Overlays run in GEOS (see `overlay.rs` for why not geo's `BooleanOps`); parts, slivers and
//! their neighbours are found with `geo` and an `rstar` index of boundary segments.

use std::collections::BTreeMap;

use geo::{Area, BoundingRect, Contains, InteriorPoint, MultiPolygon, Polygon, Rect};

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::geometry::as_multipolygon;
use crate::landuse::{CodeBook, Standard};
use crate::model::{AttrValue, Feature, Layer, LayerRole, Project};

mod overlay;
mod rules;
mod slivers;

use overlay::{Op, Overlay};
use rules::Rules;
use slivers::Parts;

/// Where the land use of a draft came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LandUseSource {
    /// 规划地类图斑 `GHDLBM` (用地用海 2023).
    Planned,
    /// 现状地类图斑 `DLBM` (三调) converted to 用地用海 2023 with the bundled table, because
    /// the village has no planned parcels.
    Current,
}

impl LandUseSource {
    /// How the source is named to the planner.
    pub fn name_zh(self) -> &'static str {
        match self {
            LandUseSource::Planned => "规划地类 GHDLBM",
            LandUseSource::Current => "现状地类 DLBM（三调→用地用海2023）",
        }
    }
}

/// One control zone of one village.
#[derive(Debug, Clone)]
pub struct ZoneDraft {
    /// 12-digit village code.
    pub village_code: String,
    /// `GKBJLXDM`, e.g. `0201`.
    pub code: String,
    /// `GKBJLXMC`, e.g. 一般农业空间.
    pub name: String,
    /// The zone, dissolved (working CRS).
    pub geometry: MultiPolygon<f64>,
    /// The land use the village's zones were drafted from.
    pub source: LandUseSource,
    /// Slivers merged into this zone (each into its longest-shared-boundary neighbour).
    pub slivers_merged: usize,
    /// Parts of this zone below a sliver threshold that stayed because no neighbour other
    /// than a red line / farmland shares a boundary with them: for the planner to look at.
    pub slivers_kept: usize,
}

/// A land-use layer and how its codes reach a 用地用海 first-level class.
struct LandUse<'a> {
    layer: &'a Layer,
    field: &'static str,
    source: LandUseSource,
}

impl LandUse<'_> {
    fn feature_error(&self, feature: &Feature, detail: String) -> Error {
        Error::BadAttribute {
            layer: self.layer.name.clone(),
            feature: feature.id,
            field: self.field.to_string(),
            detail,
        }
    }

    /// The 用地用海 2023 first-level class of a parcel.
    fn class_of(&self, feature: &Feature, col: usize, book: &CodeBook) -> Result<String> {
        let field = self.field;
        let code = feature
            .attributes
            .get(col)
            .and_then(AttrValue::as_text)
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .ok_or_else(|| self.feature_error(feature, format!("no {field} code")))?;
        let ydyh = match self.source {
            LandUseSource::Planned => code.clone(),
            LandUseSource::Current => book
                .sandiao_to_ydyh2023(&code)
                // `K` (可调整) parcels are their base class for planning purposes.
                .or_else(|| {
                    code.strip_suffix(['K', 'k'])
                        .and_then(|base| book.sandiao_to_ydyh2023(base))
                })
                .map(|c| c.ydyh2023.clone())
                .ok_or_else(|| {
                    self.feature_error(
                        feature,
                        format!("{field} '{code}' has no 三调 → 用地用海 2023 conversion"),
                    )
                })?,
        };
        book.level1(Standard::Ydyh2023, &ydyh)
            .map(|c| c.code.clone())
            .ok_or_else(|| {
                self.feature_error(
                    feature,
                    format!("{field} '{code}' is not a 用地用海 2023 code"),
                )
            })
    }

    /// The parcels of a village (those whose interior point it holds), grouped by zone.
    fn zones_in(
        &self,
        village: &MultiPolygon<f64>,
        bbox: Rect<f64>,
        rules: &Rules,
        book: &CodeBook,
    ) -> Result<BTreeMap<String, Vec<Polygon<f64>>>> {
        let mut out: BTreeMap<String, Vec<Polygon<f64>>> = BTreeMap::new();
        for i in self
            .layer
            .index()
            .query(bbox.min().into(), bbox.max().into())
        {
            let parcel = &self.layer.features()[i];
            let Some(g) = parcel.geometry.as_ref().and_then(as_multipolygon) else {
                continue;
            };
            if !g.interior_point().is_some_and(|p| village.contains(&p)) {
                continue;
            }
            let col = self.layer.required_field(self.field)?;
            let class = self.class_of(parcel, col, book)?;
            out.entry(rules.zone_of(&class).to_string())
                .or_default()
                .extend(g);
        }
        Ok(out)
    }
}

/// Drafts the control zones of one village (`Some(code)`) or of every village of the
/// 行政村界 layer, from planned land use where the village has it, else from current land
/// use (see the module docs). Land no parcel covers is drafted as the default zone (0900
/// 其他) so that the zones always tile the village.
pub fn draft_control_zones(project: &Project, village: Option<&str>) -> Result<Vec<ZoneDraft>> {
    let book = CodeBook::bundled();
    let rules = Rules::bundled(book)?;
    // Planned land use first: the zones of a plan follow the plan.
    let sources: Vec<LandUse> = [
        (LayerRole::PlannedLandUse, "GHDLBM", LandUseSource::Planned),
        (LayerRole::CurrentLandUse, "DLBM", LandUseSource::Current),
    ]
    .into_iter()
    .filter_map(|(role, field, source)| {
        project.layer_by_role(role).map(|layer| LandUse {
            layer,
            field,
            source,
        })
    })
    .collect();
    if sources.is_empty() {
        return Err(Error::MissingLayer {
            project: project.name.clone(),
            role: "规划地类图斑 or 现状地类图斑 (planned or current land use)".into(),
        });
    }
    let mut out = Vec::new();
    for (code, area) in super::drafts::villages_to_draft(project, village)? {
        out.extend(village_zones(
            project, &rules, book, &sources, &code, &area,
        )?);
    }
    Ok(out)
}

fn village_zones(
    project: &Project,
    rules: &Rules,
    book: &CodeBook,
    sources: &[LandUse],
    code: &str,
    village: &MultiPolygon<f64>,
) -> Result<Vec<ZoneDraft>> {
    let Some(bbox) = village.bounding_rect() else {
        return Ok(Vec::new());
    };
    let mut chosen = None;
    for land_use in sources {
        let by_zone = land_use.zones_in(village, bbox, rules, book)?;
        if !by_zone.is_empty() {
            chosen = Some((land_use.source, by_zone));
            break;
        }
    }
    let Some((source, by_zone)) = chosen else {
        let layers: Vec<String> = sources
            .iter()
            .map(|s| format!("'{}'", s.layer.name))
            .collect();
        return Err(Error::Invalid(format!(
            "village {code}: no land-use parcel of {} lies in it",
            layers.join(" or ")
        )));
    };

    // The lines win, the red line first; each zone takes only what is still free, so no two
    // zones overlap even where parcels do, and what no parcel covers goes to the default
    // zone, so the zones tile the village.
    let overlay = Overlay { village: code };
    let lines_in = |role: LayerRole| -> Result<MultiPolygon<f64>> {
        let polygons = super::drafts::role_polygons_in(project, role, bbox);
        overlay.apply(&overlay.dissolve(polygons)?, village, Op::Intersection)
    };
    let red = lines_in(LayerRole::EcologicalRedLine)?;
    let farmland = overlay.apply(
        &lines_in(LayerRole::PermanentFarmland)?,
        &red,
        Op::Difference,
    )?;
    let mut covered = overlay.apply(&red, &farmland, Op::Union)?;
    let mut zones: BTreeMap<String, MultiPolygon<f64>> = BTreeMap::new();
    for (zone, parcels) in by_zone {
        let own = overlay.apply(&overlay.dissolve(parcels)?, village, Op::Intersection)?;
        let own = overlay.apply(&own, &covered, Op::Difference)?;
        covered = overlay.apply(&covered, &own, Op::Union)?;
        zones.insert(zone, own);
    }
    let gap = overlay.apply(village, &covered, Op::Difference)?;
    if gap.unsigned_area() > 0.0 {
        let merged = match zones.remove(&rules.default) {
            Some(own) => overlay.apply(&own, &gap, Op::Union)?,
            None => gap,
        };
        zones.insert(rules.default.clone(), merged);
    }
    zones.insert(rules.red_line.clone(), red);
    zones.insert(rules.farmland.clone(), farmland);

    let codes: Vec<String> = zones.keys().cloned().collect();
    let mut parts = Parts::new(
        zones.into_values().collect(),
        codes.iter().map(|c| rules.is_line(c)).collect(),
    );
    parts.eliminate(rules.next_to_lines_m2, true);
    parts.eliminate(rules.anywhere_m2, false);
    Ok(parts
        .into_zones(&overlay)?
        .into_iter()
        .zip(codes)
        .filter(|(zone, _)| zone.geometry.unsigned_area() > 0.0)
        .map(|(zone, zone_code)| ZoneDraft {
            village_code: code.to_string(),
            name: rules.names.get(&zone_code).cloned().unwrap_or_default(),
            code: zone_code,
            geometry: zone.geometry,
            source,
            slivers_merged: zone.merged,
            slivers_kept: zone.kept,
        })
        .collect())
}

/// The drafts as one undoable edit adding features (GKBJLXDM, GKBJLXMC, CZDM = village code)
/// to a 管控边界 layer.
pub fn control_zones_edit(layer: &Layer, drafts: Vec<ZoneDraft>) -> Edit {
    super::drafts::add_drafts_edit(
        layer,
        drafts.into_iter().map(|d| {
            let values = vec![
                ("GKBJLXDM", d.code),
                ("GKBJLXMC", d.name),
                ("CZDM", d.village_code),
            ];
            (d.geometry, values)
        }),
    )
}
