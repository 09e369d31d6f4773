//! Images for tests, made in code: a photograph carrying the metadata a phone writes, and a
//! decompression bomb. Compiled for this crate's tests and, through the `test-fixtures`
//! feature, for the test kit.

#![expect(
    clippy::expect_used,
    reason = "fixtures built from constants cannot fail"
)]

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, Rgb, RgbImage};

/// The camera owner's name written into [`with_exif`]'s metadata: it must never be served.
pub const EXIF_SECRET: &[u8] = b"OWNER-ALICE-SECRET";

/// A `width`×`height` PNG of one flat colour.
pub fn plain_png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_pixel(width, height, Rgb([40, 90, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encodes");
    out.into_inner()
}

/// A `width`×`height` JPEG whose left half is red and right half blue.
pub fn halves_jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([255, 0, 0])
        } else {
            Rgb([0, 0, 255])
        }
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(image)
        .write_with_encoder(JpegEncoder::new_with_quality(&mut out, 95))
        .expect("encodes");
    out
}

/// An EXIF block (as a JPEG APP1 segment) with an orientation, a GPS latitude and a camera
/// owner's name, the metadata a phone puts in every photograph.
fn exif_segment(orientation: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes()); // IFD0 at offset 8
    // IFD0: three entries.
    tiff.extend(3u16.to_le_bytes());
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = Vec::new();
        e.extend(tag.to_le_bytes());
        e.extend(kind.to_le_bytes());
        e.extend(count.to_le_bytes());
        e.extend(value.to_le_bytes());
        e
    };
    let owner_offset = 8 + 2 + 3 * 12 + 4;
    let owner = [EXIF_SECRET, b"\0"].concat();
    let gps_offset = owner_offset + owner.len() as u32;
    tiff.extend(entry(0x0112, 3, 1, u32::from(orientation)));
    tiff.extend(entry(0x013B, 2, owner.len() as u32, owner_offset));
    tiff.extend(entry(0x8825, 4, 1, gps_offset));
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(&owner);
    // GPS IFD: latitude reference "N".
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend(0u32.to_le_bytes());
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(
        u16::try_from(payload.len() + 2)
            .expect("small")
            .to_be_bytes(),
    );
    segment.extend(payload);
    segment
}

pub fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend(exif_segment(orientation));
    out.extend(&jpeg[2..]);
    out
}

/// A PNG that claims 60,000×60,000 pixels in 70 bytes: decoding it would allocate 14 GB.
pub fn png_bomb() -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    // An IDAT with an empty zlib stream and the IEND: the header is all the decoder needs.
    for (kind, data) in [
        (&b"IDAT"[..], &b"\x78\x9c\x03\x00\x00\x00\x00\x01"[..]),
        (b"IEND", b""),
    ] {
        let mut chunk = kind.to_vec();
        chunk.extend(data);
        png.extend(u32::try_from(data.len()).expect("small").to_be_bytes());
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
    }
    png
}
