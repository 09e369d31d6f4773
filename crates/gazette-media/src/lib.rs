//! Uploaded images, from untrusted bytes to files fit to serve.
//!
//! An upload is recognised by its content (never its name), decoded within limits that refuse
//! decompression bombs before any pixel is allocated, turned upright according to its EXIF
//! orientation and re-encoded, which drops every piece of metadata (GPS position, camera serial
//! numbers, embedded thumbnails). Only re-encoded images are ever served. Narrower variants for
//! `srcset` are made from that clean image later, by a job. Files live in the [`MediaStore`]: a
//! directory, or an S3-compatible bucket.

mod files;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod fixtures;
mod store;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod store_contract;

use std::io::Cursor;

use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageFormat, ImageReader};

pub use files::{Derived, VariantError, make_crops, make_variants};
pub use gazette_core::ImageFormat as Format;
pub use gazette_core::media::{VARIANT_WIDTHS, variant_size, variant_widths};
pub use store::{
    BucketSettings, CopyReport, MediaStore, MediaStoreError, ObjectInfo, Put, copy_all,
    is_object_name,
};

/// JPEG quality of re-encoded photographs: visually lossless for news photography.
const JPEG_QUALITY: u8 = 85;

fn image_format(format: Format) -> ImageFormat {
    match format {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::Webp => ImageFormat::WebP,
        Format::Gif => ImageFormat::Gif,
    }
}

/// How big an upload may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The size of the uploaded file.
    pub max_bytes: usize,
    /// Width × height (× frames, for animations): what decoding would allocate.
    pub max_pixels: u64,
    /// The longest side, in pixels.
    pub max_side: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 25 * 1024 * 1024,
            // 50 megapixels: any camera's photograph, and a 200 MB RGBA buffer at most.
            max_pixels: 50_000_000,
            max_side: 16_000,
        }
    }
}

/// Why an upload was refused. Every message says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "the file is {bytes} bytes; images may be at most {max} bytes. Export a smaller version"
    )]
    TooLarge { bytes: usize, max: usize },
    #[error(
        "this file is not a JPEG, PNG, WebP or GIF image (its content was checked, not its name)"
    )]
    NotAnImage,
    #[error(
        "the image is {width}×{height} pixels ({pixels} in all); at most {max} pixels are accepted. Resize it first"
    )]
    TooManyPixels {
        width: u32,
        height: u32,
        pixels: u64,
        max: u64,
    },
    #[error("the image could not be read ({0}); the file may be damaged or truncated")]
    Unreadable(String),
    #[error("the image could not be encoded: {0}")]
    Encode(String),
}

/// An upload made fit to serve: upright, without metadata, re-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// Animated GIFs keep their frames; they get no narrower variants.
    pub animated: bool,
    pub bytes: Vec<u8>,
}

/// Checks, decodes and re-encodes an upload.
pub fn prepare(upload: &[u8], limits: &Limits) -> Result<Prepared, MediaError> {
    if upload.is_empty() {
        return Err(MediaError::Empty);
    }
    if upload.len() > limits.max_bytes {
        return Err(MediaError::TooLarge {
            bytes: upload.len(),
            max: limits.max_bytes,
        });
    }
    let format = Format::sniff(upload).ok_or(MediaError::NotAnImage)?;
    if format == Format::Jpeg && !jpeg_is_complete(upload) {
        return Err(MediaError::Unreadable(
            "the image data stops before its end".to_owned(),
        ));
    }
    if format == Format::Gif && frame_count(upload, limits)? > 1 {
        return prepare_animation(upload, limits);
    }
    let image = decode_upright(upload, format, limits)?;
    let bytes = encode(&image, format)?;
    Ok(Prepared {
        format,
        width: image.width(),
        height: image.height(),
        animated: false,
        bytes,
    })
}

/// Makes a narrower copy of a prepared (already clean) image.
pub fn variant(clean: &[u8], variant_width: u32, limits: &Limits) -> Result<Vec<u8>, MediaError> {
    let format = Format::sniff(clean).ok_or(MediaError::NotAnImage)?;
    let image = decode_upright(clean, format, limits)?;
    let (width, height) = variant_size(image.width(), image.height(), variant_width);
    let resized = image.resize_exact(width, height, FilterType::CatmullRom);
    encode(&resized, format)
}

/// Cuts `source` out of a prepared (already clean) image and scales it to `width`×`height`.
pub fn crop(
    clean: &[u8],
    source: gazette_core::media::Rect,
    width: u32,
    height: u32,
    limits: &Limits,
) -> Result<Vec<u8>, MediaError> {
    let format = Format::sniff(clean).ok_or(MediaError::NotAnImage)?;
    let image = decode_upright(clean, format, limits)?;
    let cut = image.crop_imm(source.x, source.y, source.width, source.height);
    encode(
        &cut.resize_exact(width, height, FilterType::CatmullRom),
        format,
    )
}

