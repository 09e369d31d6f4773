//! A comment's fields as the form and the REST API send them: checked one by one, each
//! problem named in the publication's language, and taken through the newsroom's intake.

use std::collections::HashMap;

use axum::http::{HeaderMap, StatusCode, header};
use gazette_core::{Article, ClientAddress, Comment, CommentId, CommentStatus, Email, Status};
use gazette_newsroom::comments::intake::{self, Intake, IntakeError, Sender, Source};
use gazette_store::{Inserted, StoreError};

use crate::kernel::comment_mail::mail_journal;
use crate::kernel::discussion::thread::{FieldError, FormValues};
use crate::kernel::site::Site;
use crate::{AppError, AppState};

const MAX_COMMENT_CHARS: usize = 8_000;
const MAX_NAME_CHARS: usize = 100;
const MAX_URL_CHARS: usize = 200;
/// The hidden field people never see and bots fill in.
pub(crate) const HONEYPOT_FIELD: &str = "fax";

/// Why a submission was not taken.
pub(crate) enum Refusal {
    /// Show the form again with these problems, under this status.
    Form(Box<RefusedForm>),
    /// No form to give back: the article is missing, closed or locked.
    Page(AppError),
}

impl From<StoreError> for Refusal {
    fn from(error: StoreError) -> Self {
        Self::Page(error.into())
    }
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        Self::Page(error)
    }
}

/// A form to show again.
pub(crate) struct RefusedForm {
    pub(crate) status: StatusCode,
    pub(crate) article: Option<Article>,
    pub(crate) values: FormValues,
    pub(crate) errors: Vec<FieldError>,
}

impl Refusal {
    pub(crate) fn form(
        status: StatusCode,
        article: Option<Article>,
        values: FormValues,
        errors: Vec<FieldError>,
    ) -> Self {
        Self::Form(Box::new(RefusedForm {
            status,
            article,
            values,
            errors,
        }))
    }
}

/// The fields of a submitted comment form, checked.
pub(crate) struct Submission {
    pub(crate) article: Article,
    pub(crate) parent: Option<Comment>,
    pub(crate) values: FormValues,
    pub(crate) email: Email,
    pub(crate) url: String,
    pub(crate) token: String,
    pub(crate) honeypot_filled: bool,
}

impl Submission {
    /// The checked comment as the newsroom takes it.
    fn comment(&self) -> intake::Submission {
        intake::Submission {
            article: self.article.clone(),
            parent: self.parent.clone(),
            author: self.values.author.clone(),
            email: self.email.clone(),
            url: self.url.clone(),
            text: self.values.comment.clone(),
            wants_replies: self.values.wants_replies,
            honeypot_filled: self.honeypot_filled,
        }
    }
}

/// Takes a checked submission through the newsroom's intake (spam signals, thread, rate
/// limits, one unit of work with its emails); a rate-limited one is the form again, with a
/// message in the publication's language.
pub(crate) async fn take(
    state: &AppState,
    site: &std::sync::Arc<Site>,
    address: ClientAddress,
    headers: &HeaderMap,
    submission: &Submission,
    source: Source,
) -> Result<(Inserted, CommentStatus), Refusal> {
    let intake_settings = Intake {
        policy: site.publication.comments.clone(),
        mail_enabled: state.mail_enabled(),
        journal: std::sync::Arc::new(mail_journal(site)),
    };
    let sender = Sender {
        address,
        user_agent: user_agent(headers),
    };
    let taken = intake::take(
        state.store(),
        &intake_settings,
        &submission.comment(),
        &sender,
        &source,
    )
    .await;
    match taken {
        Ok(taken) => Ok(taken),
        Err(IntakeError::Store(error)) => Err(error.into()),
        Err(IntakeError::RateLimited) => Err(Refusal::form(
            StatusCode::TOO_MANY_REQUESTS,
            Some(submission.article.clone()),
            submission.values.clone(),
            vec![FieldError {
                field: "comment",
                message: site.catalogue.text("comments.too_many", &[]),
            }],
        )),
    }
}

/// The browser the comment came from, as it names itself (kept to 255 characters).
pub(crate) fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(255).collect())
        .unwrap_or_default()
}

