//! Crops of library images that keep their focal point in frame.
//!
//! Listings show a featured image in a 16:9 frame and social networks in a 1.91:1 one. A
//! photograph of another shape loses its edges in either; which edges is decided here, around
//! the point an editor marked as the one that matters. Crops are files made by a job, named
//! after the focal point they keep (`harbour-640x360-f30-70.jpg`), so a crop a page names is
//! never rewritten: a new focal point makes new files.

use super::Media;

/// The point of a picture that must stay in frame, in percent of its width and height from
/// the top left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FocalPoint {
    pub x: u8,
    pub y: u8,
}

impl FocalPoint {
    /// Where crops are centred until an editor says otherwise.
    pub const CENTRE: Self = Self { x: 50, y: 50 };

    /// A focal point, or None when either coordinate is past 100 %.
    pub fn new(x: u8, y: u8) -> Option<Self> {
        (x <= 100 && y <= 100).then_some(Self { x, y })
    }
}

/// A frame images are cropped to, and the widths its files are made at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CropShape {
    ratio_width: u32,
    ratio_height: u32,
    widths: &'static [u32],
}

/// The listings' card frame.
pub const CARD: CropShape = CropShape {
    ratio_width: 16,
    ratio_height: 9,
    widths: &[320, 640, 1024],
};

/// The frame social networks show a shared link's image in (1200×630 is what they ask for).
pub const SOCIAL: CropShape = CropShape {
    ratio_width: 40,
    ratio_height: 21,
    widths: &[1200],
};

/// The part of an image a crop keeps, in the image's pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// The largest part of a `width`×`height` image with `shape`'s proportions, centred on the
/// focal point as far as the image's edges allow.
pub fn crop_rect(width: u32, height: u32, shape: CropShape, focus: FocalPoint) -> Rect {
    let (width64, height64) = (u64::from(width), u64::from(height));
    let (ratio_w, ratio_h) = (u64::from(shape.ratio_width), u64::from(shape.ratio_height));
    // Too tall for the frame: keep the full width; too wide: keep the full height.
    let (crop_w, crop_h) = if width64 * ratio_h <= height64 * ratio_w {
        (width64, (width64 * ratio_h / ratio_w).max(1))
    } else {
        ((height64 * ratio_w / ratio_h).max(1), height64)
    };
    let place = |size: u64, crop: u64, percent: u8| -> u64 {
        let centre = size * u64::from(percent) / 100;
        centre.saturating_sub(crop / 2).min(size - crop)
    };
    let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Rect {
        x: narrow(place(width64, crop_w, focus.x)),
        y: narrow(place(height64, crop_h, focus.y)),
        width: narrow(crop_w),
        height: narrow(crop_h),
    }
}

/// One crop file of a library image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crop {
    /// Below the media directory, beside the full-size file.
    pub path: String,
    pub width: u32,
    pub height: u32,
    /// The part of the full-size image it shows.
    pub source: Rect,
}

impl Crop {
    pub fn url(&self) -> String {
        format!("/media/{}", self.path)
    }
}

impl Media {
    /// The crops of `shape` that should exist for `focus`, narrowest first: one per width of
    /// the shape that the kept part reaches, or a single one at the kept part's own width for
    /// small images. Animated images are never cropped.
    pub fn crops_for(&self, shape: CropShape, focus: FocalPoint) -> Vec<Crop> {
        if self.animated {
            return Vec::new();
        }
        let source = crop_rect(self.width, self.height, shape, focus);
        let mut widths: Vec<u32> = shape
            .widths
            .iter()
            .copied()
            .filter(|w| *w <= source.width)
            .collect();
        if widths.is_empty() {
            widths.push(source.width);
        }
        widths
            .into_iter()
            .map(|width| {
                let height = (u64::from(width) * u64::from(shape.ratio_height)
                    / u64::from(shape.ratio_width))
                .max(1);
                let height = u32::try_from(height).unwrap_or(u32::MAX);
                Crop {
                    path: self.derived_path(&format!("{width}x{height}-f{}-{}", focus.x, focus.y)),
                    width,
                    height,
                    source,
                }
            })
            .collect()
    }

