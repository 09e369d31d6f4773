//! The media library's records. The files themselves live in the media directory, which the
//! web layer writes; this module keeps what they are, who uploaded them and which variants
//! exist.

use gazette_core::{FocalPoint, ImageFormat, Media, MediaId, PersonId, Status};

use crate::changes::ChangeKind;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// An image to record, its files already written.
#[derive(Debug, Clone)]
pub struct NewMedia {
    pub path: String,
    pub original_name: String,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub byte_size: u64,
    pub animated: bool,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub uploaded_by: Option<PersonId>,
}

/// What an editor may change about an image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaText {
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// One page of the library.
#[derive(Debug, Clone)]
pub struct MediaPage {
    pub items: Vec<Media>,
    pub total: u64,
}

mod library;

pub use library::MediaFilter;

/// Media that published, unprotected articles feature (`$1` is the published status).
const PUBLIC_MEDIA: &str = "id in (select image_media_id from articles where status = $1 \
    and password is null and image_media_id is not null)";

const COLUMNS: &str = "id, path, original_name, format, width, height, byte_size, animated, alt, \
    caption, credit, variant_widths, focus_x, focus_y, crops_focus_x, crops_focus_y, uploaded_by, \
    created_at, updated_at";

fn dimension(row: &impl RowExt, column: &'static str) -> Result<u32, StoreError> {
    u32::try_from(row.int(column)?).map_err(|e| StoreError::corrupt(column, e))
}

fn focal_point(x: i64, y: i64) -> Result<FocalPoint, StoreError> {
    u8::try_from(x)
        .ok()
        .zip(u8::try_from(y).ok())
        .and_then(|(x, y)| FocalPoint::new(x, y))
        .ok_or_else(|| StoreError::corrupt("media focal point", format!("{x},{y}")))
}

pub(crate) const MEDIA_COLUMNS: &str = COLUMNS;

