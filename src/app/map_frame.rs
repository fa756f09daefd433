//! What passes between the map and the tools each frame: what happened on the map (clicks,
//! drags, the pointer, in Web Mercator) and what the editor draws live over it.

use crate::render::Viewport;

/// What the map reports back to the window each frame.
#[derive(Debug, Default, Clone)]
pub struct MapFeedback {
    /// Pointer position in Web Mercator, when over the map.
    pub hover_mercator: Option<[f64; 2]>,
    /// A primary click (not a drag) on the map, Web Mercator.
    pub clicked_mercator: Option<[f64; 2]>,
    /// A double click on the map, Web Mercator (finishes a sketch).
    pub double_clicked_mercator: Option<[f64; 2]>,
    /// A secondary (right) click on the map, Web Mercator.
    pub secondary_clicked_mercator: Option<[f64; 2]>,
    /// Where a primary drag started this frame, Web Mercator.
    pub drag_started_mercator: Option<[f64; 2]>,
    /// The pointer while dragging, Web Mercator.
    pub dragging_mercator: Option<[f64; 2]>,
    /// A drag ended this frame.
    pub drag_stopped: bool,
    /// Shift was held.
    pub shift: bool,
    /// The current view in physical pixels.
    pub viewport: Option<Viewport>,
    /// Ground metres per point at the view centre (for the scale).
    pub ground_metres_per_point: f64,
    /// The map's rectangle on screen (points).
    pub map_rect: Option<egui::Rect>,
}

/// What the editor draws live over the map (Web Mercator): the sketch (with the pointer as
/// its next vertex), its conflict overlaps, and the marker of a refused geometry.
#[derive(Debug, Default, Clone)]
pub struct EditOverlay {
    pub sketch: Vec<[f64; 2]>,
    pub conflicts: Vec<Vec<[f64; 2]>>,
    pub marker: Option<[f64; 2]>,
    pub hover: Option<[f64; 2]>,
    /// Where the pointer snaps (a vertex or an edge of a visible layer).
    pub snap: Option<[f64; 2]>,
    /// The feature being vertex-edited: its rings (with the dragged vertex moved).
    pub target: Vec<Vec<[f64; 2]>>,
    /// The sketch is a polygon (closed back to its first vertex), not a line.
    pub closed: bool,
    /// A box selection being dragged: two opposite corners.
    pub selecting: Option<([f64; 2], [f64; 2])>,
    /// A sketch is being drawn: double clicks finish it instead of zooming.
    pub drawing: bool,
    /// Dragging pans the map (off while a vertex, a feature or a box is dragged).
    pub panning: bool,
    /// The selected demonstration corridor's centre line with its vertex handles.
    pub centre: Option<CentreHandles>,
}

/// A corridor's centre line as the 示范区带线 window shows it for editing (Web Mercator):
/// every vertex is a square handle, the one under the pointer (or held) stands out.
#[derive(Debug, Default, Clone)]
pub struct CentreHandles {
    /// The line's parts, the held vertex where it is dragged to.
    pub parts: Vec<Vec<[f64; 2]>>,
    /// The handle under the pointer or held: part and vertex index.
    pub hot: Option<(usize, usize)>,
    /// The hot handle is held (being dragged).
    pub held: bool,
}
