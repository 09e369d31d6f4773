//! What sitemaps read in the store contract: the month summary the articles' triggers keep
//! always equals a count of the articles themselves, whatever wrote them; the newest dates;
//! and the light addresses agree with the articles they stand for.

use std::collections::BTreeMap;

use gazette_core::{Article, Slug, Status};
use gazette_store::{AddressDetails, ArticleFilter, MonthAddresses, PublishedMonth, Store};
use jiff::{Timestamp, tz::TimeZone};

use super::{Harness, add_article, add_person, add_section, add_tag, article, harness};

store_contract!(
    the_month_summary_follows_every_kind_of_write,
    the_month_summary_holds_under_concurrent_writers,
    newest_dates_come_from_the_newest_articles,
    addresses_agree_with_the_articles,
    a_months_addresses_are_read_again_only_when_they_change,
);

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// The months as counted from every published article, newest first.
async fn counted_months(store: &Store) -> Vec<PublishedMonth> {
    let all = store
        .published_articles(&ArticleFilter::All, 0, 100_000)
        .await
        .unwrap();
    let mut months: BTreeMap<(i16, i8), PublishedMonth> = BTreeMap::new();
    for article in all.articles.iter().filter(|a| a.published_at.is_some()) {
        let published = article.published_at.unwrap();
        let change = article
            .significantly_updated_at
            .map_or(published, |at| at.max(published));
        let utc = published.to_zoned(TimeZone::UTC);
        let month = months
            .entry((utc.year(), utc.month()))
            .or_insert(PublishedMonth {
                year: utc.year(),
                month: utc.month(),
                articles: 0,
                newest_change: change,
            });
        month.articles += 1;
        month.newest_change = month.newest_change.max(change);
    }
    months.into_values().rev().collect()
}

async fn assert_summary_counts(store: &Store, after: &str) {
    assert_eq!(
        store.published_months().await.unwrap(),
        counted_months(store).await,
        "the month summary after {after}"
    );
    // The home page's total comes from the summary too.
    let listed = store
        .published_articles(&ArticleFilter::All, 0, 100_000)
        .await
        .unwrap();
    assert_eq!(
        listed.total,
        listed.articles.len() as u64,
        "the total after {after}"
    );
}

async fn published_at(h: &Harness, headline: &str, when: &str) -> Article {
    let mut new = article(headline);
    new.status = Status::Published;
    new.published_at = Some(at(when));
    add_article(&h.store, new).await.unwrap()
}

async fn save(store: &Store, article: Article) -> Article {
    store
        .write(|tx| Box::pin(async move { tx.update_article(&article).await }))
        .await
        .unwrap()
}

async fn the_month_summary_follows_every_kind_of_write(h: Harness) {
    let store = &h.store;
    assert_summary_counts(store, "nothing").await;
    let april = published_at(&h, "April", "2026-04-10T12:00:00Z").await;
    // The last microsecond of April is April's, and a time before 1970 is in its own month.
    let last_instant = published_at(&h, "Late", "2026-04-30T23:59:59.999999Z").await;
    published_at(&h, "Old", "1969-12-31T23:59:59.5Z").await;
    let draft = add_article(store, article("Draft")).await.unwrap();
    assert_summary_counts(store, "inserts of published articles and a draft").await;
    let mut undated = article("Undated");
    undated.status = Status::Published;
    add_article(store, undated).await.unwrap();
    assert_summary_counts(store, "a published article without a date (in no month)").await;
    let months = store.published_months().await.unwrap();
    assert_eq!(
        (months[0].year, months[0].month, months[0].articles),
        (2026, 4, 2)
    );
    assert_eq!(
        (months[1].year, months[1].month, months[1].articles),
        (1969, 12, 1)
    );

    let mut publish = draft.clone();
    publish.status = Status::Published;
    publish.published_at = Some(at("2026-05-01T00:00:00Z"));
    let published = save(store, publish).await;
    assert_summary_counts(store, "publishing a draft").await;

    let mut updated = april.clone();
    updated.significantly_updated_at = Some(at("2026-06-02T09:00:00Z"));
    let updated = save(store, updated).await;
    assert_summary_counts(store, "a significant update").await;
    let mut not_any_more = updated.clone();
    not_any_more.significantly_updated_at = None;
    save(store, not_any_more).await;
    assert_summary_counts(
        store,
        "an update taken back (the month's newest change goes back)",
    )
    .await;

    let mut moved = last_instant.clone();
    moved.published_at = Some(at("2026-03-03T03:03:03Z"));
    let moved = save(store, moved).await;
    assert_summary_counts(store, "a new date in another month").await;

    let mut unpublished = moved.clone();
    unpublished.status = Status::Draft;
    save(store, unpublished).await;
    assert_summary_counts(store, "unpublishing the only article of a month").await;
    assert!(
        !store
            .published_months()
            .await
            .unwrap()
            .iter()
            .any(|m| m.month == 3),
        "an empty month is not listed"
    );

    let mut headline_only = published.clone();
    headline_only.headline = "A new headline".to_owned();
    save(store, headline_only).await;
    let id = published.id;
    store
        .write(|tx| Box::pin(async move { tx.delete_article(id).await }))
        .await
        .unwrap();
    assert_summary_counts(store, "a deletion").await;
}

