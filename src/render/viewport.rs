//! What part of the Web Mercator plane an image shows.

/// A north-up view: `center` in Web Mercator metres (EPSG:3857), `metres_per_pixel`,
/// and the image size in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// Centre of the image in Web Mercator metres.
    pub center: [f64; 2],
    /// Ground resolution (Web Mercator metres per pixel).
    pub metres_per_pixel: f64,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
}

impl Viewport {
    /// The view that shows `[min, max]` (Web Mercator) whole in a `width`×`height` image,
    /// with a margin of `margin` (fraction) around it.
    pub fn fit(min: [f64; 2], max: [f64; 2], width: u32, height: u32, margin: f64) -> Self {
        let w = (max[0] - min[0]).max(1.0) * (1.0 + 2.0 * margin);
        let h = (max[1] - min[1]).max(1.0) * (1.0 + 2.0 * margin);
        let metres_per_pixel = (w / width.max(1) as f64).max(h / height.max(1) as f64);
        Viewport {
            center: [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0],
            metres_per_pixel,
            width,
            height,
        }
    }

    /// Pixel position (x right, y down) of a Web Mercator point.
    pub fn screen_from_mercator(&self, p: [f64; 2]) -> [f32; 2] {
        let x = (p[0] - self.center[0]) / self.metres_per_pixel + self.width as f64 / 2.0;
        let y = (self.center[1] - p[1]) / self.metres_per_pixel + self.height as f64 / 2.0;
        [x as f32, y as f32]
    }

    /// Web Mercator point under a pixel position.
    pub fn mercator_from_screen(&self, s: [f32; 2]) -> [f64; 2] {
        [
            self.center[0] + (s[0] as f64 - self.width as f64 / 2.0) * self.metres_per_pixel,
            self.center[1] - (s[1] as f64 - self.height as f64 / 2.0) * self.metres_per_pixel,
        ]
    }

    /// The Web Mercator box the image covers: `(min, max)`.
    pub fn bounds(&self) -> ([f64; 2], [f64; 2]) {
        let hw = self.width as f64 / 2.0 * self.metres_per_pixel;
        let hh = self.height as f64 / 2.0 * self.metres_per_pixel;
        (
            [self.center[0] - hw, self.center[1] - hh],
            [self.center[0] + hw, self.center[1] + hh],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_round_trip_and_fit() {
        let v = Viewport::fit([0.0, 0.0], [1000.0, 500.0], 200, 100, 0.0);
        assert_eq!(v.metres_per_pixel, 5.0);
        assert_eq!(v.screen_from_mercator([0.0, 500.0]), [0.0, 0.0]);
        assert_eq!(v.screen_from_mercator([1000.0, 0.0]), [200.0, 100.0]);
        let back = v.mercator_from_screen([50.0, 25.0]);
        assert_eq!(back, [250.0, 375.0]);
    }
}
