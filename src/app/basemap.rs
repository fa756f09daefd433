//! Optional basemaps under the plan layers: OpenStreetMap and 天地图 (vector or imagery,
//! with its annotation layer, on the user's own key). Off by default, so nothing is
//! fetched unless the user asks. Tiles are cached on disk (HTTP cache in
//! `~/.cache/villageplan/tiles`); when offline, tiles simply stay missing — walkers
//! downloads on its own threads, so the window never waits for the network.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use walkers::sources::{Attribution, OpenStreetMap, TileSource};
use walkers::{HttpOptions, HttpTiles, TileId};

/// Which tiles are drawn under the layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basemap {
    /// A plain background; nothing is fetched.
    None,
    /// tile.openstreetmap.org.
    OpenStreetMap,
    /// 天地图 矢量底图 + 注记.
    TiandituVector,
    /// 天地图 影像底图 + 注记.
    TiandituImagery,
}

impl Basemap {
    /// Every choice, in menu order.
    pub const ALL: [Basemap; 4] = [
        Basemap::None,
        Basemap::OpenStreetMap,
        Basemap::TiandituVector,
        Basemap::TiandituImagery,
    ];

    /// The name shown in the settings.
    pub fn name(self) -> String {
        match self {
            Basemap::None => rust_i18n::t!("settings.basemap_none").into_owned(),
            Basemap::OpenStreetMap => "OpenStreetMap".into(),
            Basemap::TiandituVector => rust_i18n::t!("settings.tianditu_vector").into_owned(),
            Basemap::TiandituImagery => rust_i18n::t!("settings.tianditu_imagery").into_owned(),
        }
    }

    /// 天地图 refuses requests without a key.
    pub fn needs_tianditu_key(self) -> bool {
        matches!(self, Basemap::TiandituVector | Basemap::TiandituImagery)
    }
}

/// One 天地图 WMTS layer in Web Mercator (`_w`). 天地图 is in CGCS2000, which is within
/// centimetres of WGS 84, so its tiles line up with the plan without any offset.
struct Tianditu {
    /// `vec`, `cva`, `img` or `cia`.
    layer: &'static str,
    key: String,
}

impl TileSource for Tianditu {
    fn tile_url(&self, tile: TileId) -> String {
        // Eight equivalent hosts t0–t7 share the load.
        let host = (tile.x + tile.y) % 8;
        format!(
            "https://t{host}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0\
             &LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles\
             &TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
            layer = self.layer,
            z = tile.zoom,
            y = tile.y,
            x = tile.x,
            key = self.key,
        )
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: "天地图 © 国家地理信息公共服务平台",
            url: "https://www.tianditu.gov.cn",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn max_zoom(&self) -> u8 {
        18
    }
}

/// The tiles of the chosen basemap.
#[derive(Default)]
pub struct BasemapTiles {
    base: Option<HttpTiles>,
    labels: Option<HttpTiles>,
    attribution: Option<&'static str>,
}

impl BasemapTiles {
    /// Switches to `choice`. A 天地图 choice without a key shows no tiles (the settings
    /// dialog says why) rather than sending requests that would be refused.
    pub fn configure(
        &mut self,
        ctx: &egui::Context,
        choice: Basemap,
        tianditu_key: &str,
        config_dir: Option<&Path>,
    ) {
        *self = BasemapTiles::default();
        let key = tianditu_key.trim().to_string();
        let options = |name: &str| HttpOptions {
            cache: config_dir.and_then(|_| tile_cache_dir(name)),
            user_agent: Some(walkers::HeaderValue::from_static(concat!(
                "VillagePlan/",
                env!("CARGO_PKG_VERSION"),
                " (desktop village planning GIS)"
            ))),
            ..Default::default()
        };
        let tianditu = |base: &'static str, labels: &'static str| {
            (
                HttpTiles::with_options(
                    Tianditu {
                        layer: base,
                        key: key.clone(),
                    },
                    options(base),
                    ctx.clone(),
                ),
                HttpTiles::with_options(
                    Tianditu {
                        layer: labels,
                        key: key.clone(),
                    },
                    options(labels),
                    ctx.clone(),
                ),
            )
        };
        match choice {
            Basemap::None => {}
            Basemap::OpenStreetMap => {
                self.base = Some(HttpTiles::with_options(
                    OpenStreetMap,
                    options("osm"),
                    ctx.clone(),
                ));
                self.attribution = Some("© OpenStreetMap contributors");
            }
            Basemap::TiandituVector | Basemap::TiandituImagery if !key.is_empty() => {
                let (base, labels) = if choice == Basemap::TiandituVector {
                    tianditu("vec", "cva")
                } else {
                    tianditu("img", "cia")
                };
                self.base = Some(base);
                self.labels = Some(labels);
                self.attribution = Some("天地图 © 国家地理信息公共服务平台");
            }
            Basemap::TiandituVector | Basemap::TiandituImagery => {}
        }
    }

    /// True when tiles are drawn (the layer image is then rendered transparent).
    pub fn active(&self) -> bool {
        self.base.is_some()
    }

    /// The attribution to show on the map.
    pub fn attribution(&self) -> Option<&'static str> {
        self.attribution
    }

    /// The tile layers for walkers: the base, and the annotation layer on top of it.
    pub fn layers(&mut self) -> (Option<&mut HttpTiles>, Option<&mut HttpTiles>) {
        (self.base.as_mut(), self.labels.as_mut())
    }
}

/// `$XDG_CACHE_HOME/villageplan/tiles/<name>` or `~/.cache/villageplan/tiles/<name>`.
fn tile_cache_dir(name: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("villageplan").join("tiles").join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tianditu_urls_name_layer_tile_and_key() {
        let source = Tianditu {
            layer: "img",
            key: "abc".into(),
        };
        let url = source.tile_url(TileId {
            x: 3,
            y: 5,
            zoom: 4,
        });
        assert!(
            url.starts_with("https://t0.tianditu.gov.cn/img_w/wmts?"),
            "{url}"
        );
        assert!(url.contains("&LAYER=img&"), "{url}");
        assert!(
            url.contains("TILEMATRIX=4&TILEROW=5&TILECOL=3&tk=abc"),
            "{url}"
        );
    }

    #[test]
    fn settings_spell_basemaps_in_snake_case() {
        let json = serde_json::to_string(&Basemap::TiandituImagery).unwrap();
        assert_eq!(json, "\"tianditu_imagery\"");
    }
}