pub(crate) fn media_from_row(row: &impl RowExt) -> Result<Media, StoreError> {
    let format = row.text("format")?;
    let widths = row.text("variant_widths")?;
    Ok(Media {
        id: MediaId(row.int("id")?),
        path: row.text("path")?,
        original_name: row.text("original_name")?,
        format: ImageFormat::parse(&format)
            .ok_or_else(|| StoreError::corrupt("media format", &format))?,
        width: dimension(row, "width")?,
        height: dimension(row, "height")?,
        byte_size: u64::try_from(row.int("byte_size")?)
            .map_err(|e| StoreError::corrupt("byte_size", e))?,
        animated: row.flag("animated")?,
        alt: row.text("alt")?,
        caption: row.text("caption")?,
        credit: row.text("credit")?,
        variant_widths: widths
            .split(',')
            .filter(|w| !w.is_empty())
            .map(|w| {
                w.parse()
                    .map_err(|e| StoreError::corrupt("variant_widths", e))
            })
            .collect::<Result<_, _>>()?,
        focus: focal_point(row.int("focus_x")?, row.int("focus_y")?)?,
        crops_focus: match (row.opt_int("crops_focus_x")?, row.opt_int("crops_focus_y")?) {
            (Some(x), Some(y)) => Some(focal_point(x, y)?),
            _ => None,
        },
        uploaded_by: row.opt_int("uploaded_by")?.map(PersonId),
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

impl WriteTx {
    /// Records an uploaded image. Two items cannot share a path (`Conflict`).
    pub async fn insert_media(&mut self, new: &NewMedia) -> Result<Media, StoreError> {
        let sql = format!(
            "insert into media (path, original_name, format, width, height, byte_size, animated, \
                 alt, caption, credit, uploaded_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
             returning {COLUMNS}"
        );
        let params = [
            Param::Text(new.path.clone()),
            Param::Text(new.original_name.clone()),
            Param::Text(new.format.as_str().to_owned()),
            Param::Int(i64::from(new.width)),
            Param::Int(i64::from(new.height)),
            Param::Int(i64::try_from(new.byte_size).unwrap_or(i64::MAX)),
            Param::Bool(new.animated),
            Param::Text(new.alt.clone()),
            Param::Text(new.caption.clone()),
            Param::Text(new.credit.clone()),
            Param::opt_int(new.uploaded_by.map(|p| p.0)),
            Param::Time(self.now),
        ];
        let media = on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &params).await?;
            rows.first().map(media_from_row).transpose()
        })?
        .ok_or_else(|| StoreError::corrupt("media", "insert returned no row"))?;
        self.record_change(ChangeKind::Media, Some(media.id.0));
        Ok(media)
    }

    /// One item, seeing this unit's own writes.
    pub async fn media(&mut self, id: MediaId) -> Result<Option<Media>, StoreError> {
        let sql = format!("select {COLUMNS} from media where id = $1");
        let params = [Param::Int(id.0)];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &params).await?;
            rows.first().map(media_from_row).transpose()
        })
    }

    /// The item at `path`, seeing this unit's own writes.
    pub async fn media_by_path(&mut self, path: &str) -> Result<Option<Media>, StoreError> {
        let sql = format!("select {COLUMNS} from media where path = $1");
        let params = [Param::Text(path.to_owned())];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &params).await?;
            rows.first().map(media_from_row).transpose()
        })
    }

    /// Changes an image's alt text, caption and credit; false if it does not exist.
    pub async fn describe_media(
        &mut self,
        id: MediaId,
        text: &MediaText,
    ) -> Result<bool, StoreError> {
        let sql =
            "update media set alt = $2, caption = $3, credit = $4, updated_at = $5 where id = $1";
        let params = [
            Param::Int(id.0),
            Param::Text(text.alt.clone()),
            Param::Text(text.caption.clone()),
            Param::Text(text.credit.clone()),
            Param::Time(self.now),
        ];
        let touched = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Media, Some(id.0));
        }
        Ok(touched > 0)
    }

    /// Records the variants now written beside the full-size file.
    pub async fn set_media_variants(
        &mut self,
        id: MediaId,
        widths: &[u32],
    ) -> Result<bool, StoreError> {
        let list = widths
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let sql = "update media set variant_widths = $2, updated_at = $3 where id = $1";
        let params = [Param::Int(id.0), Param::Text(list), Param::Time(self.now)];
        let touched = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Media, Some(id.0));
        }
        Ok(touched > 0)
    }

    /// Moves an image's focal point; false if it does not exist. Its crops stay those of the
    /// previous point until the media job has made new ones.
    pub async fn set_media_focus(
        &mut self,
        id: MediaId,
        focus: FocalPoint,
    ) -> Result<bool, StoreError> {
        let sql = "update media set focus_x = $2, focus_y = $3, updated_at = $4 where id = $1";
        self.update_media(id, sql, focus).await
    }

    /// Records that the crops for `focus` are now on disk, if `focus` is still the image's
    /// focal point (false otherwise: an editor moved it meanwhile, and another job follows).
    pub async fn set_media_crops(
        &mut self,
        id: MediaId,
        focus: FocalPoint,
    ) -> Result<bool, StoreError> {
        let sql = "update media set crops_focus_x = $2, crops_focus_y = $3, updated_at = $4 \
                   where id = $1 and focus_x = $2 and focus_y = $3";
        self.update_media(id, sql, focus).await
    }

    async fn update_media(
        &mut self,
        id: MediaId,
        sql: &str,
        focus: FocalPoint,
    ) -> Result<bool, StoreError> {
        let params = [
            Param::Int(id.0),
            Param::Int(i64::from(focus.x)),
            Param::Int(i64::from(focus.y)),
            Param::Time(self.now),
        ];
        let touched = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Media, Some(id.0));
        }
        Ok(touched > 0)
    }
}

impl Store {
    /// One item.
    pub async fn media(&self, id: MediaId) -> Result<Option<Media>, StoreError> {
        let sql = format!("select {COLUMNS} from media where id = $1");
        self.media_where(&sql, &[Param::Int(id.0)])
            .await
            .map(|mut items| items.pop())
    }

    /// The item whose full-size file is at `path` (below the media directory).
    pub async fn media_by_path(&self, path: &str) -> Result<Option<Media>, StoreError> {
        let sql = format!("select {COLUMNS} from media where path = $1");
        self.media_where(&sql, &[Param::Text(path.to_owned())])
            .await
            .map(|mut items| items.pop())
    }

