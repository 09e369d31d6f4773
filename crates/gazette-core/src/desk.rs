//! The newsroom's rules: who may edit an article and which status changes they may make.
//! The server checks these on every save, whatever the page offered.
//!
//! As in WordPress: contributors write their own drafts and submit them for review; authors
//! also publish (and schedule, unpublish, trash) their own; editors and administrators do all
//! of that to anyone's. Once published, a contributor's article is no longer theirs to edit.

use crate::{Article, Capability, Person, Status};

/// Whether `person` may open and save `article` at all.
pub fn may_edit(person: &Person, article: &Article) -> bool {
    let own = article.authors.contains(&person.id);
    if person.role.can(Capability::EditOthersArticles) {
        return true;
    }
    if !own {
        return false;
    }
    // A contributor's work leaves their hands once it is public or scheduled.
    person.role.can(Capability::PublishOwnArticles)
        || matches!(article.status, Status::Draft | Status::PendingReview)
}

/// Whether `person`'s desk lists others' private and trashed articles. WordPress lists
/// others' private posts only to those who may read them (`read_private_posts`: editors and
/// administrators); others' trash goes with them, since a trashed article may have been private
/// (WordPress shows everyone's trash to any role, private headlines included).
pub fn may_list_others_private(person: &Person) -> bool {
    person.role.can(Capability::EditOthersArticles)
}

/// Whether `person` may see `article`'s headline in the back office's lists: their own
/// articles always, others' unless they are private or trashed and the person may not list
/// those.
pub fn may_list(person: &Person, article: &Article) -> bool {
    article.authors.contains(&person.id)
        || !matches!(article.status, Status::Private | Status::Trashed)
        || may_list_others_private(person)
}

/// Whether a body keeps its raw HTML after `saver` saves it, or is published sanitised.
///
/// Trust belongs to the source, not to whoever saved it last: a save by anyone without
/// [`Capability::UnfilteredHtml`] makes the source untrusted, and it stays untrusted through
/// later saves by anyone, editors included, until an editor or administrator ticks "Allow raw
/// HTML" (`asked`: `Some` when the person was shown that box, with its state). `before` is the
/// source's trust before this save (`None` for a new article: an editor's own new writing is
/// trusted, as in WordPress).
pub fn raw_html_trusted(saver: &Person, before: Option<bool>, asked: Option<bool>) -> bool {
    if !saver.role.can(Capability::UnfilteredHtml) {
        return false;
    }
    asked.unwrap_or_else(|| before.unwrap_or(true))
}

/// Whether `person` may make an article sticky (the home page's lead) or stop it being so:
/// only those who edit others' articles, as in WordPress.
pub fn may_set_sticky(person: &Person) -> bool {
    person.role.can(Capability::EditOthersArticles)
}

/// Whether `person` may move `article` (which they may edit) from its status to `to`.
pub fn may_set_status(person: &Person, article: &Article, to: Status) -> bool {
    if !may_edit(person, article) {
        return false;
    }
    if to == article.status {
        return true;
    }
    let own = article.authors.contains(&person.id);
    let publishes = if own {
        person.role.can(Capability::PublishOwnArticles)
    } else {
        person.role.can(Capability::PublishOthersArticles)
    };
    match to {
        Status::Draft | Status::PendingReview => true,
        Status::Published | Status::Scheduled | Status::Private | Status::Trashed => publishes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ArticleId, BodyFormat, Email, PersonId, Role, SafeHtml, Slug};
    use jiff::Timestamp;

    fn person(id: i64, role: Role) -> Person {
        Person {
            id: PersonId(id),
            display_name: format!("P{id}"),
            slug: Slug::parse(&format!("p{id}")).unwrap(),
            bio: String::new(),
            email: Email::parse(&format!("p{id}@example.org")).unwrap(),
            role,
            password_hash: None,
            active: true,
            created_at: Timestamp::UNIX_EPOCH,
        }
    }

    fn article(author: i64, status: Status) -> Article {
        Article {
            id: ArticleId(1),
            headline: "H".into(),
            standfirst: String::new(),
            slug: Slug::parse("h").unwrap(),
            body_format: BodyFormat::Markdown,
            body_source: String::new(),
            body_html: SafeHtml::from_text(""),
            render_version: 1,
            excerpt: String::new(),
            authors: vec![PersonId(author)],
            primary_section: None,
            further_sections: vec![],
            tags: vec![],
            featured_image: None,
            genre: Default::default(),
            status,
            password: None,
            sticky: false,
            comments_open: true,
            published_at: None,
            updated_at: Timestamp::UNIX_EPOCH,
            significantly_updated_at: None,
            corrections: String::new(),
            seo_title: String::new(),
            seo_description: String::new(),
            canonical_url: String::new(),
            noindex: false,
            legacy_wp_id: None,
            legacy_guid: None,
            created_at: Timestamp::UNIX_EPOCH,
            unfiltered_html: false,
            approved_comments: 0,
        }
    }

    /// The whole matrix: role × own or other's × current status × target status.
    #[test]
    fn the_role_matrix() {
        use Status::*;
        for role in Role::ALL {
            let me = person(1, role);
            for own in [true, false] {
                for from in Status::ALL {
                    let article = article(if own { 1 } else { 2 }, from);
                    let editor_like = role >= Role::Editor;
                    let publisher = editor_like || (own && role == Role::Author);
                    let expect_edit = editor_like
                        || (own && (role == Role::Author || matches!(from, Draft | PendingReview)));
                    assert_eq!(
                        may_edit(&me, &article),
                        expect_edit,
                        "{role} own={own} {from:?}"
                    );
                    for to in Status::ALL {
                        let expected = expect_edit
                            && (to == from || matches!(to, Draft | PendingReview) || publisher);
                        assert_eq!(
                            may_set_status(&me, &article, to),
                            expected,
                            "{role} own={own} {from:?} -> {to:?}"
                        );
                    }
                }
            }
        }
    }

    /// Every saver × trust before × box state: only the unfiltered-HTML capability keeps or
    /// restores trust, and restoring needs the box.
    #[test]
    fn raw_html_trust_follows_the_source() {
        for role in Role::ALL {
            let saver = person(1, role);
            let capable = role >= Role::Editor;
            for before in [None, Some(false), Some(true)] {
                for asked in [None, Some(false), Some(true)] {
                    let expected = capable && asked.unwrap_or(before.unwrap_or(true));
                    assert_eq!(
                        raw_html_trusted(&saver, before, asked),
                        expected,
                        "{role} before={before:?} asked={asked:?}"
                    );
                }
            }
        }
        let editor = person(1, Role::Editor);
        assert!(
            !raw_html_trusted(&editor, Some(false), None),
            "an editor's save without the box keeps a contributor's source untrusted"
        );
        assert!(raw_html_trusted(&editor, Some(false), Some(true)));
    }

    #[test]
    fn the_cases_people_ask_about() {
        let contributor = person(1, Role::Contributor);
        let own_draft = article(1, Status::Draft);
        assert!(may_set_status(
            &contributor,
            &own_draft,
            Status::PendingReview
        ));
        assert!(!may_set_status(&contributor, &own_draft, Status::Published));
        assert!(!may_edit(&contributor, &article(1, Status::Published)));
        let author = person(1, Role::Author);
        assert!(may_set_status(&author, &own_draft, Status::Scheduled));
        assert!(
            !may_edit(&author, &article(2, Status::Draft)),
            "not someone else's"
        );
        let editor = person(1, Role::Editor);
        assert!(may_set_status(
            &editor,
            &article(2, Status::PendingReview),
            Status::Published
        ));
    }
}
