//! What changed in the document since the views last looked: the window takes these once
//! per frame and refreshes every view from them the same way.

use std::collections::BTreeSet;

use geo::Rect;

/// What changed since the views last looked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Layers whose features (geometry or attributes) changed.
    pub features: BTreeSet<String>,
    /// Layers whose style changed.
    pub styles: BTreeSet<String>,
    /// Layers were added, removed or reordered.
    pub order: bool,
    /// The envelope of changed geometry (working CRS): what an incremental re-check covers.
    pub area: Option<Rect<f64>>,
    /// The selection changed.
    pub selection: bool,
    /// The project's settings changed (exceptions, overrides, options).
    pub settings: bool,
    /// The 质检 report or the classification changed.
    pub reports: bool,
}

impl Changes {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// Adds `other` to these changes.
    pub fn merge(&mut self, other: Changes) {
        self.features.extend(other.features);
        self.styles.extend(other.styles);
        self.order |= other.order;
        self.area = match (self.area, other.area) {
            (Some(a), Some(b)) => Some(union(a, b)),
            (a, b) => a.or(b),
        };
        self.selection |= other.selection;
        self.settings |= other.settings;
        self.reports |= other.reports;
    }
}

fn union(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
        geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
    )
}
