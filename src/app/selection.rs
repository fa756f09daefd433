//! The selection: features named by layer id and feature id, never by position, so moving a
//! layer in the drawing order or inserting features before a selected one keeps it.

use crate::Project;

/// One feature of the project.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeatureRef {
    /// The layer's id.
    pub layer: String,
    /// The feature's id (stable across edits, saves and undo).
    pub feature: i64,
}

impl FeatureRef {
    /// The feature at `position` of the layer at `layer_index` of `project`.
    pub fn at(project: &Project, layer_index: usize, position: usize) -> Option<FeatureRef> {
        let layer = project.layers.get(layer_index)?;
        Some(FeatureRef {
            layer: layer.id.clone(),
            feature: layer.features().get(position)?.id,
        })
    }

    /// (layer index, feature position) of this feature in `project`, if it still exists.
    pub fn locate(&self, project: &Project) -> Option<(usize, usize)> {
        let li = project.layer_position(&self.layer)?;
        let fi = project.layers[li].position_of(self.feature)?;
        Some((li, fi))
    }
}

/// The selected features, in the order they were picked (identify lists the topmost
/// layer's feature first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    items: Vec<FeatureRef>,
}

impl Selection {
    /// The selected features.
    pub fn items(&self) -> &[FeatureRef] {
        &self.items
    }

    /// Replaces the selection.
    pub fn set(&mut self, items: Vec<FeatureRef>) {
        self.items = items;
    }

    /// Adds `item`, or removes it when it is already selected (Shift+click).
    pub fn toggle(&mut self, item: FeatureRef) {
        match self.items.iter().position(|i| *i == item) {
            Some(k) => {
                self.items.remove(k);
            }
            None => self.items.push(item),
        }
    }

    /// Adds the items not yet selected (a box selection).
    pub fn extend(&mut self, items: impl IntoIterator<Item = FeatureRef>) {
        for item in items {
            if !self.items.contains(&item) {
                self.items.push(item);
            }
        }
    }

    /// Empties the selection.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Positions of the selected features of layer `layer_id` in `project`.
    pub fn positions_in(&self, project: &Project, layer_id: &str) -> Vec<usize> {
        let Some(layer) = project.layer(layer_id) else {
            return Vec::new();
        };
        self.items
            .iter()
            .filter(|i| i.layer == layer_id)
            .filter_map(|i| layer.position_of(i.feature))
            .collect()
    }

    /// Drops the features that no longer exist (deleted, merged away, layer removed).
    /// Returns true when something was dropped.
    pub fn prune(&mut self, project: &Project) -> bool {
        let before = self.items.len();
        self.items.retain(|i| i.locate(project).is_some());
        self.items.len() != before
    }
}