/// PostgreSQL writers run concurrently: additions and counts of one month must not overwrite
/// each other.
async fn the_month_summary_holds_under_concurrent_writers(h: Harness) {
    let mut writers = Vec::new();
    for writer in 0..6 {
        let store = h.store.clone();
        writers.push(tokio::spawn(async move {
            for n in 0..5 {
                let mut new = article(&format!("Writer {writer} story {n}"));
                new.status = Status::Published;
                new.published_at = Some(at(&format!("2026-04-{:02}T10:00:00Z", 1 + n)));
                let added = add_article(&store, new).await.unwrap();
                if n % 2 == 0 {
                    let mut changed = added;
                    changed.significantly_updated_at = Some(at("2026-04-20T10:00:00Z"));
                    save(&store, changed).await;
                }
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    assert_summary_counts(&h.store, "six concurrent writers").await;
    assert_eq!(h.store.published_months().await.unwrap()[0].articles, 30);
}

async fn newest_dates_come_from_the_newest_articles(h: Harness) {
    let store = &h.store;
    assert_eq!(store.newest_publication().await.unwrap(), None);
    let ann = add_person(store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let world = add_section(store, "world", None).await.unwrap();
    let tag = add_tag(store, "budget").await;
    let plain = published_at(&h, "Plain", "2026-04-03T00:00:00Z").await;
    for (headline, when, setup) in [
        ("Filed", "2026-04-01T00:00:00Z", 0),
        ("Tagged", "2026-03-01T00:00:00Z", 1),
        ("Signed", "2026-02-01T00:00:00Z", 2),
    ] {
        let mut new = article(headline);
        new.status = Status::Published;
        new.published_at = Some(at(when));
        match setup {
            0 => new.further_sections = vec![world.id],
            1 => new.tags = vec![tag.id],
            _ => new.authors = vec![ann.id],
        }
        add_article(store, new).await.unwrap();
    }
    let mut draft = article("Newer draft");
    draft.tags = vec![tag.id];
    draft.published_at = Some(at("2026-05-01T00:00:00Z"));
    add_article(store, draft).await.unwrap();

    assert_eq!(
        store.newest_publication().await.unwrap(),
        plain.published_at
    );
    let newest = store.newest_archived().await.unwrap();
    assert_eq!(newest.sections, Some(at("2026-04-01T00:00:00Z")));
    assert_eq!(newest.tags, Some(at("2026-03-01T00:00:00Z")));
    assert_eq!(newest.authors, Some(at("2026-02-01T00:00:00Z")));
}

async fn addresses_agree_with_the_articles(h: Harness) {
    let store = &h.store;
    let ann = add_person(store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let bo = add_person(store, "Bo Chen", "bo@example.org")
        .await
        .unwrap();
    let world = add_section(store, "world", None).await.unwrap();
    for n in 0..4_i64 {
        let mut new = article(&format!("Story {n}"));
        new.status = Status::Published;
        new.published_at = Some(at(&format!("2026-04-0{}T10:00:00Z", n + 1)));
        new.authors = match n {
            0 => vec![],
            1 => vec![bo.id, ann.id],
            _ => vec![ann.id, bo.id],
        };
        new.primary_section = (n % 2 == 1).then_some(world.id);
        new.noindex = n == 2;
        new.canonical_url = if n == 3 {
            "https://elsewhere.example/story".to_owned()
        } else {
            String::new()
        };
        add_article(store, new).await.unwrap();
    }
    let filter = ArticleFilter::All;
    let articles = store.newest_published(&filter, 1, 10).await.unwrap();
    let addresses = store
        .newest_addresses(
            &filter,
            1,
            10,
            AddressDetails {
                lead_author: true,
                headline: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(addresses.len(), 3, "the same page of the same listing");
    for (article, address) in articles.iter().zip(&addresses) {
        assert_eq!(address.id, article.id);
        assert_eq!(address.slug, article.slug);
        assert_eq!(address.headline, article.headline);
        assert_eq!(address.published_at, article.published_at);
        assert_eq!(address.primary_section, article.primary_section);
        assert_eq!(address.lead_author, article.authors.first().copied());
        assert_eq!(address.for_search_engines, article.is_for_search_engines());
    }
    let addresses_alone = store
        .newest_addresses(
            &filter,
            1,
            10,
            AddressDetails {
                lead_author: false,
                headline: false,
            },
        )
        .await
        .unwrap();
    assert!(
        addresses_alone
            .iter()
            .all(|a| a.lead_author.is_none() && a.headline.is_empty())
    );
    let ids = |list: &[gazette_core::ArticleAddress]| list.iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(ids(&addresses_alone), ids(&addresses));
}

/// A month's addresses as a kept list at revision `kept` would find them: `None` if the kept
/// list is current, else the revision and the slugs read (search engines' only).
async fn month_read(store: &Store, month: (i16, i8), kept: u64) -> Option<(u64, Vec<String>)> {
    match store
        .month_addresses(month, 0, 100, AddressDetails::FOLLOWED, Some(kept))
        .await
        .unwrap()
    {
        MonthAddresses::Unchanged => None,
        MonthAddresses::Read {
            revision,
            addresses,
        } => {
            assert_ne!(
                revision, kept,
                "a list read again comes with a new revision"
            );
            let slugs = addresses
                .iter()
                .filter(|a| a.for_search_engines)
                .map(|a| a.slug.as_str().to_owned())
                .collect();
            Some((revision, slugs))
        }
    }
}

/// Reads `month` again after a change it shows, and returns the new revision.
async fn read_again(
    store: &Store,
    month: (i16, i8),
    kept: u64,
    slugs: &[&str],
    after: &str,
) -> u64 {
    let (revision, read) = month_read(store, month, kept)
        .await
        .unwrap_or_else(|| panic!("{month:?} is read again after {after}"));
    assert_eq!(read, slugs, "{month:?} after {after}");
    revision
}

async fn assert_unchanged(store: &Store, month: (i16, i8), kept: u64, after: &str) {
    assert_eq!(
        month_read(store, month, kept).await,
        None,
        "{month:?} is unchanged after {after}"
    );
}

async fn a_months_addresses_are_read_again_only_when_they_change(h: Harness) {
    let store = &h.store;
    let (april, may) = ((2026, 4), (2026, 5));
    let nothing = u64::MAX;
    let mut in_april = read_again(store, april, nothing, &[], "nothing yet").await;
    let mut in_may = read_again(store, may, nothing, &[], "nothing yet").await;
    assert_unchanged(store, april, in_april, "nothing").await;

    let story = published_at(&h, "Story", "2026-04-10T12:00:00Z").await;
    in_april = read_again(store, april, in_april, &["story"], "a publication").await;
    assert_unchanged(store, may, in_may, "a publication in April").await;

    let mut edited = story.clone();
    edited.body_source = "Other words.".to_owned();
    edited.headline = "A new headline".to_owned();
    let story = save(store, edited).await;
    assert_unchanged(store, april, in_april, "an edit no sitemap shows").await;
    let mut draft = article("Draft");
    draft.published_at = Some(at("2026-04-11T12:00:00Z"));
    let draft = add_article(store, draft).await.unwrap();
    assert_unchanged(store, april, in_april, "a dated draft").await;

    let mut renamed = story.clone();
    renamed.slug = Slug::parse("renamed").unwrap();
    let story = save(store, renamed).await;
    in_april = read_again(store, april, in_april, &["renamed"], "a new slug").await;
    let mut hidden = story.clone();
    hidden.noindex = true;
    let story = save(store, hidden).await;
    in_april = read_again(store, april, in_april, &[], "noindex").await;
    let mut shown = story.clone();
    shown.noindex = false;
    shown.significantly_updated_at = Some(at("2026-06-01T00:00:00Z"));
    let story = save(store, shown).await;
    in_april = read_again(store, april, in_april, &["renamed"], "an update").await;

    let mut moved = story.clone();
    moved.published_at = Some(at("2026-05-02T00:00:00Z"));
    let story = save(store, moved).await;
    in_april = read_again(store, april, in_april, &[], "a move to May").await;
    in_may = read_again(store, may, in_may, &["renamed"], "a move from April").await;

    let mut published = draft.clone();
    published.status = Status::Published;
    save(store, published).await;
    in_april = read_again(store, april, in_april, &["draft"], "publishing the draft").await;
    let mut unpublished = story.clone();
    unpublished.status = Status::Draft;
    save(store, unpublished).await;
    in_may = read_again(store, may, in_may, &[], "an unpublication").await;
    let id = draft.id;
    store
        .write(|tx| Box::pin(async move { tx.delete_article(id).await }))
        .await
        .unwrap();
    read_again(store, april, in_april, &[], "a deletion").await;
    assert_unchanged(store, may, in_may, "a deletion in April").await;
}
