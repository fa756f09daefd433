//! An `rstar` index over feature envelopes, one per layer.
//!
//! Everything spatial on the CPU (picking, labels, checks, snapping) starts here so that it
//! touches only nearby features. The index knows envelopes and positions only, not features,
//! so it sits below the model (which owns one per layer) and depends on nothing in the crate.

use geo::Rect;
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

fn entry(position: usize, r: Rect<f64>) -> Entry {
    GeomWithData::new(
        Rectangle::from_corners(r.min().into(), r.max().into()),
        position,
    )
}

/// Envelopes of a layer's features, pointing at their positions in the layer.
#[derive(Debug, Clone, Default)]
pub struct FeatureIndex {
    tree: RTree<Entry>,
}

impl FeatureIndex {
    /// Bulk-loads the index from (position, envelope) pairs (O(n log n), much faster than
    /// inserting one by one). Features without geometry are simply not given.
    pub fn build(envelopes: impl IntoIterator<Item = (usize, Rect<f64>)>) -> Self {
        let entries = envelopes.into_iter().map(|(i, r)| entry(i, r)).collect();
        FeatureIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Moves feature `position`'s entry from envelope `old` to `new` (either may be absent:
    /// a feature without geometry is not indexed). O(log n): used when an edit replaces one
    /// geometry.
    pub fn update(&mut self, position: usize, old: Option<Rect<f64>>, new: Option<Rect<f64>>) {
        if let Some(r) = old {
            self.tree.remove(&entry(position, r));
        }
        if let Some(r) = new {
            self.tree.insert(entry(position, r));
        }
    }

    /// Positions of features whose envelope intersects the box `[min, max]` (working CRS).
    pub fn query(&self, min: [f64; 2], max: [f64; 2]) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|e| e.data)
    }

    /// [`FeatureIndex::query`] with each feature's envelope, which the index holds anyway:
    /// a caller that filters by envelope need not walk the geometry again.
    pub fn query_envelopes(
        &self,
        min: [f64; 2],
        max: [f64; 2],
    ) -> impl Iterator<Item = (usize, Rect<f64>)> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|e| {
                let (lower, upper) = (e.geom().lower(), e.geom().upper());
                (e.data, Rect::new(lower, upper))
            })
    }

    /// Number of indexed features.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when no feature has a geometry.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Coord;

    fn square(x: f64, y: f64) -> Rect<f64> {
        Rect::new(
            Coord { x, y },
            Coord {
                x: x + 1.0,
                y: y + 1.0,
            },
        )
    }

    #[test]
    fn envelopes_are_found_and_moved() {
        let mut index = FeatureIndex::build([(0, square(0.0, 0.0)), (2, square(10.0, 0.0))]);
        assert_eq!(index.len(), 2);
        assert_eq!(
            index.query([0.5, 0.5], [0.6, 0.6]).collect::<Vec<_>>(),
            vec![0]
        );
        index.update(2, Some(square(10.0, 0.0)), Some(square(0.2, 0.2)));
        let mut hits: Vec<usize> = index.query([0.5, 0.5], [0.6, 0.6]).collect();
        hits.sort_unstable();
        assert_eq!(hits, vec![0, 2]);
        assert_eq!(index.query([10.5, 0.5], [10.6, 0.6]).count(), 0);
        let mut found: Vec<(usize, Rect<f64>)> =
            index.query_envelopes([0.5, 0.5], [0.6, 0.6]).collect();
        found.sort_by_key(|(i, _)| *i);
        assert_eq!(found, [(0, square(0.0, 0.0)), (2, square(0.2, 0.2))]);
    }
}