/// Checks every field, naming each problem; finds the article and the comment answered.
pub(crate) async fn check(
    state: &AppState,
    site: &Site,
    headers: &HeaderMap,
    fields: &HashMap<String, String>,
) -> Result<Submission, Refusal> {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let catalogue = &site.catalogue;
    // Without an article to comment on, the reader still gets their text back to copy.
    let refuse = |status: StatusCode, key: &str| {
        let values = FormValues {
            comment: field("comment"),
            ..FormValues::default()
        };
        let message = catalogue.text(key, &[]);
        Refusal::form(
            status,
            None,
            values,
            vec![FieldError {
                field: "kept",
                message,
            }],
        )
    };
    let article = match find_article(state, &field("comment_post_ID")).await? {
        Ok(article) => article,
        Err((status, key)) => return Err(refuse(status, key)),
    };
    let now = state.store().clock().now();
    let policy = &site.publication.comments;
    if !crate::kernel::unlocks::unlocked(headers, site, &article) {
        return Err(refuse(StatusCode::FORBIDDEN, "comments.locked"));
    }
    if !policy.open_at(article.comments_open, article.published_at, now) {
        return Err(refuse(StatusCode::FORBIDDEN, "comments.closed_error"));
    }
    let parent_field = field("comment_parent");
    let mut values = FormValues {
        comment: field("comment"),
        author: field("author"),
        email: field("email"),
        url: field("url"),
        remember: !field("wp-comment-cookies-consent").is_empty(),
        wants_replies: !field("subscribe_replies").is_empty(),
        parent: parent_field.trim().parse::<i64>().ok().filter(|id| *id > 0),
    };
    let mut errors = Vec::new();
    let mut problem = |field: &'static str, key: &str, args: &[(&str, &str)]| {
        errors.push(FieldError {
            field,
            message: catalogue.text(key, args),
        });
    };
    let comment = values.comment.trim();
    if comment.is_empty() {
        problem("comment", "comments.error_comment_missing", &[]);
    } else if comment.chars().count() > MAX_COMMENT_CHARS {
        problem(
            "comment",
            "comments.error_comment_long",
            &[("max", &MAX_COMMENT_CHARS.to_string())],
        );
    } else if comment
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        problem("comment", "comments.error_control", &[]);
    }
    let author = values.author.trim();
    if author.is_empty() {
        problem("author", "comments.error_name_missing", &[]);
    } else if author.chars().count() > MAX_NAME_CHARS {
        problem(
            "author",
            "comments.error_name_long",
            &[("max", &MAX_NAME_CHARS.to_string())],
        );
    } else if author.chars().any(char::is_control) {
        problem("author", "comments.error_control", &[]);
    }
    let email = if values.email.trim().is_empty() {
        problem("email", "comments.error_email_missing", &[]);
        None
    } else {
        match Email::parse(&values.email) {
            Ok(email) => Some(email),
            Err(_) => {
                problem("email", "comments.error_email_invalid", &[]);
                None
            }
        }
    };
    let url = match website(&values.url) {
        Ok(url) => url,
        Err(()) => {
            problem("url", "comments.error_url", &[]);
            String::new()
        }
    };
    let parent = match values.parent {
        None => None,
        Some(id) => {
            let parent = state.store().comment(CommentId(id)).await?;
            let answerable =
                parent.filter(|p| p.article == article.id && p.status == CommentStatus::Approved);
            if answerable.is_none() {
                problem("comment", "comments.error_parent", &[]);
                values.parent = None;
            }
            answerable
        }
    };
    match email {
        Some(email) if errors.is_empty() => Ok(Submission {
            parent,
            values,
            email,
            url,
            token: field("form_token"),
            honeypot_filled: !field(HONEYPOT_FIELD).is_empty(),
            article,
        }),
        _ => Err(Refusal::form(
            StatusCode::BAD_REQUEST,
            Some(article),
            values,
            errors,
        )),
    }
}

/// The published article the comment is for, or why there is none (status and message key).
async fn find_article(
    state: &AppState,
    id: &str,
) -> Result<Result<Article, (StatusCode, &'static str)>, StoreError> {
    let Ok(id) = id.trim().parse::<i64>() else {
        return Ok(Err((
            StatusCode::BAD_REQUEST,
            "comments.error_no_article_id",
        )));
    };
    let article = state.store().article(gazette_core::ArticleId(id)).await?;
    Ok(match article {
        Some(article) if article.status == Status::Published => Ok(article),
        Some(article) if article.status == Status::Trashed => {
            Err((StatusCode::GONE, "comments.error_article_gone"))
        }
        _ => Err((StatusCode::NOT_FOUND, "comments.error_no_article")),
    })
}

/// The commenter's website as a link target: empty, or an `http(s)` URL with a host. A bare
/// `example.org` gets `https://`.
fn website(input: &str) -> Result<String, ()> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(String::new());
    }
    if input.chars().count() > MAX_URL_CHARS || input.chars().any(|c| c.is_control() || c == ' ') {
        return Err(());
    }
    let with_scheme = if input.contains("://") {
        input.to_owned()
    } else {
        format!("https://{input}")
    };
    let url = url::Url::parse(&with_scheme).map_err(|_| ())?;
    let has_dot_host = url.host_str().is_some_and(|h| h.contains('.'));
    if matches!(url.scheme(), "http" | "https") && has_dot_host && url.password().is_none() {
        Ok(url.to_string())
    } else {
        Err(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websites_are_http_links_or_refused() {
        assert_eq!(website(""), Ok(String::new()));
        assert_eq!(
            website("example.org"),
            Ok("https://example.org/".to_owned())
        );
        assert_eq!(
            website("http://blog.example.org/me"),
            Ok("http://blog.example.org/me".to_owned())
        );
        assert_eq!(website("javascript:alert(1)"), Err(()));
        assert_eq!(website("javascript://example.org/%0aalert(1)"), Err(()));
        assert_eq!(website("https://localhost"), Err(()));
        assert_eq!(website("https://a.example/\r\nSet-Cookie: x"), Err(()));
    }
}
