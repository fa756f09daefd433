//! Drawing the map without a window: shared styling and a CPU renderer.
//!
//! The same renderer makes PNG exports and the map window's cached image of the static
//! layers: it runs on a worker thread when the view settles, and while the user pans or
//! zooms the window only transforms the last image (as desktop GIS canvases do), so frame
//! time does not depend on the number of features. Geometry is projected once per layer
//! into Web Mercator (the slippy-map plane, so basemap tiles line up) and indexed there.

mod display;
mod legend;
mod raster;
mod text;
mod viewport;

pub use display::{DisplayLayer, EPSG_WEB_MERCATOR, feature_fill};
pub use legend::{LegendItem, LegendSection, legend};
pub use raster::{RenderStats, render};
pub use text::{Anchor, Font};
pub use viewport::Viewport;
