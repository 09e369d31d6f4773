//! Newsletters and their subscribers: the double opt-in as states, the daily limit on
//! confirmation mail, consent kept per newsletter, and the suppression list.

use gazette_core::{Cadence, Clock as _, Email, NewsletterId, Slug, SubscriberStatus, Suppression};
use gazette_store::{NewConsent, NewNewsletter, Store};
use jiff::SignedDuration;

use super::{Harness, harness};

store_contract!(
    newsletters_keep_their_definition_and_sections,
    a_subscription_waits_for_its_confirmation,
    confirmation_mail_goes_once_a_day_at_most,
    leaving_suppresses_the_address_until_it_confirms_again,
    a_relay_s_word_is_never_lifted_by_a_form,
    preferences_change_what_is_received_and_keep_first_consent,
    erasing_forgets_the_subscriber_and_keeps_the_address_out_for_good,
    subscribers_are_counted_once_a_day,
);

fn definition(slug: &str, cadence: Cadence) -> NewNewsletter {
    NewNewsletter {
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_uppercase(),
        description: format!("All about {slug}."),
        cadence,
        sections: Vec::new(),
        sender_name: "The Desk".to_owned(),
        sender_email: "desk@example.org".to_owned(),
        footer: "1 Press Street".to_owned(),
    }
}

async fn add_newsletter(store: &Store, new: NewNewsletter) -> NewsletterId {
    store
        .write(|tx| Box::pin(async move { tx.insert_newsletter(&new).await }))
        .await
        .unwrap()
}

fn consent(form: &str) -> NewConsent {
    NewConsent {
        form: form.to_owned(),
        wording: "Send me the morning briefing.".to_owned(),
    }
}

async fn request(
    store: &Store,
    email: &str,
    newsletters: &[NewsletterId],
    form: &str,
) -> gazette_core::SubscriberId {
    let email = Email::parse(email).unwrap();
    let (newsletters, consent) = (newsletters.to_vec(), consent(form));
    store
        .write(|tx| {
            Box::pin(async move {
                tx.request_subscription(&email, &newsletters, &consent)
                    .await
            })
        })
        .await
        .unwrap()
}

async fn newsletters_keep_their_definition_and_sections(h: Harness) {
    let section = super::add_section(&h.store, "world", None).await.unwrap();
    let mut daily = definition("morning", Cadence::Daily { minute: 7 * 60 });
    daily.sections = vec![section.id];
    let id = add_newsletter(&h.store, daily.clone()).await;
    let stored = h.store.newsletter(id).await.unwrap().unwrap();
    assert_eq!(stored.cadence, Cadence::Daily { minute: 420 });
    assert_eq!(stored.sections, vec![section.id]);
    assert_eq!(
        (stored.name.as_str(), stored.footer.as_str()),
        ("MORNING", "1 Press Street")
    );

    let taken = daily.clone();
    let again = h
        .store
        .write(|tx| Box::pin(async move { tx.insert_newsletter(&taken).await }))
        .await;
    assert!(
        matches!(again, Err(gazette_store::StoreError::Conflict { .. })),
        "{again:?}"
    );

    let mut weekly = daily;
    weekly.cadence = Cadence::Weekly {
        weekday: 5,
        minute: 17 * 60,
    };
    weekly.sections = Vec::new();
    let updated = h
        .store
        .write(|tx| Box::pin(async move { tx.update_newsletter(id, &weekly).await }))
        .await
        .unwrap();
    assert!(updated);
    let stored = h.store.newsletter(id).await.unwrap().unwrap();
    assert_eq!(
        stored.cadence,
        Cadence::Weekly {
            weekday: 5,
            minute: 1020
        }
    );
    assert!(stored.sections.is_empty());
}

