//! Turning the generated world into project layers with the conventional 三调 / 三区三线
//! field names.

use geo::{Area, Geometry, MultiPolygon, Point};

use super::deduction::{Deduction, is_cultivated, round_m2, slope_class};
use super::dissolve::dissolve;
use super::planning::Zone;
use super::villages::VillageAttrs;
use super::world::World;
use crate::analysis::areas::ellipsoidal_area;
use crate::crs::Transformer;
use crate::error::Result;
use crate::model::{AttrValue, Feature, FieldDef, FieldKind, Layer, LayerRole};

pub(super) fn text(s: impl AsRef<str>) -> AttrValue {
    AttrValue::text(s.as_ref())
}

fn flag(b: bool) -> AttrValue {
    AttrValue::Integer(i64::from(b))
}

pub(super) fn fields(spec: &[(&str, FieldKind)]) -> Vec<FieldDef> {
    spec.iter().map(|(n, k)| FieldDef::new(*n, *k)).collect()
}

/// A single polygon when the union is one piece, else a multipolygon.
pub(super) fn polygonal(mp: MultiPolygon) -> Geometry {
    match <[geo::Polygon; 1]>::try_from(mp.0) {
        Ok([single]) => Geometry::Polygon(single),
        Err(many) => Geometry::MultiPolygon(MultiPolygon(many)),
    }
}

pub(super) fn features(rows: Vec<(Geometry, Vec<AttrValue>)>) -> Vec<Feature> {
    rows.into_iter()
        .enumerate()
        .map(|(i, (g, attributes))| Feature {
            id: i as i64 + 1,
            geometry: Some(g),
            attributes,
        })
        .collect()
}

/// County, townships and villages, each the exact union of its parcels.
pub fn admin_layers(world: &World, attrs: &[VillageAttrs]) -> Vec<Layer> {
    use FieldKind::{Integer, Text};
    let inputs = &world.inputs;
    let mut village_rows = Vec::new();
    for (v, rec) in inputs.villages.iter().enumerate() {
        let parcels = world.parcels_of_village(v);
        let a = &attrs[v];
        village_rows.push((
            polygonal(dissolve(world.rings_of(&parcels))),
            vec![
                text(&rec.code),
                text(&rec.name),
                text(&inputs.townships[rec.township].code),
                AttrValue::Integer(a.hjrk),
                AttrValue::Integer(a.czrk),
                AttrValue::Integer(a.hs),
                AttrValue::Integer(a.tprk),
                flag(a.heritage[0]),
                flag(a.heritage[1]),
                flag(a.heritage[2]),
                flag(a.heritage[3]),
                flag(a.zxc),
                flag(a.xzzd),
                flag(a.zdxm),
                AttrValue::Null,
            ],
        ));
    }
    let town_rows = inputs
        .townships
        .iter()
        .enumerate()
        .map(|(t, town)| {
            let parcels: Vec<usize> = (0..world.rings.len())
                .filter(|&i| world.township_of(i) == t)
                .collect();
            (
                polygonal(dissolve(world.rings_of(&parcels))),
                vec![text(&town.code), text(&town.name)],
            )
        })
        .collect();
    let county = dissolve(world.rings.iter().map(Vec::as_slice));
    vec![
        Layer::new(
            "county",
            "县界（凤庆县）",
            LayerRole::County,
            fields(&[("XZQDM", Text), ("XZQMC", Text)]),
            features(vec![(
                polygonal(county),
                vec![text("530921"), text("凤庆县")],
            )]),
        ),
        Layer::new(
            "townships",
            "乡镇界",
            LayerRole::Township,
            fields(&[("XZQDM", Text), ("XZQMC", Text)]),
            features(town_rows),
        ),
        Layer::new(
            "villages",
            "行政村界",
            LayerRole::Village,
            fields(&[
                ("XZQDM", Text),
                ("XZQMC", Text),
                ("XZDM", Text),
                ("HJRK", Integer),
                ("CZRK", Integer),
                ("HS", Integer),
                ("TPRK", Integer),
                ("CTCL", Integer),
                ("LSWHMC", Integer),
                ("SSMZ", Integer),
                ("TSJG", Integer),
                ("ZXC", Integer),
                ("XZZD", Integer),
                ("ZDXM", Integer),
                ("CZLX", Text),
            ]),
            features(village_rows),
        ),
    ]
}

