//! Email leaves through the job queue: an email enqueued in a unit of work is sent (by the
//! `send_email` job, with retries) if and only if that unit commits.

use gazette_store::{NewJob, SEND_EMAIL, StoreError, WriteTx};

/// Enqueues a plain-text email in this unit of work.
pub(crate) async fn enqueue_email(
    tx: &mut WriteTx,
    to: &str,
    subject: &str,
    text: &str,
) -> Result<(), StoreError> {
    enqueue(
        tx,
        serde_json::json!({ "to": to, "subject": subject, "text": text }),
    )
    .await
}

/// Enqueues an email with a plain-text and an HTML part in this unit of work.
pub(crate) async fn enqueue_email_with_html(
    tx: &mut WriteTx,
    to: &str,
    subject: &str,
    text: &str,
    html: &str,
) -> Result<(), StoreError> {
    let payload = serde_json::json!({ "to": to, "subject": subject, "text": text, "html": html });
    enqueue(tx, payload).await
}

/// The `send_email` job for `payload`, due now.
async fn enqueue(tx: &mut WriteTx, payload: serde_json::Value) -> Result<(), StoreError> {
    tx.enqueue_job(&NewJob::new(SEND_EMAIL, payload, tx.now()))
        .await?;
    Ok(())
}
