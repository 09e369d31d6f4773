//! What readers find for words, phrases and names; filters and pages that keep the query;
//! odd queries answered with a friendly page.

use gazette_core::Clock as _;
use gazette_testkit::{Backend, TestApp};

use super::{headlines, publish, search, search_path, section_id};

gazette_testkit::on_both_backends!(
    readers_find_words_phrases_and_names,
    filters_and_pages_keep_the_query,
    odd_queries_get_a_friendly_page,
);

async fn readers_find_words_phrases_and_names(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    publish(
        &app,
        &http,
        &[
            ("headline", "Zebrafish farms expand along the coast"),
            ("body", "Three new hatcheries opened this spring."),
        ],
    )
    .await;
    publish(
        &app,
        &http,
        &[
            ("headline", "Harbour council meets"),
            (
                "body",
                "Councillors argued for an hour. The council then discussed zebrafish quotas, \
                 which fishermen say are too tight, and agreed to meet again in May.",
            ),
        ],
    )
    .await;
    app.caught_up().await;

    let html = search(&app, "zebrafish").await;
    assert_eq!(
        headlines(&html),
        [
            "Zebrafish farms expand along the coast",
            "Harbour council meets"
        ],
        "a headline match ranks first"
    );
    assert!(html.contains("2 articles match “zebrafish”."), "{html}");
    assert!(
        html.contains("discussed <mark>zebrafish</mark> quotas"),
        "the snippet highlights the match"
    );
    assert!(
        html.contains("><mark>Zebrafish</mark> farms expand along the coast</a>"),
        "so does the headline: {html}"
    );
    assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
    let canonical = app.url("/search/?q=zebrafish");
    assert!(html.contains(&format!(r#"<link rel="canonical" href="{canonical}">"#)));
    let response = app.get("/search/?q=zebrafish").await;
    assert_eq!(response.headers()["x-robots-tag"], "noindex");
    assert_eq!(response.headers()["cache-control"], "no-store");

    // Stemming: "hatchery" finds "hatcheries".
    assert_eq!(
        headlines(&search(&app, "hatchery").await),
        ["Zebrafish farms expand along the coast"]
    );
    // Phrases keep their order; exclusions remove.
    assert_eq!(
        headlines(&search(&app, "\"zebrafish quotas\"").await),
        ["Harbour council meets"]
    );
    assert!(headlines(&search(&app, "\"quotas zebrafish\"").await).is_empty());
    assert_eq!(
        headlines(&search(&app, "zebrafish -council").await),
        ["Zebrafish farms expand along the coast"]
    );
    // Every word must match.
    assert!(headlines(&search(&app, "zebrafish hospital").await).is_empty());

    // WordPress's LIKE search, which the benchmark compares against, finds the same two, the
    // headline match first; `%` and `_` are literal.
    let like = app
        .store
        .search_like(&["ZEBRAFISH".to_owned()], 10)
        .await
        .unwrap();
    assert_eq!(like.len(), 2);
    let first = app.store.article(like[0]).await.unwrap().unwrap();
    assert_eq!(first.headline, "Zebrafish farms expand along the coast");
    assert!(
        app.store
            .search_like(&["zebra%".to_owned()], 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.store
            .search_like(&["discussed".to_owned(), "quotas".to_owned()], 10)
            .await
            .unwrap()
            .len(),
        1
    );

    // Bylines and accents: the demo's Inès Laurent is found as "ines laurent".
    let by_name = search(&app, "ines laurent").await;
    assert!(!headlines(&by_name).is_empty());
    assert!(by_name.contains("By Inès Laurent"), "{by_name}");

    // WordPress's address, and the masthead's box.
    assert_eq!(
        app.status_and_location("/?s=zebrafish%20quotas").await,
        (301, "/search/?q=zebrafish+quotas".to_owned())
    );
    let (_, home) = app.get_text("/").await;
    assert!(home.contains(r#"action="/search/""#) && home.contains(r#"name="q""#));
}

async fn filters_and_pages_keep_the_query(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let economy = section_id(&app, "economy").await;
    let world = section_id(&app, "world").await;
    for n in 1..=13 {
        let section = if n % 2 == 0 { &economy } else { &world };
        let tags = if n % 3 == 0 { "Marsupials" } else { "" };
        publish(
            &app,
            &http,
            &[
                ("headline", &format!("Quokka census, part {n}")),
                ("body", "Rangers counted quokkas on the island again."),
                ("section", section),
                ("tags", tags),
            ],
        )
        .await;
    }
    app.caught_up().await;

    let first = search(&app, "quokka").await;
    assert_eq!(headlines(&first).len(), 10);
    assert!(first.contains("13 articles match “quokka”."));
    assert!(
        first.contains(r#"href="/search/?q=quokka&amp;page=2""#),
        "{first}"
    );
    let second = search_path(&app, "/search/?q=quokka&page=2").await;
    assert_eq!(headlines(&second).len(), 3);
    let mut all = headlines(&first);
    all.extend(headlines(&second));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 13, "pages neither repeat nor skip results");

    // A section filter includes its subsections and survives paging.
    let economy_only = search_path(&app, "/search/?q=quokka&section=economy").await;
    assert!(economy_only.contains("6 articles match"), "{economy_only}");
    let world_only = search_path(&app, "/search/?q=quokka&section=world").await;
    assert!(world_only.contains("7 articles match"));

    // Tags by slug or name, authors by slug; an unknown one is dropped with a notice.
    let tagged = search_path(&app, "/search/?q=quokka&tag=marsupials").await;
    assert!(tagged.contains("4 articles match"), "{tagged}");
    let tagged = search_path(&app, "/search/?q=quokka&tag=MARSUPIALS&page=1").await;
    assert!(tagged.contains("4 articles match"));
    let people = app.store.people().await.unwrap();
    let admin = people
        .iter()
        .find(|p| p.email.as_str() == gazette_testkit::ADMIN_EMAIL)
        .unwrap();
    let other = people.iter().find(|p| p.id != admin.id).unwrap();
    let mine = search_path(&app, &format!("/search/?q=quokka&author={}", admin.slug)).await;
    assert!(mine.contains("13 articles match"), "{mine}");
    let theirs = search_path(&app, &format!("/search/?q=quokka&author={}", other.slug)).await;
    assert!(theirs.contains("No articles match"));
    let unknown = search_path(&app, "/search/?q=quokka&tag=nope&author=nobody").await;
    assert!(
        unknown.contains("There is no tag “nope”")
            && unknown.contains("There is no author “nobody”")
    );
    assert!(unknown.contains("13 articles match"));

    // Dates are the publication's days, both ends included.
    let today = app.clock.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let same_day = search_path(&app, &format!("/search/?q=quokka&from={today}&to={today}")).await;
    assert!(same_day.contains("13 articles match"), "{same_day}");
    let tomorrow = today.tomorrow().unwrap();
    let later = search_path(&app, &format!("/search/?q=quokka&from={tomorrow}")).await;
    assert!(later.contains("No articles match"));

    // Past the last page.
    let beyond = search_path(&app, "/search/?q=quokka&page=5").await;
    assert!(beyond.contains("There are no more results"), "{beyond}");
    assert!(headlines(&beyond).is_empty());
}

async fn odd_queries_get_a_friendly_page(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let cases = [
        ("/search/", "Type a word or a phrase"),
        ("/search/?q=", "Type a word or a phrase"),
        ("/search/?q=%22%22%22", "has no words to search for"),
        ("/search/?q=-+-+%2A%3A%28%29", "has no words to search for"),
        ("/search/?q=xylophonist", "No articles match “xylophonist”"),
        ("/search/?q=budget&page=abc", "is not a results page"),
        ("/search/?q=budget&page=0", "is not a results page"),
        (
            "/search/?q=budget&section=nowhere",
            "There is no section “nowhere”",
        ),
        (
            "/search/?q=budget&from=yesterday",
            "“yesterday” is not a date",
        ),
        ("/search/?q=budget&to=2026-02-31", "is not a date"),
        ("/search/?q=%FF%FE", "has no words to search for"),
        (
            "/search/?q=title%3Abudget+AND+%28x+OR",
            "Search results for",
        ),
        (
            "/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "&lt;script&gt;",
        ),
    ];
    for (path, expected) in cases {
        let html = search_path(&app, path).await;
        assert!(html.contains(expected), "{path}: expected {expected:?}");
        assert!(!html.contains("<script>alert"), "{path} is escaped");
    }
    // What was not applied is not echoed back into the form (a date input cannot hold it).
    let html = search_path(&app, "/search/?q=budget&from=yesterday&section=nowhere").await;
    assert!(html.contains(r#"name="from" value="""#), "{html}");
    assert!(!html.contains(r#"value="nowhere" selected"#));

    let long = format!("/search/?q={}", "budget+".repeat(5_000));
    let html = search_path(&app, &long).await;
    assert!(html.contains("Search results for"));
}
