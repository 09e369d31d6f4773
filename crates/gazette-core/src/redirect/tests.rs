use super::*;

fn rule(source: &str, target: &str) -> RedirectRule {
    RedirectRule::parse(source, target, "301").expect("a valid rule")
}

#[test]
fn rules_are_checked_with_a_reason() {
    let ok = RedirectRule::parse(" /old-page/ ", "/new-page/", "").unwrap();
    assert_eq!(
        (ok.source.as_str(), ok.status),
        ("/old-page/", RedirectStatus::Permanent)
    );
    assert!(RedirectRule::parse("/promo", "https://shop.example/sale?x=1", "302").is_ok());
    assert!(RedirectRule::parse("/retired/", "", "410").is_ok());
    // Targets are kept as a Location header can carry them.
    let accented = RedirectRule::parse("/cafe/", "/café/", "301").unwrap();
    assert_eq!(accented.target, "/caf%C3%A9/");
    let idn = RedirectRule::parse("/shop/", "https://bücher.example/a b", "301");
    assert_eq!(idn, Err(RedirectError::Whitespace));
    let idn = RedirectRule::parse("/shop/", "https://bücher.example/ä", "301").unwrap();
    assert_eq!(idn.target, "https://xn--bcher-kva.example/%C3%A4");
    let refusals = [
        ("old-page", "/new/", "301", RedirectError::SourceNotPath),
        (
            "//evil.example/x",
            "/new/",
            "301",
            RedirectError::SourceNotPath,
        ),
        (
            "https://x.example/a",
            "/new/",
            "301",
            RedirectError::SourceNotPath,
        ),
        ("/old?p=1", "/new/", "301", RedirectError::SourceHasQuery),
        (
            "/admin/",
            "/new/",
            "301",
            RedirectError::SourceReserved("/admin".into()),
        ),
        (
            "/Assets/x.css",
            "/new/",
            "301",
            RedirectError::SourceReserved("/assets/".into()),
        ),
        (
            "/old",
            "javascript:alert(1)",
            "301",
            RedirectError::TargetInvalid,
        ),
        (
            "/old",
            "//evil.example/",
            "301",
            RedirectError::TargetInvalid,
        ),
        ("/old", "", "301", RedirectError::TargetInvalid),
        ("/old", "/new", "410", RedirectError::GoneWithTarget),
        ("/old", "/new", "303", RedirectError::Status("303".into())),
        (
            "/old",
            "/new",
            "moved",
            RedirectError::Status("moved".into()),
        ),
        ("/old page", "/new", "301", RedirectError::Whitespace),
        ("/old", "/new\u{0}", "301", RedirectError::Whitespace),
    ];
    for (source, target, status, expected) in refusals {
        assert_eq!(
            RedirectRule::parse(source, target, status),
            Err(expected),
            "{source} → {target} ({status})"
        );
    }
}

#[test]
fn sources_match_whatever_their_case_encoding_and_final_slash() {
    assert_eq!(match_key("/Old%20Page/"), "/old page");
    assert_eq!(match_key("/old page"), "/old page");
    assert_eq!(match_key("/caf%C3%A9/"), "/café");
    assert_eq!(match_key("/"), "/");
    assert_eq!(rule("/A/B/", "/c/").key(), "/a/b");
}

#[test]
fn loops_are_found_however_long() {
    let existing = [
        rule("/a/", "/b/"),
        rule("/b/", "/c/"),
        rule("/x/", "https://elsewhere.example/a/"),
    ];
    assert_eq!(find_loop(&existing, &rule("/d/", "/a/")), None);
    assert_eq!(
        find_loop(&existing, &rule("/c/", "/A")),
        Some(vec!["/c/".into(), "/A".into(), "/b/".into(), "/c/".into()])
    );
    assert_eq!(
        find_loop(&[], &rule("/self/", "/self")),
        Some(vec!["/self/".into(), "/self".into()])
    );
    // Another site's path of the same name is not a loop; nor is a chain ending in 410.
    assert_eq!(
        find_loop(&existing, &rule("/y/", "https://elsewhere.example/y/")),
        None
    );
    let gone = [RedirectRule::parse("/g/", "", "410").unwrap()];
    assert_eq!(find_loop(&gone, &rule("/h/", "/g/")), None);
    // Editing a rule replaces its old version.
    assert_eq!(find_loop(&existing, &rule("/b/", "/new/")), None);
    // A query string on the target does not hide a loop.
    assert_eq!(
        find_loop(&[], &rule("/q/", "/q/?utm=1")),
        Some(vec!["/q/".into(), "/q/?utm=1".into()])
    );
}

#[test]
fn csv_rows_are_read_as_spreadsheets_write_them() {
    let text = "source,target,status\r\n/old/,/new/,301\n\n\"/with,comma/\",\"/quoted \"\"x\"\"/\"\n/gone/,,410\n";
    let rules = parse_csv(text);
    assert!(rules.is_err(), "a space in a target is refused");
    let text = "Source,Target,Status\n/old/,/new/,301\n\"/with,comma/\",/new/\n/gone/,,410\n";
    let rules = parse_csv(text).unwrap();
    assert_eq!(rules.len(), 3);
    assert_eq!(rules[1].source, "/with,comma/");
    assert_eq!(rules[1].status, RedirectStatus::Permanent);
    assert_eq!(rules[2].status, RedirectStatus::Gone);
    assert_eq!(
        parse_csv(&to_csv(&rules)).unwrap(),
        rules,
        "export reads back"
    );
}

#[test]
fn every_bad_csv_row_is_reported_with_its_line() {
    let text =
        "/ok/,/fine/\nnot-a-path,/x/\n/ok/,/again/\n/a/,/b/,301,extra\n\"/open,/x/\n/c/,/d/,999\n";
    let problems = parse_csv(text).unwrap_err();
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6]);
    assert!(problems[1].message.contains("already has a rule on line 1"));
    assert!(problems[3].message.contains("not closed"));
}

#[test]
fn loops_among_many_rules_are_found_in_one_pass() {
    let rules = vec![rule("/a/", "/b/"), rule("/b/", "/a/"), rule("/c/", "/d/")];
    let loops = loops_among(&rules, &rules);
    let indexes: Vec<usize> = loops.iter().map(|(n, _)| *n).collect();
    assert_eq!(indexes, [0, 1]);
    assert_eq!(loops[0].1, ["/a/", "/b/", "/a/"]);
}
