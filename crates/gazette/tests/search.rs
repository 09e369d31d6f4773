//! Full-text search over HTTP on both backends: what readers find (stemmed words, phrases,
//! exclusions, names, accents), how results are ranked, filtered, paged and highlighted, that
//! odd queries get a friendly page, that nothing unpublished is ever found, and that the
//! node's index follows every change, survives restarts and corruption, can be rebuilt while
//! the server runs, and supplies each article's related articles.

use gazette_core::{ArticleId, Clock as _, Status};
use gazette_testkit::{Backend, TestApp, TestOptions};

gazette_testkit::on_both_backends!(
    readers_find_words_phrases_and_names,
    filters_and_pages_keep_the_query,
    odd_queries_get_a_friendly_page,
    only_what_readers_may_see_is_found,
    the_index_follows_renames_restarts_and_damage,
    reindexing_swaps_in_a_new_index_while_serving,
    articles_end_with_related_articles,
);

/// The search page for `query`, which must answer 200.
async fn search(app: &TestApp, query: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
    search_path(app, &format!("/search/?q={encoded}")).await
}

async fn search_path(app: &TestApp, path: &str) -> String {
    let (status, html) = app.get_text(path).await;
    assert_eq!(status, 200, "GET {path}");
    html
}

/// The headlines of the result cards, in order.
fn headlines(html: &str) -> Vec<String> {
    html.split(r#"<h2 class="card-headline"><a href=""#)
        .skip(1)
        .map(|rest| {
            let start = rest.find('>').unwrap() + 1;
            let end = rest.find("</a>").unwrap();
            rest[start..end]
                .replace("<mark>", "")
                .replace("</mark>", "")
                .replace("&#x27;", "'")
                .replace("’", "'")
        })
        .collect()
}

async fn publish(app: &TestApp, http: &reqwest::Client, fields: &[(&str, &str)]) -> ArticleId {
    let mut all = fields.to_vec();
    all.push(("action", "publish"));
    app.write_article(http, &all).await
}

/// The id of the section with this slug.
async fn section_id(app: &TestApp, slug: &str) -> String {
    let sections = app.store.sections().await.unwrap();
    let section = sections.iter().find(|s| s.slug.as_str() == slug).unwrap();
    section.id.0.to_string()
}

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

async fn only_what_readers_may_see_is_found(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let draft = app
        .write_article(
            &http,
            &[
                ("headline", "Narwhal draft"),
                ("body", "Narwhal text."),
                ("action", "save"),
            ],
        )
        .await;
    publish(
        &app,
        &http,
        &[
            ("headline", "Narwhal behind a password"),
            ("body", "Narwhal secrets."),
            ("password", "letmein"),
        ],
    )
    .await;
    let future = (app.clock.now() + jiff::SignedDuration::from_hours(48))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    app.write_article(
        &http,
        &[
            ("headline", "Narwhal embargo"),
            ("body", "Narwhal later."),
            ("publish_at", &future),
            ("action", "schedule"),
        ],
    )
    .await;
    let public = publish(
        &app,
        &http,
        &[
            ("headline", "Narwhal sighting"),
            ("body", "A narwhal was seen."),
        ],
    )
    .await;
    app.caught_up().await;
    assert_eq!(
        headlines(&search(&app, "narwhal").await),
        ["Narwhal sighting"]
    );

    // Made private in the store (as an import does): gone from search.
    let mut article = app.store.article(public).await.unwrap().unwrap();
    article.status = Status::Private;
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&article).await }))
        .await
        .unwrap();
    app.caught_up().await;
    assert!(headlines(&search(&app, "narwhal").await).is_empty());

    // The draft, once published, is found.
    let mut article = app.store.article(draft).await.unwrap().unwrap();
    article.status = Status::Published;
    article.published_at = Some(app.clock.now());
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&article).await }))
        .await
        .unwrap();
    app.caught_up().await;
    assert_eq!(headlines(&search(&app, "narwhal").await), ["Narwhal draft"]);

    // The scheduled one appears when its time comes.
    app.clock.advance(jiff::SignedDuration::from_hours(49));
    app.node().jobs.wake();
    for _ in 0..100 {
        app.caught_up().await;
        if headlines(&search(&app, "narwhal").await).len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mut found = headlines(&search(&app, "narwhal").await);
    found.sort();
    assert_eq!(found, ["Narwhal draft", "Narwhal embargo"]);
}

