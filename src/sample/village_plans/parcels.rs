//! The 规划地类图斑 layer (`ghdltb`) and the 村庄建设边界 drawn around the planned village
//! construction land.

use gdal::vector::ToGdal;
use geo::{Area, Geometry, MultiPolygon};

use super::land_use::Piece;
use crate::analysis::areas::ellipsoidal_area;
use crate::crs::Transformer;
use crate::edit::{new_plan_layer, update_area_fields};
use crate::error::{Error, Result};
use crate::geometry::polygons_of;
use crate::landuse::{CodeBook, Standard};
use crate::model::{AttrValue, Feature, FieldDef, FieldKind, Layer, LayerRole, Project};
use crate::sample::deduction::{Deduction, round_m2, slope_class};
use crate::sample::layers::polygonal;
use crate::sample::world::World;

/// The planned parcels of one village, with what the layer and the records need.
#[derive(Debug, Clone)]
pub struct PlannedParcel {
    /// The piece of land.
    pub piece: Piece,
    /// `BSM`: village code + 8-digit sequence (docs/domain.md §9.3).
    pub bsm: String,
    /// `GHDLMJ`: ellipsoidal area, m² to 2 decimals.
    pub ghdlmj: f64,
    /// Planar area in the working CRS, m².
    pub planar: f64,
}

/// A row of `fields` from named values (unnamed fields stay NULL).
pub fn row(fields: &[FieldDef], values: &[(&str, AttrValue)]) -> Vec<AttrValue> {
    fields
        .iter()
        .map(|f| {
            values
                .iter()
                .find(|(name, _)| f.name == *name)
                .map_or(AttrValue::Null, |(_, v)| v.clone())
        })
        .collect()
}

/// Text, or NULL when empty.
pub fn text(s: &str) -> AttrValue {
    if s.is_empty() {
        AttrValue::Null
    } else {
        AttrValue::text(s)
    }
}

/// Numbers the pieces of village `code` and measures them.
pub fn number(pieces: Vec<Piece>, code: &str, lonlat: &Transformer) -> Result<Vec<PlannedParcel>> {
    pieces
        .into_iter()
        .enumerate()
        .map(|(k, piece)| {
            let geometry = Geometry::MultiPolygon(piece.geometry.clone());
            Ok(PlannedParcel {
                bsm: format!("{code}{:08}", k + 1),
                ghdlmj: round_m2(ellipsoidal_area(&geometry, lonlat)?),
                planar: piece.geometry.unsigned_area(),
                piece,
            })
        })
        .collect()
}

/// The 规划地类图斑 layer: the schema of a new planned land-use layer plus the delivery
/// fields (`BSM`, `GHDLMJ`, `ZLDWDM`, the 田坎 deduction, `BZ`). Planned 耕地 carries the
/// deduction of its base parcel's slope class, so land that stays 耕地 deducts the same
/// 田坎 as in the base year; other land deducts nothing.
pub fn ghdltb_layer(
    project: &Project,
    world: &World,
    villages: &[(usize, Vec<PlannedParcel>)],
    book: &CodeBook,
) -> Result<Layer> {
    let mut fields = new_plan_layer(project, LayerRole::PlannedLandUse)
        .fields()
        .to_vec();
    for (name, kind) in [
        ("BSM", FieldKind::Text),
        ("GHDLMJ", FieldKind::Real),
        ("ZLDWDM", FieldKind::Text),
        ("KCXS", FieldKind::Real),
        ("KCMJ", FieldKind::Real),
        ("TBDLMJ", FieldKind::Real),
        ("BZ", FieldKind::Text),
    ] {
        fields.push(FieldDef::new(name, kind));
    }
    let mut features = Vec::new();
    for (v, parcels) in villages {
        let code = &world.inputs.villages[*v].code;
        for p in parcels {
            let class = p
                .piece
                .code
                .starts_with("01")
                .then(|| slope_class(world.slope[p.piece.base]));
            let d = Deduction::new(p.ghdlmj, class);
            let name = book
                .lookup(Standard::Ydyh2023, &p.piece.code)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            let values = [
                ("GHDLBM", text(&p.piece.code)),
                ("GHDLMC", text(&name)),
                (
                    "SSBJLX",
                    if p.piece.town {
                        text("Z")
                    } else {
                        AttrValue::Null
                    },
                ),
                ("CZDM", text(code)),
                ("BSM", text(&p.bsm)),
                ("GHDLMJ", AttrValue::Real(p.ghdlmj)),
                ("ZLDWDM", text(&format!("{code}0000000"))),
                ("KCXS", AttrValue::Real(d.kcxs)),
                ("KCMJ", AttrValue::Real(d.kcmj)),
                ("TBDLMJ", AttrValue::Real(d.tbdlmj)),
                ("BZ", text(&p.piece.note)),
            ];
            features.push(Feature {
                id: features.len() as i64 + 1,
                geometry: Some(polygonal(p.piece.geometry.clone())),
                attributes: row(&fields, &values),
            });
        }
    }
    finish(Layer::new(
        "ghdltb",
        "规划地类图斑（合成）",
        LayerRole::PlannedLandUse,
        fields,
        features,
    ))
}

