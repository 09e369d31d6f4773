//! The journal's content as tests need it: the public path of an article, members of staff,
//! articles written through the editor's form.

use gazette_core::Email;
use gazette_core::password::PasswordHasher;

use super::TestApp;

impl TestApp {
    /// An article's public path, rendered from the publication's permalink pattern
    /// independently of the web layer (for patterns without `%category%` and `%author%`,
    /// such as the default).
    pub async fn article_path(&self, article: &gazette_core::Article) -> String {
        let publication = self
            .store
            .publication()
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("the publication has no settings"));
        let published = article
            .published_at
            .unwrap_or_else(|| panic!("article {} has no publication time", article.id))
            .to_zoned(publication.time_zone.zone())
            .datetime();
        publication
            .permalink
            .render(&gazette_core::PermalinkFields {
                id: article.id.0,
                slug: article.slug.as_str(),
                published,
                category_path: "",
                author_slug: "",
            })
    }

    /// The public path of a published article; panics if it is not published.
    pub async fn published_path(&self, id: gazette_core::ArticleId) -> String {
        let article = self
            .store
            .article(id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no article {id}"));
        assert_eq!(
            article.status,
            gazette_core::Status::Published,
            "article {id}"
        );
        self.article_path(&article).await
    }

    /// Adds a member of staff (email `{name}@example.org`, lower-cased) with a password.
    pub async fn add_staff(
        &self,
        name: &str,
        role: gazette_core::Role,
        password: &str,
    ) -> gazette_core::Person {
        let password = gazette_core::password::NewPassword::parse(password)
            .unwrap_or_else(|e| panic!("test password: {e}"));
        let hash = PasswordHasher::cheap_for_tests()
            .hash(&password)
            .unwrap_or_else(|e| panic!("hashing: {e}"));
        let email = format!("{}@example.org", name.to_lowercase());
        let new = gazette_store::NewPerson {
            display_name: name.to_owned(),
            slug: gazette_core::Slug::from_headline(name),
            email: Email::parse(&email).unwrap_or_else(|e| panic!("{e}")),
            role,
            password_hash: Some(hash),
            bio: String::new(),
            active: true,
        };
        self.store
            .write(|tx| Box::pin(async move { tx.insert_person(&new).await }))
            .await
            .unwrap_or_else(|e| panic!("adding {name}: {e}"))
    }

    /// Writes an article through the editor's form (with its CSRF token) and returns its id;
    /// `fields` are the form's fields, `action` among them (`save`, `publish`, …).
    pub async fn write_article(
        &self,
        http: &reqwest::Client,
        fields: &[(&str, &str)],
    ) -> gazette_core::ArticleId {
        let response = self
            .submit_form(http, "/admin/articles/new", "/admin/articles/new", fields)
            .await;
        assert_eq!(response.status(), 303, "the article is saved");
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default();
        let id = location
            .trim_start_matches("/admin/articles/")
            .trim_end_matches("?saved=1");
        gazette_core::ArticleId(
            id.parse()
                .unwrap_or_else(|e| panic!("no article id in {location}: {e}")),
        )
    }

    /// Stores an approved comment by "Reader <One>" on `article` and waits until every consumer
    /// of the change log (the page cache among them) has seen it.
    pub async fn approved_comment(&self, article: gazette_core::ArticleId, text: &str) {
        use gazette_core::{CommentKind, CommentStatus, SafeHtml};
        let comment = gazette_store::NewComment {
            article,
            parent: None,
            answered: None,
            depth: 0,
            status: CommentStatus::Approved,
            kind: CommentKind::Comment,
            author_name: "Reader <One>".to_owned(),
            author_email: "reader@example.net".to_owned(),
            author_url: String::new(),
            author_ip: Some("192.0.2.7".to_owned()),
            user_agent: "test".to_owned(),
            person: None,
            body: text.to_owned(),
            body_html: SafeHtml::from_text(text),
            score: 0,
            reasons: Vec::new(),
            submission_key: None,
            wants_replies: false,
            commenter_key: None,
        };
        self.store
            .write(|tx| Box::pin(async move { tx.insert_comment(&comment).await }))
            .await
            .unwrap_or_else(|e| panic!("storing a comment: {e}"));
        self.caught_up().await;
    }
}