/// The 三调 parcels, grouped by village (BSM = village code + sequence). `TBMJ` is the
/// ellipsoidal area (CGCS2000 ellipsoid), as the survey's is; `lonlat` takes the working
/// CRS back to lon/lat for it. 耕地 carries its slope class and 田坎 deduction
/// ([`super::deduction`]); every other parcel deducts nothing (`KCXS` = `KCMJ` = 0).
pub fn dltb_layer(
    world: &World,
    order: &[usize],
    dlmc: &dyn Fn(&str) -> String,
    lonlat: &Transformer,
) -> Result<Layer> {
    use FieldKind::{Real, Text};
    let mut rows = Vec::with_capacity(order.len());
    for &i in order {
        let village = &world.inputs.villages[world.village_of[i]];
        let lu = world.land_use[i];
        let polygon = geo::Polygon::new(geo::LineString::from(world.rings[i].clone()), vec![]);
        let geometry = Geometry::Polygon(polygon);
        let tbmj = round_m2(ellipsoidal_area(&geometry, lonlat)?);
        let class = is_cultivated(lu.dlbm).then(|| slope_class(world.slope[i]));
        let d = Deduction::new(tbmj, class);
        rows.push((
            geometry,
            vec![
                text(&world.bsm[i]),
                text(lu.dlbm),
                text(dlmc(lu.dlbm)),
                AttrValue::Real(tbmj),
                text(format!("{}0000000", village.code)),
                text(&village.name),
                lu.czcsxm.map_or(AttrValue::Null, text),
                class.map_or(AttrValue::Null, |c| text(c.to_string())),
                d.kcdlbm().map_or(AttrValue::Null, text),
                AttrValue::Real(d.kcxs),
                AttrValue::Real(d.kcmj),
                AttrValue::Real(d.tbdlmj),
            ],
        ));
    }
    Ok(Layer::new(
        "dltb",
        "现状地类图斑（三调，合成）",
        LayerRole::CurrentLandUse,
        fields(&[
            ("BSM", Text),
            ("DLBM", Text),
            ("DLMC", Text),
            ("TBMJ", Real),
            ("ZLDWDM", Text),
            ("ZLDWMC", Text),
            ("CZCSXM", Text),
            ("GDPDJB", Text),
            ("KCDLBM", Text),
            ("KCXS", Real),
            ("KCMJ", Real),
            ("TBDLMJ", Real),
        ]),
        features(rows),
    ))
}

/// A polygon layer of zones; `extra` gives each zone's attributes after the geometry's
/// area is known.
pub fn zone_layer(
    world: &World,
    id: &str,
    name: &str,
    role: LayerRole,
    spec: &[(&str, FieldKind)],
    zones: &[Zone],
    extra: &dyn Fn(usize, &Zone, f64) -> Vec<AttrValue>,
) -> Layer {
    let rows = zones
        .iter()
        .enumerate()
        .map(|(k, z)| {
            let mp = dissolve(world.rings_of(&z.parcels));
            let area = (mp.unsigned_area() * 100.0).round() / 100.0;
            (polygonal(mp), extra(k, z, area))
        })
        .collect();
    Layer::new(id, name, role, fields(spec), features(rows))
}

/// Heritage points: MC, LX, XZQDM.
pub fn heritage_layer(points: Vec<(Point, String, String, String)>) -> Layer {
    use FieldKind::Text;
    let rows = points
        .into_iter()
        .map(|(p, mc, lx, code)| (Geometry::Point(p), vec![text(mc), text(lx), text(code)]))
        .collect();
    Layer::new(
        "heritage",
        "历史文化遗产（传统村落等）",
        LayerRole::Heritage,
        fields(&[("MC", Text), ("LX", Text), ("XZQDM", Text)]),
        features(rows),
    )
}
