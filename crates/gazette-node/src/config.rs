//! The operator's configuration: where Gazette keeps its data, which address it listens on,
//! which database it uses, how it logs and sends mail, and the editorial settings it seeds on
//! first run.
//!
//! Settings are resolved in layers, later layers winning: built-in defaults, then the TOML file
//! (`gazette.toml` in the data directory, or the file named by `--config` / `GAZETTE_CONFIG`),
//! then `GAZETTE_*` environment variables, then command-line flags. Unknown keys and unknown
//! `GAZETTE_*` variables are refused, and every error names the setting, where its value came
//! from and how to fix it. Passwords never appear in messages or `Debug` output.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use gazette_core::{
    Authority, Email, Issn, LanguageTag, PermalinkPattern, Publication, TimeZoneName,
};
use ipnet::IpNet;
use serde::Deserialize;

/// The data directory used when none is configured.
pub const DEFAULT_DATA_DIR: &str = "./gazette-data";

/// The address the server listens on when none is configured.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080);

/// The log filter used when none is configured.
pub const DEFAULT_LOG_LEVEL: &str = "info";

/// The SMTP submission port used when `[smtp]` gives none.
pub const DEFAULT_SMTP_PORT: u16 = 587;

/// The configuration file's name inside the data directory.
pub const CONFIG_FILE_NAME: &str = "gazette.toml";

/// The SQLite database's file name inside the data directory (for the default `database_url`).
pub const DATABASE_FILE_NAME: &str = "gazette.db";

/// Every environment variable that is a setting.
pub const ENV_VARS: [&str; 31] = [
    "GAZETTE_CONFIG",
    "GAZETTE_DATA_DIR",
    "GAZETTE_LISTEN",
    "GAZETTE_METRICS_LISTEN",
    "GAZETTE_DATABASE_URL",
    "GAZETTE_DATABASE_NOTIFICATIONS",
    "GAZETTE_INDEX_DIR",
    "GAZETTE_THEME_DIR",
    "GAZETTE_TRUSTED_PROXIES",
    "GAZETTE_ALLOWED_HOSTS",
    "GAZETTE_LOG_LEVEL",
    "GAZETTE_LOG_FORMAT",
    "GAZETTE_SMTP_HOST",
    "GAZETTE_SMTP_PORT",
    "GAZETTE_SMTP_USERNAME",
    "GAZETTE_SMTP_PASSWORD",
    "GAZETTE_SMTP_FROM",
    "GAZETTE_SMTP_TLS",
    "GAZETTE_SMTP_CA_FILE",
    "GAZETTE_SMTP_MAX_PER_MINUTE",
    "GAZETTE_SMTP_DKIM_DOMAIN",
    "GAZETTE_SMTP_DKIM_SELECTOR",
    "GAZETTE_SMTP_DKIM_KEY_FILE",
    "GAZETTE_SMTP_WEBHOOK_SECRET",
    "GAZETTE_MEDIA_BUCKET_ENDPOINT",
    "GAZETTE_MEDIA_BUCKET_REGION",
    "GAZETTE_MEDIA_BUCKET_NAME",
    "GAZETTE_MEDIA_BUCKET_PREFIX",
    "GAZETTE_MEDIA_BUCKET_ACCESS_KEY_ID",
    "GAZETTE_MEDIA_BUCKET_SECRET_ACCESS_KEY",
    "GAZETTE_MEDIA_BUCKET_PUBLIC_URL",
];

/// `GAZETTE_*` variables with this prefix belong to the test suites, not to the configuration.
const TEST_ENV_PREFIX: &str = "GAZETTE_TEST_";

/// A `GAZETTE_*` variable read by the `create-admin` command rather than by the configuration.
const ADMIN_PASSWORD_ENV: &str = "GAZETTE_ADMIN_PASSWORD";

/// The URL prefixes `database_url` may start with.
const DATABASE_SCHEMES: [&str; 3] = ["sqlite:", "postgres://", "postgresql://"];

/// The levels a log filter directive may name (tracing also accepts 0–5).
const LOG_LEVELS: [&str; 12] = [
    "trace", "debug", "info", "warn", "error", "off", "0", "1", "2", "3", "4", "5",
];

/// What the command line gave; `None` means the flag was not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    /// `--config FILE`: the configuration file to read instead of `<data_dir>/gazette.toml`.
    pub config_file: Option<PathBuf>,
    /// `--data-dir DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--listen ADDR`.
    pub listen: Option<String>,
    /// `--database URL`.
    pub database_url: Option<String>,
    /// `--theme DIR`.
    pub theme_dir: Option<PathBuf>,
    /// `--index-dir DIR`.
    pub index_dir: Option<PathBuf>,
    /// `--metrics-listen ADDR`.
    pub metrics_listen: Option<String>,
    /// `--no-page-cache`: render every request (for measuring the renderer).
    pub no_page_cache: bool,
}

