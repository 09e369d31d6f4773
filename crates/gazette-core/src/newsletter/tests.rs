use jiff::{SignedDuration, Timestamp};

use super::links::{CONFIRMATION_LIFETIME, LinkClaim, LinkPurpose, token};
use super::*;

fn now() -> Timestamp {
    "2026-12-07T10:00:00Z".parse().unwrap_or_default()
}

#[test]
fn a_link_holds_for_its_address_and_purpose_only() {
    let id = SubscriberId(7);
    for purpose in [
        LinkPurpose::Confirm,
        LinkPurpose::Preferences,
        LinkPurpose::Unsubscribe,
    ] {
        let token = token("secret", purpose, id, "Reader@Example.org", now());
        let claim = LinkClaim::parse(&token).expect("a token parses");
        assert_eq!((claim.purpose, claim.subscriber), (purpose, id));
        assert!(
            claim.holds("secret", "reader@example.org", now()),
            "{token}"
        );
        assert!(!claim.holds("other secret", "reader@example.org", now()));
        assert!(
            !claim.holds("secret", "someone@example.org", now()),
            "a changed address"
        );
        assert!(!claim.holds("secret", "", now()), "an erased address");
    }
    let unsubscribe = token(
        "secret",
        LinkPurpose::Unsubscribe,
        id,
        "a@example.org",
        now(),
    );
    let as_preferences = unsubscribe.replacen('u', "p", 1);
    let claim = LinkClaim::parse(&as_preferences).expect("still parses");
    assert!(
        !claim.holds("secret", "a@example.org", now()),
        "a purpose cannot be swapped"
    );
}

#[test]
fn a_confirmation_expires_and_the_others_do_not() {
    let id = SubscriberId(3);
    let confirm =
        LinkClaim::parse(&token("s", LinkPurpose::Confirm, id, "a@b.org", now())).unwrap();
    let later = now() + CONFIRMATION_LIFETIME;
    assert!(confirm.holds("s", "a@b.org", later));
    assert!(!confirm.holds("s", "a@b.org", later + SignedDuration::from_secs(1)));
    let leave =
        LinkClaim::parse(&token("s", LinkPurpose::Unsubscribe, id, "a@b.org", now())).unwrap();
    assert!(leave.holds(
        "s",
        "a@b.org",
        now() + SignedDuration::from_hours(24 * 365 * 3)
    ));
}

#[test]
fn what_is_not_a_token_is_refused() {
    for bad in [
        "",
        "c",
        "c.1",
        "c.1.abc",
        "x.1.abc",
        "p.one.abc",
        "p.1.2.abc",
        "c.1.soon.abc",
    ] {
        assert!(LinkClaim::parse(bad).is_none(), "{bad}");
    }
}

#[test]
fn cadences_survive_being_stored() {
    for cadence in [
        Cadence::EachArticle,
        Cadence::Daily { minute: 7 * 60 },
        Cadence::Weekly {
            weekday: 5,
            minute: 18 * 60 + 30,
        },
        Cadence::ByHand,
    ] {
        let (name, minute, weekday) = cadence.parts();
        let back = Cadence::from_parts(name, minute.map(i64::from), weekday.map(i64::from));
        assert_eq!(back, Some(cadence));
    }
    assert_eq!(Cadence::from_parts("daily", None, None), None);
    assert_eq!(Cadence::from_parts("weekly", Some(60), Some(8)), None);
    assert_eq!(Cadence::from_parts("daily", Some(24 * 60), None), None);
}

#[test]
fn only_leaving_is_lifted_by_a_new_consent() {
    assert!(Suppression::Left.lifted_by_consent());
    for stands in [
        Suppression::Bounced,
        Suppression::Complained,
        Suppression::Erased,
    ] {
        assert!(!stands.lifted_by_consent());
        assert_eq!(Suppression::parse(stands.as_str()), Some(stands));
    }
    assert_eq!(address_hash("a@b.org").len(), 64);
}