async fn a_subscription_waits_for_its_confirmation(h: Harness) {
    let morning = add_newsletter(&h.store, definition("morning", Cadence::EachArticle)).await;
    let id = request(&h.store, "Reader@Example.org", &[morning], "/newsletters/").await;
    let pending = h.store.subscriber(id).await.unwrap().unwrap();
    assert_eq!(pending.status, SubscriberStatus::Pending);
    assert_eq!(pending.subscriptions.len(), 1);
    assert_eq!(pending.subscriptions[0].confirmed_at, None);
    assert_eq!(pending.subscriptions[0].consent.form, "/newsletters/");

    let same = request(&h.store, "reader@example.org", &[morning], "/world/").await;
    assert_eq!(same, id, "one subscriber per address, whatever its case");

    h.clock.advance(SignedDuration::from_mins(5));
    h.store
        .write(|tx| Box::pin(async move { tx.confirm_subscriber(id).await }))
        .await
        .unwrap();
    let confirmed = h.store.subscriber(id).await.unwrap().unwrap();
    assert_eq!(confirmed.status, SubscriberStatus::Confirmed);
    assert_eq!(confirmed.confirmed_at, Some(h.clock.now()));
    assert_eq!(confirmed.subscriptions[0].confirmed_at, Some(h.clock.now()));
    assert_eq!(
        confirmed.subscriptions[0].consent.form, "/world/",
        "the newer pending consent"
    );
}

async fn confirmation_mail_goes_once_a_day_at_most(h: Harness) {
    let morning = add_newsletter(&h.store, definition("morning", Cadence::EachArticle)).await;
    let id = request(&h.store, "a@example.org", &[morning], "/newsletters/").await;
    let claim = || {
        h.store
            .write(move |tx| Box::pin(async move { tx.claim_confirmation_mail(id).await }))
    };
    assert!(claim().await.unwrap());
    assert!(
        !claim().await.unwrap(),
        "a second ask the same day mails nothing"
    );
    h.clock.advance(SignedDuration::from_hours(23));
    assert!(!claim().await.unwrap());
    h.clock.advance(SignedDuration::from_hours(1));
    assert!(claim().await.unwrap(), "a day later it may go again");
}

async fn leaving_suppresses_the_address_until_it_confirms_again(h: Harness) {
    let morning = add_newsletter(&h.store, definition("morning", Cadence::EachArticle)).await;
    let id = request(&h.store, "b@example.org", &[morning], "/newsletters/").await;
    confirm(&h.store, id).await;
    h.store
        .write(|tx| Box::pin(async move { tx.leave_all(id).await }))
        .await
        .unwrap();
    let left = h.store.subscriber(id).await.unwrap().unwrap();
    assert_eq!(left.status, SubscriberStatus::Left);
    assert!(left.subscriptions.is_empty());
    assert_eq!(
        h.store.suppression("b@example.org").await.unwrap(),
        Some(Suppression::Left)
    );
    assert_eq!(
        h.store.suppression(" B@Example.ORG ").await.unwrap(),
        Some(Suppression::Left),
        "an address is looked up in any case"
    );

    let again = request(&h.store, "B@example.org", &[morning], "/newsletters/").await;
    assert_eq!(again, id);
    assert_eq!(
        h.store.subscriber(id).await.unwrap().unwrap().status,
        SubscriberStatus::Pending
    );
    assert_eq!(
        h.store.suppression("b@example.org").await.unwrap(),
        Some(Suppression::Left),
        "asking is not enough"
    );
    confirm(&h.store, id).await;
    assert_eq!(
        h.store.suppression("b@example.org").await.unwrap(),
        None,
        "confirming is"
    );
}

async fn a_relay_s_word_is_never_lifted_by_a_form(h: Harness) {
    let morning = add_newsletter(&h.store, definition("morning", Cadence::EachArticle)).await;
    let id = request(&h.store, "c@example.org", &[morning], "/newsletters/").await;
    h.store
        .write(|tx| {
            Box::pin(async move { tx.suppress("c@example.org", Suppression::Bounced).await })
        })
        .await
        .unwrap();
    h.store
        .write(|tx| Box::pin(async move { tx.suppress("c@example.org", Suppression::Left).await }))
        .await
        .unwrap();
    confirm(&h.store, id).await;
    assert_eq!(
        h.store.suppression("c@example.org").await.unwrap(),
        Some(Suppression::Bounced),
        "the first reason stays, and confirming does not lift a bounce"
    );
}