/// The resolved operator settings.
#[derive(Clone, PartialEq)]
pub struct Config {
    /// Where the database (by default), media and search index live.
    pub data_dir: PathBuf,
    /// The address and port the HTTP server binds.
    pub listen: SocketAddr,
    /// Where `/metrics` is served (Prometheus format); off when `None`. Keep it private:
    /// it is not on the public address.
    pub metrics_listen: Option<SocketAddr>,
    /// Whether public pages are cached (and compressed); only benchmarks turn it off.
    pub page_cache: bool,
    /// `sqlite:…`, `postgres://…` or `postgresql://…`; may contain a password, so log it only
    /// through [`redact_url`].
    pub database_url: String,
    /// PostgreSQL: whether nodes wake each other with LISTEN/NOTIFY (`true`), or only poll
    /// (`false`, for engines that lack them; changes from other nodes then take up to the
    /// follower's poll interval, 5 s).
    pub database_notifications: bool,
    /// The full-text search index directory (default `<data_dir>/index`).
    pub index_dir: PathBuf,
    /// Uploaded media when they are kept on this machine (always `<data_dir>/media`).
    pub media_dir: PathBuf,
    /// The S3-compatible bucket media are kept in instead (`[media_bucket]`), for nodes that
    /// share no disk.
    pub media_bucket: Option<gazette_media::BucketSettings>,
    /// A directory of theme templates overriding the built-in theme.
    pub theme_dir: Option<PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Host names (with an optional port) besides the listen address and `localhost` under
    /// which readers reach this node: without a publication `base_url`, a request naming one
    /// of them in `Host` gets absolute canonical and sharing links to it.
    pub allowed_hosts: Vec<Authority>,
    /// A tracing filter: a level such as `info` or directives such as `gazette=debug,sqlx=warn`.
    pub log_level: String,
    /// How log lines are written.
    pub log_format: LogFormat,
    /// Outgoing mail; `None` when no SMTP server is configured.
    pub smtp: Option<SmtpConfig>,
    /// The editorial settings written to the database on first run only.
    pub publication_seed: Publication,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (`text`).
    #[default]
    Text,
    /// One JSON object per line (`json`), for log collectors.
    Json,
}

/// The SMTP server Gazette sends mail through.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// The server's host name or IP address.
    pub host: String,
    /// The server's port (default 587).
    pub port: u16,
    /// The login name, if the server requires authentication.
    pub username: Option<String>,
    /// The password; never shown by `Debug`.
    pub password: Option<String>,
    /// The sender address of Gazette's messages.
    pub from: Email,
    /// How the connection is encrypted.
    pub tls: SmtpTls,
    /// A certificate authority (PEM) trusted for the relay besides the system's: for a relay
    /// whose certificate an organisation signs itself.
    pub ca_pem: Option<String>,
    /// At most this many newsletter messages a minute from one issue's sender (`None`: as
    /// fast as the relay takes them); relays and providers cap senders.
    pub max_per_minute: Option<u32>,
    /// Signing every newsletter and notice with the journal's DKIM key.
    pub dkim: Option<DkimSettings>,
    /// What the relay's bounce and complaint webhooks prove themselves with: Mailgun's signing
    /// key, or the password in the address given to Postmark. Never shown by `Debug`.
    pub webhook_secret: Option<String>,
}

/// A DKIM key and where its public half is published (`{selector}._domainkey.{domain}`).
#[derive(Clone, PartialEq, Eq)]
pub struct DkimSettings {
    pub domain: String,
    pub selector: String,
    /// An RSA private key in PEM (PKCS#1); never shown by `Debug`.
    pub private_key_pem: String,
}

/// How the SMTP connection is encrypted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (`starttls`, the default; usually port 587).
    #[default]
    StartTls,
    /// TLS from the first byte (`tls`; usually port 465).
    Tls,
    /// No encryption (`none`); only for a relay on the same machine or network.
    None,
}

/// Where a setting's value came from, so that an error can say where to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The configuration file at this path.
    File(PathBuf),
    /// This environment variable.
    Env(&'static str),
    /// This command-line flag.
    Flag(&'static str),
}

/// Why the configuration could not be loaded. The `Display` text is meant for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// A configuration file named by `--config` or `GAZETTE_CONFIG` does not exist.
    FileNotFound {
        /// The path that was named.
        path: PathBuf,
        /// The flag or variable that named it.
        named_by: Origin,
    },
    /// The configuration file exists but cannot be read as text.
    FileUnreadable {
        /// The file.
        path: PathBuf,
        /// What went wrong and how to fix it.
        problem: String,
    },
    /// The configuration file is not valid TOML, has an unknown key or a value of the wrong type.
    FileSyntax {
        /// The file.
        path: PathBuf,
        /// The TOML parser's message, which names the key and line.
        message: String,
    },
    /// `GAZETTE_*` environment variables that are not settings.
    UnknownVariables {
        /// Their names, sorted.
        names: Vec<String>,
    },
    /// A setting has a value Gazette cannot use.
    Invalid {
        /// The setting's TOML name, such as `listen` or `publication.issn`.
        setting: String,
        /// Where the value came from.
        origin: Origin,
        /// What is wrong, phrased to follow the setting's name, with an example of a good value.
        problem: String,
    },
    /// A table (`[smtp]`, `[media_bucket]`) is configured but one of its required settings is
    /// missing.
    MissingSetting {
        /// The missing setting, such as `smtp.host`.
        setting: &'static str,
        /// What configured the table: the file with the table, or one of its `GAZETTE_*`
        /// variables.
        configured_by: Origin,
        /// The environment variable that can also provide it.
        env_var: &'static str,
    },
}