    /// Several items at once (listing cards), in no particular order.
    pub async fn media_by_ids(&self, ids: &[MediaId]) -> Result<Vec<Media>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "select {COLUMNS} from media where id in ({})",
            crate::query::placeholders(1, ids.len())
        );
        let params: Vec<Param> = ids.iter().map(|id| Param::Int(id.0)).collect();
        self.media_where(&sql, &params).await
    }

    /// The items whose full-size files are at these paths (the images an article shows).
    pub async fn media_by_paths(&self, paths: &[String]) -> Result<Vec<Media>, StoreError> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "select {COLUMNS} from media where path in ({})",
            crate::query::placeholders(1, paths.len())
        );
        let params: Vec<Param> = paths.iter().map(|p| Param::Text(p.clone())).collect();
        self.media_where(&sql, &params).await
    }

    /// The library items WordPress knew as these attachment ids (an import's record), with
    /// the WordPress id of each: what a body's `wp-image-N` classes name.
    pub async fn media_by_wordpress_ids(
        &self,
        wp_ids: &[i64],
    ) -> Result<Vec<(i64, Media)>, StoreError> {
        if wp_ids.is_empty() {
            return Ok(Vec::new());
        }
        let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("m.{c}")).collect();
        let sql = format!(
            "select w.wp_id, {} from wordpress_ids w join media m on m.id = w.gazette_id \
             where w.kind = 'attachment' and w.wp_id in ({})",
            columns.join(", "),
            crate::query::placeholders(1, wp_ids.len())
        );
        let params: Vec<Param> = wp_ids.iter().map(|id| Param::Int(*id)).collect();
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter()
                .map(|row| Ok((row.int("wp_id")?, media_from_row(row)?)))
                .collect()
        })
    }

    /// Whether a path is taken by an item's full-size file.
    pub async fn media_path_taken(&self, path: &str) -> Result<bool, StoreError> {
        Ok(self.media_by_path(path).await?.is_some())
    }

    /// The highest library id in use, 0 when the library is empty.
    pub async fn highest_media_id(&self) -> Result<i64, StoreError> {
        let sql = "select coalesce(max(id), 0) as highest from media";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.first().map_or(Ok(0), |row| row.int("highest"))
        })
    }

    /// Up to `limit` library items with ids above `after`, by id: an export's walk through
    /// the whole library.
    pub async fn media_after(&self, after: MediaId, limit: i64) -> Result<Vec<Media>, StoreError> {
        let sql = format!("select {COLUMNS} from media where id > $1 order by id limit $2");
        self.media_where(&sql, &[Param::Int(after.0), Param::Int(limit)])
            .await
    }

    /// The images readers are shown as published articles' featured images (not those of
    /// drafts or password-protected articles), newest first: the library as anyone may see it.
    pub async fn public_media(&self, offset: u64, limit: u64) -> Result<MediaPage, StoreError> {
        let sql = format!(
            "select {COLUMNS} from media where {PUBLIC_MEDIA} \
             order by created_at desc, id desc limit $2 offset $3"
        );
        let params = [
            Param::Text(Status::Published.as_str().to_owned()),
            Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
            Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)),
        ];
        let items = self.media_where(&sql, &params).await?;
        let count_sql = format!("select count(*) as n from media where {PUBLIC_MEDIA}");
        let count_params = [Param::Text(Status::Published.as_str().to_owned())];
        let total = on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &count_sql, &count_params).await?;
            rows.first().map(|row| row.int("n")).transpose()
        })?
        .unwrap_or(0);
        Ok(MediaPage {
            items,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// Whether readers are shown the image (see [`Store::public_media`]).
    pub async fn media_is_public(&self, id: MediaId) -> Result<bool, StoreError> {
        let sql = format!("select {COLUMNS} from media where id = $2 and {PUBLIC_MEDIA}");
        let params = [
            Param::Text(Status::Published.as_str().to_owned()),
            Param::Int(id.0),
        ];
        Ok(!self.media_where(&sql, &params).await?.is_empty())
    }

    pub(crate) async fn media_where(
        &self,
        sql: &str,
        params: &[Param],
    ) -> Result<Vec<Media>, StoreError> {
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, params).await?;
            rows.iter().map(media_from_row).collect()
        })
    }
}

/// Escapes `%`, `_` and `\` for a `like … escape '\'` pattern.
pub(crate) fn like_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
