use jiff::SignedDuration;

use super::*;

fn clean() -> Signals {
    Signals {
        honeypot_filled: false,
        form_age: FormAge::Seconds(40),
        links: 0,
        duplicate: false,
        known_commenter: true,
        uses_staff_email: false,
        moderation_match: None,
        block_match: None,
    }
}

#[test]
fn a_known_commenter_with_a_clean_comment_is_published() {
    let assessed = assess(&clean(), &CommentPolicy::default());
    assert_eq!(assessed.status, CommentStatus::Approved);
    assert_eq!(assessed.score, 0);
    assert!(assessed.reasons.is_empty());
}

#[test]
fn a_first_comment_is_held_under_the_default_policy_and_says_why() {
    let first = Signals {
        known_commenter: false,
        ..clean()
    };
    let assessed = assess(&first, &CommentPolicy::default());
    assert_eq!(assessed.status, CommentStatus::Pending);
    assert!(assessed.reasons[0].contains("First comment"));
    let open = CommentPolicy {
        moderation: ModerationMode::ApproveClean,
        ..CommentPolicy::default()
    };
    assert_eq!(assess(&first, &open).status, CommentStatus::Approved);
}

#[test]
fn hold_all_holds_even_trusted_commenters() {
    let policy = CommentPolicy {
        moderation: ModerationMode::HoldAll,
        ..CommentPolicy::default()
    };
    assert_eq!(assess(&clean(), &policy).status, CommentStatus::Pending);
}

#[test]
fn the_honeypot_and_the_block_list_mean_spam() {
    let policy = CommentPolicy::default();
    let honeypot = Signals {
        honeypot_filled: true,
        ..clean()
    };
    assert_eq!(assess(&honeypot, &policy).status, CommentStatus::Spam);
    let blocked = Signals {
        block_match: Some("casino".to_owned()),
        ..clean()
    };
    let assessed = assess(&blocked, &policy);
    assert_eq!(assessed.status, CommentStatus::Spam);
    assert!(assessed.reasons[0].contains("casino"));
}

#[test]
fn suspicious_signals_add_up() {
    let policy = CommentPolicy::default();
    let no_script = Signals {
        form_age: FormAge::Unknown,
        ..clean()
    };
    // Without the script alone, a trusted commenter still gets through…
    assert_eq!(assess(&no_script, &policy).status, CommentStatus::Approved);
    // …but not with too many links as well.
    let links = Signals {
        links: 3,
        ..no_script.clone()
    };
    assert_eq!(assess(&links, &policy).status, CommentStatus::Pending);
    let fast = Signals {
        form_age: FormAge::Seconds(1),
        ..clean()
    };
    assert_eq!(assess(&fast, &policy).status, CommentStatus::Pending);
    let fast_duplicate = Signals {
        duplicate: true,
        ..fast
    };
    assert_eq!(assess(&fast_duplicate, &policy).status, CommentStatus::Spam);
}

#[test]
fn a_staff_email_from_the_public_form_is_held() {
    let posing = Signals {
        uses_staff_email: true,
        ..clean()
    };
    let policy = CommentPolicy {
        moderation: ModerationMode::ApproveClean,
        ..CommentPolicy::default()
    };
    let assessed = assess(&posing, &policy);
    assert_eq!(assessed.status, CommentStatus::Pending);
    assert!(assessed.reasons[0].contains("member of staff"));
}

#[test]
fn lists_match_words_addresses_and_networks() {
    let list = vec![
        " ".to_owned(),
        "Viagra".to_owned(),
        "203.0.113.0/24".to_owned(),
        "2001:db8::/32".to_owned(),
    ];
    assert_eq!(
        list_match(&list, &["cheap VIAGRA here"], None).as_deref(),
        Some("Viagra")
    );
    assert_eq!(list_match(&list, &["hello"], None), None);
    let inside = "203.0.113.77".parse().ok();
    assert_eq!(
        list_match(&list, &["hello"], inside).as_deref(),
        Some("203.0.113.0/24")
    );
    assert_eq!(
        list_match(&list, &["hello"], "203.0.114.1".parse().ok()),
        None
    );
    assert!(list_match(&list, &["x"], "2001:db8:1::5".parse().ok()).is_some());
    // An address in the text does not match a network entry: entries match what they are.
    assert_eq!(list_match(&list, &["203.0.113.5"], None), None);
}

#[test]
fn replies_nest_until_the_last_level() {
    let policy = CommentPolicy::default();
    assert_eq!(policy.reply_depth(0), 1);
    assert_eq!(policy.reply_depth(3), 4);
    assert_eq!(policy.reply_depth(4), 4);
    // Deeper than allowed, after the limit was lowered: back to the last level.
    assert_eq!(policy.reply_depth(7), 4);
    let flat = CommentPolicy {
        thread_depth: 1,
        ..policy
    };
    assert_eq!(flat.reply_depth(0), 0);
}

#[test]
fn comments_close_after_the_configured_days() {
    let published: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let policy = CommentPolicy {
        close_after_days: Some(14),
        ..CommentPolicy::default()
    };
    let closes = policy.closes_at(Some(published)).unwrap();
    assert_eq!(closes, "2026-01-15T00:00:00Z".parse::<Timestamp>().unwrap());
    assert!(policy.open_at(true, Some(published), closes - SignedDuration::from_secs(1)));
    assert!(!policy.open_at(true, Some(published), closes));
    assert!(!policy.open_at(false, Some(published), published));
    assert!(CommentPolicy::default().open_at(true, Some(published), closes));
}

#[test]
fn links_are_counted_once() {
    assert_eq!(count_links("no links"), 0);
    assert_eq!(count_links("see https://a.example and http://b.example"), 2);
    assert_eq!(count_links("<a href=\"https://a.example\">a</a>"), 1);
    assert_eq!(count_links("<a title=x>bare</a>"), 1);
}

#[test]
fn statuses_round_trip() {
    for status in CommentStatus::ALL {
        assert_eq!(CommentStatus::parse(status.as_str()), Some(status));
    }
    assert_eq!(CommentStatus::parse("deleted"), None);
}
