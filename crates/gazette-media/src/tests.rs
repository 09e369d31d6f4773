use super::*;
use crate::fixtures::{halves_jpeg, png_bomb, with_exif};
use image::{Rgb, RgbImage};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn formats_are_recognised_by_content_not_name() {
    assert_eq!(Format::sniff(&halves_jpeg(4, 4)), Some(Format::Jpeg));
    assert_eq!(Format::sniff(b"GIF89a......"), Some(Format::Gif));
    assert_eq!(Format::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Format::Webp));
    assert_eq!(Format::sniff(b"%PDF-1.7"), None);
    assert_eq!(
        Format::sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        None
    );
    assert_eq!(
        prepare(b"%PDF-1.7 pretending.jpg", &Limits::default()),
        Err(MediaError::NotAnImage)
    );
    assert_eq!(prepare(b"", &Limits::default()), Err(MediaError::Empty));
}

#[test]
fn orientation_is_applied_and_every_piece_of_metadata_is_dropped() {
    let upload = with_exif(&halves_jpeg(40, 20), 6);
    assert!(
        contains(&upload, b"OWNER-ALICE-SECRET"),
        "the fixture carries EXIF"
    );
    let prepared = prepare(&upload, &Limits::default()).expect("a valid photograph");
    // Orientation 6 means "rotate 90° clockwise to display": 40×20 becomes 20×40 and the red
    // left half becomes the top half.
    assert_eq!((prepared.width, prepared.height), (20, 40));
    assert!(!contains(&prepared.bytes, b"Exif"));
    assert!(!contains(&prepared.bytes, b"OWNER-ALICE-SECRET"));
    let upright = image::load_from_memory(&prepared.bytes)
        .expect("decodes")
        .to_rgb8();
    let top = upright.get_pixel(10, 5);
    let bottom = upright.get_pixel(10, 35);
    assert!(top[0] > 200 && top[2] < 60, "top is red: {top:?}");
    assert!(
        bottom[2] > 200 && bottom[0] < 60,
        "bottom is blue: {bottom:?}"
    );
}

#[test]
fn limits_refuse_large_files_and_images_with_too_many_pixels() {
    let jpeg = halves_jpeg(40, 20);
    let small_files = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    assert!(matches!(
        prepare(&jpeg, &small_files),
        Err(MediaError::TooLarge { max: 100, .. })
    ));
    let few_pixels = Limits {
        max_pixels: 799,
        ..Limits::default()
    };
    assert_eq!(
        prepare(&jpeg, &few_pixels),
        Err(MediaError::TooManyPixels {
            width: 40,
            height: 20,
            pixels: 800,
            max: 799
        })
    );
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    assert_eq!(
        prepare(&png_bomb(), &Limits::default()),
        Err(MediaError::TooManyPixels {
            width: 60_000,
            height: 60_000,
            pixels: 3_600_000_000,
            max: 50_000_000
        })
    );
}

#[test]
fn damaged_files_are_refused_with_a_reason() {
    let jpeg = halves_jpeg(40, 20);
    let truncated = &jpeg[..jpeg.len() / 3];
    assert!(matches!(
        prepare(truncated, &Limits::default()),
        Err(MediaError::Unreadable(_))
    ));
}

#[test]
fn each_format_round_trips_and_variants_keep_the_aspect_ratio() {
    let source = DynamicImage::ImageRgb8(RgbImage::from_pixel(700, 350, Rgb([10, 200, 30])));
    for format in [Format::Jpeg, Format::Png, Format::Webp, Format::Gif] {
        let bytes = encode(&source, format).expect("encodes");
        let prepared = prepare(&bytes, &Limits::default()).expect("prepares");
        assert_eq!(prepared.format, format);
        assert_eq!((prepared.width, prepared.height), (700, 350));
        assert!(!prepared.animated);
        assert_eq!(variant_widths(prepared.width), vec![320, 640]);
        let small = variant(&prepared.bytes, 320, &Limits::default()).expect("resizes");
        assert_eq!(Format::sniff(&small), Some(format));
        let decoded = image::load_from_memory(&small).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (320, 160));
    }
    assert_eq!(variant_size(4000, 3000, 1024), (1024, 768));
    assert_eq!(variant_size(1600, 1, 320), (320, 1));
}

#[test]
fn animated_gifs_keep_their_frames() {
    let mut gif = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut gif);
        for shade in [0u8, 128, 255] {
            let frame = image::RgbaImage::from_pixel(30, 10, image::Rgba([shade, 0, 0, 255]));
            encoder
                .encode_frame(image::Frame::new(frame))
                .expect("encodes");
        }
    }
    let prepared = prepare(&gif, &Limits::default()).expect("prepares");
    assert!(prepared.animated);
    let frames = GifDecoder::new(Cursor::new(&prepared.bytes))
        .expect("decodes")
        .into_frames()
        .count();
    assert_eq!(frames, 3);
    let tight = Limits {
        max_pixels: 700,
        ..Limits::default()
    };
    assert!(matches!(
        prepare(&gif, &tight),
        Err(MediaError::TooManyPixels { .. })
    ));
}

#[test]
fn crops_keep_the_focal_point_in_frame() {
    use gazette_core::media::{CARD, FocalPoint, crop_rect};
    // Red on the left half, blue on the right; 3:1, so a 16:9 crop loses a side.
    let prepared = prepare(&halves_jpeg(1800, 600), &Limits::default()).expect("prepares");
    let middle_of = |focus: FocalPoint| {
        let source = crop_rect(1800, 600, CARD, focus);
        let bytes = crop(&prepared.bytes, source, 320, 180, &Limits::default()).expect("crops");
        let image = image::load_from_memory(&bytes).expect("decodes").to_rgb8();
        assert_eq!(image.dimensions(), (320, 180));
        *image.get_pixel(160, 90)
    };
    let left = middle_of(FocalPoint { x: 15, y: 50 });
    assert!(left[0] > 200 && left[2] < 60, "red in the middle: {left:?}");
    let right = middle_of(FocalPoint { x: 85, y: 50 });
    assert!(
        right[2] > 200 && right[0] < 60,
        "blue in the middle: {right:?}"
    );
}
