//! Outgoing mail: the `send_email` job, sent through the operator's SMTP server with lettre.
//!
//! Mail is a job, not a call in the request: the request that asks for a message (a password
//! reset, an invitation) enqueues it in its own unit of work, and whichever node claims the
//! job sends it, with retries and backoff if the server is down.

use anyhow::Context as _;
use gazette_store::{BoxFuture, ClaimedJob, SEND_EMAIL, Store};
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};

use crate::config::{SmtpConfig, SmtpTls};
use crate::runner::JobHandler;

/// Sends the messages the web layer enqueues.
#[derive(Debug)]
pub struct SendEmail {
    smtp: SmtpConfig,
}

impl SendEmail {
    pub fn new(smtp: SmtpConfig) -> Self {
        Self { smtp }
    }
}

/// A transport to the operator's SMTP server. It keeps its connections open between
/// messages (lettre's pool), so a batch pays for one handshake.
fn transport(smtp: &SmtpConfig) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let tls = || crate::relay::tls_parameters(&smtp.host, smtp.ca_pem.as_deref());
    let tls = match smtp.tls {
        SmtpTls::StartTls => Tls::Required(tls()?),
        SmtpTls::Tls => Tls::Wrapper(tls()?),
        SmtpTls::None => Tls::None,
    };
    let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
        .port(smtp.port)
        .tls(tls);
    let builder = match crate::relay::credentials(smtp) {
        Some(credentials) => builder.credentials(credentials),
        None => builder,
    };
    Ok(builder.build())
}

/// The DKIM signer of `smtp`'s settings, when mail is signed.
pub(crate) fn dkim_signer(smtp: &SmtpConfig) -> anyhow::Result<Option<DkimConfig>> {
    let Some(dkim) = &smtp.dkim else {
        return Ok(None);
    };
    let key = DkimSigningKey::new(&dkim.private_key_pem, DkimSigningAlgorithm::Rsa)
        .map_err(|error| anyhow::anyhow!("reading the DKIM key (smtp.dkim_key_file): {error}"))?;
    // RFC 8058: the one-click headers must be under the signature for mail clients to offer
    // the button. Relaxed canonicalization, as large senders use, survives relays that refold.
    // Not Content-Type: lettre writes a multipart's with the body, after signing, so a
    // signature naming it would not hold.
    let headers = [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "MIME-Version",
        "List-Id",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
    ]
    .into_iter()
    .map(HeaderName::new_from_ascii_str)
    .collect();
    let relaxed = DkimCanonicalization {
        header: DkimCanonicalizationType::Relaxed,
        body: DkimCanonicalizationType::Relaxed,
    };
    Ok(Some(DkimConfig::new(
        dkim.selector.clone(),
        dkim.domain.clone(),
        key,
        headers,
        relaxed,
    )))
}

impl JobHandler for SendEmail {
    fn kind(&self) -> &'static str {
        SEND_EMAIL
    }

    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let field = |name: &str| {
                job.payload
                    .get(name)
                    .and_then(serde_json::Value::as_str)
                    .with_context(|| format!("the email job has no {name}"))
            };
            let to: Mailbox = field("to")?.parse().context("the email job's recipient")?;
            let from: Mailbox = self.smtp.from.as_str().parse().context("smtp.from")?;
            // Quoted-printable keeps long links intact through any relay.
            let text = SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentTransferEncoding::QuotedPrintable)
                .body(field("text")?.to_owned());
            // Large mailbox providers refuse mail without a Message-ID, and lettre adds none.
            // The job and attempt make it unique; the sender's domain makes it ours.
            let message_id = format!(
                "<mail-{}.{}@{}>",
                job.id.0,
                job.attempt,
                self.smtp.from.domain()
            );
            let builder = Message::builder()
                .from(from)
                .to(to)
                .subject(field("subject")?)
                .message_id(Some(message_id));
            // A newsletter confirmation, or an editor's test of an issue, comes with an HTML
            // part.
            let mut message = match job.payload.get("html").and_then(serde_json::Value::as_str) {
                Some(html) => {
                    let html = SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .header(ContentTransferEncoding::QuotedPrintable)
                        .body(html.to_owned());
                    builder.multipart(MultiPart::alternative().singlepart(text).singlepart(html))
                }
                None => builder.singlepart(text),
            }
            .context("building the email")?;
            if let Some(signer) = dkim_signer(&self.smtp)? {
                message.sign(&signer);
            }
            transport(&self.smtp)?
                .send(message)
                .await
                .with_context(|| {
                    format!("sending mail through {}:{}", self.smtp.host, self.smtp.port)
                })?;
            // Sent: the job is done. (A crash between sending and completing sends it twice,
            // which for these messages is better than not at all.)
            store.complete_job(job).await?;
            Ok(())
        })
    }
}
