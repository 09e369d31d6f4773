//! Newsletter issues and their deliveries: queued for confirmed subscribers only, claimed
//! before sending and settled after, lapsed claims turned `unknown` (never sent again on
//! their own), and pausing and cancelling stopping what is not claimed.

use gazette_core::{Cadence, Email, NewsletterId, Slug, SubscriberId};
use gazette_store::{IssueId, IssueStatus, NewConsent, NewIssue, NewNewsletter, Settled, Store};
use jiff::SignedDuration;

use super::{Harness, harness};

store_contract!(
    an_issue_goes_to_confirmed_subscribers_once_each,
    a_lapsed_claim_becomes_unknown_and_is_not_sent_again,
    pausing_and_cancelling_stop_what_is_not_claimed,
    deferred_deliveries_wait_for_their_time,
);

const LEASE: SignedDuration = SignedDuration::from_mins(10);

async fn newsletter(store: &Store) -> NewsletterId {
    let new = NewNewsletter {
        slug: Slug::parse("morning").unwrap(),
        name: "Morning".to_owned(),
        description: String::new(),
        cadence: Cadence::ByHand,
        sections: Vec::new(),
        sender_name: "Desk".to_owned(),
        sender_email: "desk@example.org".to_owned(),
        footer: "1 Press Street".to_owned(),
    };
    store
        .write(|tx| Box::pin(async move { tx.insert_newsletter(&new).await }))
        .await
        .unwrap()
}

/// A subscriber of `newsletter`, confirmed or not.
async fn subscriber(
    store: &Store,
    newsletter: NewsletterId,
    email: &str,
    confirmed: bool,
) -> SubscriberId {
    let email = Email::parse(email).unwrap();
    let consent = NewConsent {
        form: "/newsletters/".to_owned(),
        wording: "Yes".to_owned(),
    };
    store
        .write(|tx| {
            Box::pin(async move {
                let id = tx
                    .request_subscription(&email, &[newsletter], &consent)
                    .await?;
                if confirmed {
                    tx.confirm_subscriber(id).await?;
                }
                Ok::<_, gazette_store::StoreError>(id)
            })
        })
        .await
        .unwrap()
}

async fn issue(store: &Store, newsletter: NewsletterId) -> (IssueId, u64) {
    let new = NewIssue {
        newsletter,
        slug: "1-first".to_owned(),
        subject: "First".to_owned(),
        article: None,
        html: "<p>Hello</p>".to_owned(),
        text: "Hello".to_owned(),
        subscribers_only: false,
    };
    store
        .write(|tx| Box::pin(async move { tx.insert_issue(&new).await }))
        .await
        .unwrap()
}

/// Claims up to `n` deliveries of `id`.
async fn claim(store: &Store, id: IssueId, n: i64) -> Vec<gazette_store::Delivery> {
    store
        .claim_deliveries(id, n, LEASE)
        .await
        .unwrap()
        .deliveries
}

fn sent(n: u64) -> Settled {
    Settled::Sent {
        message_id: format!("<{n}@example.org>"),
    }
}

async fn an_issue_goes_to_confirmed_subscribers_once_each(h: Harness) {
    let store = &h.store;
    let morning = newsletter(store).await;
    let a = subscriber(store, morning, "a@example.org", true).await;
    let b = subscriber(store, morning, "b@example.org", true).await;
    subscriber(store, morning, "pending@example.org", false).await;
    let (id, queued) = issue(store, morning).await;
    assert_eq!(queued, 2, "the pending address gets nothing");

    let first = claim(store, id, 1).await;
    assert_eq!(first.len(), 1);
    assert_eq!((first[0].subscriber, first[0].attempt), (a, 1));
    assert_eq!(first[0].email, "a@example.org");
    let second = claim(store, id, 10).await;
    assert_eq!(
        second.iter().map(|d| d.subscriber).collect::<Vec<_>>(),
        [b],
        "a claimed row is not claimed twice"
    );
    assert!(claim(store, id, 10).await.is_empty());
    assert!(
        !store.finish_issue(id).await.unwrap(),
        "not while deliveries are being sent"
    );

    store.settle_delivery(id, a, &sent(1)).await.unwrap();
    store
        .settle_delivery(
            id,
            b,
            &Settled::Bounced {
                error: "550 no such user".to_owned(),
            },
        )
        .await
        .unwrap();
    let progress = store.issue_progress(id).await.unwrap();
    assert_eq!(
        (progress.sent, progress.bounced, progress.queued),
        (1, 1, 0)
    );
    assert!(store.finish_issue(id).await.unwrap());
    assert_eq!(
        store.issue(id).await.unwrap().unwrap().status,
        IssueStatus::Sent
    );
    // Settling again changes nothing: only a row being sent is settled.
    store.settle_delivery(id, b, &sent(2)).await.unwrap();
    assert_eq!(store.issue_progress(id).await.unwrap().bounced, 1);
}

