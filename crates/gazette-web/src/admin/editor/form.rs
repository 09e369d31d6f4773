//! The editor's form: its fields read, checked and applied to an article, and what is wrong
//! with them when they cannot be.

use gazette_core::desk::{may_set_sticky, raw_html_trusted};
use gazette_core::{
    Article, BodyFormat, Capability, FeaturedImage, Genre, Media, MediaId, PersonId, SectionId,
    Slug, Status,
};
use gazette_newsroom::articles;
use gazette_render::HtmlPolicy;
use gazette_store::StoreError;
use jiff::Timestamp;

use super::super::{FormFields, Staff, forbidden};
use crate::AppError;
use crate::kernel::site::Site;

/// What a save asks for, from the button pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Save,
    Submit,
    Publish,
    Schedule,
    Unpublish,
    Trash,
    Restore,
}

impl Action {
    pub(super) fn parse(name: &str) -> Result<Self, AppError> {
        Ok(match name {
            "save" | "" => Self::Save,
            "submit" => Self::Submit,
            "publish" => Self::Publish,
            "schedule" => Self::Schedule,
            "unpublish" => Self::Unpublish,
            "trash" => Self::Trash,
            "restore" => Self::Restore,
            other => {
                return Err(AppError::BadRequest(format!(
                    "“{other}” is not an editor action."
                )));
            }
        })
    }

    /// The status this action leads to from `current`.
    pub(super) fn target(self, current: Status) -> Status {
        match self {
            Self::Save => current,
            Self::Submit => Status::PendingReview,
            Self::Publish => Status::Published,
            Self::Schedule => Status::Scheduled,
            Self::Unpublish | Self::Restore => Status::Draft,
            Self::Trash => Status::Trashed,
        }
    }
}

/// Why a save did not happen.
pub(super) enum Refused {
    /// Someone saved first; their version is attached.
    Stale(Box<Article>),
    /// A mistake in the form; the message says what to fix.
    Invalid(String),
    Failed(AppError),
}

impl From<StoreError> for Refused {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict { .. } => Self::Invalid(
                "Another article already uses that slug; choose another one.".to_owned(),
            ),
            other => Self::Failed(other.into()),
        }
    }
}

impl From<articles::SaveError<Refused>> for Refused {
    fn from(error: articles::SaveError<Refused>) -> Self {
        use articles::SaveError;
        match error {
            SaveError::NotFound => Self::Failed(AppError::NotFound),
            SaveError::Forbidden | SaveError::StatusNotAllowed => Self::Failed(forbidden()),
            SaveError::Stale(theirs) => Self::Stale(theirs),
            SaveError::Refused(refused) => refused,
            SaveError::Store(error) => error.into(),
        }
    }
}

impl From<AppError> for Refused {
    fn from(error: AppError) -> Self {
        Self::Failed(error)
    }
}

/// The version a form was opened at: the article's `updated_at` in microseconds.
/// A form without a readable version started from none that exists: saving it answers as a
/// stale form does (both texts shown), once the role rules have been checked.
pub(crate) fn version(field: &str) -> Timestamp {
    field
        .parse()
        .ok()
        .and_then(|micros| Timestamp::from_microsecond(micros).ok())
        .unwrap_or(Timestamp::MIN)
}

/// The form applied to `current`: its fields, the library image it chose, and the status
/// and dates the pressed button leads to. The role rules are the newsroom's to check.
pub(super) fn edit(
    site: &Site,
    staff: &Staff,
    current: &Article,
    fields: &FormFields,
    media: &Option<Media>,
    action: Action,
    now: Timestamp,
) -> Result<Article, Refused> {
    let mut edited = apply(site, staff, current, fields, now)?;
    attach_library_image(&mut edited, media.clone())?;
    edited.status = action.target(current.status);
    set_dates(current, &mut edited, action, fields, site, now)?;
    Ok(edited)
}

/// Sets the publication time the action asks for: now when publishing, the form's time when
/// scheduling.
fn set_dates(
    current: &Article,
    edited: &mut Article,
    action: Action,
    fields: &FormFields,
    site: &Site,
    now: Timestamp,
) -> Result<(), Refused> {
    match action {
        // Publishing now; an article published before keeps its date.
        Action::Publish if current.status != Status::Published || edited.published_at.is_none() => {
            edited.published_at = Some(now);
        }
        Action::Schedule => {
            let at = parse_local(site, fields.get("publish_at"))?;
            if at <= now {
                return Err(Refused::Invalid(
                    "A scheduled time must be in the future; to publish now, press Publish."
                        .to_owned(),
                ));
            }
            edited.published_at = Some(at);
        }
        _ => {}
    }
    Ok(())
}

/// Completes a featured image chosen from the library: its address comes from the library item,
/// and so do its text alternative, caption and credit where the form left them empty.
fn attach_library_image(article: &mut Article, media: Option<Media>) -> Result<(), Refused> {
    let Some(image) = article.featured_image.as_mut() else {
        return Ok(());
    };
    if image.media.is_none() {
        return Ok(());
    }
    let media = media.ok_or_else(|| {
        Refused::Invalid(
            "The chosen featured image is no longer in the media library; choose another."
                .to_owned(),
        )
    })?;
    image.src = media.url();
    for (field, library) in [
        (&mut image.alt, media.alt),
        (&mut image.caption, media.caption),
        (&mut image.credit, media.credit),
    ] {
        if field.is_empty() {
            *field = library;
        }
    }
    Ok(())
}

