//! The article editor: create, edit and move articles through the workflow.
//!
//! A save names the version it started from (the article's `updated_at`); if someone else
//! saved in between, the save is refused and the page shows both texts, so nobody's work is
//! silently overwritten. Every save checks the role rules of `gazette_core::desk`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::desk::{may_edit, may_set_status, may_set_sticky, raw_html_trusted};
use gazette_core::{
    Article, ArticleId, BodyFormat, Capability, FeaturedImage, Genre, Media, MediaId, PersonId,
    SectionId, Slug, Status, TagId,
};
use gazette_render::HtmlPolicy;
use gazette_store::{NewArticle, NewTag, StoreError, WriteTx};
use jiff::Timestamp;
use serde::Serialize;

use super::{Staff, editable, forbidden, staff_page};
use crate::kernel::site::Site;
use crate::{AppError, AppState};

/// A submitted editor form: repeated fields (authors) are why this is not a serde struct.
struct Fields(Vec<(String, String)>);

impl Fields {
    fn parse(body: &[u8]) -> Self {
        Self(url::form_urlencoded::parse(body).into_owned().collect())
    }

    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
}

/// What a save asks for, from the button pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Save,
    Submit,
    Publish,
    Schedule,
    Unpublish,
    Trash,
    Restore,
}

impl Action {
    fn parse(name: &str) -> Result<Self, AppError> {
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
    fn target(self, current: Status) -> Status {
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
enum Refused {
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

impl From<AppError> for Refused {
    fn from(error: AppError) -> Self {
        Self::Failed(error)
    }
}

/// `GET /admin/articles/new`.
pub(crate) async fn new_form(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    let site = site(&state).await?;
    let draft = blank_article(&staff);
    render(&state, &site, &staff, &draft, None, StatusCode::OK, None).await
}

/// `GET /admin/articles/{id}`.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let article = editable(&state, &staff, id).await?;
    let site = site(&state).await?;
    render(&state, &site, &staff, &article, None, StatusCode::OK, None).await
}

/// `POST /admin/articles/new`.
pub(crate) async fn create(State(state): State<AppState>, staff: Staff, body: Bytes) -> Response {
    let fields = Fields::parse(&body);
    let outcome = async {
        staff.check_csrf(fields.get("csrf"))?;
        let site = site(&state).await?;
        let now = state.store().clock().now();
        let blank = blank_article(&staff);
        let mut edited = apply(&site, &staff, &blank, &fields, now)?;
        let media = match chosen_media(&edited) {
            Some(id) => state.store().media(id).await?,
            None => None,
        };
        attach_library_image(&mut edited, media)?;
        let action = Action::parse(fields.get("action"))?;
        edited.status = action.target(Status::Draft);
        check_status(&staff, &blank, &mut edited, action, &fields, &site, now)?;
        let tag_names = tag_names(&fields);
        let author = staff.person.id;
        let created = state
            .store()
            .write(|tx| {
                Box::pin(async move {
                    edited.tags = tags_for(tx, &tag_names).await?;
                    let created = tx.insert_article(NewArticle::from(edited)).await?;
                    if created.status == Status::Published {
                        tx.insert_revision(&created, Some(author)).await?;
                    }
                    Ok::<_, StoreError>(created)
                })
            })
            .await?;
        Ok::<_, Refused>(created.id)
    }
    .await;
    respond(&state, &staff, None, &fields, outcome).await
}

/// `POST /admin/articles/{id}`.
pub(crate) async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let id = ArticleId(id);
    let outcome = async {
        staff.check_csrf(fields.get("csrf"))?;
        let site = site(&state).await?;
        let action = Action::parse(fields.get("action"))?;
        let version = fields.get("version").to_owned();
        let now = state.store().clock().now();
        let (site2, staff2) = (site.clone(), staff.clone());
        let fields2 = Fields(fields.0.clone());
        let saved_version = state
            .store()
            .write(move |tx| {
                Box::pin(async move {
                    save_in(tx, &site2, &staff2, id, &fields2, action, &version, now).await
                })
            })
            .await?;
        Ok::<_, Refused>(saved_version)
    }
    .await;
    if headers.contains_key(AUTOSAVE_HEADER) {
        return autosaved(outcome);
    }
    respond(&state, &staff, Some(id), &fields, outcome.map(|_| id)).await
}

/// Sent by the editor's script when it saves a draft in the background.
const AUTOSAVE_HEADER: &str = "x-gazette-autosave";

/// The answer to a background save: the new version to send next time, or why not, as JSON.
fn autosaved(outcome: Result<Timestamp, Refused>) -> Response {
    let json =
        |status: StatusCode, body: serde_json::Value| (status, axum::Json(body)).into_response();
    match outcome {
        // The version this save wrote, from inside its unit of work: a save by someone else a
        // moment later must not be adopted unseen.
        Ok(version) => json(
            StatusCode::OK,
            serde_json::json!({ "version": version.as_microsecond().to_string() }),
        ),
        Err(Refused::Stale(_)) => json(
            StatusCode::CONFLICT,
            serde_json::json!({ "error": "Someone else saved this article; save by hand to see both texts." }),
        ),
        Err(Refused::Invalid(message)) => json(
            StatusCode::UNPROCESSABLE_ENTITY,
            serde_json::json!({ "error": message }),
        ),
        Err(Refused::Failed(error)) => error.into_response(),
    }
}

/// `POST /admin/render`: the site's own rendering of a Markdown or HTML body, for the
/// editor's live preview: exactly what publishing would show, raw HTML included when the
/// person may allow it and has ticked the box. The page puts it in a sandboxed frame without
/// `allow-same-origin`, never into the back office's own document; it is sent as plain text
/// under a sandboxing policy, so even opened on its own it runs nothing here.
pub(crate) async fn render_preview(staff: Staff, body: Bytes) -> Result<Response, AppError> {
    let fields = Fields::parse(&body);
    staff.check_csrf(fields.get("csrf"))?;
    let format = match fields.get("body_format") {
        "html" => BodyFormat::Html,
        _ => BodyFormat::Markdown,
    };
    // The box's state decides; a request without it previews the sanitised body.
    let asked = Some(asked_raw_html(&fields).unwrap_or(false));
    let trusted = raw_html_trusted(&staff.person, None, asked);
    let html =
        gazette_render::render_body_as(format, fields.get("body"), HtmlPolicy::for_trust(trusted));
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "private, no-store"),
            (
                axum::http::header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'",
            ),
        ],
        html.into_string(),
    )
        .into_response())
}

