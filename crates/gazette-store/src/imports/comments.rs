//! Imported comments, pingbacks and trackbacks, written with the ids and times they had in
//! WordPress.

use crate::query::Param;
use crate::{ImportedComment, StoreError, WriteTx};

impl WriteTx {
    /// Inserts comments with their ids and times; a parent must come before its replies.
    pub async fn import_comments(
        &mut self,
        comments: Vec<ImportedComment>,
    ) -> Result<(), StoreError> {
        let rows = comments
            .into_iter()
            .map(|imported| {
                let c = imported.comment;
                let normalized = c.author_email.trim().to_lowercase();
                vec![
                    Param::Int(imported.id.0),
                    Param::Int(c.article.0),
                    Param::opt_int(c.parent.map(|p| p.0)),
                    Param::Int(c.depth),
                    Param::Text(c.status.as_str().to_owned()),
                    Param::Text(c.kind.as_str().to_owned()),
                    Param::Text(c.author_name),
                    Param::Text(c.author_email),
                    Param::Text(normalized),
                    Param::Text(c.author_url),
                    Param::opt_text(c.author_ip.as_deref()),
                    Param::Text(c.user_agent),
                    Param::opt_int(c.person.map(|p| p.0)),
                    Param::Text(c.body),
                    Param::Text(c.body_html.as_str().to_owned()),
                    Param::Int(c.score),
                    Param::Text(c.reasons.join("\n")),
                    Param::Time(imported.created_at),
                    Param::Time(imported.created_at),
                ]
            })
            .collect();
        let columns = [
            "id",
            "article_id",
            "parent_id",
            "depth",
            "status",
            "kind",
            "author_name",
            "author_email",
            "email_normalized",
            "author_url",
            "author_ip",
            "user_agent",
            "person_id",
            "body",
            "body_html",
            "score",
            "reasons",
            "created_at",
            "updated_at",
        ];
        self.insert_rows("comments", &columns, rows).await
    }
}