/// The form's fields applied to `base`.
pub(super) fn apply(
    site: &Site,
    staff: &Staff,
    base: &Article,
    fields: &FormFields,
    now: Timestamp,
) -> Result<Article, Refused> {
    let headline = fields.get("headline").trim().to_owned();
    if headline.is_empty() {
        return Err(Refused::Invalid("Give the article a headline.".to_owned()));
    }
    let slug = match fields.get("slug").trim() {
        "" => Slug::from_headline(&headline),
        text => Slug::parse(text).map_err(|e| Refused::Invalid(format!("The slug: {e}.")))?,
    };
    if slug.is_reserved() {
        return Err(Refused::Invalid(format!(
            "“{slug}” is reserved for the site's own pages; choose another slug."
        )));
    }
    let format = match fields.get("body_format") {
        "html" => BodyFormat::Html,
        _ => BodyFormat::Markdown,
    };
    let body_source = fields.get("body").replace("\r\n", "\n");
    let trusted = raw_html_trusted(&staff.person, trust_before(base), asked_raw_html(fields));
    let body_html =
        gazette_render::render_body_as(format, &body_source, HtmlPolicy::for_trust(trusted));
    let mut authors: Vec<PersonId> = fields
        .all("author")
        .filter_map(|id| id.parse().ok().map(PersonId))
        .filter(|id| site.author(*id).is_some())
        .collect();
    if authors.is_empty() {
        authors = base.authors.clone();
    }
    if !staff.person.role.can(Capability::EditOthersArticles) && !authors.contains(&staff.person.id)
    {
        authors.insert(0, staff.person.id);
    }
    let image_src = fields.get("image_src").trim().to_owned();
    let library_image = fields.get("image_media").parse().ok().map(MediaId);
    let known = |id: &SectionId| site.section(*id).is_some();
    let primary_section = fields
        .get("section")
        .parse()
        .ok()
        .map(SectionId)
        .filter(known);
    // Further sections: any others checked, in order, never the primary one twice.
    let mut further_sections: Vec<SectionId> = Vec::new();
    for id in fields
        .all("also_in")
        .filter_map(|v| v.parse().ok().map(SectionId))
    {
        if known(&id) && Some(id) != primary_section && !further_sections.contains(&id) {
            further_sections.push(id);
        }
    }
    let canonical_url = fields.get("canonical_url").trim().to_owned();
    if !canonical_url.is_empty() && gazette_core::canonical_address(&canonical_url).is_none() {
        return Err(Refused::Invalid(format!(
            "“{canonical_url}” is not a full address; give the canonical one as https://… (or leave it empty for the article's own)."
        )));
    }
    let significant = fields.checked("significant") && base.status == Status::Published;
    Ok(Article {
        headline,
        standfirst: fields.get("standfirst").trim().to_owned(),
        slug,
        body_format: format,
        body_html,
        unfiltered_html: trusted,
        body_source,
        render_version: gazette_render::RENDER_VERSION,
        excerpt: fields.get("excerpt").trim().to_owned(),
        authors,
        primary_section,
        further_sections,
        genre: Genre::parse(fields.get("genre")).unwrap_or_default(),
        featured_image: (!image_src.is_empty() || library_image.is_some()).then(|| FeaturedImage {
            src: image_src,
            alt: fields.get("image_alt").trim().to_owned(),
            caption: fields.get("image_caption").trim().to_owned(),
            credit: fields.get("image_credit").trim().to_owned(),
            media: library_image,
        }),
        password: Some(fields.get("password").to_owned()).filter(|p| !p.is_empty()),
        // The home page's lead is chosen by those who run the journal, as in WordPress.
        sticky: if may_set_sticky(&staff.person) {
            fields.checked("sticky")
        } else {
            base.sticky
        },
        comments_open: fields.checked("comments_open"),
        corrections: fields.get("corrections").trim().to_owned(),
        seo_title: fields.get("seo_title").trim().to_owned(),
        seo_description: fields.get("seo_description").trim().to_owned(),
        canonical_url,
        noindex: fields.checked("noindex"),
        // Only a significant update moves the public "Updated" time; a typo fix does not.
        significantly_updated_at: if significant {
            Some(now)
        } else {
            base.significantly_updated_at
        },
        ..base.clone()
    })
}

/// Whether the body being edited was trusted raw HTML before this save; None for a new
/// article.
fn trust_before(article: &Article) -> Option<bool> {
    (article.id.0 != 0).then_some(article.unfiltered_html)
}

/// The "Allow raw HTML" box as submitted: None when the form did not offer it.
pub(super) fn asked_raw_html(fields: &FormFields) -> Option<bool> {
    fields
        .checked(RAW_HTML_OFFERED)
        .then(|| fields.checked("allow_raw_html"))
}

/// A hidden field beside the "Allow raw HTML" box: an unticked box sends nothing, and this
/// tells an unticked box from a form that had none.
pub(super) const RAW_HTML_OFFERED: &str = "raw_html_box";

pub(super) fn tag_names(fields: &FormFields) -> Vec<String> {
    fields
        .get("tags")
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A `datetime-local` value in the publication's time zone.
fn parse_local(site: &Site, text: &str) -> Result<Timestamp, Refused> {
    crate::admin::times::read_local(&site.publication.time_zone.zone(), text).ok_or_else(|| {
        Refused::Invalid(
            "Give the time to publish as a date and time, e.g. 2026-11-30T08:00.".to_owned(),
        )
    })
}