mod layers;
mod media_bucket;
mod seed;
mod smtp;
mod sources;
#[cfg(test)]
mod tests;

use layers::*;
use media_bucket::*;
use seed::*;
use smtp::*;
use sources::*;

impl Config {
    /// Resolves the configuration from defaults, the configuration file, `env` (pass
    /// `std::env::vars()` or a test's own list) and the command-line `flags`.
    pub fn load(
        flags: &Flags,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let env = EnvSettings::collect(env)?;
        let (path, named_by) = locate_file(flags, &env);
        let mut file = read_file(&path, named_by)?.unwrap_or_default();
        let file_origin = Origin::File(path);
        let publication_seed = seed_publication(file.publication.take(), &file_origin)?;
        let mut layers = Layers::default();
        layers.apply_file(file, &file_origin);
        layers.apply_env(&env);
        layers.apply_flags(flags);
        layers.resolve(publication_seed, !flags.no_page_cache)
    }
}

impl Config {
    /// The media store these settings name: the bucket when one is configured, otherwise the
    /// media directory.
    pub fn media_store(&self) -> Result<gazette_media::MediaStore, gazette_media::MediaStoreError> {
        match &self.media_bucket {
            Some(bucket) => gazette_media::MediaStore::bucket(bucket),
            None => Ok(gazette_media::MediaStore::directory(&self.media_dir)),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("metrics_listen", &self.metrics_listen)
            .field("page_cache", &self.page_cache)
            .field("database_url", &redact_url(&self.database_url))
            .field("database_notifications", &self.database_notifications)
            .field("index_dir", &self.index_dir)
            .field("media_dir", &self.media_dir)
            .field("media_bucket", &self.media_bucket)
            .field("theme_dir", &self.theme_dir)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("log_level", &self.log_level)
            .field("log_format", &self.log_format)
            .field("smtp", &self.smtp)
            .field("publication_seed", &self.publication_seed)
            .finish()
    }
}

impl fmt::Debug for DkimSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DkimSettings")
            .field("domain", &self.domain)
            .field("selector", &self.selector)
            .field("private_key_pem", &"***")
            .finish()
    }
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("tls", &self.tls)
            .field("ca_pem", &self.ca_pem.as_ref().map(|_| "…"))
            .field("max_per_minute", &self.max_per_minute)
            .field("dkim", &self.dkim)
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Env(name) | Origin::Flag(name) => f.write_str(name),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::FileNotFound { path, named_by } => write!(
                f,
                "configuration file {} (named by {named_by}) does not exist; create it or fix \
                 the path given to {named_by}",
                path.display()
            ),
            ConfigError::FileUnreadable { path, problem } => {
                write!(
                    f,
                    "cannot read configuration file {}: {problem}",
                    path.display()
                )
            }
            ConfigError::FileSyntax { path, message } => write!(
                f,
                "configuration file {} is invalid: {message}\nfix or remove that setting in {}",
                path.display(),
                path.display()
            ),
            ConfigError::UnknownVariables { names } => write!(
                f,
                "unknown environment variable(s) {}: not Gazette settings; unset them or fix \
                 their names (the settings are {})",
                names.join(", "),
                ENV_VARS.join(", ")
            ),
            ConfigError::Invalid {
                setting,
                origin,
                problem,
            } => write!(f, "{setting} (from {origin}) {problem}"),
            ConfigError::MissingSetting {
                setting,
                configured_by,
                env_var,
            } => {
                let (table, key) = setting.split_once('.').unwrap_or(("", setting));
                let what = if table == "smtp" {
                    "SMTP"
                } else {
                    "a media bucket"
                };
                let by = match configured_by {
                    Origin::File(path) => format!("the [{table}] table in {}", path.display()),
                    other => other.to_string(),
                };
                write!(
                    f,
                    "{setting} is required because {what} is configured (by {by}); set {key} in \
                     the [{table}] table of {CONFIG_FILE_NAME} or the {env_var} environment variable"
                )
            }
        }
    }
}

impl std::error::Error for ConfigError {}
