//! The job queue part of the store contract: due times, back-off, dedupe keys, leases,
//! racing claimers, and the publishing job kept in step with a scheduled article.

use gazette_core::{Slug, Status};
use gazette_store::{NewJob, NewTag, PUBLISH_SCHEDULED, Store, StoreError};
use jiff::SignedDuration;

use super::{Harness, add_article, article, harness, start_time};

store_contract!(
    jobs_wait_for_their_due_time,
    failed_jobs_back_off_then_give_up,
    dedupe_key_moves_a_job_instead_of_adding_one,
    expired_lease_lets_another_node_take_over,
    racing_claimers_get_each_job_once,
    scheduling_an_article_keeps_one_job_in_step,
);

fn job(kind: &str, due_in: SignedDuration) -> NewJob {
    NewJob::new(
        kind,
        serde_json::json!({ "article": 7 }),
        start_time() + due_in,
    )
}

async fn enqueue(store: &Store, job: NewJob) -> gazette_store::JobId {
    store
        .write(|tx| Box::pin(async move { tx.enqueue_job(&job).await }))
        .await
        .unwrap()
}

async fn jobs_wait_for_their_due_time(h: Harness) {
    let lease = SignedDuration::from_mins(5);
    let id = enqueue(&h.store, job("publish", SignedDuration::from_mins(10))).await;
    assert_eq!(
        h.store.next_job_due().await.unwrap(),
        Some(start_time() + SignedDuration::from_mins(10))
    );
    assert_eq!(
        h.store.claim_due_job("node-a", lease).await.unwrap(),
        None,
        "not due yet"
    );
    h.clock.advance(SignedDuration::from_mins(10));
    let claimed = h
        .store
        .claim_due_job("node-a", lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (claimed.id, claimed.kind.as_str(), claimed.attempt),
        (id, "publish", 1)
    );
    assert_eq!(claimed.payload, serde_json::json!({ "article": 7 }));
    assert_eq!(
        h.store.claim_due_job("node-b", lease).await.unwrap(),
        None,
        "held by node-a"
    );
    let stats = h.store.job_stats().await.unwrap();
    assert_eq!((stats.pending, stats.due, stats.failed), (1, 1, 0));
    // The job's effect and its completion commit together.
    let done = claimed.clone();
    h.store
        .write(|tx| {
            Box::pin(async move {
                tx.insert_tag(&NewTag {
                    slug: Slug::parse("effect").unwrap(),
                    name: "e".into(),
                    description: String::new(),
                })
                .await?;
                tx.complete_job(&done).await
            })
        })
        .await
        .unwrap();
    assert_eq!(h.store.job_stats().await.unwrap().pending, 0);
    assert_eq!(h.store.next_job_due().await.unwrap(), None);
    assert_eq!(h.store.tags().await.unwrap().len(), 1);
}

async fn failed_jobs_back_off_then_give_up(h: Harness) {
    let lease = SignedDuration::from_mins(5);
    let mut new = job("notify", SignedDuration::ZERO);
    new.max_attempts = 2;
    enqueue(&h.store, new).await;
    let first = h.store.claim_due_job("n", lease).await.unwrap().unwrap();
    let retry = h.store.fail_job(&first, "smtp down").await.unwrap();
    assert_eq!(
        retry,
        gazette_store::JobRetry::At(start_time() + SignedDuration::from_secs(5))
    );
    assert_eq!(
        h.store.claim_due_job("n", lease).await.unwrap(),
        None,
        "backing off"
    );
    h.clock.advance(SignedDuration::from_secs(5));
    let second = h.store.claim_due_job("n", lease).await.unwrap().unwrap();
    assert_eq!(second.attempt, 2);
    assert_eq!(
        h.store.fail_job(&second, "smtp still down").await.unwrap(),
        gazette_store::JobRetry::GaveUp
    );
    h.clock.advance(SignedDuration::from_hours(2));
    assert_eq!(
        h.store.claim_due_job("n", lease).await.unwrap(),
        None,
        "failed jobs are not retried"
    );
    let stats = h.store.job_stats().await.unwrap();
    assert_eq!((stats.pending, stats.failed), (0, 1));
    assert!(matches!(
        h.store.fail_job(&second, "again").await,
        Err(StoreError::LostClaim)
    ));
}

