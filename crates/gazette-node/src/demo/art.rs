//! Featured-image illustrations for the demo articles: small, self-contained SVG scenes built
//! from gradients and geometric shapes, one palette per top-level section. The scenes
//! themselves live in `scenes` and `landscapes`; this module holds the palettes, the drawing surface and the
//! pieces several scenes share. No text, scripts or external references ever go into an image.

use std::fmt::{self, Write as _};

/// Writes formatted SVG markup onto a [`Canvas`].
macro_rules! draw {
    ($canvas:expr, $($fmt:tt)*) => {
        $canvas.put(format_args!($($fmt)*))
    };
}

// After the macro, so that the scenes can use it.
mod landscapes;
mod scenes;

/// What an illustration shows; each article picks the one nearest its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scene {
    Ballot,
    Transit,
    Flood,
    Wind,
    Prices,
    Parliament,
    Solar,
    Port,
    Border,
    Mountains,
    Microphone,
    Fields,
    Hospital,
    Books,
    Grid,
}

/// The colours of one section's illustrations, from the sky down to the foreground.
#[derive(Debug)]
pub(super) struct Palette {
    sky_top: &'static str,
    sky_bottom: &'static str,
    glow: &'static str,
    far: &'static str,
    mid: &'static str,
    near: &'static str,
    accent: &'static str,
    light: &'static str,
    /// Top and bottom of open water: the greens of Economy would make a sea look like a field.
    water: (&'static str, &'static str),
}

/// Dusk blues and teals for World.
const WORLD: Palette = Palette {
    sky_top: "#0f3b5f",
    sky_bottom: "#7fb7cf",
    glow: "#ffe3a3",
    far: "#3d7d9c",
    mid: "#1d4e6b",
    near: "#0c2a3d",
    accent: "#f2a541",
    light: "#f6f1e3",
    water: ("#2a6a8a", "#0c2a3d"),
};

/// Dawn over ink blue and red for Politics.
const POLITICS: Palette = Palette {
    sky_top: "#23254d",
    sky_bottom: "#e39a78",
    glow: "#ffd9a0",
    far: "#6b5a8a",
    mid: "#3a2f5c",
    near: "#1c1733",
    accent: "#e4473d",
    light: "#f7efe4",
    water: ("#4a4f7a", "#1c1733"),
};

/// Warm daylight, gold and green for Economy.
const ECONOMY: Palette = Palette {
    sky_top: "#e9a94b",
    sky_bottom: "#fbe9c2",
    glow: "#fff6d8",
    far: "#a9bd78",
    mid: "#5f8a4a",
    near: "#2f4f34",
    accent: "#c9522a",
    light: "#fffaf0",
    water: ("#5b9aa0", "#24535c"),
};

/// Plum and amber for Opinion.
const OPINION: Palette = Palette {
    sky_top: "#3b2541",
    sky_bottom: "#b07382",
    glow: "#ffd7b0",
    far: "#7a5577",
    mid: "#4a3050",
    near: "#25172b",
    accent: "#f0b74a",
    light: "#f8efe6",
    water: ("#6d4a6a", "#25172b"),
};

/// The palette for articles under the given top-level section.
pub(super) fn palette_for(root_section: &str) -> &'static Palette {
    match root_section {
        "world" => &WORLD,
        "politics" => &POLITICS,
        "economy" => &ECONOMY,
        _ => &OPINION,
    }
}

/// A complete 1200×675 SVG document. `seed` (the article's slug) varies the details, so two
/// articles with the same scene still get different pictures, and the same article always
/// gets the same one.
pub(super) fn illustration(scene: Scene, palette: &'static Palette, seed: &str) -> String {
    let mut canvas = Canvas {
        svg: String::with_capacity(6 * 1024),
        rng: Rng::new(seed),
        p: palette,
    };
    canvas.open();
    scenes::draw_scene(&mut canvas, scene);
    canvas.svg.push_str("</svg>\n");
    canvas.svg
}

/// A deterministic xorshift generator: the art must not change between runs.
struct Rng(u64);

impl Rng {
    fn new(seed: &str) -> Self {
        // FNV-1a of the seed; `| 1` keeps xorshift away from its all-zero fixed point.
        let hash = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        Self(hash | 1)
    }

    /// A number in `lo..hi` (just `lo` when the range is empty).
    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let span = u64::from((hi - lo).max(1).unsigned_abs());
        lo + i32::try_from(self.0 % span).unwrap_or(0)
    }
}

/// The SVG being drawn, with its palette and random source.
pub(super) struct Canvas {
    svg: String,
    rng: Rng,
    p: &'static Palette,
}

impl Canvas {
    pub(super) fn put(&mut self, markup: fmt::Arguments<'_>) {
        // Writing into a String cannot fail.
        let _ = self.svg.write_fmt(markup);
    }

    pub(super) fn rand(&mut self, lo: i32, hi: i32) -> i32 {
        self.rng.range(lo, hi)
    }

