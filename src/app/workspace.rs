//! What every view of the window may read and ask for: the open [`Document`], the work
//! running for it, where the map was last frame, the status line, and requests to open
//! windows. Views change the document only through its methods and start work only through
//! the methods of `super::work`, so a finished worker's result reaches the document one way.

use std::path::PathBuf;

use geo::{Coord, Rect};

use super::document::Document;
use super::settings::{self, AppSettings};
pub use super::work::DraftResult;
use super::work::Work;
use crate::Result;
use crate::render::Viewport;

/// A window the views ask to open (the window owns their state).
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// 质检.
    Checks,
    /// 村庄分类.
    Classification,
    /// The attribute table of a layer (by id).
    Table(String),
    /// The style editor of a layer (by id).
    Style(String),
    /// 添加图层.
    AddLayer,
    /// 新建项目.
    NewProject,
    /// 打开.
    Open,
    /// 另存为.
    SaveAs,
    /// 首选项.
    Preferences,
    /// 关于.
    About,
    /// New preferences to apply and store (the 界面语言 menu).
    ApplySettings(AppSettings),
}

/// Where the map was drawn in the last frame.
#[derive(Debug, Clone, Copy, Default)]
pub struct MapInfo {
    /// The view in physical pixels.
    pub viewport: Option<Viewport>,
    /// The map's rectangle on screen (points).
    pub rect: Option<egui::Rect>,
    /// Ground metres per point at the view centre.
    pub ground_metres_per_point: f64,
    /// The pointer over the map, Web Mercator.
    pub hover_mercator: Option<[f64; 2]>,
}

/// Web Mercator metres to lon/lat (the spherical formula EPSG:3857 defines).
pub fn lonlat_from_mercator(m: [f64; 2]) -> (f64, f64) {
    const R: f64 = 6_378_137.0;
    let lon = (m[0] / R).to_degrees();
    let lat = (2.0 * (m[1] / R).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    (lon, lat)
}

impl MapInfo {
    /// A Web Mercator point in the working CRS of `doc`.
    pub fn gk_from_mercator(doc: &Document, m: [f64; 2]) -> Option<Coord<f64>> {
        let (lon, lat) = lonlat_from_mercator(m);
        let (x, y) = doc.gk_from_lonlat()?.transform_point(lon, lat).ok()?;
        Some(Coord { x, y })
    }

    /// The centre of the map in lon/lat.
    pub fn centre_lonlat(&self) -> Option<(f64, f64)> {
        self.viewport.map(|v| lonlat_from_mercator(v.center))
    }

    /// The centre of the map in the working CRS.
    pub fn centre_gk(&self, doc: &Document) -> Option<Coord<f64>> {
        MapInfo::gk_from_mercator(doc, self.viewport?.center)
    }

    /// The map's view as a rectangle in the working CRS.
    pub fn view_gk(&self, doc: &Document) -> Option<Rect<f64>> {
        let (min, max) = self.viewport?.bounds();
        let corners = [
            [min[0], min[1]],
            [min[0], max[1]],
            [max[0], min[1]],
            [max[0], max[1]],
        ];
        let points: Vec<Coord<f64>> = corners
            .iter()
            .filter_map(|m| MapInfo::gk_from_mercator(doc, *m))
            .collect();
        geo::BoundingRect::bounding_rect(&geo::MultiPoint::from(points))
    }
}

/// The status line: the last message, or the last error (shown in red until the next
/// message). Every error is also written to stderr, so none is lost.
#[derive(Debug, Default)]
pub struct Status {
    /// What the last action did.
    pub message: Option<String>,
    /// What went wrong last.
    pub error: Option<String>,
}

/// See the module documentation.
#[derive(Default)]
pub struct Workspace {
    /// The open plan.
    pub doc: Option<Document>,
    /// The map as drawn last frame.
    pub map: MapInfo,
    /// The status line.
    pub status: Status,
    /// Windows to open this frame.
    pub requests: Vec<Request>,
    /// Where settings, the recent list and recovery copies are kept (`None`: nothing is
    /// stored, as in tests).
    pub config_dir: Option<PathBuf>,
    /// The preferences in force.
    pub settings: AppSettings,
    /// A recovery copy newer than the project just opened, offered to the user.
    pub recovery_offer: Option<PathBuf>,
    /// A save refused because the file changed on disk since it was opened: the path.
    pub save_conflict: Option<PathBuf>,
    /// The window should close (a save before closing finished).
    pub close_now: bool,
    /// The scope of the last check run, for the 质检 window's summary.
    pub checks_scope: String,
    pub(super) work: Work,
}

impl Workspace {
    /// Shows `message` in the status line.
    pub fn tell(&mut self, message: impl Into<String>) {
        self.status.message = Some(message.into());
        self.status.error = None;
    }

    /// Shows an error in the status line (and on stderr, so it is never lost).
    pub fn fail(&mut self, error: impl std::fmt::Display) {
        let text = error.to_string();
        eprintln!("villageplan: {text}");
        self.status.error = Some(text);
    }

    /// Asks for a window.
    pub fn request(&mut self, request: Request) {
        self.requests.push(request);
    }

    /// The 12-digit code and the name of the village under the centre of the map.
    pub fn village_at_centre(&self) -> Result<Option<(String, String)>> {
        let Some(doc) = &self.doc else {
            return Ok(None);
        };
        let Some(centre) = self.map.centre_gk(doc) else {
            return Ok(None);
        };
        let villages = crate::model::admin::AdminUnits::villages(doc.project())?;
        Ok(villages
            .containing(centre)
            .map(|v| (v.code.clone(), v.name.clone())))
    }

    /// The recent projects, most recent first.
    pub fn recent_projects(&self) -> Vec<PathBuf> {
        settings::recent_projects(self.config_dir.as_deref())
    }
}