async fn dedupe_key_moves_a_job_instead_of_adding_one(h: Harness) {
    let a = enqueue(
        &h.store,
        job("publish", SignedDuration::from_hours(1)).dedupe_key("publish:7"),
    )
    .await;
    let b = enqueue(
        &h.store,
        job("publish", SignedDuration::from_hours(3)).dedupe_key("publish:7"),
    )
    .await;
    assert_eq!(a, b);
    assert_eq!(h.store.job_stats().await.unwrap().pending, 1);
    assert_eq!(
        h.store.next_job_due().await.unwrap(),
        Some(start_time() + SignedDuration::from_hours(3))
    );
    let cancelled = h
        .store
        .write(|tx| Box::pin(async move { tx.cancel_job("publish:7").await }))
        .await
        .unwrap();
    assert!(cancelled);
    assert_eq!(h.store.job_stats().await.unwrap().pending, 0);
}

async fn expired_lease_lets_another_node_take_over(h: Harness) {
    let lease = SignedDuration::from_mins(5);
    enqueue(&h.store, job("publish", SignedDuration::ZERO)).await;
    let stale = h
        .store
        .claim_due_job("node-a", lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        h.store.next_job_due().await.unwrap(),
        Some(start_time() + lease),
        "wake when the lease ends"
    );
    h.clock.advance(lease);
    let fresh = h
        .store
        .claim_due_job("node-b", lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((fresh.id, fresh.attempt), (stale.id, 2));
    // node-a finishing late must not complete node-b's claim, and its effect is rolled back.
    let late = stale.clone();
    let outcome = h
        .store
        .write(|tx| {
            Box::pin(async move {
                tx.insert_tag(&NewTag {
                    slug: Slug::parse("late").unwrap(),
                    name: "l".into(),
                    description: String::new(),
                })
                .await?;
                tx.complete_job(&late).await
            })
        })
        .await;
    assert!(matches!(outcome, Err(StoreError::LostClaim)), "{outcome:?}");
    assert!(h.store.tags().await.unwrap().is_empty());
    h.store.complete_job(&fresh).await.unwrap();
}

async fn racing_claimers_get_each_job_once(h: Harness) {
    for n in 0..6 {
        enqueue(&h.store, job(&format!("job-{n}"), SignedDuration::ZERO)).await;
    }
    let mut claimers = Vec::new();
    for node in 0..4 {
        let store = h.store.clone();
        claimers.push(tokio::spawn(async move {
            let mut won = Vec::new();
            while let Some(job) = store
                .claim_due_job(&format!("node-{node}"), SignedDuration::from_mins(5))
                .await
                .unwrap()
            {
                won.push(job.kind.clone());
                store.complete_job(&job).await.unwrap();
            }
            won
        }));
    }
    let mut all = Vec::new();
    for claimer in claimers {
        all.extend(claimer.await.unwrap());
    }
    all.sort();
    assert_eq!(
        all,
        (0..6).map(|n| format!("job-{n}")).collect::<Vec<_>>(),
        "each job ran exactly once"
    );
}

async fn scheduling_an_article_keeps_one_job_in_step(h: Harness) {
    let due = start_time() + SignedDuration::from_hours(2);
    let mut new = article("Embargoed");
    new.status = Status::Scheduled;
    new.published_at = Some(due);
    let mut saved = add_article(&h.store, new).await.unwrap();
    assert_eq!(
        h.store.next_scheduled_publication().await.unwrap(),
        Some(due)
    );
    assert_eq!(h.store.job_stats().await.unwrap().pending, 1);
    // Moving the time moves the one job.
    saved.published_at = Some(due + SignedDuration::from_hours(1));
    let saved2 = saved.clone();
    let mut saved = h
        .store
        .write(|tx| Box::pin(async move { tx.update_article(&saved2).await }))
        .await
        .unwrap();
    assert_eq!(h.store.job_stats().await.unwrap().pending, 1);
    h.clock.advance(SignedDuration::from_hours(3));
    let job = h
        .store
        .claim_due_job("node", SignedDuration::from_mins(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.kind, PUBLISH_SCHEDULED);
    assert_eq!(job.payload["article_id"], saved.id.0);
    assert_eq!(job.due_at, due + SignedDuration::from_hours(1));
    h.store.fail_job(&job, "try again").await.unwrap();
    // Unscheduling cancels it.
    saved.status = Status::Draft;
    h.store
        .write(|tx| Box::pin(async move { tx.update_article(&saved).await }))
        .await
        .unwrap();
    assert_eq!(h.store.job_stats().await.unwrap().pending, 0);
    assert_eq!(h.store.next_scheduled_publication().await.unwrap(), None);
}
