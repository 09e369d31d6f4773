//! Images in the media library: where their files live and which sizes exist.
//!
//! The media store is laid out as WordPress lays out `wp-content/uploads`: `2026/11/harbour.jpg`
//! with its variants beside it as `harbour-640x427.jpg`, so a migrated site's upload paths map
//! onto it one to one.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{PersonId, Slug};

mod crop;
mod references;

pub use crop::{CARD, Crop, CropShape, FocalPoint, Rect, SOCIAL, crop_rect, looks_derived};
pub use references::referenced_paths;

/// A media item's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MediaId(pub i64);

/// The image formats Gazette accepts and serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl ImageFormat {
    pub const ALL: [Self; 4] = [Self::Jpeg, Self::Png, Self::Webp, Self::Gif];

    /// Recognises an image by its first bytes, whatever its file is called.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Gif => "gif",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The file extension Gazette gives files of this format.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            other => other.as_str(),
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
        }
    }
}

/// The widths of the variants made for `srcset` (only those narrower than the image).
pub const VARIANT_WIDTHS: [u32; 4] = [320, 640, 1024, 1600];

/// The variant widths worth making for an image this wide.
pub fn variant_widths(width: u32) -> Vec<u32> {
    VARIANT_WIDTHS.into_iter().filter(|w| *w < width).collect()
}

/// The size of a variant `variant_width` pixels wide, keeping the aspect ratio.
pub fn variant_size(width: u32, height: u32, variant_width: u32) -> (u32, u32) {
    let scaled = (u64::from(height) * u64::from(variant_width) + u64::from(width.max(1)) / 2)
        / u64::from(width.max(1));
    (
        variant_width,
        u32::try_from(scaled).unwrap_or(u32::MAX).max(1),
    )
}

/// An image in the media library.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub id: MediaId,
    /// The clean, full-size image's path below the media directory, e.g. `2026/11/harbour.jpg`.
    pub path: String,
    /// The name the file had on the uploader's computer (shown in the library, never used as a
    /// path).
    pub original_name: String,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub byte_size: u64,
    /// Animated GIFs are served at full size only.
    pub animated: bool,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// The variant widths written so far (the job that makes them runs after the upload).
    pub variant_widths: Vec<u32>,
    /// The point crops keep in frame.
    pub focus: FocalPoint,
    /// The focal point the crops on disk were made for; None until the first were made.
    pub crops_focus: Option<FocalPoint>,
    pub uploaded_by: Option<PersonId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Media {
    /// The public URL path of the full-size image.
    pub fn url(&self) -> String {
        format!("/media/{}", self.path)
    }

    /// The path of the variant `width` pixels wide: `harbour.jpg` → `harbour-640x427.jpg`.
    pub fn variant_path(&self, width: u32) -> String {
        let (w, h) = variant_size(self.width, self.height, width);
        self.derived_path(&format!("{w}x{h}"))
    }

    /// The path of a file made from this one: `harbour.jpg` → `harbour-{suffix}.jpg`.
    fn derived_path(&self, suffix: &str) -> String {
        match self.path.rsplit_once('.') {
            Some((stem, extension)) => format!("{stem}-{suffix}.{extension}"),
            None => format!("{}-{suffix}", self.path),
        }
    }

    /// Every file of this item, full size first, as paths below the media directory.
    pub fn file_paths(&self) -> Vec<String> {
        let mut paths = vec![self.path.clone()];
        paths.extend(self.variant_widths.iter().map(|w| self.variant_path(*w)));
        if let Some(focus) = self.crops_focus {
            paths.extend(self.every_crop_for(focus).into_iter().map(|crop| crop.path));
        }
        paths
    }

    /// The `srcset` attribute: every variant written so far and the full-size image.
    pub fn srcset(&self) -> String {
        let mut sources: Vec<String> = self
            .variant_widths
            .iter()
            .map(|w| format!("/media/{} {w}w", self.variant_path(*w)))
            .collect();
        sources.push(format!("{} {}w", self.url(), self.width));
        sources.join(", ")
    }

    /// The smallest variant at least `width` wide (or the full image): for thumbnails.
    pub fn url_for_width(&self, width: u32) -> String {
        self.variant_widths
            .iter()
            .filter(|w| **w >= width)
            .min()
            .map_or_else(
                || self.url(),
                |w| format!("/media/{}", self.variant_path(*w)),
            )
    }
}

