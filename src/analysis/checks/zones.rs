//! Layers of large polygons (villages, red line, farmland, construction boundaries)
//! prepared on first use and shared by every rule of a run.

use std::sync::OnceLock;

use geo::{BoundingRect, Coord, Rect};

use super::prepared::PreparedArea;
use super::result::VillageRef;
use crate::model::admin::{AdminUnits, CODE_FIELDS};
use crate::model::{Layer, LayerRole, Project};

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

/// The administrative villages: code and name from the shared reader
/// ([`crate::model::admin`]) and the prepared boundary, for "which village is this problem
/// in?" and for the per-village rules.
pub(crate) struct VillageIndex<'a> {
    pub prepared: Option<PreparedLayer<'a>>,
    /// Per feature of the village layer, its village (`None` without a code).
    refs: Vec<Option<VillageRef>>,
    /// Why no village can be named (the layer has no code column), as skip messages.
    unusable: Option<(String, String)>,
}

impl<'a> VillageIndex<'a> {
    /// The villages of the project's 行政村界 layer, if it has one.
    pub fn new(project: &'a Project) -> Self {
        let Some(layer) = project.layer_by_role(LayerRole::Village) else {
            return VillageIndex {
                prepared: None,
                refs: Vec::new(),
                unusable: None,
            };
        };
        let n = layer.features().len();
        // The reader's warnings (features without a code, repeated codes) are the code
        // rules' findings; only a missing code column stops the per-village rules.
        let (refs, unusable) = match AdminUnits::villages(project) {
            Ok(units) => {
                let refs = (0..n)
                    .map(|i| {
                        units.at_position(i).map(|u| VillageRef {
                            code: u.code.clone(),
                            name: u.name.clone(),
                        })
                    })
                    .collect();
                (refs, None)
            }
            Err(e) => {
                let zh = format!(
                    "图层“{}”缺少村代码字段（可用：{}）",
                    layer.name,
                    CODE_FIELDS.join("、")
                );
                (vec![None; n], Some((zh, e.to_string())))
            }
        };
        VillageIndex {
            prepared: Some(PreparedLayer::new(layer)),
            refs,
            unusable,
        }
    }

    /// Why the per-village rules cannot run (zh, en), when the village layer names no
    /// village.
    pub fn unusable(&self) -> Option<(String, String)> {
        self.unusable.clone()
    }

    /// The village at position `i` of the village layer.
    pub fn village(&self, i: usize) -> Option<&VillageRef> {
        self.refs.get(i)?.as_ref()
    }

    /// Position of the village with `code` (the first, if the code repeats).
    pub fn position(&self, code: &str) -> Option<usize> {
        self.refs
            .iter()
            .position(|v| v.as_ref().is_some_and(|v| v.code == code))
    }

    /// The village containing `c`.
    pub fn locate(&self, c: Coord) -> Option<&VillageRef> {
        self.position_at(c).and_then(|i| self.village(i))
    }

    /// The position of the village polygon containing `c` (the first, if they overlap).
    pub fn position_at(&self, c: Coord) -> Option<usize> {
        let prepared = self.prepared.as_ref()?;
        prepared
            .candidates(Rect::new(c, c))
            .into_iter()
            .find(|&i| prepared.get(i).is_some_and(|p| p.contains(c)))
    }

    /// The number of features of the village layer.
    pub fn len(&self) -> usize {
        self.refs.len()
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
