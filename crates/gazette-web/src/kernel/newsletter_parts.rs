//! An issue's two parts, made from the theme: the HTML part from `newsletter_issue.html`
//! (overridable like every template: tables and inline styles, which mail clients render) and
//! the plain-text part from the articles' text, in the journal's language. Both carry the
//! marks where each reader's own links go, and every link and image in them is absolute.
//!
//! One article's issue carries its whole text; a digest carries each article's headline,
//! standfirst and link. The confirmation a reader is asked to press is made the same way
//! (`newsletter_confirmation.html`).

use gazette_core::{Article, Newsletter};
use gazette_newsroom::newsletters::issues::{self, PREFERENCES_MARK, UNSUBSCRIBE_MARK};
use gazette_newsroom::newsletters::{CONFIRM_MARK, Confirmation};
use gazette_store::NewIssue;
use minijinja::{Value, context};

use crate::AppState;
use crate::kernel::error::AppError;
use crate::kernel::site::Site;

/// What an issue says: its subject and its two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueParts {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// The journal's address, without its trailing slash: every link in mail starts with it.
pub fn mail_base(site: &Site) -> Result<String, AppError> {
    let base = site.publication.base_url.as_ref().ok_or_else(|| {
        AppError::BadRequest(
            "Set the journal's address (Settings) first: every email links to it.".to_owned(),
        )
    })?;
    Ok(base.as_str().trim_end_matches('/').to_owned())
}

/// One article, whole; a password-protected one by its headline and link only, since mail
/// cannot ask for the password.
pub fn article_issue(
    state: &AppState,
    site: &Site,
    newsletter: &Newsletter,
    article: &Article,
) -> Result<IssueParts, AppError> {
    let base = mail_base(site)?;
    let url = format!("{base}{}", crate::kernel::views::article_url(site, article));
    let locked = article.password.is_some();
    let body = if locked {
        String::new()
    } else {
        absolute_links(article.body_html.as_str(), &base)
    };
    let item = context! {
        headline => article.headline,
        standfirst => article.standfirst,
        url,
        body => Value::from_safe_string(body),
    };
    let text = format!(
        "{}\n\n{}{}\n\n{}: {url}",
        article.headline,
        paragraph(&article.standfirst),
        if locked {
            String::new()
        } else {
            gazette_render::text_paragraphs(&article.body_html)
        },
        site.catalogue.text("newsletters.read_on_site", &[]),
    );
    Ok(IssueParts {
        subject: article.headline.clone(),
        html: html_part(state, site, newsletter, &article.headline, vec![item])?,
        text: text_part(site, newsletter, &text),
    })
}

/// A digest of `articles` (newest first), headed `subject`.
pub fn digest_issue(
    state: &AppState,
    site: &Site,
    newsletter: &Newsletter,
    subject: &str,
    articles: &[Article],
) -> Result<IssueParts, AppError> {
    let base = mail_base(site)?;
    let mut items = Vec::new();
    let mut text = format!("{subject}\n");
    for article in articles {
        let url = format!("{base}{}", crate::kernel::views::article_url(site, article));
        text.push_str(&format!(
            "\n{}\n{}{url}\n",
            article.headline,
            paragraph(&article.standfirst).replace("\n\n", "\n"),
        ));
        items.push(context! {
            headline => article.headline,
            standfirst => article.standfirst,
            url,
        });
    }
    Ok(IssueParts {
        subject: subject.to_owned(),
        html: html_part(state, site, newsletter, subject, items)?,
        text: text_part(site, newsletter, &text),
    })
}

/// The parts of `article`'s issue for `newsletter`, made with the site as it is now (a
/// preview, a test).
pub async fn compose_article_parts(
    state: &AppState,
    newsletter: &Newsletter,
    article: &Article,
) -> Result<IssueParts, AppError> {
    let site = crate::kernel::pages::load_site(state).await?;
    article_issue(state, &site, newsletter, article)
}

/// The issue of `article` for `newsletter`, ready to queue, made with the site as it is now:
/// by an editor's hand, and by the node's job when an article comes out.
pub async fn compose_article_issue(
    state: &AppState,
    newsletter: &Newsletter,
    article: &Article,
    subscribers_only: bool,
) -> Result<NewIssue, AppError> {
    let parts = compose_article_parts(state, newsletter, article).await?;
    let slug = issues::next_slug(state.store(), newsletter.id, article.slug.as_str()).await?;
    Ok(NewIssue {
        newsletter: newsletter.id,
        slug,
        subject: parts.subject,
        article: Some(article.id),
        html: parts.html,
        text: parts.text,
        subscribers_only,
    })
}

