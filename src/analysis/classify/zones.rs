//! Zones a village or its settlement land is measured against: hazard zones, the
//! 生态保护红线, reservoir areas, 城镇开发边界.
//!
//! *Performance*: zone layers are split into single polygons, each indexed by its envelope
//! (rstar); an area is intersected (geo `BooleanOps`) only with the polygons whose envelope
//! meets its own, and exact distances are computed nearest envelope first, stopping once
//! no envelope can be closer. *Validity*: overlapping zones are unioned per area, so no
//! area counts twice.

use geo::{Area, BooleanOps, BoundingRect, Buffer, Distance, Euclidean, MultiPolygon, Polygon};
use rstar::RTreeObject;
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use crate::geometry::as_multipolygon;
use crate::model::Layer;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The polygons of some zone layers, indexed.
#[derive(Debug, Default)]
pub struct Zones {
    polygons: Vec<Polygon>,
    tree: RTree<Entry>,
}

impl Zones {
    /// Collects the zones of `layers`: polygons widened by `polygon_buffer_m`, points and
    /// lines turned into zones of radius `point_buffer_m` (ignored when it is 0).
    pub fn from_layers<'a>(
        layers: impl IntoIterator<Item = &'a Layer>,
        polygon_buffer_m: f64,
        point_buffer_m: f64,
    ) -> Zones {
        let mut all = Vec::new();
        for layer in layers {
            for g in layer.features().iter().filter_map(|f| f.geometry.as_ref()) {
                match as_multipolygon(g) {
                    Some(mp) if polygon_buffer_m > 0.0 => all.extend(mp.buffer(polygon_buffer_m).0),
                    Some(mp) => all.extend(mp.0),
                    None if point_buffer_m > 0.0 => all.extend(g.buffer(point_buffer_m).0),
                    None => {}
                }
            }
        }
        Zones::from_polygons(all)
    }

    /// Indexes `all`.
    pub fn from_polygons(all: Vec<Polygon>) -> Zones {
        let entries = all
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let r = p.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners(r.min().into(), r.max().into()),
                    i,
                ))
            })
            .collect();
        Zones {
            polygons: all,
            tree: RTree::bulk_load(entries),
        }
    }

    /// True when there are no zones at all (the indicator is then unknown, not 0).
    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }

    /// Shortest distance from `area` to any zone in metres (0 when touching or
    /// overlapping); `None` when there are no zones.
    pub fn distance_m(&self, area: &MultiPolygon) -> Option<f64> {
        let r = area.bounding_rect()?;
        let mut by_envelope: Vec<(f64, usize)> = self
            .tree
            .iter()
            .map(|e| {
                let env = e.geom().envelope();
                let (lo, hi) = (env.lower(), env.upper());
                let dx = (lo[0] - r.max().x).max(r.min().x - hi[0]).max(0.0);
                let dy = (lo[1] - r.max().y).max(r.min().y - hi[1]).max(0.0);
                (dx.hypot(dy), e.data)
            })
            .collect();
        by_envelope.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut best: Option<f64> = None;
        for (envelope_distance, i) in by_envelope {
            if best.is_some_and(|b| envelope_distance > b) {
                break;
            }
            let d = Euclidean.distance(area, &self.polygons[i]);
            best = Some(best.map_or(d, |b| b.min(d)));
        }
        best
    }

    /// Area of `area` covered by the zones, m².
    pub fn covered_m2(&self, area: &MultiPolygon) -> f64 {
        let Some(r) = area.bounding_rect() else {
            return 0.0;
        };
        let envelope = AABB::from_corners(r.min().into(), r.max().into());
        let pieces: Vec<MultiPolygon> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|e| area.intersection(&self.polygons[e.data]))
            .filter(|piece| !piece.0.is_empty())
            .collect();
        match pieces.as_slice() {
            [] => 0.0,
            [one] => one.unsigned_area(),
            [first, rest @ ..] => rest
                .iter()
                .fold(first.clone(), |acc, p| acc.union(p))
                .unsigned_area(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Feature, LayerRole};
    use geo::{Geometry, wkt};

    fn layer(polys: Vec<Polygon>) -> Layer {
        let features = polys
            .into_iter()
            .enumerate()
            .map(|(i, p)| Feature {
                id: i as i64,
                geometry: Some(Geometry::Polygon(p)),
                attributes: vec![],
            })
            .collect();
        Layer::new("z", "z", LayerRole::Hazard, vec![], features)
    }

    #[test]
    fn overlapping_zones_count_once_and_buffers_widen() {
        let zones = Zones::from_layers(
            [&layer(vec![
                wkt!(POLYGON((0. 0.,10. 0.,10. 10.,0. 10.,0. 0.))),
                wkt!(POLYGON((5. 0.,15. 0.,15. 10.,5. 10.,5. 0.))),
            ])],
            0.0,
            0.0,
        );
        let parcel = MultiPolygon(vec![wkt!(POLYGON((0. 0.,20. 0.,20. 10.,0. 10.,0. 0.)))]);
        assert!((zones.covered_m2(&parcel) - 150.0).abs() < 1e-6);
        let far = MultiPolygon(vec![wkt!(POLYGON((30. 0.,40. 0.,40. 10.,30. 10.,30. 0.)))]);
        assert_eq!(zones.covered_m2(&far), 0.0);
        let widened = Zones::from_layers(
            [&layer(vec![
                wkt!(POLYGON((0. 0.,10. 0.,10. 10.,0. 10.,0. 0.))),
            ])],
            5.0,
            0.0,
        );
        let beside = MultiPolygon(vec![wkt!(POLYGON((10. 0.,14. 0.,14. 10.,10. 10.,10. 0.)))]);
        assert!((widened.covered_m2(&beside) - 40.0).abs() < 1e-6);
        assert_eq!(zones.distance_m(&far), Some(15.0));
        let point = Layer::new(
            "p",
            "p",
            LayerRole::Hazard,
            vec![],
            vec![Feature {
                id: 1,
                geometry: Some(Geometry::Point(geo::Point::new(12.0, 5.0))),
                attributes: vec![],
            }],
        );
        assert!(Zones::from_layers([&point], 0.0, 0.0).is_empty());
        let circle = Zones::from_layers([&point], 0.0, 1.0).covered_m2(&beside);
        assert!((circle - std::f64::consts::PI).abs() < 0.05, "{circle}");
        assert_eq!(zones.distance_m(&parcel), Some(0.0));
        assert_eq!(Zones::default().distance_m(&far), None);
    }
}
