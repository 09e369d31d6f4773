//! What the newsroom's comment emails need from the site snapshot: the publication, the server
//! secret their links are signed with, and how an article's address is made.

use std::sync::Arc;

use crate::kernel::site::Site;

/// What approving comments sends, for the journal a snapshot shows.
pub(crate) fn approvals(
    state: &crate::AppState,
    site: &Arc<Site>,
) -> gazette_newsroom::comments::moderation::Approvals {
    gazette_newsroom::comments::moderation::Approvals {
        journal: mail_journal(site),
        mail_enabled: state.mail_enabled(),
    }
}

/// What comment emails say about the journal a snapshot shows.
pub(crate) fn mail_journal(site: &Arc<Site>) -> gazette_newsroom::comments::mail::Journal {
    let paths = Arc::clone(site);
    gazette_newsroom::comments::mail::Journal {
        publication: site.publication.clone(),
        server_secret: site.server_secret.clone(),
        article_path: Arc::new(move |article| crate::kernel::views::article_url(&paths, article)),
    }
}