async fn the_index_follows_renames_restarts_and_damage(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    publish(
        &app,
        &http,
        &[
            ("headline", "Tidal lagoon approved"),
            ("body", "The lagoon will power a town."),
            ("tags", "Ocean power"),
        ],
    )
    .await;
    app.caught_up().await;
    assert_eq!(
        headlines(&search(&app, "ocean").await),
        ["Tidal lagoon approved"]
    );

    // Renaming the tag changes what its articles are found by.
    let mut tag = app
        .store
        .tags()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Ocean power")
        .unwrap();
    tag.name = "Marine energy".to_owned();
    app.store
        .write(|tx| Box::pin(async move { tx.update_tag(&tag).await }))
        .await
        .unwrap();
    app.caught_up().await;
    assert!(headlines(&search(&app, "ocean").await).is_empty());
    assert_eq!(
        headlines(&search(&app, "marine").await),
        ["Tidal lagoon approved"]
    );

    // Written on another node while this one is down: found after the restart.
    let mut app = app;
    app.stop().await;
    let other = app.spawn_beside(TestOptions::default()).await;
    let other_http = other.admin_client().await;
    publish(
        &other,
        &other_http,
        &[
            ("headline", "Estuary survey begins"),
            ("body", "Divers map the estuary."),
        ],
    )
    .await;
    other.shutdown().await;
    let app = app.restart(TestOptions::default()).await;
    app.caught_up().await;
    assert_eq!(
        headlines(&search(&app, "estuary").await),
        ["Estuary survey begins"]
    );
    assert_eq!(
        headlines(&search(&app, "lagoon").await),
        ["Tidal lagoon approved"]
    );

    // A damaged index is set aside and rebuilt from the store; the node reports ready only
    // once it is.
    let index_dir = app.data_dir().join("index");
    let app_dir = app.data_dir().to_owned();
    let mut app = app;
    app.stop().await;
    let current = std::fs::read_link(index_dir.join("current")).unwrap();
    std::fs::write(index_dir.join(&current).join("meta.json"), b"{ not json").unwrap();
    let app = app.restart(TestOptions::default()).await;
    assert_eq!(app.data_dir(), app_dir);
    wait_until_ready(&app).await;
    assert_eq!(
        headlines(&search(&app, "estuary").await),
        ["Estuary survey begins"]
    );
    assert_eq!(
        headlines(&search(&app, "marine").await),
        ["Tidal lagoon approved"]
    );
    let now_current = std::fs::read_link(index_dir.join("current")).unwrap();
    assert_ne!(
        now_current, current,
        "a new generation replaced the damaged one"
    );
    assert!(
        !index_dir.join(&current).exists(),
        "the damaged one was removed"
    );
}

async fn wait_until_ready(app: &TestApp) {
    for _ in 0..200 {
        if app.get("/readyz").await.status() == 200 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the node did not become ready");
}

async fn reindexing_swaps_in_a_new_index_while_serving(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.caught_up().await;
    let index_dir = app.data_dir().join("index");
    let before = std::fs::read_link(index_dir.join("current")).unwrap();
    let budget = headlines(&search(&app, "budget").await);
    assert!(!budget.is_empty());

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["search", "reindex", "--data"])
        .arg(app.data_dir())
        .args(["--database", app.database_url()])
        .env_remove("GAZETTE_DATABASE_URL")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{report}");
    assert!(report.contains("Indexed 15 articles"), "{report}");
    let after = std::fs::read_link(index_dir.join("current")).unwrap();
    assert_ne!(before, after);

    // The server, still running, picks the new generation up at its next poll, applies what
    // was written meanwhile, and removes the old one.
    let http = app.admin_client().await;
    publish(
        &app,
        &http,
        &[
            ("headline", "Budget vote delayed"),
            ("body", "The budget vote moves."),
        ],
    )
    .await;
    app.caught_up().await;
    for _ in 0..300 {
        if !index_dir.join(&before).exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        !index_dir.join(&before).exists(),
        "the old generation is gone"
    );
    let now = headlines(&search(&app, "budget").await);
    assert_eq!(now.len(), budget.len() + 1, "{now:?}");
    assert!(now.contains(&"Budget vote delayed".to_owned()));

    // Reindexing needs a journal, and says so.
    let empty = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["search", "reindex", "--data"])
        .arg(empty.path())
        .env_remove("GAZETTE_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no journal yet"));
}

async fn articles_end_with_related_articles(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let mut ids = Vec::new();
    for (headline, tags) in [
        ("Wildfire season starts early", "Wildfires"),
        ("Firefighters ask for more planes", "Wildfires"),
        ("Insurers count wildfire losses", "Wildfires"),
        ("A recipe for plum cake", "Baking"),
    ] {
        ids.push(
            publish(
                &app,
                &http,
                &[
                    ("headline", headline),
                    ("body", "Dry forests burned across the hills this summer."),
                    ("tags", tags),
                ],
            )
            .await,
        );
    }
    app.caught_up().await;
    let path = app.published_path(ids[0]).await;
    let (_, html) = app.get_text(&path).await;
    let start = html
        .find(r#"<aside class="related""#)
        .expect("a related list");
    let related = &html[start..start + html[start..].find("</aside>").unwrap()];
    let items = related.matches("<li>").count();
    assert!((1..=5).contains(&items), "{related}");
    assert!(
        !related.contains("Wildfire season starts early"),
        "never itself"
    );
    let first = related
        .find("Firefighters")
        .or_else(|| related.find("Insurers"));
    let cake = related.find("plum cake");
    assert!(first.is_some(), "shared tags come first: {related}");
    if let (Some(first), Some(cake)) = (first, cake) {
        assert!(first < cake, "{related}");
    }
}
