//! Reply subscriptions: a commenter asks to hear of replies, confirms by mail, and can end
//! them all; each confirmation request and each reply notice goes out once.

use gazette_core::CommentId;

use crate::query::Param;
use crate::store::on_tx;
use crate::{StoreError, WriteTx};

impl WriteTx {
    /// Records that the confirmation request for this comment's reply subscription is being
    /// mailed; false if it already was, so it goes out once.
    pub async fn claim_subscription_mail(&mut self, id: CommentId) -> Result<bool, StoreError> {
        let sql = "update comments set subscription_mailed_at = $2 \
            where id = $1 and subscription_mailed_at is null and reply_subscription = 'requested'";
        let params = [Param::Int(id.0), Param::Time(self.now)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await).map(|n| n == 1)
    }

    /// Records that the author of the comment `reply` answers is being told of it; false if
    /// they already were, so each reply is announced once.
    pub async fn claim_reply_notice(&mut self, reply: CommentId) -> Result<bool, StoreError> {
        let sql = "update comments set reply_notified_at = $2 \
            where id = $1 and reply_notified_at is null";
        let params = [Param::Int(reply.0), Param::Time(self.now)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await).map(|n| n == 1)
    }

    /// Confirms a comment's reply subscription; false if it was not requested.
    pub async fn confirm_reply_subscription(&mut self, id: CommentId) -> Result<bool, StoreError> {
        let sql = "update comments set reply_subscription = 'confirmed' \
            where id = $1 and reply_subscription <> 'none'";
        let params = [Param::Int(id.0)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await).map(|n| n == 1)
    }

    /// Ends every reply subscription of a commenter (an unsubscribe link); returns how many.
    pub async fn end_reply_subscriptions(
        &mut self,
        email_normalized: &str,
    ) -> Result<u64, StoreError> {
        let sql = "update comments set reply_subscription = 'none' \
            where email_normalized = $1 and reply_subscription <> 'none'";
        let params = [Param::Text(email_normalized.to_owned())];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)
    }
}