    /// The crops of every shape that should exist for `focus`.
    pub fn every_crop_for(&self, focus: FocalPoint) -> Vec<Crop> {
        [CARD, SOCIAL]
            .into_iter()
            .flat_map(|shape| self.crops_for(shape, focus))
            .collect()
    }

    /// The crops of `shape` that exist now (made for `crops_focus`); empty until the job has
    /// made the first ones.
    pub fn crops(&self, shape: CropShape) -> Vec<Crop> {
        self.crops_focus
            .map(|focus| self.crops_for(shape, focus))
            .unwrap_or_default()
    }

    /// Whether crops for the current focal point still have to be made.
    pub fn needs_crops(&self) -> bool {
        !self.animated && self.crops_focus != Some(self.focus)
    }
}

/// Whether a file stem has the shape of a variant's or a crop's (`boat-300x200`,
/// `boat-640x360-f30-70`): an upload is never stored under such a name, so that making
/// another image's sizes can never overwrite it.
pub fn looks_derived(stem: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let size = |s: &str| {
        s.split_once('x')
            .is_some_and(|(w, h)| digits(w) && digits(h))
    };
    let Some((rest, last)) = stem.rsplit_once('-') else {
        return false;
    };
    if size(last) {
        return true;
    }
    let Some((rest, x)) = rest.rsplit_once('-') else {
        return false;
    };
    let Some((_, sized)) = rest.rsplit_once('-') else {
        return false;
    };
    digits(last) && x.strip_prefix('f').is_some_and(digits) && size(sized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_picture_keeps_its_height_and_the_side_that_matters() {
        // 3:1, so a 16:9 crop keeps 1066 of 1800 pixels' width.
        let left = crop_rect(1800, 600, CARD, FocalPoint { x: 10, y: 50 });
        assert_eq!((left.x, left.y, left.width, left.height), (0, 0, 1066, 600));
        let right = crop_rect(1800, 600, CARD, FocalPoint { x: 90, y: 50 });
        assert_eq!(right.x, 1800 - 1066, "clamped to the right edge");
        let centre = crop_rect(1800, 600, CARD, FocalPoint::CENTRE);
        assert_eq!(centre.x, 900 - 533);
    }

    #[test]
    fn a_tall_picture_keeps_its_width_and_moves_vertically() {
        let top = crop_rect(600, 1200, SOCIAL, FocalPoint { x: 50, y: 0 });
        assert_eq!((top.x, top.y, top.width, top.height), (0, 0, 600, 315));
        let lower = crop_rect(600, 1200, SOCIAL, FocalPoint { x: 50, y: 75 });
        assert_eq!(lower.y, 900 - 157);
        let exact = crop_rect(1600, 900, CARD, FocalPoint { x: 0, y: 100 });
        assert_eq!(
            (exact.x, exact.y, exact.width, exact.height),
            (0, 0, 1600, 900)
        );
    }

    #[test]
    fn focal_points_stay_within_the_picture() {
        assert_eq!(FocalPoint::new(100, 0), Some(FocalPoint { x: 100, y: 0 }));
        assert_eq!(FocalPoint::new(101, 50), None);
    }

    #[test]
    fn derived_names_are_recognised() {
        assert!(looks_derived("boat-300x200"));
        assert!(looks_derived("boat-640x360-f30-70"));
        assert!(!looks_derived("boat"));
        assert!(!looks_derived("x-ray"));
        assert!(!looks_derived("boat-2"));
        assert!(!looks_derived("vote-f30-70"));
        assert!(
            !looks_derived("6x4"),
            "a bare size is a name, not a variant"
        );
    }
}
