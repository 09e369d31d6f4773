//! The commenter's right to their data: every comment they wrote, for an export, and the
//! erasure of what identifies them; and the IP addresses cleared once they are old.

use gazette_core::{ArticleId, Comment};
use jiff::Timestamp;

use super::{COLUMNS, Sorted};
use crate::changes::ChangeKind;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_tx;
use crate::{Store, StoreError, WriteTx};

impl WriteTx {
    /// Removes what identifies a commenter from every comment they wrote: the name becomes
    /// "Anonymous", the email, website, IP address and browser are cleared. The texts stay, so
    /// the threads they belong to still read. Comments kept from WordPress pages are erased
    /// alike. Returns how many comments were anonymised.
    pub async fn erase_commenter(&mut self, email_normalized: &str) -> Result<u64, StoreError> {
        let articles = self.articles_commented_by(email_normalized).await?;
        let sql = "update comments set author_name = 'Anonymous', author_email = '', \
            email_normalized = '', author_url = '', author_ip = null, user_agent = '', \
            reply_subscription = 'none', submission_key = null, updated_at = $2 \
            where email_normalized = $1";
        let params = [
            Param::Text(email_normalized.to_owned()),
            Param::Time(self.now),
        ];
        let mut erased = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        let pages_sql = "update page_comments set author_name = 'Anonymous', author_email = '', \
            email_normalized = '', author_url = '', author_ip = null where email_normalized = $1";
        let pages_params = [Param::Text(email_normalized.to_owned())];
        erased +=
            on_tx!(self, conn => backend::query::execute(conn, pages_sql, &pages_params).await)?;
        for article in articles {
            self.record_change(ChangeKind::Comment, Some(article.0));
        }
        Ok(erased)
    }

    async fn articles_commented_by(&mut self, email: &str) -> Result<Vec<ArticleId>, StoreError> {
        let sql = "select distinct article_id from comments where email_normalized = $1 \
            and status = 'approved'";
        let params = [Param::Text(email.to_owned())];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.iter()
                .map(|row| row.int("article_id").map(ArticleId))
                .collect::<Result<Vec<_>, _>>()
        })
    }

    /// Clears the IP address of comments written before `before`. Returns how many.
    pub async fn anonymise_comment_addresses(
        &mut self,
        before: Timestamp,
    ) -> Result<u64, StoreError> {
        let params = [Param::Time(before)];
        let mut cleared = 0;
        for table in ["comments", "page_comments"] {
            let sql = format!(
                "update {table} set author_ip = null where created_at < $1 and author_ip is not null"
            );
            cleared += on_tx!(self, conn => backend::query::execute(conn, &sql, &params).await)?;
        }
        Ok(cleared)
    }
}

impl Store {
    /// Every comment written with this (normalised) email, oldest first: a commenter's data.
    pub async fn comments_by_email(
        &self,
        email_normalized: &str,
    ) -> Result<Vec<Comment>, StoreError> {
        let sql = format!("select {COLUMNS} from comments where email_normalized = $1 order by id");
        self.comments_where(
            &sql,
            Sorted::ById,
            &[Param::Text(email_normalized.to_owned())],
        )
        .await
    }
}
