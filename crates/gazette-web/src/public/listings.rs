//! Pages that list articles: the home page (its chosen lead and slots, then the newest), and the
//! archives of a section, a tag, an author and a date.

use gazette_core::{Article, Status};
use gazette_store::{ArticleFilter, StoreError};
use jiff::Timestamp;

use crate::cache::Shows;
use crate::kernel::origin::Links;
use crate::kernel::pages::{Detour, PER_PAGE, page_html};
use crate::kernel::signup;
use crate::kernel::site::Site;
use crate::kernel::structured::{self};
use crate::kernel::views::title;
use crate::kernel::views::{self, Meta};
use crate::{AppError, AppState};

/// A page of the home listing, and what it shows: the listings, and each card's discussion
/// (cards count comments).
pub(super) async fn home(
    state: &AppState,
    site: &Site,
    links: &Links,
    page: u32,
    now: Timestamp,
) -> Result<(String, Vec<Shows>), Detour> {
    let offset = u64::from(page - 1) * PER_PAGE;
    let mut articles = state
        .store()
        .newest_published(&ArticleFilter::All, offset, PER_PAGE)
        .await?;
    if page > 1 && articles.is_empty() {
        return Err(AppError::NotFound.into());
    }
    let total = listing_total(state, &ArticleFilter::All).await?;
    // The first page opens with what editors chose: a lead story and fixed slots. What they
    // did not choose (or what is no longer published) falls back to the latest articles.
    let (chosen_lead, slots) = if page == 1 {
        curated(state, site).await?
    } else {
        (None, Vec::new())
    };
    articles.retain(|a| {
        chosen_lead.as_ref().is_none_or(|l| l.id != a.id) && !slots.iter().any(|s| s.id == a.id)
    });
    // Without a chosen lead: the newest sticky article on the first page, else the newest.
    let lead = match chosen_lead {
        Some(lead) => Some(lead),
        None if page == 1 && !articles.is_empty() => {
            let at = articles.iter().position(|a| a.sticky).unwrap_or(0);
            Some(articles.remove(at))
        }
        None => None,
    };
    let articles: Vec<Article> = slots.into_iter().chain(articles).collect();
    let base = "/";
    let pagination = views::pagination(site, base, page, total, PER_PAGE);
    let path = if page > 1 {
        format!("/page/{page}/")
    } else {
        "/".to_owned()
    };
    let mut meta = Meta {
        title: if page > 1 {
            title(
                site,
                &[&site.catalogue.text(
                    "pagination.position",
                    &[
                        ("page", &page.to_string()),
                        ("pages", &pagination.pages.to_string()),
                    ],
                )],
            )
        } else {
            title(site, &[&site.publication.tagline])
        },
        description: site.publication.description.clone(),
        canonical: links.canonical(&path),
        is_home: true,
        prev: pagination.newer.clone(),
        next: pagination.older.clone(),
        feeds: views::feed_links(site, None),
        structured_data: Some(structured::home_json_ld(site, links)),
        ..Meta::default()
    };
    meta.share(site, links, &site.publication.name);
    let shows = cards_show(lead.iter().chain(&articles));
    let mut cards = views::cards(state.store(), site, lead.iter().chain(&articles)).await?;
    let lead = lead.is_some().then(|| cards.remove(0));
    let signup = (page == 1).then(|| signup::form(site, state.theme(), None, "/"));
    let extra = minijinja::context! {
        lead,
        cards,
        pagination,
        signup => signup.flatten(),
    };
    Ok((
        page_html(state, site, "home.html", &meta, now, extra)?,
        shows,
    ))
}

/// How many articles `filter` lists, counted once per change to the listings.
async fn listing_total(state: &AppState, filter: &ArticleFilter) -> Result<u64, StoreError> {
    state
        .page_cache()
        .listing_total(filter, || state.store().published_total(filter))
        .await
}

/// What a listing of these articles' cards shows: which articles are listed, and each one's
/// discussion (a card counts its comments).
pub(super) fn cards_show<'a>(articles: impl IntoIterator<Item = &'a Article>) -> Vec<Shows> {
    std::iter::once(Shows::Listings)
        .chain(articles.into_iter().map(|a| Shows::Discussion(a.id.0)))
        .collect()
}

/// The home layout's lead and slots that are published now, in the editors' order.
pub(super) async fn curated(
    state: &AppState,
    site: &Site,
) -> Result<(Option<Article>, Vec<Article>), StoreError> {
    let layout = &site.home_layout;
    let mut published = Vec::new();
    for id in layout.chosen() {
        if let Some(article) = state.store().article(id).await?
            && article.status == Status::Published
        {
            published.push(article);
        }
    }
    let lead = match layout.lead {
        Some(id) if published.first().is_some_and(|a| a.id == id) => Some(published.remove(0)),
        _ => None,
    };
    Ok((lead, published))
}

