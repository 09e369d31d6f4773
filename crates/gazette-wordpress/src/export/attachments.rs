//! Images as WordPress attachments: the media library's, and featured images from elsewhere.

use gazette_core::Article;
use gazette_wxr::Item;

use super::{Context, meta_pair, utc};

impl Context {
    /// A library image as the attachment WordPress would hold for it.
    pub(super) fn library_item(&self, id: i64, media: &gazette_core::Media) -> Item {
        let url = format!("{}{}", self.site, media.url());
        let mut meta = vec![meta_pair("_wp_attached_file", &media.path)];
        if !media.alt.is_empty() {
            meta.push(meta_pair("_wp_attachment_image_alt", &media.alt));
        }
        Item {
            title: media.original_name.clone(),
            link: format!("{}/?attachment_id={id}", self.site),
            pub_date: media
                .created_at
                .strftime("%a, %d %b %Y %H:%M:%S +0000")
                .to_string(),
            guid: url.clone(),
            description: media.credit.clone(),
            excerpt: media.caption.clone(),
            post_id: Some(id),
            post_date: self.local(media.created_at),
            post_date_gmt: utc(media.created_at),
            post_modified: self.local(media.updated_at),
            post_modified_gmt: utc(media.updated_at),
            comment_status: "closed".into(),
            ping_status: "closed".into(),
            post_name: media.path.rsplit('/').next().unwrap_or_default().to_owned(),
            status: "inherit".into(),
            post_type: "attachment".into(),
            attachment_url: url,
            meta,
            ..Item::default()
        }
    }

    /// A featured image from elsewhere as the attachment WordPress would hold for it.
    pub(super) fn attachment(
        &self,
        id: i64,
        article: &Article,
        image: &gazette_core::FeaturedImage,
    ) -> Item {
        let url = if image.src.contains("://") {
            image.src.clone()
        } else {
            format!("{}/{}", self.site, image.src.trim_start_matches('/'))
        };
        let name = url.rsplit('/').next().unwrap_or_default().to_owned();
        let mut meta = Vec::new();
        if !image.alt.is_empty() {
            meta.push(meta_pair("_wp_attachment_image_alt", &image.alt));
        }
        Item {
            title: name.clone(),
            link: url.clone(),
            guid: url.clone(),
            excerpt: image.caption.clone(),
            post_id: Some(id),
            post_date: self.local(article.created_at),
            post_date_gmt: utc(article.created_at),
            comment_status: "closed".into(),
            ping_status: "closed".into(),
            post_name: name,
            status: "inherit".into(),
            post_parent: Some(article.id.0),
            post_type: "attachment".into(),
            attachment_url: url,
            meta,
            ..Item::default()
        }
    }
}