async fn preferences_change_what_is_received_and_keep_first_consent(h: Harness) {
    let morning = add_newsletter(&h.store, definition("morning", Cadence::EachArticle)).await;
    let evening = add_newsletter(&h.store, definition("evening", Cadence::ByHand)).await;
    let id = request(&h.store, "d@example.org", &[morning], "/newsletters/").await;
    confirm(&h.store, id).await;
    let choice = consent("preferences");
    h.store
        .write(|tx| {
            let choice = choice.clone();
            Box::pin(async move { tx.set_subscriptions(id, &[morning, evening], &choice).await })
        })
        .await
        .unwrap();
    let both = h.store.subscriber(id).await.unwrap().unwrap();
    let forms: Vec<&str> = both
        .subscriptions
        .iter()
        .map(|s| s.consent.form.as_str())
        .collect();
    assert_eq!(forms, ["/newsletters/", "preferences"]);
    assert!(both.subscriptions.iter().all(|s| s.confirmed_at.is_some()));

    h.store
        .write(|tx| {
            let choice = choice.clone();
            Box::pin(async move { tx.set_subscriptions(id, &[evening], &choice).await })
        })
        .await
        .unwrap();
    let one = h.store.subscriber(id).await.unwrap().unwrap();
    assert_eq!(one.subscriptions.len(), 1);
    assert_eq!(one.subscriptions[0].newsletter, evening);
}

async fn confirm(store: &Store, id: gazette_core::SubscriberId) {
    store
        .write(|tx| Box::pin(async move { tx.confirm_subscriber(id).await }))
        .await
        .unwrap();
}

async fn erasing_forgets_the_subscriber_and_keeps_the_address_out_for_good(h: Harness) {
    let morning = add_newsletter(&h.store, definition("morning", Cadence::EachArticle)).await;
    let id = request(&h.store, "e@example.org", &[morning], "/newsletters/").await;
    confirm(&h.store, id).await;
    h.store
        .write(|tx| Box::pin(async move { tx.leave_all(id).await }))
        .await
        .unwrap();
    let found = h.store.subscriber_by_email("E@Example.org").await.unwrap();
    assert_eq!(found.map(|s| s.id), Some(id), "found in any case");

    let erased = h
        .store
        .write(|tx| Box::pin(async move { tx.erase_subscriber("E@example.org").await }))
        .await
        .unwrap();
    assert!(erased);
    assert!(
        h.store.subscriber(id).await.unwrap().is_none(),
        "nothing kept"
    );
    assert_eq!(
        h.store.suppression("e@example.org").await.unwrap(),
        Some(Suppression::Erased),
        "an erasure replaces leaving, which a new consent could lift"
    );
    let never = h
        .store
        .write(|tx| Box::pin(async move { tx.erase_subscriber("never@example.org").await }))
        .await
        .unwrap();
    assert!(!never, "no subscriber to forget");
    assert_eq!(
        h.store.suppression("never@example.org").await.unwrap(),
        Some(Suppression::Erased),
        "an erased address is kept out even if it never subscribed"
    );
}

async fn subscribers_are_counted_once_a_day(h: Harness) {
    let store = &h.store;
    let morning = add_newsletter(store, definition("morning", Cadence::EachArticle)).await;
    let evening = add_newsletter(store, definition("evening", Cadence::ByHand)).await;
    let tally = |day: &'static str| async move {
        store
            .write(|tx| Box::pin(async move { tx.record_newsletter_tallies(day).await }))
            .await
            .unwrap()
    };
    let ann = request(store, "ann@example.org", &[morning], "/").await;
    confirm(store, ann).await;
    request(store, "bob@example.org", &[morning], "/").await;
    assert_eq!(tally("2026-12-06").await, 2, "every newsletter is counted");
    request(store, "cat@example.org", &[morning], "/").await;
    assert_eq!(tally("2026-12-07").await, 2);
    let cat = store
        .subscriber_by_email("cat@example.org")
        .await
        .unwrap()
        .unwrap();
    confirm(store, cat.id).await;
    tally("2026-12-07").await;
    let counts: Vec<(String, i64, i64)> = store
        .newsletter_tallies(morning, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.day, t.confirmed, t.pending))
        .collect();
    assert_eq!(
        counts,
        [
            ("2026-12-07".to_owned(), 2, 1),
            ("2026-12-06".to_owned(), 1, 1)
        ],
        "newest first; counted again the same day, the newer count stays"
    );
    let none = store.newsletter_tallies(evening, 10).await.unwrap();
    assert_eq!((none[0].confirmed, none[0].pending), (0, 0));
}