/// The digest of `articles` for `newsletter` made at `slot`: its subject names the local day.
pub async fn compose_digest(
    state: &AppState,
    newsletter: &Newsletter,
    slot: jiff::Timestamp,
    articles: &[Article],
) -> Result<IssueParts, AppError> {
    let site = crate::kernel::pages::load_site(state).await?;
    let day = slot.to_zoned(site.publication.time_zone.zone()).date();
    let subject = site.catalogue.text(
        "newsletters.digest_subject",
        &[
            ("newsletter", &newsletter.name),
            ("date", &site.catalogue.long_date(day)),
        ],
    );
    digest_issue(state, &site, newsletter, &subject, articles)
}

/// The confirmation email, in the journal's language, with the mark where each reader's
/// confirmation link goes.
pub fn confirmation(state: &AppState, site: &Site) -> Result<Confirmation, AppError> {
    let catalogue = &site.catalogue;
    let journal = site.publication.name.as_str();
    let subject = catalogue.text("newsletters.confirm_mail_subject", &[("journal", journal)]);
    let intro = catalogue.text("newsletters.confirm_mail_intro", &[("journal", journal)]);
    let text = format!(
        "{intro}\n\n{}\n{CONFIRM_MARK}\n\n{}\n",
        catalogue.text("newsletters.confirm_mail_link", &[]),
        catalogue.text("newsletters.confirm_mail_ignore", &[]),
    );
    let own = context! { intro, confirm_url => CONFIRM_MARK };
    let html = render_mail(state, site, "newsletter_confirmation.html", &subject, own)?;
    Ok(Confirmation {
        subject,
        text,
        html,
    })
}

fn html_part(
    state: &AppState,
    site: &Site,
    newsletter: &Newsletter,
    subject: &str,
    articles: Vec<Value>,
) -> Result<String, AppError> {
    let own = context! {
        newsletter => newsletter.name,
        articles,
        footer => newsletter.footer,
        preferences_url => PREFERENCES_MARK,
        unsubscribe_url => UNSUBSCRIBE_MARK,
    };
    render_mail(state, site, "newsletter_issue.html", subject, own)
}

/// Renders the mail template `name` with what the frame they share (`newsletter_mail.html`)
/// reads (the messages as `t`, the journal's name and language, the subject) and the
/// template's `own` values.
fn render_mail(
    state: &AppState,
    site: &Site,
    name: &str,
    subject: &str,
    own: Value,
) -> Result<String, AppError> {
    let catalogue = site.catalogue.clone();
    let t = Value::from_function(move |key: &str| catalogue.text(key, &[]));
    let context = context! {
        t,
        journal => site.publication.name,
        language => site.publication.language.as_str(),
        subject,
        ..own
    };
    state
        .theme()
        .render(name, context)
        .map_err(|e| AppError::Internal(Box::new(e)))
}

fn text_part(site: &Site, newsletter: &Newsletter, text: &str) -> String {
    let catalogue = &site.catalogue;
    format!(
        "{text}\n\n-- \n{}\n{}\n\n{}: {PREFERENCES_MARK}\n{}: {UNSUBSCRIBE_MARK}\n",
        newsletter.name,
        newsletter.footer,
        catalogue.text("newsletters.preferences_link", &[]),
        catalogue.text("newsletters.leave_link", &[]),
    )
}

/// `text` followed by a blank line, or nothing for no text.
fn paragraph(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{text}\n\n")
    }
}

/// The site's own links and images (`href="/…"`, `src="/…"`) made absolute, since a mail
/// client has no page to resolve them against. Protocol-relative ones (`//…`) are left.
pub fn absolute_links(html: &str, base: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("=\"/") {
        let (before, after) = rest.split_at(at);
        let attribute = ["href", "src", "srcset"]
            .iter()
            .any(|name| before.ends_with(name));
        out.push_str(before);
        out.push_str("=\"");
        if attribute && !after[2..].starts_with("//") {
            out.push_str(base);
        }
        rest = &after[2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::absolute_links;

    #[test]
    fn the_sites_links_and_images_become_absolute() {
        let base = "https://news.example.org";
        let html = r#"<a href="/2026/a/">a</a> <img src="/media/x.jpg" alt="x"> <a href="//cdn.example/y">y</a> <a href="https://other.example/">o</a> <span title="/not-a-link">t</span>"#;
        assert_eq!(
            absolute_links(html, base),
            r#"<a href="https://news.example.org/2026/a/">a</a> <img src="https://news.example.org/media/x.jpg" alt="x"> <a href="//cdn.example/y">y</a> <a href="https://other.example/">o</a> <span title="/not-a-link">t</span>"#
        );
    }
}
