//! Layers of large polygons (villages, red line, farmland, construction boundaries)
//! prepared on first use and shared by every rule of a run.

use std::sync::OnceLock;

use geo::{BoundingRect, Coord, Rect};

use super::prepared::PreparedArea;
use super::result::VillageRef;
use crate::model::Layer;

/// A layer whose features are prepared ([`PreparedArea`]) lazily, each at most once, from
/// whichever worker thread asks first.
pub(crate) struct PreparedLayer<'a> {
    pub layer: &'a Layer,
    cells: Vec<OnceLock<Option<PreparedArea>>>,
}

impl<'a> PreparedLayer<'a> {
    pub fn new(layer: &'a Layer) -> Self {
        PreparedLayer {
            layer,
            cells: (0..layer.features().len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// Feature `i` prepared; `None` when it is not polygonal.
    pub fn get(&self, i: usize) -> Option<&PreparedArea> {
        self.cells
            .get(i)?
            .get_or_init(|| {
                self.layer.features()[i]
                    .geometry
                    .as_ref()
                    .and_then(PreparedArea::new)
            })
            .as_ref()
    }

    /// Positions of features whose envelope meets `r`, in layer order.
    pub fn candidates(&self, r: Rect<f64>) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .layer
            .index()
            .query(r.min().into(), r.max().into())
            .collect();
        out.sort_unstable();
        out
    }
}

/// The administrative villages: code, name and prepared boundary, for "which village is
/// this problem in?" and for the per-village rules.
pub(crate) struct VillageIndex<'a> {
    pub prepared: Option<PreparedLayer<'a>>,
    refs: Vec<VillageRef>,
}

impl<'a> VillageIndex<'a> {
    /// Villages from a layer with `XZQDM` / `XZQMC` (missing values become empty text).
    pub fn new(layer: Option<&'a Layer>) -> Self {
        let Some(layer) = layer else {
            return VillageIndex {
                prepared: None,
                refs: Vec::new(),
            };
        };
        let text = |i: usize, f: &str| {
            layer
                .value(i, f)
                .and_then(|v| v.as_text())
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        };
        let refs = (0..layer.features().len())
            .map(|i| VillageRef {
                code: text(i, "XZQDM"),
                name: text(i, "XZQMC"),
            })
            .collect();
        VillageIndex {
            prepared: Some(PreparedLayer::new(layer)),
            refs,
        }
    }

    /// The village at position `i` of the village layer.
    pub fn village(&self, i: usize) -> Option<&VillageRef> {
        self.refs.get(i)
    }

    /// Position of the village with `code`.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.refs.iter().position(|v| v.code == code)
    }

    /// The village containing `c`.
    pub fn locate(&self, c: Coord) -> Option<&VillageRef> {
        let prepared = self.prepared.as_ref()?;
        prepared
            .candidates(Rect::new(c, c))
            .into_iter()
            .find(|&i| prepared.get(i).is_some_and(|p| p.contains(c)))
            .and_then(|i| self.refs.get(i))
    }

    /// Positions of villages whose envelope meets `r` (all when `r` is `None`).
    pub fn in_window(&self, r: Option<Rect<f64>>) -> Vec<usize> {
        let Some(prepared) = &self.prepared else {
            return Vec::new();
        };
        match r {
            Some(r) => prepared.candidates(r),
            None => (0..self.refs.len()).collect(),
        }
    }

    /// The bounding box of village `i`.
    pub fn bbox(&self, i: usize) -> Option<Rect<f64>> {
        self.prepared
            .as_ref()?
            .layer
            .features()
            .get(i)?
            .geometry
            .as_ref()?
            .bounding_rect()
    }
}