/// Fills the planar area fields (MJ, MJGQ, MJM) the editor keeps, as it would.
pub fn finish(mut layer: Layer) -> Result<Layer> {
    for i in 0..layer.features().len() {
        update_area_fields(&mut layer, i)?;
    }
    Ok(layer)
}

/// True for 村庄建设用地 outside towns as the 空间功能结构调整表 counts it (docs/domain.md
/// §6.1): 居住 0703–0704, 08, 09, 1001, 11, 1207–1209, 13 without 1311, 14, 16, 2301.
pub fn is_village_construction(code: &str) -> bool {
    [
        "0703", "0704", "08", "09", "1001", "11", "1207", "1208", "1209", "13", "14", "16", "2301",
    ]
    .iter()
    .any(|p| code.starts_with(p))
        && !code.starts_with("1311")
}

/// True for 村域建设用地 (docs/domain.md §6.1): 用地用海 07–16 and 2301 空闲地; 06 农业设施
/// 建设用地 is a row of its own and not counted.
pub fn is_construction_land(code: &str, book: &CodeBook) -> bool {
    code.starts_with("2301")
        || book
            .level1(Standard::Ydyh2023, code)
            .is_some_and(|c| ("07".."17").contains(&c.code.as_str()))
}

/// The 村庄建设边界 of each village: the union (GEOS) of its planned village construction
/// land outside towns, so it holds the new housing, the public-service site and the roads
/// and avoids the lines exactly as the land does.
pub fn boundary_layer(
    project: &Project,
    world: &World,
    villages: &[(usize, Vec<PlannedParcel>)],
) -> Result<Layer> {
    let fields = new_plan_layer(project, LayerRole::VillageConstructionBoundary)
        .fields()
        .to_vec();
    let mut features = Vec::new();
    for (v, parcels) in villages {
        let village = &world.inputs.villages[*v];
        let land: Vec<geo::Polygon> = parcels
            .iter()
            .filter(|p| !p.piece.town && is_village_construction(&p.piece.code))
            .flat_map(|p| p.piece.geometry.0.clone())
            .collect();
        if land.is_empty() {
            continue;
        }
        let what = format!("unite the village construction land of {}", village.code);
        let land = MultiPolygon(land)
            .to_gdal()
            .map_err(|e| Error::geos(what.clone(), e))?;
        let Some(union) = crate::io::union_cascaded(&land, &what)? else {
            continue;
        };
        let short = village.name.trim_end_matches("村民委员会");
        let values = [
            ("CZDM", text(&village.code)),
            ("MC", text(&format!("{short}村村庄建设边界"))),
            ("BZ", text("合成示例：规划村庄建设用地的范围")),
        ];
        features.push(Feature {
            id: features.len() as i64 + 1,
            geometry: Some(polygonal(MultiPolygon(polygons_of(&union)))),
            attributes: row(&fields, &values),
        });
    }
    finish(Layer::new(
        "czjsbj",
        "村庄建设边界（合成）",
        LayerRole::VillageConstructionBoundary,
        fields,
        features,
    ))
}
