//! The 城镇开发边界 split into the county seat's (县城) and the township seats' (集镇), which
//! count differently for 城郊融合类 (docs/domain.md §4).
//!
//! A boundary is the county seat's when its name (any text attribute, e.g. `MC`) contains
//! one of the configured fragments (县城, 城区, 城关 by default) once the phrase 城镇开发边界
//! itself is removed — otherwise "凤庆县城镇开发边界" (凤庆县 + 城镇开发边界) would read as
//! 县城. Every other boundary is a township seat's.

use super::zones::Zones;
use crate::geometry::as_multipolygon;
use crate::model::{LayerRole, Project};

/// The two kinds of urban development boundary, each indexed.
#[derive(Debug, Default)]
pub struct UrbanBoundaries {
    /// The county seat's.
    pub county_seat: Zones,
    /// The township seats'.
    pub township_seats: Zones,
}

/// True when a boundary's name marks it as the county seat's.
pub fn is_county_seat(name: &str, fragments: &[String]) -> bool {
    let name = name.replace("城镇开发边界", "");
    fragments
        .iter()
        .any(|f| !f.is_empty() && name.contains(f.as_str()))
}

impl UrbanBoundaries {
    /// Collects every feature of every 城镇开发边界 layer; `None` when there is none.
    pub fn from_project(project: &Project, fragments: &[String]) -> Option<UrbanBoundaries> {
        let layers: Vec<_> = project
            .layers
            .iter()
            .filter(|l| l.role == LayerRole::UrbanDevelopmentBoundary)
            .collect();
        if layers.is_empty() {
            return None;
        }
        let (mut county, mut towns) = (Vec::new(), Vec::new());
        for layer in layers {
            for f in layer.features() {
                let Some(mp) = f.geometry.as_ref().and_then(as_multipolygon) else {
                    continue;
                };
                let county_seat = f
                    .attributes
                    .iter()
                    .filter_map(|a| a.as_text())
                    .any(|t| is_county_seat(&t, fragments));
                if county_seat {
                    county.extend(mp.0);
                } else {
                    towns.extend(mp.0);
                }
            }
        }
        Some(UrbanBoundaries {
            county_seat: Zones::from_polygons(county),
            township_seats: Zones::from_polygons(towns),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn county_seat_names() {
        let f = vec!["县城".to_string(), "城区".to_string()];
        assert!(is_county_seat("凤庆县城城镇开发边界（凤山镇）", &f));
        assert!(!is_county_seat("凤庆县城镇开发边界", &f));
        assert!(!is_county_seat("勐佑镇集镇城镇开发边界", &f));
        assert!(is_county_seat("中心城区", &f));
    }
}