/// The save itself, inside one unit of work: check, apply, keep old URLs working.
#[expect(
    clippy::too_many_arguments,
    reason = "one unit of work's inputs, each named"
)]
async fn save_in(
    tx: &mut WriteTx,
    site: &Site,
    staff: &Staff,
    id: ArticleId,
    fields: &Fields,
    action: Action,
    version: &str,
    now: Timestamp,
) -> Result<Timestamp, Refused> {
    // Lock first, so that the version check and the save see the same row.
    if !tx.lock_article(id).await? {
        return Err(AppError::NotFound.into());
    }
    let current = tx.article(id).await?.ok_or(AppError::NotFound)?;
    if !may_edit(&staff.person, &current) {
        return Err(forbidden().into());
    }
    if current.updated_at.as_microsecond().to_string() != version {
        return Err(Refused::Stale(Box::new(current)));
    }
    let mut edited = apply(site, staff, &current, fields, now)?;
    let media = match chosen_media(&edited) {
        Some(id) => tx.media(id).await?,
        None => None,
    };
    attach_library_image(&mut edited, media)?;
    edited.status = action.target(current.status);
    check_status(staff, &current, &mut edited, action, fields, site, now)?;
    edited.tags = tags_for(tx, &tag_names(fields)).await?;
    let saved = tx.update_article(&edited).await?;
    if saved.status == Status::Published {
        tx.insert_revision(&saved, Some(staff.person.id)).await?;
    }
    // Every URL the article had while public keeps answering, with a redirect.
    if current.status == Status::Published {
        let (old, new) = (
            crate::kernel::views::article_url(site, &current),
            crate::kernel::views::article_url(site, &edited),
        );
        if old != new {
            tx.retire_article_path(&old, id).await?;
        }
    }
    Ok(saved.updated_at)
}

