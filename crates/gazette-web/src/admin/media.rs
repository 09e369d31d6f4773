//! The media library at `/admin/media/`: upload, browse, search, describe, frame and delete
//! images. `library` is the grid and the uploads, `item` one image's page.
//!
//! An upload is checked and re-encoded (`gazette-media`) before anything is kept: the file a
//! reader receives is never the one the uploader sent. The full-size clean image is written
//! first, then recorded with a job that makes the narrower variants and the crops, so a record
//! never points at a missing file and a failed upload leaves nothing behind.
//!
//! Scripts (`media.js`, the article editor) use the same addresses as the forms, asking for
//! JSON with `Accept: application/json`: an upload answers with the new item, a description
//! with what was saved, each error with its message.

use gazette_core::{Capability, Media, MediaId};
use minijinja::context;

use super::{Staff, wants_json};
use crate::{AppError, AppState};

mod item;
mod library;

pub(crate) use item::{delete, describe, item};
pub(crate) use library::{library, upload};

fn may_upload(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::UploadMedia,
        "Your role does not include the media library; ask an editor to add images.",
    )
}

/// Authors change and delete their own uploads; editors and administrators anyone's.
fn may_change(staff: &Staff, media: &Media) -> Result<(), AppError> {
    may_upload(staff)?;
    if staff.person.role.can(Capability::EditOthersArticles)
        || media.uploaded_by == Some(staff.person.id)
    {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only editors change images other people uploaded.".to_owned(),
        ))
    }
}

async fn find(state: &AppState, id: i64) -> Result<Media, AppError> {
    state
        .store()
        .media(MediaId(id))
        .await?
        .ok_or(AppError::NotFound)
}

/// The Markdown that shows an image in a body (the renderer adds its sizes).
fn markdown(media: &Media) -> String {
    format!("![{}]({})", media.alt.replace([']', '['], ""), media.url())
}

fn item_view(media: &Media) -> minijinja::Value {
    let widest = |shape| media.crops(shape).pop().map(|crop| crop.url());
    context! {
        id => media.id.0,
        url => media.url(),
        thumbnail => media.url_for_width(320),
        srcset => media.srcset(),
        name => media.original_name,
        path => media.path,
        width => media.width,
        height => media.height,
        kilobytes => media.byte_size.div_ceil(1024),
        format => media.format.as_str(),
        alt => media.alt,
        caption => media.caption,
        credit => media.credit,
        variants => media.variant_widths,
        focus_x => media.focus.x,
        focus_y => media.focus.y,
        card_crop => widest(gazette_core::media::CARD),
        social_crop => widest(gazette_core::media::SOCIAL),
        crops_pending => media.needs_crops(),
        markdown => markdown(media),
    }
}

/// An item as scripts receive it.
fn item_json(media: &Media) -> serde_json::Value {
    serde_json::json!({
        "id": media.id.0,
        "url": media.url(),
        "edit_url": format!("/admin/media/{}", media.id.0),
        "thumbnail": media.url_for_width(320),
        "name": media.original_name,
        "width": media.width,
        "height": media.height,
        "alt": media.alt,
        "caption": media.caption,
        "credit": media.credit,
        "markdown": markdown(media),
    })
}