/// An archive to list.
pub(super) struct Listing {
    pub(super) filter: ArticleFilter,
    /// The archive's first page, with a trailing slash.
    pub(super) base: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) parent: Option<views::Link>,
    pub(super) children: Vec<views::Link>,
    /// The navigation entry to mark current.
    pub(super) nav: Option<String>,
    /// A date archive with nothing in it does not exist (as in WordPress); an empty section
    /// or tag still does.
    pub(super) missing_when_empty: bool,
    /// An author's photo and links, on their archive.
    pub(super) profile: Option<gazette_core::profile::AuthorProfile>,
    /// Sections, tags and authors have feeds; date archives do not.
    pub(super) has_feed: bool,
}

impl Listing {
    pub(super) fn simple(
        filter: ArticleFilter,
        base: String,
        title: String,
        description: String,
    ) -> Self {
        Self {
            filter,
            base,
            title,
            description,
            parent: None,
            children: Vec::new(),
            nav: None,
            missing_when_empty: false,
            profile: None,
            has_feed: true,
        }
    }
}

/// A page of an archive, and what it shows (see [`cards_show`]).
pub(super) async fn archive(
    state: &AppState,
    site: &Site,
    links: &Links,
    listing: Listing,
    page: u32,
    now: Timestamp,
) -> Result<(String, Vec<Shows>), Detour> {
    let offset = u64::from(page - 1) * PER_PAGE;
    let articles = state
        .store()
        .newest_published(&listing.filter, offset, PER_PAGE)
        .await?;
    let total = if page == 1 && articles.is_empty() {
        0
    } else {
        listing_total(state, &listing.filter).await?
    };
    let nothing_here = total == 0 && listing.missing_when_empty;
    if nothing_here || (page > 1 && articles.is_empty()) {
        return Err(AppError::NotFound.into());
    }
    let pagination = views::pagination(site, &listing.base, page, total, PER_PAGE);
    let path = if page > 1 {
        format!("{}page/{page}/", listing.base)
    } else {
        listing.base.clone()
    };
    let position = if page > 1 {
        pagination.position.clone()
    } else {
        String::new()
    };
    let mut meta = Meta {
        title: title(site, &[&listing.title, &position]),
        description: if listing.description.is_empty() {
            listing.title.clone()
        } else {
            listing.description.clone()
        },
        canonical: links.canonical(&path),
        prev: pagination.newer.clone(),
        next: pagination.older.clone(),
        current_nav: listing.nav.clone(),
        feeds: views::feed_links(
            site,
            listing
                .has_feed
                .then_some((listing.base.as_str(), listing.title.as_str())),
        ),
        ..Meta::default()
    };
    meta.share(site, links, &listing.title);
    let shows = cards_show(&articles);
    let cards = views::cards(state.store(), site, &articles).await?;
    // A section's first page offers the newsletters that carry it.
    let signup = match &listing.filter {
        ArticleFilter::InSections(ids) if page == 1 => ids
            .first()
            .and_then(|id| signup::form(site, state.theme(), Some(&[*id]), &path)),
        _ => None,
    };
    let extra = minijinja::context! {
        signup,
        archive => minijinja::context! {
            title => listing.title,
            description => listing.description,
            parent => listing.parent,
            children => listing.children,
            count => site.catalogue.plural("archive.count", total, &[]),
            photo => listing.profile.as_ref().and_then(|p| p.photo.clone()),
            links => listing.profile.map(|p| p.links).unwrap_or_default(),
        },
        cards,
        pagination,
    };
    Ok((
        page_html(state, site, "archive.html", &meta, now, extra)?,
        shows,
    ))
}

/// `/{yyyy}/`, `/{yyyy}/{mm}/` or `/{yyyy}/{mm}/{dd}/` in the publication's time zone.
pub(super) fn date_listing(
    site: &Site,
    year: i16,
    month: Option<i8>,
    day: Option<i8>,
) -> Result<Listing, AppError> {
    use jiff::ToSpan as _;
    let start = jiff::civil::Date::new(year, month.unwrap_or(1), day.unwrap_or(1))
        .map_err(|_| AppError::NotFound)?;
    let (end, title, base) = match (month, day) {
        (Some(m), Some(d)) => (
            start.checked_add(1.day()),
            site.catalogue.long_date(start),
            format!("/{year:04}/{m:02}/{d:02}/"),
        ),
        (Some(m), None) => (
            start.checked_add(1.month()),
            site.catalogue.month_year(start),
            format!("/{year:04}/{m:02}/"),
        ),
        _ => (
            start.checked_add(1.year()),
            year.to_string(),
            format!("/{year:04}/"),
        ),
    };
    let zone = site.publication.time_zone.zone();
    let at = |date: jiff::civil::Date| {
        date.to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|_| AppError::NotFound)
    };
    let end = end.map_err(|_| AppError::NotFound)?;
    let mut listing = Listing::simple(
        ArticleFilter::PublishedBetween {
            from: at(start)?,
            until: at(end)?,
        },
        base,
        site.catalogue.text("archive.date", &[("date", &title)]),
        String::new(),
    );
    listing.missing_when_empty = true;
    listing.has_feed = false;
    Ok(listing)
}
