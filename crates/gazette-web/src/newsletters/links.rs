//! The pages links in newsletter mail open: confirming the address, choosing newsletters,
//! leaving them all. A GET changes nothing (mail scanners open links): it shows what the link
//! will do and a button whose POST does it. `POST /newsletters/unsubscribe/{token}` is also
//! RFC 8058's one-click target, which a mail client sends with no cookie and no page.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::NewsletterId;
use gazette_core::newsletter::links::LinkPurpose;
use gazette_newsroom::newsletters::{self, Followed};
use gazette_store::NewConsent;
use minijinja::context;

use crate::kernel::forms::FormFields;
use crate::kernel::pages::{Snapshot, page_html, uncached_html};
use crate::kernel::site::Site;
use crate::kernel::views;
use crate::{AppError, AppState};

/// `GET` on any of the three: what the link does, and its button.
pub(crate) async fn show(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let followed = followed(&state, &site, &token).await?;
    render(&state, &site, &token, &followed, false).await
}

/// `POST /newsletters/confirm/{token}`.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let followed = followed_for(&state, &site, &token, LinkPurpose::Confirm).await?;
    newsletters::confirm(state.store(), &followed.subscriber).await?;
    render(&state, &site, &token, &followed, true).await
}

/// `POST /newsletters/preferences/{token}`: the newsletters ticked, or none.
pub(crate) async fn choose(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let followed = followed_for(&state, &site, &token, LinkPurpose::Preferences).await?;
    let form = FormFields::parse(&body);
    let known = state.store().newsletters().await?;
    let chosen: Vec<NewsletterId> = if form.checked("leave_all") {
        Vec::new()
    } else {
        form.all("newsletter")
            .filter_map(|id| id.parse().ok().map(NewsletterId))
            .filter(|id| known.iter().any(|n| n.id == *id))
            .collect()
    };
    let consent = NewConsent {
        form: "preferences".to_owned(),
        wording: site.catalogue.text("newsletters.consent", &[]),
    };
    newsletters::choose(state.store(), &followed.subscriber, chosen, consent).await?;
    let followed = followed_for(&state, &site, &token, LinkPurpose::Preferences).await?;
    render(&state, &site, &token, &followed, true).await
}

/// `POST /newsletters/unsubscribe/{token}`: the button, or a mail client's one-click POST
/// (`List-Unsubscribe=One-Click`). Either leaves every newsletter at once.
pub(crate) async fn leave(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let followed = followed_for(&state, &site, &token, LinkPurpose::Unsubscribe).await?;
    newsletters::leave_all(state.store(), &followed.subscriber).await?;
    render(&state, &site, &token, &followed, true).await
}

async fn followed(state: &AppState, site: &Site, token: &str) -> Result<Followed, AppError> {
    newsletters::check_link(state.store(), &site.server_secret, token)
        .await?
        .ok_or(AppError::NotFound)
}

/// The link's subscriber, if the token is genuine and made for what this route does.
async fn followed_for(
    state: &AppState,
    site: &Site,
    token: &str,
    purpose: LinkPurpose,
) -> Result<Followed, AppError> {
    let followed = followed(state, site, token).await?;
    if followed.purpose == purpose {
        Ok(followed)
    } else {
        Err(AppError::NotFound)
    }
}

async fn render(
    state: &AppState,
    site: &Site,
    token: &str,
    followed: &Followed,
    done: bool,
) -> Result<Response, AppError> {
    let catalogue = &site.catalogue;
    let (route, key) = match followed.purpose {
        LinkPurpose::Confirm => ("confirm", "confirm"),
        LinkPurpose::Preferences => ("preferences", "preferences"),
        LinkPurpose::Unsubscribe => ("unsubscribe", "leave"),
    };
    let text = |suffix: &str| catalogue.text(&format!("newsletters.{key}_{suffix}"), &[]);
    let title = text("title");
    let meta = views::Meta {
        title: views::title(site, &[&title]),
        noindex: true,
        ..views::Meta::default()
    };
    let subscriber = &followed.subscriber;
    let receives = |id: NewsletterId| {
        subscriber
            .subscriptions
            .iter()
            .any(|s| s.newsletter == id && s.confirmed_at.is_some())
    };
    // Only the preferences page offers a choice.
    let mut choices = Vec::new();
    if followed.purpose == LinkPurpose::Preferences {
        for n in state.store().newsletters().await? {
            choices.push(context! { id => n.id.0, name => n.name, checked => receives(n.id) });
        }
    }
    // After confirming, the reader may go on to choose: a preferences link made now.
    let preferences = (followed.purpose == LinkPurpose::Confirm && done).then(|| {
        let token = newsletters::link_token(
            state.store(),
            &site.server_secret,
            LinkPurpose::Preferences,
            subscriber,
        );
        format!("/newsletters/preferences/{token}")
    });
    let extra = context! {
        link => context! {
            title,
            purpose => route,
            text => text("text"),
            button => text("button"),
            done => done.then(|| text("done")),
            action => format!("/newsletters/{route}/{token}"),
            choices,
            preferences,
        },
    };
    let now = state.store().clock().now();
    let html = page_html(state, site, "newsletter_link.html", &meta, now, extra)?;
    Ok(uncached_html(StatusCode::OK, html, true))
}