/// The file name (without extension) an upload is stored under: the uploader's name made safe,
/// e.g. `Hafen Foto (1).JPG` → `hafen-foto-1`.
pub fn stored_stem(original_name: &str) -> String {
    let base = original_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    if !stem.chars().any(char::is_alphanumeric) {
        return "image".to_owned();
    }
    let slug = Slug::from_headline(stem);
    let trimmed: String = slug.as_str().chars().take(80).collect();
    let trimmed = trimmed.trim_end_matches('-');
    if trimmed.is_empty() {
        "image".to_owned()
    } else if looks_derived(trimmed) {
        // Another image's variant or crop could be written under this name later.
        format!("{trimmed}-original")
    } else {
        trimmed.to_owned()
    }
}

/// The file a WordPress size was made from: `2013/03/boat-300x200.jpg` →
/// `2013/03/boat.jpg`; None for a name without such a suffix.
pub fn without_wordpress_size(relative: &str) -> Option<String> {
    let dot = relative.rfind('.')?;
    let (stem, extension) = relative.split_at(dot);
    let dash = stem.rfind('-')?;
    let (width, height) = stem[dash + 1..].split_once('x')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(width) && digits(height)).then(|| format!("{}{extension}", &stem[..dash]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordpress_sizes_lead_back_to_the_original() {
        assert_eq!(
            without_wordpress_size("2013/03/boat-300x200.jpg").as_deref(),
            Some("2013/03/boat.jpg")
        );
        assert_eq!(without_wordpress_size("2013/03/boat.jpg"), None);
        assert_eq!(without_wordpress_size("2013/03/x-ray.jpg"), None);
    }

    fn harbour() -> Media {
        Media {
            id: MediaId(1),
            path: "2026/11/harbour.jpg".to_owned(),
            original_name: "Harbour.JPG".to_owned(),
            format: ImageFormat::Jpeg,
            width: 2000,
            height: 1333,
            byte_size: 1,
            animated: false,
            alt: String::new(),
            caption: String::new(),
            credit: String::new(),
            variant_widths: vec![320, 640],
            focus: FocalPoint::CENTRE,
            crops_focus: None,
            uploaded_by: None,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn variants_are_named_the_way_wordpress_names_them() {
        let media = harbour();
        assert_eq!(media.variant_path(640), "2026/11/harbour-640x427.jpg");
        assert_eq!(
            media.srcset(),
            "/media/2026/11/harbour-320x213.jpg 320w, /media/2026/11/harbour-640x427.jpg 640w, \
             /media/2026/11/harbour.jpg 2000w"
        );
        assert_eq!(
            media.url_for_width(300),
            "/media/2026/11/harbour-320x213.jpg"
        );
        assert_eq!(media.url_for_width(1000), "/media/2026/11/harbour.jpg");
        assert_eq!(variant_widths(1024), vec![320, 640]);
        assert_eq!(variant_size(4000, 3000, 1024), (1024, 768));
    }

    #[test]
    fn crops_are_named_after_their_focal_point_and_listed_with_the_files() {
        let mut media = harbour();
        assert!(media.crops(CARD).is_empty(), "none made yet");
        assert!(media.needs_crops());
        media.focus = FocalPoint { x: 30, y: 70 };
        media.crops_focus = Some(media.focus);
        assert!(!media.needs_crops());
        let card: Vec<_> = media.crops(CARD).into_iter().map(|c| c.path).collect();
        assert_eq!(
            card,
            [
                "2026/11/harbour-320x180-f30-70.jpg",
                "2026/11/harbour-640x360-f30-70.jpg",
                "2026/11/harbour-1024x576-f30-70.jpg"
            ]
        );
        let social = media.crops(SOCIAL);
        assert_eq!(social[0].path, "2026/11/harbour-1200x630-f30-70.jpg");
        assert_eq!(media.file_paths().len(), 1 + 2 + 3 + 1);
        media.animated = true;
        assert!(media.crops(CARD).is_empty() && !media.needs_crops());
    }

    #[test]
    fn stored_names_are_safe_whatever_the_upload_was_called() {
        assert_eq!(stored_stem("Hafen Foto (1).JPG"), "hafen-foto-1");
        assert_eq!(stored_stem("../../etc/passwd"), "passwd");
        assert_eq!(stored_stem("C:\\Users\\me\\Été.png"), "ete");
        assert_eq!(stored_stem("...."), "image");
        assert_eq!(stored_stem(""), "image");
        assert_eq!(stored_stem("boat-300x200.jpg"), "boat-300x200-original");
    }

    #[test]
    fn formats_are_recognised_by_content() {
        assert_eq!(ImageFormat::sniff(b"GIF89a..."), Some(ImageFormat::Gif));
        assert_eq!(
            ImageFormat::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageFormat::Webp)
        );
        assert_eq!(ImageFormat::sniff(b"%PDF-1.7"), None);
        for format in ImageFormat::ALL {
            assert_eq!(ImageFormat::parse(format.as_str()), Some(format));
        }
    }
}
