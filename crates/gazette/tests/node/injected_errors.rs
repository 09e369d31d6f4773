//! SQLSTATEs raised at chosen points, by triggers on a throwaway cluster: a unit of work the
//! database refused for contention (40001 serialization failure, 40P01 deadlock) runs again a
//! bounded number of times and then answers 503; a session the server ends (57P01) or a
//! connection failure (08006) is 503 at once, never run again; a repeated create sent with its
//! idempotency key after an unknown outcome is made once.

use gazette_testkit::throwaway_postgres::ThrowawayPostgres;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::database_failures::{end_the_session_during_its_commit, node_on, write};

/// Makes every insert into `articles` raise `code` while the counter `attempts` is at most
/// `failures` (`deferred`: at COMMIT instead of at the statement). The counter is a sequence,
/// which a rollback does not undo, so it counts every run of the unit of work.
fn raise_on_insert(cluster: &ThrowawayPostgres, code: &str, failures: i64, deferred: bool) {
    cluster.psql(&format!(
        "drop trigger if exists gazette_injected on articles; \
         drop sequence if exists gazette_attempts; \
         create sequence gazette_attempts; \
         create or replace function gazette_injected() returns trigger language plpgsql as \
         $$ begin \
              if nextval('gazette_attempts') <= {failures} then \
                raise exception 'injected by the test' using errcode = '{code}'; \
              end if; \
              return null; \
            end $$; \
         create constraint trigger gazette_injected after insert on articles \
         {timing} for each row execute function gazette_injected()",
        timing = if deferred {
            "deferrable initially deferred"
        } else {
            "not deferrable"
        },
    ));
}

/// How many times the unit of work ran since the trigger was made.
fn attempts(cluster: &ThrowawayPostgres) -> i64 {
    let value = cluster.psql("select last_value from gazette_attempts");
    value.trim().parse().unwrap()
}

fn drafts_titled(cluster: &ThrowawayPostgres, headline: &str) -> i64 {
    let count = cluster.psql(&format!(
        "select count(*) from articles where headline = '{headline}'"
    ));
    count.trim().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn contention_is_run_again_and_lost_sessions_are_503_at_once() {
    let Some(cluster) = ThrowawayPostgres::start() else {
        return;
    };
    let (app, user, secret) = node_on(&cluster).await;

    // Two serialization failures, then success: the writer sees only the 201.
    raise_on_insert(&cluster, "40001", 2, false);
    let answer = write(&app, &user, &secret).await;
    let status = answer.status();
    let text = answer.text().await.unwrap();
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{text} after {}",
        attempts(&cluster)
    );
    assert_eq!(attempts(&cluster), 3, "ran twice more after two refusals");
    assert_eq!(drafts_titled(&cluster, "From the desk"), 1);

    // Refused at COMMIT (a deferred check): the server rolled it back, so it runs again too.
    raise_on_insert(&cluster, "40001", 1, true);
    assert_eq!(
        write(&app, &user, &secret).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(attempts(&cluster), 2);
    assert_eq!(drafts_titled(&cluster, "From the desk"), 2);

    // A deadlock every time: four runs in all, then 503 with Retry-After; nothing is saved.
    raise_on_insert(&cluster, "40P01", 1000, false);
    let answer = write(&app, &user, &secret).await;
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(answer.headers().contains_key("retry-after"));
    assert_eq!(attempts(&cluster), 4, "a bounded number of runs");
    assert_eq!(drafts_titled(&cluster, "From the desk"), 2);

    // The session ended by the server, and a connection failure: 503 at once, run once.
    for code in ["57P01", "08006"] {
        raise_on_insert(&cluster, code, 1000, false);
        let answer = write(&app, &user, &secret).await;
        assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE, "{code}");
        assert!(answer.headers().contains_key("retry-after"), "{code}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["code"], "rest_unavailable", "{code}: {body}");
        assert_eq!(attempts(&cluster), 1, "{code} is not run again");
    }
    cluster.psql("drop trigger gazette_injected on articles");
    // The pool may hold connections marked failed by the 08006; writes work again at once.
    let statuses = [
        write(&app, &user, &secret).await.status().as_u16(),
        write(&app, &user, &secret).await.status().as_u16(),
    ];
    assert!(matches!(statuses, [201 | 503, 201]), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn a_create_repeated_after_an_unknown_outcome_is_made_once() {
    let Some(cluster) = ThrowawayPostgres::start() else {
        return;
    };
    let (app, user, secret) = node_on(&cluster).await;
    let send = || {
        app.client
            .post(app.url("/wp-json/wp/v2/posts"))
            .basic_auth(&user, Some(&secret))
            .header("idempotency-key", "lost-in-the-commit")
            .json(&json!({ "title": "Lost in the commit", "status": "draft" }))
            .send()
    };
    // The first sending's session is ended during its COMMIT: saved or not, the writer is
    // told it cannot know.
    let answer = end_the_session_during_its_commit(&cluster, send()).await;
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["code"], "rest_outcome_unknown", "{body}");

    // Sent again with the same key until it is answered: one article, whichever way the
    // first sending went, and every later repeat names it.
    let mut answered = None;
    for _ in 0..3 {
        let answer = send().await.unwrap();
        if answer.status() == StatusCode::CREATED {
            answered = Some(answer.json::<Value>().await.unwrap());
            break;
        }
    }
    let made = answered.expect("the repeated create is answered");
    let again: Value = send().await.unwrap().json().await.unwrap();
    assert_eq!(again["id"], made["id"]);
    assert_eq!(drafts_titled(&cluster, "Lost in the commit"), 1);
}
