//! Sending an article to newsletters when it is published: the editor's boxes, and the
//! request recorded when an editor publishes or schedules with some ticked. The issue is made
//! when the article comes out (the node's `newsletter_on_publication` job), so a scheduled
//! article goes at its time, and an article goes to a newsletter once.

use gazette_core::{Article, Cadence, Capability, NewsletterId, Status};
use gazette_newsroom::newsletters::on_publication;
use minijinja::{Value, context};

use super::form::{Action, Refused};
use super::{FormFields, Staff};
use crate::kernel::site::Site;
use crate::{AppError, AppState};

/// The form field of a ticked newsletter.
const FIELD: &str = "send_newsletter";

fn may_send(staff: &Staff) -> bool {
    staff.person.role.can(Capability::ManageNewsletters)
}

/// The newsletters the editor offers for this article: each sent already, waiting for the
/// publication, or to tick (ticked beforehand when it carries every article of one of the
/// article's sections and the article is not out yet).
pub(super) async fn offered(
    state: &AppState,
    site: &Site,
    staff: &Staff,
    article: &Article,
) -> Result<Vec<Value>, AppError> {
    if !may_send(staff) || !state.mail_enabled() || site.newsletters.is_empty() {
        return Ok(Vec::new());
    }
    let is_new = article.id.0 == 0;
    let (sent, waiting) = if is_new {
        (Vec::new(), Vec::new())
    } else {
        let store = state.store();
        (
            store.newsletters_sent(article.id).await?,
            store.newsletter_sends_of(article.id).await?,
        )
    };
    let sections: Vec<_> = article.sections().collect();
    let sections = site.with_parents(&sections);
    let not_out = article.status != Status::Published;
    Ok(site
        .newsletters
        .iter()
        .map(|n| {
            let state = if sent.contains(&n.id) {
                "sent"
            } else if waiting.contains(&n.id) {
                "waiting"
            } else {
                "offered"
            };
            let carries = n.cadence == Cadence::EachArticle && n.offered_with(&sections);
            context! {
                id => n.id.0,
                name => n.name,
                state,
                checked => not_out && carries && !n.sections.is_empty(),
            }
        })
        .collect())
}

/// After an editor published or scheduled `article`: records the newsletters ticked.
pub(super) async fn send_when_published(
    state: &AppState,
    staff: &Staff,
    fields: &FormFields,
    action: Action,
    article: &Article,
) -> Result<(), Refused> {
    let publishing = matches!(action, Action::Publish | Action::Schedule)
        && matches!(article.status, Status::Published | Status::Scheduled);
    let ticked: Vec<NewsletterId> = fields
        .all(FIELD)
        .filter_map(|id| id.parse().ok().map(NewsletterId))
        .collect();
    if !publishing || ticked.is_empty() {
        return Ok(());
    }
    if !may_send(staff) {
        return Err(Refused::Invalid(
            "Only editors and administrators send newsletters; untick them to publish.".to_owned(),
        ));
    }
    on_publication::request(state.store(), article, ticked, &staff.person).await?;
    Ok(())
}
