//! The whole plan as one GeoPackage (`villageplan export --all --format gpkg`): each layer
//! under the name docs/domain.md §9 gives its role (CJDCQ, JQDLTB, GHDLTB, GKBJ, GGJCSSD,
//! GHGGJCSSD) or the usual abbreviation of the rest (STBHHX 生态保护红线, YJJBNT 永久基本农田,
//! CZKFBJ 城镇开发边界, CZJSBJ 村庄建设边界, SSKJ 三生空间, …), its display name as the
//! GeoPackage identifier, its fields' Chinese names (from the delivery structure file) as
//! aliases, and its style for QGIS ([`super::qml`]) in `layer_styles`. A second layer of one
//! role gets `_2`, `_3`; a layer of no planning role keeps its id.

use std::collections::BTreeSet;
use std::path::Path;

use crate::deliver::database::schema::DeliverySchema;
use crate::error::Result;
use crate::io::{PlanTable, write_plan_geopackage};
use crate::model::{Layer, LayerRole, Project};
use crate::progress::Progress;

/// The table name of a layer of `role`; `None` for [`LayerRole::Other`].
pub fn table_name(role: LayerRole) -> Option<&'static str> {
    Some(match role {
        LayerRole::County => "XJXZQ",
        LayerRole::Township => "XZQ",
        LayerRole::Village => "CJDCQ",
        LayerRole::CurrentLandUse => "JQDLTB",
        LayerRole::PlannedLandUse => "GHDLTB",
        LayerRole::EcologicalRedLine => "STBHHX",
        LayerRole::PermanentFarmland => "YJJBNT",
        LayerRole::UrbanDevelopmentBoundary => "CZKFBJ",
        LayerRole::VillageConstructionBoundary => "CZJSBJ",
        LayerRole::ControlZone => "GKBJ",
        LayerRole::ThreeSpaces => "SSKJ",
        LayerRole::Hazard => "DZZH",
        LayerRole::Heritage => "LSWH",
        LayerRole::ConstructionProject => "JQJSXM",
        LayerRole::PublicFacility => "GGJCSSD",
        LayerRole::PlannedFacility => "GHGGJCSSD",
        LayerRole::Road => "DLZXX",
        LayerRole::River => "HLZXX",
        LayerRole::TownshipSeat => "XZZD",
        LayerRole::NaturalVillage => "ZRC",
        LayerRole::Demonstration => "SFQDX",
        LayerRole::Other => return None,
    })
}

/// The table (or file) name of each of `layers`, in order: [`table_name`] of its role, else
/// its id, with `_2`, `_3` … where two would be the same (names compared ignoring case).
pub fn table_names<'a>(layers: impl IntoIterator<Item = &'a Layer>) -> Vec<String> {
    let mut used = BTreeSet::new();
    layers
        .into_iter()
        .map(|layer| {
            let base = table_name(layer.role).map_or_else(|| layer.id.clone(), str::to_string);
            let mut name = base.clone();
            let mut n = 1;
            while !used.insert(name.to_ascii_lowercase()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            name
        })
        .collect()
}

/// One line per layer: `TABLE: layer name (features)` (ASCII punctuation: the window's fonts lack arrows).
pub type Written = Vec<String>;

/// Writes every layer of `project` to the GeoPackage `path`.
pub fn write_plan(project: &Project, path: &Path, progress: &dyn Progress) -> Result<Written> {
    let layers: Vec<&Layer> = project.layers.iter().map(|l| l.as_ref()).collect();
    write_layers(project, &layers, path, progress)
}

/// Writes, of every layer, only the features at the positions `keep` gives (a village's
/// review package).
pub fn write_plan_part(
    project: &Project,
    keep: &dyn Fn(&Layer) -> Vec<usize>,
    path: &Path,
    progress: &dyn Progress,
) -> Result<Written> {
    let kept: Vec<Layer> = project
        .layers
        .iter()
        .map(|l| {
            let features = keep(l)
                .into_iter()
                .map(|i| l.features()[i].clone())
                .collect();
            let mut part = Layer::new(&l.id, &l.name, l.role, l.fields().to_vec(), features);
            part.geometry_kind = l.geometry_kind;
            part.style = l.style.clone();
            part
        })
        .collect();
    let layers: Vec<&Layer> = kept.iter().collect();
    write_layers(project, &layers, path, progress)
}

fn write_layers(
    project: &Project,
    layers: &[&Layer],
    path: &Path,
    progress: &dyn Progress,
) -> Result<Written> {
    let schema = DeliverySchema::bundled()?;
    let names = table_names(layers.iter().copied());
    let mut tables = Vec::new();
    for (&layer, name) in layers.iter().zip(names) {
        let mut seen = BTreeSet::new();
        let aliases = layer
            .fields()
            .iter()
            .filter_map(|f| Some((f.name.clone(), schema.alias_of(&f.name)?.to_string())))
            // gpkg_data_columns holds one column per alias and table.
            .filter(|(_, alias)| seen.insert(alias.clone()))
            .collect();
        tables.push(PlanTable {
            layer,
            name,
            identifier: layer.name.clone(),
            description: format!("{} ({})", layer.role.name_zh(), layer.role.name_en()),
            aliases,
            style_qml: super::qml::layer_qml(layer),
        });
    }
    write_plan_geopackage(path, project.crs, &tables, progress)?;
    Ok(tables
        .iter()
        .map(|t| {
            let count = t.layer.features().len();
            format!("{}: {} ({count} features)", t.name, t.identifier)
        })
        .collect())
}