async fn a_lapsed_claim_becomes_unknown_and_is_not_sent_again(h: Harness) {
    let store = &h.store;
    let morning = newsletter(store).await;
    subscriber(store, morning, "a@example.org", true).await;
    let (id, _) = issue(store, morning).await;
    assert_eq!(claim(store, id, 10).await.len(), 1);
    // The node died mid-transaction: nothing settles the row. Its sender's successor is
    // told to look again when the claim lapses.
    assert_eq!(
        store.next_wakeup(id).await.unwrap(),
        Some(h.store.clock().now() + LEASE)
    );
    h.clock.advance(LEASE - SignedDuration::from_secs(1));
    assert_eq!(
        store.expire_deliveries().await.unwrap(),
        0,
        "not before its lease lapses"
    );
    h.clock.advance(SignedDuration::from_secs(1));
    assert_eq!(store.expire_deliveries().await.unwrap(), 1);
    assert_eq!(store.issue_progress(id).await.unwrap().unknown, 1);
    assert!(
        claim(store, id, 10).await.is_empty(),
        "never sent again on its own"
    );
    assert!(store.finish_issue(id).await.unwrap());

    // An editor sends the unknown one again: queued, and the issue sends again.
    let resend = |store: &Store| {
        let store = store.clone();
        async move {
            store
                .write(|tx| Box::pin(async move { tx.resend_unknown(id).await }))
                .await
                .unwrap()
        }
    };
    assert_eq!(resend(store).await, 1);
    assert_eq!(
        store.issue(id).await.unwrap().unwrap().status,
        IssueStatus::Sending
    );
    assert_eq!(
        claim(store, id, 10).await.len(),
        1,
        "sent again, once asked"
    );
    assert_eq!(resend(store).await, 0, "nothing unknown is left");
}

async fn pausing_and_cancelling_stop_what_is_not_claimed(h: Harness) {
    let store = &h.store;
    let morning = newsletter(store).await;
    for n in 0..3 {
        subscriber(store, morning, &format!("r{n}@example.org"), true).await;
    }
    let (id, _) = issue(store, morning).await;
    let claimed = claim(store, id, 1).await;
    let control = |from: Vec<IssueStatus>, to| {
        store.write(move |tx| Box::pin(async move { tx.move_issue(id, &from, to).await }))
    };
    assert!(
        control(vec![IssueStatus::Sending], IssueStatus::Paused)
            .await
            .unwrap()
    );
    assert!(claim(store, id, 10).await.is_empty(), "paused");
    assert!(
        control(vec![IssueStatus::Paused], IssueStatus::Sending)
            .await
            .unwrap()
    );
    assert_eq!(claim(store, id, 1).await.len(), 1, "resumed");
    assert!(
        control(
            vec![IssueStatus::Sending, IssueStatus::Paused],
            IssueStatus::Cancelled
        )
        .await
        .unwrap()
    );
    let progress = store.issue_progress(id).await.unwrap();
    assert_eq!(
        (progress.cancelled, progress.sending),
        (1, 2),
        "what was claimed finishes"
    );
    store
        .settle_delivery(id, claimed[0].subscriber, &sent(1))
        .await
        .unwrap();
    assert_eq!(store.issue_progress(id).await.unwrap().sent, 1);
    assert!(
        !control(vec![IssueStatus::Paused], IssueStatus::Sending)
            .await
            .unwrap(),
        "a cancelled issue stays so"
    );
}

async fn deferred_deliveries_wait_for_their_time(h: Harness) {
    let store = &h.store;
    let morning = newsletter(store).await;
    let a = subscriber(store, morning, "a@example.org", true).await;
    let (id, _) = issue(store, morning).await;
    claim(store, id, 10).await;
    let again_at = h.store.clock().now() + SignedDuration::from_mins(5);
    let deferred = Settled::Deferred {
        again_at,
        error: "451 try later".to_owned(),
    };
    store.settle_delivery(id, a, &deferred).await.unwrap();
    assert_eq!(store.next_wakeup(id).await.unwrap(), Some(again_at));
    assert!(claim(store, id, 10).await.is_empty(), "not before its time");
    assert!(
        !store.finish_issue(id).await.unwrap(),
        "a deferred delivery is still to send"
    );
    h.clock.advance(SignedDuration::from_mins(5));
    let again = claim(store, id, 10).await;
    assert_eq!((again.len(), again[0].attempt), (1, 2));
}