/// Checks the requested status against the role rules and sets the publication time.
fn check_status(
    staff: &Staff,
    current: &Article,
    edited: &mut Article,
    action: Action,
    fields: &Fields,
    site: &Site,
    now: Timestamp,
) -> Result<(), Refused> {
    if !may_set_status(&staff.person, current, edited.status) {
        return Err(forbidden().into());
    }
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

/// The library item the form chose as featured image.
fn chosen_media(article: &Article) -> Option<MediaId> {
    article.featured_image.as_ref().and_then(|i| i.media)
}

/// The form's fields applied to `base`.
fn apply(
    site: &Site,
    staff: &Staff,
    base: &Article,
    fields: &Fields,
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
fn asked_raw_html(fields: &Fields) -> Option<bool> {
    fields
        .checked(RAW_HTML_OFFERED)
        .then(|| fields.checked("allow_raw_html"))
}

/// A hidden field beside the "Allow raw HTML" box: an unticked box sends nothing, and this
/// tells an unticked box from a form that had none.
const RAW_HTML_OFFERED: &str = "raw_html_box";

fn tag_names(fields: &Fields) -> Vec<String> {
    fields
        .get("tags")
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The tags with these names, creating the ones that do not exist yet.
async fn tags_for(tx: &mut WriteTx, names: &[String]) -> Result<Vec<TagId>, StoreError> {
    let mut ids = Vec::new();
    for name in names {
        let slug = Slug::from_headline(name);
        let id = match tx.tag_by_slug(&slug).await? {
            Some(tag) => tag.id,
            None => {
                let new = NewTag {
                    slug,
                    name: name.clone(),
                    description: String::new(),
                };
                tx.insert_tag(&new).await?.id
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A `datetime-local` value in the publication's time zone.
fn parse_local(site: &Site, text: &str) -> Result<Timestamp, Refused> {
    let invalid = || {
        Refused::Invalid(
            "Give the time to publish as a date and time, e.g. 2026-11-30T08:00.".to_owned(),
        )
    };
    let civil: jiff::civil::DateTime = text.trim().parse().map_err(|_| invalid())?;
    civil
        .to_zoned(site.publication.time_zone.zone())
        .map(|z| z.timestamp())
        .map_err(|_| invalid())
}

/// A new, empty draft with the person as its byline.
fn blank_article(staff: &Staff) -> Article {
    let mut draft = NewArticle::draft(
        "",
        "",
        gazette_core::SafeHtml::from_text(""),
        gazette_render::RENDER_VERSION,
    );
    draft.authors = vec![staff.person.id];
    // An editor's own new writing is trusted raw HTML until they untick the box.
    draft.unfiltered_html = staff.person.role.can(Capability::UnfilteredHtml);
    draft.unsaved()
}

async fn site(state: &AppState) -> Result<std::sync::Arc<Site>, AppError> {
    state
        .site()
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))
}

/// After a save: back to the editor (post/redirect/get), or the form again with the problem.
async fn respond(
    state: &AppState,
    staff: &Staff,
    id: Option<ArticleId>,
    fields: &Fields,
    outcome: Result<ArticleId, Refused>,
) -> Response {
    let (status, message, theirs) = match outcome {
        Ok(saved) => {
            return crate::kernel::redirect::see_other(&format!("/admin/articles/{saved}?saved=1"))
                .into_response();
        }
        Err(Refused::Failed(error)) => return error.into_response(),
        Err(Refused::Invalid(message)) => (StatusCode::UNPROCESSABLE_ENTITY, message, None),
        Err(Refused::Stale(current)) => (
            StatusCode::CONFLICT,
            "Someone else saved this article while you were editing it. Your text is in the form \
             below, unsaved; theirs is shown under it. Merge what you need, then save again."
                .to_owned(),
            Some(current),
        ),
    };
    let site = match site(state).await {
        Ok(site) => site,
        Err(error) => return error.into_response(),
    };
    // Show what the person submitted, on top of the stored article (or a blank one).
    let base = match id {
        Some(id) => match state.store().article(id).await {
            Ok(Some(article)) => article,
            _ => blank_article(staff),
        },
        None => blank_article(staff),
    };
    let now = state.store().clock().now();
    let mut shown = apply(&site, staff, &base, fields, now).unwrap_or(base.clone());
    shown.headline = fields.get("headline").to_owned();
    shown.body_source = fields.get("body").to_owned();
    if let Some(current) = &theirs {
        // The next save starts from their version.
        shown.updated_at = current.updated_at;
    }
    let tags = fields.get("tags").to_owned();
    match render(
        state,
        &site,
        staff,
        &shown,
        Some(&message),
        status,
        theirs.as_deref().map(|a| (a, tags)),
    )
    .await
    {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

/// How many of the newest library images the featured-image list offers.
const LIBRARY_CHOICES: u64 = 200;
/// How many of them the body's "insert an image" list shows.
const INSERTABLE_IMAGES: usize = 24;

#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

async fn render(
    state: &AppState,
    site: &Site,
    staff: &Staff,
    article: &Article,
    message: Option<&str>,
    status: StatusCode,
    theirs: Option<(&Article, String)>,
) -> Result<Response, AppError> {
    let people = state.store().people().await?;
    let authors: Vec<Choice> = people
        .iter()
        .filter(|p| p.active)
        .map(|p| Choice {
            value: p.id.0.to_string(),
            label: p.display_name.clone(),
            selected: article.authors.contains(&p.id),
        })
        .collect();
    let mut sections: Vec<Choice> = Vec::new();
    for section in site.sections_under(None) {
        sections.push(choice(section.id, &section.name, article));
        for child in site.sections_under(Some(section.id)) {
            sections.push(choice(
                child.id,
                &format!("{} › {}", section.name, child.name),
                article,
            ));
        }
    }
    let also: Vec<Choice> = sections.iter().map(|c| also_in(c, article)).collect();
    let tag_names: Vec<String> = {
        let mut names: Vec<String> = state
            .store()
            .tags()
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect();
        names.sort();
        names
    };
    let tags = match &theirs {
        Some((_, submitted)) => submitted.clone(),
        None => article
            .tags
            .iter()
            .filter_map(|id| site.tag(*id).map(|t| t.name.clone()))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let genres: Vec<Choice> = Genre::ALL
        .iter()
        .map(|g| Choice {
            value: g.as_str().to_owned(),
            label: g.as_str().to_owned(),
            selected: *g == article.genre,
        })
        .collect();
    let is_new = article.id.0 == 0;
    let person = &staff.person;
    let own = article.authors.contains(&person.id);
    let publishes = if own || is_new {
        person.role.can(Capability::PublishOwnArticles)
    } else {
        person.role.can(Capability::PublishOthersArticles)
    };
    let public_url = (article.status == Status::Published)
        .then(|| crate::kernel::views::article_url(site, article));
    let image = article.featured_image.clone().unwrap_or_default();
    let library_items = state
        .store()
        .media_library("", 0, LIBRARY_CHOICES)
        .await?
        .items;
    let html_body = article.body_format == BodyFormat::Html;
    let images: Vec<_> = library_items
        .iter()
        .take(INSERTABLE_IMAGES)
        .map(|m| {
            let alt = m.alt.replace(['[', ']', '"', '<', '>'], "");
            minijinja::context! {
                thumbnail => m.url_for_width(320),
                name => m.original_name,
                width => m.width,
                height => m.height,
                snippet => if html_body {
                    format!("<img src=\"{}\" alt=\"{alt}\">", m.url())
                } else {
                    format!("![{alt}]({})", m.url())
                },
            }
        })
        .collect();
    let library: Vec<_> = library_items
        .into_iter()
        .map(|m| Choice {
            value: m.id.0.to_string(),
            selected: image.media == Some(m.id),
            label: if m.alt.is_empty() {
                format!("{} ({}×{})", m.original_name, m.width, m.height)
            } else {
                format!("{} – {} ({}×{})", m.original_name, m.alt, m.width, m.height)
            },
        })
        .collect();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/editor.html",
        minijinja::context! {
            message,
            article => minijinja::context! {
                action => if is_new { "/admin/articles/new".to_owned() } else { format!("/admin/articles/{}", article.id) },
                is_new,
                id => article.id.0,
                version => if is_new { String::new() } else { article.updated_at.as_microsecond().to_string() },
                status => article.status.as_str(),
                headline => article.headline,
                standfirst => article.standfirst,
                slug => if is_new { String::new() } else { article.slug.to_string() },
                body => article.body_source,
                body_format => article.body_format.as_str(),
                excerpt => article.excerpt,
                tags,
                image_src => if image.media.is_some() { String::new() } else { image.src.clone() },
                image_preview => image.src,
                image_alt => image.alt,
                image_caption => image.caption,
                image_credit => image.credit,
                password => article.password.clone().unwrap_or_default(),
                corrections => article.corrections,
                seo_title => article.seo_title,
                seo_description => article.seo_description,
                canonical_url => article.canonical_url,
                noindex => article.noindex,
                sticky => article.sticky,
                may_set_sticky => may_set_sticky(person),
                comments_open => article.comments_open,
                published => article.status == Status::Published,
                public_url,
            },
            authors,
            library,
            images,
            sections,
            also,
            tag_names,
            genres,
            publishes,
            raw_html => raw_html_box(person, article),
            preview_stylesheet => state.theme().asset_url("style.css"),
            conflict => theirs.is_some(),
            theirs => theirs.map(|(a, _)| minijinja::context! { headline => a.headline, body => a.body_source }),
        },
    ))
}

/// The "Allow raw HTML" box, for those who may allow it: whether the body is trusted now (a
/// new article of theirs is) and what the sanitiser would remove from it.
fn raw_html_box(person: &gazette_core::Person, article: &Article) -> minijinja::Value {
    if !person.role.can(Capability::UnfilteredHtml) {
        return minijinja::Value::from(());
    }
    minijinja::context! {
        allowed => article.unfiltered_html,
        removals => gazette_render::sanitiser_removals(article.body_format, &article.body_source),
        offered_field => RAW_HTML_OFFERED,
    }
}

fn choice(id: SectionId, label: &str, article: &Article) -> Choice {
    Choice {
        value: id.0.to_string(),
        label: label.to_owned(),
        selected: article.primary_section == Some(id),
    }
}

/// The same section offered as a further one: checked when the article is filed there too.
fn also_in(choice: &Choice, article: &Article) -> Choice {
    Choice {
        value: choice.value.clone(),
        label: choice.label.clone(),
        selected: article
            .further_sections
            .iter()
            .any(|id| id.0.to_string() == choice.value),
    }
}
