//! People: the journal's staff and the authors whose bylines appear on articles.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::password::PasswordHash;
use crate::{Email, Slug};

/// A person's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonId(pub i64);

impl std::fmt::Display for PersonId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A member of staff or an author. Imported WordPress authors have no password until invited.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: PersonId,
    pub display_name: String,
    /// The `/author/{slug}/` part of their archive URL.
    pub slug: Slug,
    pub bio: String,
    pub email: Email,
    pub role: Role,
    pub password_hash: Option<PasswordHash>,
    /// Inactive people keep their bylines but cannot sign in.
    pub active: bool,
    pub created_at: Timestamp,
}

/// What a person may do, as in WordPress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Writes their own drafts and submits them for review.
    Contributor,
    /// Writes and publishes their own articles, uploads media.
    Author,
    /// Everything about content: all articles, sections, tags, comments.
    Editor,
    /// Everything, including people and settings.
    Administrator,
}

/// One thing a role may or may not do; the server checks these on every action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    WriteOwnDrafts,
    PublishOwnArticles,
    UploadMedia,
    EditOthersArticles,
    PublishOthersArticles,
    ManageSectionsAndTags,
    /// Add, change and import redirect rules.
    ManageRedirects,
    ModerateComments,
    /// Define newsletters and see their subscribers (as Ghost's editors do).
    ManageNewsletters,
    /// Insert raw HTML that is not sanitised (WordPress's `unfiltered_html`).
    UnfilteredHtml,
    ManagePeople,
    ManageSettings,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Self::Contributor,
        Self::Author,
        Self::Editor,
        Self::Administrator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contributor => "contributor",
            Self::Author => "author",
            Self::Editor => "editor",
            Self::Administrator => "administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == s)
    }

    /// The least role that holds each capability; roles are ordered, so higher ones inherit.
    pub fn can(self, capability: Capability) -> bool {
        use Capability::*;
        let least = match capability {
            WriteOwnDrafts => Role::Contributor,
            PublishOwnArticles | UploadMedia => Role::Author,
            EditOthersArticles
            | PublishOthersArticles
            | ManageSectionsAndTags
            | ManageRedirects
            | ModerateComments
            | ManageNewsletters
            | UnfilteredHtml => Role::Editor,
            ManagePeople | ManageSettings => Role::Administrator,
        };
        self >= least
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Capability::*;

    #[test]
    fn roles_hold_what_wordpress_gives_them() {
        let table = [
            (Role::Contributor, vec![WriteOwnDrafts]),
            (
                Role::Author,
                vec![WriteOwnDrafts, PublishOwnArticles, UploadMedia],
            ),
            (
                Role::Editor,
                vec![
                    WriteOwnDrafts,
                    PublishOwnArticles,
                    UploadMedia,
                    EditOthersArticles,
                    PublishOthersArticles,
                    ManageSectionsAndTags,
                    ManageRedirects,
                    ModerateComments,
                    ManageNewsletters,
                    UnfilteredHtml,
                ],
            ),
        ];
        let all = [
            WriteOwnDrafts,
            PublishOwnArticles,
            UploadMedia,
            EditOthersArticles,
            PublishOthersArticles,
            ManageSectionsAndTags,
            ManageRedirects,
            ModerateComments,
            ManageNewsletters,
            UnfilteredHtml,
            ManagePeople,
            ManageSettings,
        ];
        for (role, allowed) in table {
            for capability in all {
                assert_eq!(
                    role.can(capability),
                    allowed.contains(&capability),
                    "{role} / {capability:?}"
                );
            }
        }
        assert!(all.iter().all(|c| Role::Administrator.can(*c)));
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("subscriber"), None);
    }
}
