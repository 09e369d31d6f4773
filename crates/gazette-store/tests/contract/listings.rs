//! REST listings in the store contract: an `ArticleQuery` pages, counts and narrows a list of
//! ids found elsewhere (the search index's matches) to what readers may search.

use gazette_core::{ArticleId, Clock as _, Status};
use gazette_store::{ArticleOrder, ArticleQuery};

use super::{Harness, add_article, article, harness};

store_contract!(
    article_queries_narrow_found_ids_to_what_readers_may_search,
    long_id_lists_are_not_kept_prepared,
    lists_longer_than_a_batch_load_in_order,
);

/// `count` articles published now, in the order made.
async fn published_stories(h: &Harness, count: usize) -> Vec<ArticleId> {
    let mut ids = Vec::with_capacity(count);
    for n in 0..count {
        let mut new = article(&format!("Story {n}"));
        new.status = Status::Published;
        new.published_at = Some(h.clock.now());
        ids.push(add_article(&h.store, new).await.unwrap().id);
    }
    ids
}

/// Articles load in batches of a hundred; a list spanning batches comes back whole and in the
/// order asked, and the full batches share one kept statement.
async fn lists_longer_than_a_batch_load_in_order(h: Harness) {
    let mut ids = published_stories(&h, 230).await;
    ids.reverse();
    let before = h.store.statements_kept_by_readers().await.unwrap();
    for _ in 0..3 {
        let loaded = h.store.articles_by_ids(&ids).await.unwrap();
        let loaded: Vec<ArticleId> = loaded.iter().map(|a| a.id).collect();
        assert_eq!(loaded, ids);
    }
    let after = h.store.statements_kept_by_readers().await.unwrap();
    assert!(
        after <= before + 2,
        "{after} statements kept (before: {before})"
    );
}

/// A sitemap loads every article of a month, one more after each publish: each length is a new
/// statement, and keeping them all prepared grew memory without bound.
async fn long_id_lists_are_not_kept_prepared(h: Harness) {
    let ids = published_stories(&h, 60).await;
    let before = h.store.statements_kept_by_readers().await.unwrap();
    for n in 20..=60 {
        let loaded = h.store.articles_by_ids(&ids[..n]).await.unwrap();
        assert_eq!(loaded.len(), n);
    }
    let after = h.store.statements_kept_by_readers().await.unwrap();
    assert!(
        after <= before + 2,
        "{} statements kept after loading 41 lengths of list (before: {before})",
        after
    );
}

async fn article_queries_narrow_found_ids_to_what_readers_may_search(h: Harness) {
    let mut ids = Vec::new();
    for (headline, password, status) in [
        ("Open", None, Status::Published),
        ("Also open", None, Status::Published),
        ("Locked", Some("secret"), Status::Published),
        ("Unfinished", None, Status::Draft),
    ] {
        let mut new = article(headline);
        new.status = status;
        new.password = password.map(str::to_owned);
        new.published_at = (status == Status::Published).then(|| h.clock.now());
        ids.push(add_article(&h.store, new).await.unwrap().id);
    }
    let (open, also_open, locked, draft) = (ids[0], ids[1], ids[2], ids[3]);
    let found = ArticleQuery {
        ids: vec![draft, locked, also_open, open, ArticleId(999)],
        order_by: ArticleOrder::Id,
        ascending: true,
        ..ArticleQuery::default()
    };
    let searchable = ArticleQuery {
        without_password: true,
        ..found.clone()
    };
    let sorted = |mut ids: Vec<ArticleId>| {
        ids.sort_unstable_by_key(|id| id.0);
        ids
    };
    let selected = h.store.query_article_ids(&searchable).await.unwrap();
    assert_eq!(sorted(selected), [open, also_open]);
    let selected = h.store.query_article_ids(&found).await.unwrap();
    assert_eq!(
        sorted(selected),
        [open, also_open, locked],
        "published only"
    );
    let drafts = ArticleQuery {
        statuses: vec![Status::Draft],
        ..found.clone()
    };
    assert_eq!(h.store.query_article_ids(&drafts).await.unwrap(), [draft]);

    let page = h.store.query_articles(&searchable, 1, 1).await.unwrap();
    assert_eq!(page.total, 2);
    let page: Vec<ArticleId> = page.articles.iter().map(|a| a.id).collect();
    assert_eq!(page, [also_open]);
}
