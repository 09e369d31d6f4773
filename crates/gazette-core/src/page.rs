//! Static pages (About, Contact, Privacy): nested, outside the news flow.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{BodyFormat, SafeHtml, Slug, Status};

/// A page's id; imported pages keep their WordPress id, like articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PageId(pub i64);

/// A static page at `/{slug}/` or `/{parent}/{child}/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub id: PageId,
    pub parent: Option<PageId>,
    pub slug: Slug,
    pub title: String,
    pub body_format: BodyFormat,
    pub body_source: String,
    pub body_html: SafeHtml,
    pub render_version: i32,
    pub status: Status,
    pub published_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}
