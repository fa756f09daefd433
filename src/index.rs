//! An `rstar` index over feature envelopes, one per layer.
//!
//! Everything spatial on the CPU (picking, labels, checks, snapping) starts here so that it
//! touches only nearby features.

use geo::BoundingRect;
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use crate::model::Feature;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Envelopes of a layer's features, pointing at their positions in the layer.
#[derive(Debug, Clone, Default)]
pub struct FeatureIndex {
    tree: RTree<Entry>,
}

impl FeatureIndex {
    /// Bulk-loads the index (O(n log n), much faster than inserting one by one).
    pub fn build(features: &[Feature]) -> Self {
        let entries = features
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let rect = f.geometry.as_ref()?.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners(rect.min().into(), rect.max().into()),
                    i,
                ))
            })
            .collect();
        FeatureIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Moves feature `position`'s entry from envelope `old` to `new` (either may be absent:
    /// a feature without geometry is not indexed). O(log n): used when an edit replaces one
    /// geometry.
    pub fn update(
        &mut self,
        position: usize,
        old: Option<geo::Rect<f64>>,
        new: Option<geo::Rect<f64>>,
    ) {
        if let Some(r) = old {
            self.tree.remove(&GeomWithData::new(
                Rectangle::from_corners(r.min().into(), r.max().into()),
                position,
            ));
        }
        if let Some(r) = new {
            self.tree.insert(GeomWithData::new(
                Rectangle::from_corners(r.min().into(), r.max().into()),
                position,
            ));
        }
    }

    /// Positions of features whose envelope intersects the box `[min, max]` (working CRS).
    pub fn query(&self, min: [f64; 2], max: [f64; 2]) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|e| e.data)
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
