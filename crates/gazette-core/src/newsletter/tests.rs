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

fn at(text: &str) -> Timestamp {
    text.parse().unwrap_or_default()
}

#[test]
fn a_daily_digest_keeps_its_local_time_across_daylight_saving() {
    let paris = TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC);
    let seven = Cadence::Daily { minute: 7 * 60 };
    // Winter: 07:00 in Paris is 06:00 UTC; after the spring change it is 05:00 UTC.
    assert_eq!(
        seven.last_slot(at("2027-03-27T12:00:00Z"), &paris),
        Some(at("2027-03-27T06:00:00Z"))
    );
    assert_eq!(
        seven.next_slot(at("2027-03-27T12:00:00Z"), &paris),
        Some(at("2027-03-28T05:00:00Z"))
    );
    assert_eq!(
        seven.last_slot(at("2027-03-28T04:59:59Z"), &paris),
        Some(at("2027-03-27T06:00:00Z")),
        "not yet due on the morning of the change"
    );
}

#[test]
fn a_skipped_local_time_falls_due_after_the_gap() {
    let paris = TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC);
    // 02:30 does not exist in Paris on 2027-03-28: clocks go from 02:00 to 03:00 (01:00 UTC).
    let night = Cadence::Daily {
        minute: 2 * 60 + 30,
    };
    assert_eq!(
        night.next_slot(at("2027-03-27T12:00:00Z"), &paris),
        Some(at("2027-03-28T01:30:00Z"))
    );
}

#[test]
fn a_weekly_digest_falls_on_its_day() {
    let utc = TimeZone::UTC;
    // 2026-12-11 is a Friday.
    let friday = Cadence::Weekly {
        weekday: 5,
        minute: 17 * 60,
    };
    assert_eq!(
        friday.next_slot(at("2026-12-07T10:00:00Z"), &utc),
        Some(at("2026-12-11T17:00:00Z"))
    );
    assert_eq!(
        friday.last_slot(at("2026-12-07T10:00:00Z"), &utc),
        Some(at("2026-12-04T17:00:00Z"))
    );
    assert_eq!(
        Cadence::ByHand.next_slot(at("2026-12-07T10:00:00Z"), &utc),
        None
    );
}
