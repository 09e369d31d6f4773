//! `/newsletters/`: the journal's newsletters, what each sends and how often, and the form to
//! ask for them. The form works without JavaScript: the page is rendered for each request with
//! a signed form token (the comment form's), which tells how long it was open.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::{Email, FormAge, Newsletter, NewsletterId};
use gazette_newsroom::newsletters::{self, Request, RequestError};
use gazette_store::Issue;
use gazette_store::NewConsent;
use minijinja::context;

use crate::kernel::client::Client;
use crate::kernel::discussion::fields::HONEYPOT_FIELD;
use crate::kernel::forms::FormFields;
use crate::kernel::pages::{Snapshot, page_html, uncached_html};
use crate::kernel::signup::cadence_text;
use crate::kernel::site::Site;
use crate::kernel::views;
use crate::{AppError, AppState};

/// A form sent sooner than this after its page was made was not filled in by a person.
const MIN_FORM_SECONDS: i64 = 2;
/// Where the form is, for the consent record, when it does not say (this page's own form).
const FORM_PATH: &str = "/newsletters/";

/// The page a form was on (its `form` field, a path on this site), for the consent record.
fn form_path(field: &str) -> String {
    let reasonable = field.starts_with('/')
        && !field.starts_with("//")
        && field.len() <= 300
        && !field.chars().any(char::is_control);
    if reasonable { field } else { FORM_PATH }.to_owned()
}

/// `GET /newsletters/`.
pub(crate) async fn show(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
) -> Result<Response, AppError> {
    let newsletters = listed(&state, &site).await?;
    page(
        &state,
        &site,
        &newsletters,
        StatusCode::OK,
        Outcome::Form(None),
    )
}

/// `POST /newsletters/`: asks for the chosen newsletters, and answers alike whatever the
/// journal knew of the address.
pub(crate) async fn ask(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    Snapshot(site): Snapshot,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormFields::parse(&body);
    let newsletters = listed(&state, &site).await?;
    let refuse = |message: String| {
        page(
            &state,
            &site,
            &newsletters,
            StatusCode::BAD_REQUEST,
            Outcome::Form(Some(message)),
        )
    };
    let catalogue = &site.catalogue;
    let Ok(email) = Email::parse(form.get("email").trim()) else {
        return refuse(catalogue.text("newsletters.error_email", &[]));
    };
    let chosen: Vec<NewsletterId> = form
        .all("newsletter")
        .filter_map(|id| id.parse().ok().map(NewsletterId))
        .collect();
    if chosen.is_empty() {
        return refuse(catalogue.text("newsletters.error_none", &[]));
    }
    if !form.get(HONEYPOT_FIELD).is_empty() {
        // A robot: it is answered as a person would be, and nothing is recorded.
        return page(&state, &site, &newsletters, StatusCode::OK, Outcome::Asked);
    }
    let now = state.store().clock().now();
    let (age, _) =
        crate::kernel::form_token::check(&site.server_secret, form.get("form_token"), now);
    match age {
        FormAge::Seconds(seconds) if seconds >= MIN_FORM_SECONDS => {}
        // A form from a cached page, sent without scripts: one more press, on this page,
        // with a token of its own.
        FormAge::Unknown => {
            let again = Outcome::Again {
                email: email.as_str().to_owned(),
                chosen,
                form: form_path(form.get("form")),
            };
            return page(&state, &site, &newsletters, StatusCode::OK, again);
        }
        _ => return refuse(catalogue.text("newsletters.error_token", &[])),
    }
    let request = Request {
        email,
        newsletters: chosen,
        consent: NewConsent {
            form: form_path(form.get("form")),
            wording: catalogue.text("newsletters.consent", &[]),
        },
        sender: client.address,
    };
    let journal = crate::kernel::comment_mail::mail_journal(&site);
    let confirmation = state
        .mail_enabled()
        .then(|| crate::kernel::newsletter_parts::confirmation(&state, &site))
        .transpose()?;
    match newsletters::request(state.store(), &journal, confirmation, request).await {
        Ok(()) => page(&state, &site, &newsletters, StatusCode::OK, Outcome::Asked),
        Err(RequestError::UnknownNewsletter) => {
            refuse(catalogue.text("newsletters.error_none", &[]))
        }
        Err(RequestError::RateLimited) => Err(AppError::RateLimited {
            retry_after: 3600,
            message: RequestError::RateLimited.to_string(),
        }),
        Err(RequestError::Store(error)) => Err(error.into()),
    }
}

/// A newsletter with its latest issues that have a web version.
type Listed = (Newsletter, Vec<Issue>);

/// How many of a newsletter's latest issues the page links to.
const RECENT_ISSUES: usize = 3;

/// The snapshot's newsletters (made again whenever one is saved), with their latest issues.
async fn listed(state: &AppState, site: &Site) -> Result<Vec<Listed>, AppError> {
    let mut listed = Vec::new();
    for newsletter in site.newsletters.iter().cloned() {
        let recent = state
            .store()
            .issues_of(newsletter.id)
            .await?
            .into_iter()
            .filter(super::web_version::is_public)
            .take(RECENT_ISSUES)
            .collect();
        listed.push((newsletter, recent));
    }
    Ok(listed)
}

/// What the page shows under the list: the form (with what was wrong), the form filled in
/// from another page's for one more press, or the answer.
enum Outcome {
    Form(Option<String>),
    Again {
        email: String,
        chosen: Vec<NewsletterId>,
        /// The page the reader started on.
        form: String,
    },
    Asked,
}

fn page(
    state: &AppState,
    site: &Site,
    newsletters: &[Listed],
    status: StatusCode,
    outcome: Outcome,
) -> Result<Response, AppError> {
    let catalogue = &site.catalogue;
    let now = state.store().clock().now();
    let title = catalogue.text("newsletters.title", &[]);
    let meta = views::Meta {
        title: views::title(site, &[&title]),
        ..views::Meta::default()
    };
    let (error, asked, email, chosen, form) = match outcome {
        Outcome::Form(error) => (
            error,
            false,
            String::new(),
            Vec::new(),
            FORM_PATH.to_owned(),
        ),
        Outcome::Again {
            email,
            chosen,
            form,
        } => (None, false, email, chosen, form),
        Outcome::Asked => (None, true, String::new(), Vec::new(), FORM_PATH.to_owned()),
    };
    let list: Vec<_> = newsletters
        .iter()
        .map(|(n, recent)| {
            let recent: Vec<_> = recent
                .iter()
                .map(|i| context! { subject => i.subject, url => format!("/newsletters/{}/{}/", n.slug, i.slug) })
                .collect();
            context! {
                id => n.id.0,
                checked => chosen.contains(&n.id) || newsletters.len() == 1,
                name => n.name,
                description => n.description,
                cadence => cadence_text(site, n.cadence),
                recent,
            }
        })
        .collect();
    let extra = context! {
        newsletters => context! {
            title,
            list,
            error,
            asked,
            again => !email.is_empty(),
            email,
            form,
            token => crate::kernel::form_token::issue(&site.server_secret, now),
            consent => catalogue.text("newsletters.consent", &[]),
        },
    };
    let html = page_html(state, site, "newsletters.html", &meta, now, extra)?;
    Ok(uncached_html(status, html, true))
}
