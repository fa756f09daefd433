//! Which parcels belong to each village when no field says so, and so which villages have
//! a plan.
//!
//! The 规划地类图斑 of the delivery database carry no 坐落单位代码 (docs/domain.md §9.1), so
//! a planned parcel belongs to the village that contains a point inside it — the same
//! answer as "which village is this problem in". A village *has a plan* when at least one
//! planned parcel belongs to it (§5.6.1): a neighbour's parcel that only touches or crosses
//! the boundary by digitising noise does not give a village without a plan one.
//!
//! *Performance*: per village, on first use, from the planned parcels whose envelope meets
//! the village's; a window re-check therefore looks only at the villages it touches.

use std::sync::OnceLock;

use rayon::prelude::*;

use super::location::representative_point;
use super::zones::VillageIndex;
use crate::model::{Layer, LayerRole, Project};

/// The parcels of the layers of one role in each village, found lazily.
pub(crate) struct VillageParcels<'a> {
    /// The layers of the role.
    pub layers: Vec<&'a Layer>,
    /// Per village position: (index into `layers`, feature position) of its parcels.
    by_village: Vec<OnceLock<Vec<(usize, usize)>>>,
}

impl<'a> VillageParcels<'a> {
    /// The parcels of the `role` layers (the planned land use, for "has a plan").
    pub fn new(project: &'a Project, villages: &VillageIndex, role: LayerRole) -> Self {
        VillageParcels {
            layers: project.layers_with_role(role).collect(),
            by_village: (0..villages.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The parcels of village `v` (layer index, feature position), in layer order.
    pub fn parcels(&self, villages: &VillageIndex, v: usize) -> &[(usize, usize)] {
        let Some(cell) = self.by_village.get(v) else {
            return &[];
        };
        cell.get_or_init(|| {
            let Some(r) = villages.bbox(v) else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for (l, layer) in self.layers.iter().enumerate() {
                let mut mine: Vec<usize> = layer
                    .index()
                    .query(r.min().into(), r.max().into())
                    .collect::<Vec<_>>()
                    .into_par_iter()
                    .filter(|&i| {
                        layer.features()[i]
                            .geometry
                            .as_ref()
                            .and_then(representative_point)
                            .is_some_and(|c| villages.position_at(c) == Some(v))
                    })
                    .collect();
                mine.sort_unstable();
                out.extend(mine.into_iter().map(|i| (l, i)));
            }
            out
        })
    }

    /// True when village `v` has at least one parcel (of the planned layers: a plan).
    pub fn has_plan(&self, villages: &VillageIndex, v: usize) -> bool {
        !self.parcels(villages, v).is_empty()
    }
}
