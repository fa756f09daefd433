//! Computing every indicator of every village: attribute values, derived population
//! figures, land-use composition, settlement exposure, heritage points and distances to the
//! 城镇开发边界.
//!
//! An indicator whose inputs are missing (no hazard layer, no 常住人口) is left unknown and
//! the reason is added to the warnings once, so a planner sees why a rule could not fire.

use super::indicators::{Indicator, IndicatorValues};
use super::land_use::land_use_by_village;
use super::rules::SpatialSettings;
use super::urban_boundary::UrbanBoundaries;
use super::villages::Villages;
use super::zones::Zones;
use crate::geometry::as_multipolygon;
use crate::model::{Layer, LayerRole, Project};

/// Indicator values per village (same order as `villages.list`).
pub fn village_indicators(
    project: &Project,
    villages: &Villages,
    settings: &SpatialSettings,
    warnings: &mut Vec<String>,
) -> Vec<IndicatorValues> {
    let mut out: Vec<IndicatorValues> =
        villages.list.iter().map(|v| v.attributes.clone()).collect();
    for values in &mut out {
        population(values);
    }
    settlement_and_land_use(project, villages, settings, &mut out, warnings);
    heritage_points(project, villages, &mut out, warnings);
    urban_boundaries(project, villages, settings, &mut out, warnings);
    out
}

/// Outflow rate (户籍 − 常住) / 户籍, when both are known and 户籍 > 0.
fn population(values: &mut IndicatorValues) {
    if let (Some(&registered), Some(&resident)) = (
        values.get(&Indicator::RegisteredPopulation),
        values.get(&Indicator::ResidentPopulation),
    ) && registered > 0.0
    {
        values.insert(Indicator::OutflowRate, (registered - resident) / registered);
    }
}

fn layers_with_role(project: &Project, role: LayerRole) -> Vec<&Layer> {
    project.layers_with_role(role).collect()
}

fn settlement_and_land_use(
    project: &Project,
    villages: &Villages,
    settings: &SpatialSettings,
    out: &mut [IndicatorValues],
    warnings: &mut Vec<String>,
) {
    let Some(sums) = land_use_by_village(
        project,
        villages,
        &settings.settlement_codes,
        &settings.farmland_codes,
        warnings,
    ) else {
        warnings.push(
            "no 现状地类图斑 (current land use) layer: settlement, construction-land and \
             farmland indicators unknown"
                .to_string(),
        );
        return;
    };
    let Some(parcels) = project.layer_by_role(LayerRole::CurrentLandUse) else {
        return;
    };
    let reservoir_layers: Vec<&Layer> = project
        .layers
        .iter()
        .map(|l| l.as_ref())
        .filter(|l| {
            !matches!(
                l.role,
                LayerRole::CurrentLandUse
                    | LayerRole::PlannedLandUse
                    | LayerRole::Village
                    | LayerRole::Township
                    | LayerRole::County
            ) && settings
                .reservoir_layer_names
                .iter()
                .any(|n| !n.is_empty() && l.name.contains(n.as_str()))
        })
        .collect();
    let exposures = [
        (
            Indicator::SettlementInHazard,
            Zones::from_layers(
                layers_with_role(project, LayerRole::Hazard),
                settings.hazard_zone_buffer_m,
                settings.hazard_point_buffer_m,
            ),
            "地质灾害隐患区 (hazard)",
        ),
        (
            Indicator::SettlementInRedLine,
            Zones::from_layers(
                layers_with_role(project, LayerRole::EcologicalRedLine),
                0.0,
                0.0,
            ),
            "生态保护红线 (ecological red line)",
        ),
        (
            Indicator::SettlementInReservoir,
            Zones::from_layers(reservoir_layers, 0.0, 0.0),
            "水库淹没区 (reservoir area)",
        ),
    ];
    for (indicator, zones, what) in &exposures {
        if zones.is_empty() {
            warnings.push(format!("no {what} layer: {} unknown", indicator.key()));
        }
    }
    for (values, sums) in out.iter_mut().zip(&sums) {
        values.insert(Indicator::SettlementArea, sums.settlement_m2);
        if sums.total_m2 > 0.0 {
            values.insert(Indicator::FarmlandShare, sums.farmland_m2 / sums.total_m2);
        }
        if let Some(&resident) = values.get(&Indicator::ResidentPopulation)
            && resident > 0.0
        {
            values.insert(
                Indicator::ConstructionLandPerResident,
                sums.construction_m2 / resident,
            );
        }
        for (indicator, zones, _) in &exposures {
            if zones.is_empty() {
                continue;
            }
            let covered: f64 = sums
                .settlement_parcels
                .iter()
                .filter_map(|&i| {
                    parcels.features()[i]
                        .geometry
                        .as_ref()
                        .and_then(as_multipolygon)
                })
                .map(|p| zones.covered_m2(&p))
                .sum();
            let share = if sums.settlement_m2 > 0.0 {
                (covered / sums.settlement_m2).min(1.0)
            } else {
                0.0
            };
            values.insert(*indicator, share);
        }
    }
}

fn heritage_points(
    project: &Project,
    villages: &Villages,
    out: &mut [IndicatorValues],
    warnings: &mut Vec<String>,
) {
    let layers = layers_with_role(project, LayerRole::Heritage);
    if layers.is_empty() {
        warnings.push("no 历史文化遗产 (heritage) layer: heritage_points unknown".to_string());
        return;
    }
    let mut counts = vec![0usize; villages.list.len()];
    for g in layers
        .iter()
        .flat_map(|l| l.features())
        .filter_map(|f| f.geometry.as_ref())
    {
        if let Some(v) = villages.containing(g) {
            counts[v] += 1;
        }
    }
    for (values, n) in out.iter_mut().zip(counts) {
        values.insert(Indicator::HeritagePoints, n as f64);
    }
}

fn urban_boundaries(
    project: &Project,
    villages: &Villages,
    settings: &SpatialSettings,
    out: &mut [IndicatorValues],
    warnings: &mut Vec<String>,
) {
    let Some(udb) = UrbanBoundaries::from_project(project, &settings.county_seat_names) else {
        warnings.push(
            "no 城镇开发边界 (urban development boundary) layer: distances to it unknown"
                .to_string(),
        );
        return;
    };
    if udb.county_seat.is_empty() {
        warnings.push(format!(
            "no 城镇开发边界 feature is named as the county seat's (names containing {}): \
             county_seat_udb_* unknown",
            settings.county_seat_names.join(", ")
        ));
    }
    for (values, village) in out.iter_mut().zip(&villages.list) {
        for (zones, overlap, distance) in [
            (
                &udb.county_seat,
                Indicator::CountySeatUdbOverlap,
                Indicator::CountySeatUdbDistance,
            ),
            (
                &udb.township_seats,
                Indicator::TownshipSeatUdbOverlap,
                Indicator::TownshipSeatUdbDistance,
            ),
        ] {
            if zones.is_empty() {
                continue;
            }
            if village.area_m2 > 0.0 {
                values.insert(
                    overlap,
                    (zones.covered_m2(&village.area) / village.area_m2).min(1.0),
                );
            }
            if let Some(d) = zones.distance_m(&village.area) {
                values.insert(distance, d);
            }
        }
    }
}
