//! A featured image as pages show it: whole on the article, cropped around its focal point
//! in listings' cards.

use gazette_core::{Article, Media};

use super::ImageView;

/// The featured image; `media` is its library item, when it has one.
pub(super) fn image(article: &Article, media: Option<&Media>) -> Option<ImageView> {
    let media =
        media.filter(|m| article.featured_image.as_ref().and_then(|i| i.media) == Some(m.id));
    article.featured_image.as_ref().map(|i| ImageView {
        src: i.src.clone(),
        alt: i.alt.clone(),
        caption: i.caption.clone(),
        credit: i.credit.clone(),
        srcset: media
            .filter(|m| !m.variant_widths.is_empty())
            .map(Media::srcset),
        // Unknown sizes keep the theme's 16:9 frame, as before the library existed.
        width: media.map_or(1200, |m| m.width),
        height: media.map_or(675, |m| m.height),
    })
}

/// A featured image in a listing's 16:9 frame: the library's crops around its focal point,
/// once made (until then, the theme's stylesheet centres the whole image in the frame).
pub(super) fn card_image(article: &Article, media: Option<&Media>) -> Option<ImageView> {
    let mut view = image(article, media)?;
    let crops = media.map(|m| m.crops(gazette_core::media::CARD));
    if let Some(widest) = crops.as_ref().and_then(|c| c.last()) {
        view.src = widest.url();
        view.width = widest.width;
        view.height = widest.height;
        view.srcset = crops.as_ref().map(|crops| {
            crops
                .iter()
                .map(|crop| format!("{} {}w", crop.url(), crop.width))
                .collect::<Vec<_>>()
                .join(", ")
        });
    }
    Some(view)
}
