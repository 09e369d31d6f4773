//! The redirect rules part of the store contract.

use gazette_core::{RedirectRule, RedirectStatus};
use gazette_store::{ChangeKind, Constraint, StoreError};

use super::{Harness, all_changes, harness};

store_contract!(
    redirects_round_trip_and_sources_are_unique_by_key,
    imports_replace_rules_for_the_same_source,
);

fn rule(source: &str, target: &str, status: &str) -> RedirectRule {
    RedirectRule::parse(source, target, status).unwrap()
}

async fn redirects_round_trip_and_sources_are_unique_by_key(h: Harness) {
    let old = rule("/Old-Page/", "/new-page/", "301");
    let id = h
        .store
        .write(|tx| Box::pin(async move { tx.insert_redirect(&old).await }))
        .await
        .unwrap();
    // The same path in other case and without its slash is the same source.
    let twin = rule("/old-page", "/elsewhere/", "302");
    let error = h
        .store
        .write(|tx| Box::pin(async move { tx.insert_redirect(&twin).await }))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Conflict {
                constraint: Constraint::RedirectSource
            }
        ),
        "{error:?}"
    );
    let gone = rule("/retired/", "", "410");
    h.store
        .write(|tx| {
            Box::pin(async move {
                tx.update_redirect(id, &gone).await?;
                tx.insert_redirect(&rule("/a/", "https://elsewhere.example/", "307"))
                    .await
            })
        })
        .await
        .unwrap();
    let all = h.store.redirects().await.unwrap();
    let summary: Vec<_> = all
        .iter()
        .map(|r| (r.rule.source.as_str(), r.rule.status))
        .collect();
    assert_eq!(
        summary,
        [
            ("/a/", RedirectStatus::TemporaryKeepMethod),
            ("/retired/", RedirectStatus::Gone)
        ]
    );
    assert_eq!(h.store.redirect(id).await.unwrap().unwrap().rule.target, "");
    assert!(
        h.store
            .write(|tx| Box::pin(async move { tx.delete_redirect(id).await }))
            .await
            .unwrap()
    );
    assert!(h.store.redirect(id).await.unwrap().is_none());
    let kinds: Vec<_> = all_changes(&h.store).await.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::Redirect; 4]);
}

async fn imports_replace_rules_for_the_same_source(h: Harness) {
    h.store
        .write(|tx| {
            Box::pin(async move {
                tx.upsert_redirect(&rule("/x/", "/one/", "301")).await?;
                tx.upsert_redirect(&rule("/X", "/two/", "302")).await?;
                tx.upsert_redirect(&rule("/y/", "/three/", "")).await
            })
        })
        .await
        .unwrap();
    let all = h.store.redirects().await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[0].rule.source.as_str(), all[0].rule.target.as_str()),
        ("/X", "/two/")
    );
}