    /// The root element, the shared gradients and the sky.
    fn open(&mut self) {
        let p = self.p;
        draw!(
            self,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 675" width="1200" height="675"><defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{}"/><stop offset="1" stop-color="{}"/></linearGradient><radialGradient id="glow"><stop offset="0" stop-color="{}" stop-opacity=".85"/><stop offset="1" stop-color="{}" stop-opacity="0"/></radialGradient><linearGradient id="deep" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{}"/><stop offset="1" stop-color="{}"/></linearGradient><linearGradient id="sea" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{}"/><stop offset="1" stop-color="{}"/></linearGradient></defs><rect width="1200" height="675" fill="url(#sky)"/>"##,
            p.sky_top,
            p.sky_bottom,
            p.glow,
            p.glow,
            p.mid,
            p.near,
            p.water.0,
            p.water.1
        );
    }

    /// A sun or moon with a soft halo.
    pub(super) fn sun(&mut self, x: i32, y: i32, r: i32) {
        let (halo, glow) = (r * 4, self.p.glow);
        draw!(
            self,
            r#"<circle cx="{x}" cy="{y}" r="{halo}" fill="url(#glow)"/><circle cx="{x}" cy="{y}" r="{r}" fill="{glow}"/>"#
        );
    }

    /// A band of rolling hills whose ridge wanders around `y`, filled down to the bottom.
    pub(super) fn hills(&mut self, y: i32, amplitude: i32, fill: &str, opacity: &str) {
        let start = y + self.rand(-amplitude, amplitude);
        draw!(self, r#"<path d="M0 {start}"#);
        for step in 1..=6 {
            let (cx, x) = (step * 200 - 100, step * 200);
            let cy = y + self.rand(-amplitude * 2, amplitude);
            let end = y + self.rand(-amplitude, amplitude);
            draw!(self, " Q{cx} {cy} {x} {end}");
        }
        draw!(self, r#" V675 H0Z" fill="{fill}" opacity="{opacity}"/>"#);
    }

    /// A band of regular waves from `y` down to the bottom.
    pub(super) fn waves(&mut self, y: i32, amplitude: i32, fill: &str, opacity: &str) {
        let shift = self.rand(0, 120);
        draw!(self, r#"<path d="M-{shift} {y} q60 -{amplitude} 120 0"#);
        for _ in 0..10 {
            self.svg.push_str(" t120 0");
        }
        draw!(
            self,
            r#" V675 H-{shift}Z" fill="{fill}" opacity="{opacity}"/>"#
        );
    }

    /// A house with a pitched roof standing on `base`.
    pub(super) fn house(&mut self, x: i32, base: i32, w: i32, h: i32, wall: &str, roof: &str) {
        let (top, ridge, eave_l, eave_r) = (base - h, base - h - w / 2, x - 6, x + w + 6);
        let mid = x + w / 2;
        draw!(
            self,
            r#"<rect x="{x}" y="{top}" width="{w}" height="{h}" fill="{wall}"/><path d="M{eave_l} {top} L{mid} {ridge} L{eave_r} {top}Z" fill="{roof}"/>"#
        );
    }

    /// A conifer: three stacked tiers on a short trunk.
    pub(super) fn pine(&mut self, x: i32, base: i32, h: i32, fill: &str) {
        let tiers = [1, 2, 3].map(|t| (base - h + h * 5 * t / 18, h * (t + 1) / 12));
        draw!(self, r#"<path d="M{x} {}"#, base - h);
        for (y, half) in tiers {
            draw!(self, " L{} {y} L{} {y}", x + half, x + half / 3);
        }
        let trunk = base - h / 6;
        draw!(self, " H{} V{base} H{} V{trunk}", x + 4, x - 4);
        for (y, half) in tiers.into_iter().rev() {
            draw!(self, " L{} {y} L{} {y}", x - half / 3, x - half);
        }
        draw!(self, r#"Z" fill="{fill}"/>"#);
    }

    /// A wind turbine whose tower stands on `base`, `h` tall, blades turned by `angle`.
    pub(super) fn turbine(&mut self, x: i32, base: i32, h: i32, angle: i32, fill: &str) {
        let (top, w, blade) = (base - h, (h / 40).max(2), h * 11 / 20);
        draw!(
            self,
            r#"<path d="M{} {base} L{} {top} L{} {top} L{} {base}Z" fill="{fill}"/><g transform="translate({x} {top})" fill="{fill}">"#,
            x - w,
            x - w / 2,
            x + w / 2,
            x + w
        );
        for arm in 0..3 {
            let turn = angle + arm * 120;
            draw!(
                self,
                r#"<path transform="rotate({turn})" d="M0 0 L-{w} -{} L0 -{blade} L{w} -{}Z"/>"#,
                blade / 5,
                blade / 4
            );
        }
        draw!(self, r#"<circle r="{}"/></g>"#, w + 2);
    }
}
