//! Connections of our own to the operator's SMTP relay, for bulk sending.
//!
//! lettre's pooled transport suits a message now and then (a password reset); a newsletter
//! sends thousands, and there its sockets cost about 40 ms a message: lettre writes a
//! message's body and its closing dot in two writes, and with Nagle's algorithm on, the dot
//! waits for the relay's delayed acknowledgement of the body. A [`Relay`] opens its TCP
//! connections itself with Nagle's algorithm off and hands them to lettre's SMTP client, which
//! still speaks the protocol (EHLO, STARTTLS, AUTH, the transaction). Each transaction has a
//! deadline, which lettre's asynchronous client does not give.

use std::time::Duration;

use anyhow::Context as _;
use lettre::Message;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::response::Response;

use crate::config::{SmtpConfig, SmtpTls};

/// How long connecting, or one message's transaction, may take before the relay is given up
/// on (the value lettre's own transport uses for its commands).
const DEADLINE: Duration = Duration::from_secs(60);

/// Where and how to reach the relay; opens connections.
#[derive(Debug, Clone)]
pub(crate) struct Relay {
    host: String,
    port: u16,
    tls: SmtpTls,
    ca_pem: Option<String>,
    credentials: Option<Credentials>,
    hello: ClientId,
}

/// What became of one message handed to the relay.
#[derive(Debug)]
pub(crate) enum Handed {
    /// The relay took it.
    Taken,
    /// The relay answered with a refusal (`4xx` or `5xx`): it did not take the message.
    Refused(lettre::transport::smtp::Error),
    /// No connection could be made: nothing was sent.
    Unreachable(anyhow::Error),
    /// The connection failed or timed out mid-transaction: the relay may or may not have it.
    Unsure(String),
}

impl Relay {
    pub(crate) fn new(smtp: &SmtpConfig) -> Self {
        Self {
            host: smtp.host.clone(),
            port: smtp.port,
            tls: smtp.tls,
            ca_pem: smtp.ca_pem.clone(),
            credentials: credentials(smtp),
            hello: ClientId::default(),
        }
    }

    /// A new connection, greeted, encrypted as configured and signed in.
    pub(crate) async fn connect(&self) -> anyhow::Result<Connection> {
        let opened = tokio::time::timeout(DEADLINE, self.open())
            .await
            .map_err(|_| anyhow::anyhow!("no answer within {} s", DEADLINE.as_secs()))
            .and_then(|opened| opened);
        opened.with_context(|| format!("connecting to the SMTP relay {}:{}", self.host, self.port))
    }

    async fn open(&self) -> anyhow::Result<Connection> {
        let mut smtp = match self.tls {
            // Encrypted from the first byte: lettre makes the socket (with Nagle's algorithm on).
            SmtpTls::Tls => {
                AsyncSmtpConnection::connect_tokio1(
                    (self.host.as_str(), self.port),
                    Some(DEADLINE),
                    &self.hello,
                    Some(self.tls_parameters()?),
                    None,
                )
                .await?
            }
            SmtpTls::StartTls | SmtpTls::None => {
                let socket =
                    tokio::net::TcpStream::connect((self.host.as_str(), self.port)).await?;
                socket.set_nodelay(true)?;
                let mut smtp =
                    AsyncSmtpConnection::connect_with_transport(Box::new(socket), &self.hello)
                        .await?;
                if self.tls == SmtpTls::StartTls {
                    smtp.starttls(self.tls_parameters()?, &self.hello)
                        .await
                        .context("upgrading the connection with STARTTLS")?;
                }
                smtp
            }
        };
        if let Some(credentials) = &self.credentials {
            smtp.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .context("signing in to the relay (smtp.username, smtp.password)")?;
        }
        Ok(Connection { smtp })
    }

    fn tls_parameters(&self) -> anyhow::Result<TlsParameters> {
        tls_parameters(&self.host, self.ca_pem.as_deref())
    }
}

/// What the relay is signed in to with (`smtp.username` and `smtp.password`), if anything.
pub(crate) fn credentials(smtp: &SmtpConfig) -> Option<Credentials> {
    smtp.username
        .clone()
        .zip(smtp.password.clone())
        .map(|(user, password)| Credentials::new(user, password))
}

/// How the relay at `host` is authenticated: by the system's authorities, and by `ca_pem`
/// (`smtp.ca_file`) when given.
pub(crate) fn tls_parameters(host: &str, ca_pem: Option<&str>) -> anyhow::Result<TlsParameters> {
    let mut parameters = TlsParameters::builder(host.to_owned());
    if let Some(pem) = ca_pem {
        let authority =
            Certificate::from_pem(pem.as_bytes()).context("reading smtp.ca_file's certificate")?;
        parameters = parameters.add_root_certificate(authority);
    }
    parameters.build().context("setting up TLS for the relay")
}

/// One open connection: one transaction at a time.
pub(crate) struct Connection {
    smtp: AsyncSmtpConnection,
}

impl Connection {
    /// Hands `message` to the relay for `envelope`'s recipients.
    async fn transact(&mut self, message: &Message) -> Result<Response, Handed> {
        let bytes = message.formatted();
        match tokio::time::timeout(DEADLINE, self.smtp.send(message.envelope(), &bytes)).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(error)) if error.is_permanent() || error.is_transient() => {
                Err(Handed::Refused(error))
            }
            Ok(Err(error)) => Err(Handed::Unsure(error.to_string())),
            Err(_) => Err(Handed::Unsure(format!(
                "the relay did not answer within {} s",
                DEADLINE.as_secs()
            ))),
        }
    }

    /// Says goodbye; the relay may already have gone.
    pub(crate) async fn quit(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.smtp.quit()).await;
    }
}

/// A connection kept by one of a sender's lanes: opened when first needed, opened again after
/// it breaks.
#[derive(Default)]
pub(crate) struct Lane {
    connection: Option<Connection>,
}

impl Lane {
    /// Sends `message` over this lane's connection.
    pub(crate) async fn send(&mut self, relay: &Relay, message: &Message) -> Handed {
        let connection = match &mut self.connection {
            Some(connection) => connection,
            None => match relay.connect().await {
                Ok(connection) => self.connection.insert(connection),
                Err(error) => return Handed::Unreachable(error),
            },
        };
        let handed = match connection.transact(message).await {
            Ok(_) => Handed::Taken,
            Err(handed) => handed,
        };
        // lettre closes a connection after any refusal or failure, and one that timed out
        // mid-transaction is in no known state: the next message opens another.
        if connection.smtp.has_broken() || matches!(handed, Handed::Unsure(_)) {
            self.connection = None;
        }
        handed
    }

    /// Closes the connection, if any.
    pub(crate) async fn close(&mut self) {
        if let Some(connection) = self.connection.take() {
            connection.quit().await;
        }
    }

    /// Opens this lane's connection now, so a relay that does not answer is found before
    /// anything is claimed.
    pub(crate) async fn ready(&mut self, relay: &Relay) -> anyhow::Result<()> {
        if self.connection.is_none() {
            self.connection = Some(relay.connect().await?);
        }
        Ok(())
    }
}