/// Whether a JPEG's compressed data reaches its end-of-image marker. The decoder fills a
/// truncated photograph with grey rather than failing, so the cut is found here: segments are
/// walked to the first scan (skipping metadata, which may hold a whole thumbnail JPEG), and
/// the end marker must follow it (scan data escapes every 0xFF, so it cannot occur inside).
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        if marker == 0xDA {
            return bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        at += 2 + length;
    }
    false
}

fn decoder_limits(limits: &Limits) -> image::Limits {
    let mut decoder = image::Limits::default();
    decoder.max_image_width = Some(limits.max_side);
    decoder.max_image_height = Some(limits.max_side);
    decoder.max_alloc = Some(limits.max_pixels.saturating_mul(4));
    decoder
}

/// Decodes after checking the declared size, then applies the EXIF orientation.
fn decode_upright(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<DynamicImage, MediaError> {
    // The header alone first: a bomb is refused before its decoder allocates anything.
    let (width, height) = reader(bytes, format)
        .into_dimensions()
        .map_err(unreadable(limits))?;
    check_pixels(width, height, 1, limits)?;
    let mut reader = reader(bytes, format);
    reader.limits(decoder_limits(limits));
    let mut decoder = reader.into_decoder().map_err(unreadable(limits))?;
    // A broken orientation tag is not worth refusing a photograph for.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable(limits))?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn reader(bytes: &[u8], format: Format) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(image_format(format));
    reader
}

fn check_pixels(width: u32, height: u32, frames: u64, limits: &Limits) -> Result<(), MediaError> {
    let pixels = u64::from(width) * u64::from(height) * frames.max(1);
    if pixels > limits.max_pixels || width > limits.max_side || height > limits.max_side {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            pixels,
            max: limits.max_pixels,
        });
    }
    Ok(())
}

/// Maps a decoder's refusal onto ours: a limit it hit is a size problem, anything else a
/// damaged file.
fn unreadable(limits: &Limits) -> impl Fn(image::ImageError) -> MediaError + '_ {
    move |error| match error {
        image::ImageError::Limits(_) => MediaError::TooManyPixels {
            width: 0,
            height: 0,
            pixels: 0,
            max: limits.max_pixels,
        },
        other => MediaError::Unreadable(other.to_string()),
    }
}

fn encode(image: &DynamicImage, format: Format) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    let encoded = match format {
        // JPEG has no alpha channel: flatten onto the pixels' own colour.
        Format::Jpeg => DynamicImage::ImageRgb8(image.to_rgb8())
            .write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)),
        Format::Png => image.write_with_encoder(PngEncoder::new(&mut out)),
        Format::Webp => DynamicImage::ImageRgba8(image.to_rgba8())
            .write_with_encoder(WebPEncoder::new_lossless(&mut out)),
        Format::Gif => {
            let mut encoder = GifEncoder::new(&mut out);
            encoder.encode_frame(image::Frame::new(image.to_rgba8()))
        }
    };
    encoded.map_err(|e| MediaError::Encode(e.to_string()))?;
    Ok(out)
}

/// Counts a GIF's frames without decoding their pixels beyond the first few needed to know.
fn frame_count(bytes: &[u8], limits: &Limits) -> Result<usize, MediaError> {
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(unreadable(limits))?;
    decoder
        .set_limits(decoder_limits(limits))
        .map_err(unreadable(limits))?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, 1, limits)?;
    Ok(decoder.into_frames().take(2).count())
}

/// Re-encodes an animated GIF frame by frame, within a pixel budget for all frames together.
fn prepare_animation(bytes: &[u8], limits: &Limits) -> Result<Prepared, MediaError> {
    let decoder = GifDecoder::new(Cursor::new(bytes)).map_err(unreadable(limits))?;
    let (width, height) = decoder.dimensions();
    let mut frames = Vec::new();
    for frame in decoder.into_frames() {
        frames.push(frame.map_err(unreadable(limits))?);
        check_pixels(width, height, frames.len() as u64, limits)?;
    }
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(|e| MediaError::Encode(e.to_string()))?;
        encoder
            .encode_frames(frames)
            .map_err(|e| MediaError::Encode(e.to_string()))?;
    }
    Ok(Prepared {
        format: Format::Gif,
        width,
        height,
        animated: true,
        bytes: out,
    })
}

#[cfg(test)]
mod tests;
