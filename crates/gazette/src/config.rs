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

use gazette_core::{Email, Issn, LanguageTag, PermalinkPattern, Publication, TimeZoneName};
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
pub const ENV_VARS: [&str; 15] = [
    "GAZETTE_CONFIG",
    "GAZETTE_DATA_DIR",
    "GAZETTE_LISTEN",
    "GAZETTE_DATABASE_URL",
    "GAZETTE_INDEX_DIR",
    "GAZETTE_THEME_DIR",
    "GAZETTE_TRUSTED_PROXIES",
    "GAZETTE_LOG_LEVEL",
    "GAZETTE_LOG_FORMAT",
    "GAZETTE_SMTP_HOST",
    "GAZETTE_SMTP_PORT",
    "GAZETTE_SMTP_USERNAME",
    "GAZETTE_SMTP_PASSWORD",
    "GAZETTE_SMTP_FROM",
    "GAZETTE_SMTP_TLS",
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
}

/// The resolved operator settings.
#[derive(Clone, PartialEq)]
pub struct Config {
    /// Where the database (by default), media and search index live.
    pub data_dir: PathBuf,
    /// The address and port the HTTP server binds.
    pub listen: SocketAddr,
    /// `sqlite:…`, `postgres://…` or `postgresql://…`; may contain a password, so log it only
    /// through [`redact_url`].
    pub database_url: String,
    /// The full-text search index directory (default `<data_dir>/index`).
    pub index_dir: PathBuf,
    /// Uploaded media (always `<data_dir>/media` for now).
    pub media_dir: PathBuf,
    /// A directory of theme templates overriding the built-in theme.
    pub theme_dir: Option<PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
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
    /// SMTP is configured but one of its required settings is missing.
    MissingSmtpSetting {
        /// The missing setting, such as `smtp.host`.
        setting: &'static str,
        /// What configured SMTP: the file with an `[smtp]` table or a `GAZETTE_SMTP_*` variable.
        configured_by: Origin,
        /// The environment variable that can also provide it.
        env_var: &'static str,
    },
}

/// A setting's value and where it came from; `None` when no layer set it.
type Given<T> = Option<(T, Origin)>;

/// The keys of `gazette.toml`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    data_dir: Option<PathBuf>,
    listen: Option<String>,
    database_url: Option<String>,
    index_dir: Option<PathBuf>,
    theme_dir: Option<PathBuf>,
    trusted_proxies: Option<Vec<String>>,
    log_level: Option<String>,
    log_format: Option<String>,
    smtp: Option<FileSmtp>,
    publication: Option<FilePublication>,
}

/// The keys of the `[smtp]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSmtp {
    host: Option<String>,
    port: Option<i64>,
    username: Option<String>,
    password: Option<String>,
    from: Option<String>,
    tls: Option<String>,
}

/// The keys of the `[publication]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePublication {
    name: Option<String>,
    tagline: Option<String>,
    description: Option<String>,
    language: Option<String>,
    time_zone: Option<String>,
    base_url: Option<String>,
    issn: Option<String>,
    eissn: Option<String>,
    permalink: Option<String>,
}

/// The `GAZETTE_*` settings found in the environment; empty values count as unset.
struct EnvSettings(BTreeMap<&'static str, String>);

/// The raw values of every layer merged so far, each remembering its origin.
#[derive(Default)]
struct Layers {
    data_dir: Given<PathBuf>,
    listen: Given<String>,
    database_url: Given<String>,
    index_dir: Given<PathBuf>,
    theme_dir: Given<PathBuf>,
    trusted_proxies: Given<Vec<String>>,
    log_level: Given<String>,
    log_format: Given<String>,
    smtp: SmtpLayers,
}

/// The raw SMTP values merged so far.
#[derive(Default)]
struct SmtpLayers {
    /// The first layer that mentioned SMTP at all; `None` means mail is not configured.
    configured_by: Option<Origin>,
    host: Given<String>,
    port: Given<String>,
    username: Given<String>,
    password: Given<String>,
    from: Given<String>,
    tls: Given<String>,
}

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
        layers.resolve(publication_seed)
    }
}

impl EnvSettings {
    /// Keeps the known `GAZETTE_*` variables and refuses unknown ones.
    fn collect(env: impl IntoIterator<Item = (String, String)>) -> Result<Self, ConfigError> {
        let mut known = BTreeMap::new();
        let mut unknown = Vec::new();
        for (name, value) in env {
            if !name.starts_with("GAZETTE_")
                || name.starts_with(TEST_ENV_PREFIX)
                || name == ADMIN_PASSWORD_ENV
            {
                continue;
            }
            match ENV_VARS.iter().find(|known_name| **known_name == name) {
                Some(&var) if value.trim().is_empty() => {
                    known.remove(var);
                }
                Some(&var) => {
                    known.insert(var, value);
                }
                None => unknown.push(name),
            }
        }
        if unknown.is_empty() {
            return Ok(Self(known));
        }
        unknown.sort();
        unknown.dedup();
        Err(ConfigError::UnknownVariables { names: unknown })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// Which configuration file to read, and the flag or variable that named it (`None` for the
/// default `<data_dir>/gazette.toml`, where data_dir comes from flags, environment or default).
fn locate_file(flags: &Flags, env: &EnvSettings) -> (PathBuf, Option<Origin>) {
    if let Some(path) = &flags.config_file {
        return (path.clone(), Some(Origin::Flag("--config")));
    }
    if let Some(path) = env.get("GAZETTE_CONFIG") {
        return (PathBuf::from(path), Some(Origin::Env("GAZETTE_CONFIG")));
    }
    let data_dir = flags
        .data_dir
        .clone()
        .or_else(|| env.get("GAZETTE_DATA_DIR").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
    (data_dir.join(CONFIG_FILE_NAME), None)
}

/// Reads and parses the configuration file; a missing default file is no error.
fn read_file(path: &Path, named_by: Option<Origin>) -> Result<Option<FileSettings>, ConfigError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return match named_by {
                Some(named_by) => Err(ConfigError::FileNotFound {
                    path: path.to_owned(),
                    named_by,
                }),
                None => Ok(None),
            };
        }
        Err(error) => {
            return Err(ConfigError::FileUnreadable {
                path: path.to_owned(),
                problem: format!("{error}; check that it is a readable file"),
            });
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| ConfigError::FileUnreadable {
        path: path.to_owned(),
        problem: "it is not UTF-8 text; save it with UTF-8 encoding".to_owned(),
    })?;
    toml::from_str(&text)
        .map(Some)
        .map_err(|error| ConfigError::FileSyntax {
            path: path.to_owned(),
            message: error.to_string().trim_end().to_owned(),
        })
}

/// The editorial settings to seed: `[publication]` over [`Publication::sample`].
fn seed_publication(
    file: Option<FilePublication>,
    origin: &Origin,
) -> Result<Publication, ConfigError> {
    let mut seed = Publication::sample();
    let Some(file) = file else {
        return Ok(seed);
    };
    let name = parse_field(
        file.name.as_deref(),
        "publication.name",
        origin,
        publication_name,
    )?;
    seed.name = name.unwrap_or(seed.name);
    seed_conventions(&mut seed, &file, origin)?;
    seed_identifiers(&mut seed, &file, origin)?;
    seed.tagline = file.tagline.unwrap_or(seed.tagline);
    seed.description = file.description.unwrap_or(seed.description);
    Ok(seed)
}

fn publication_name(text: &str) -> Result<String, &'static str> {
    match text.trim() {
        "" => Err("the name must not be empty"),
        name => Ok(name.to_owned()),
    }
}

/// The language, time zone and permalink pattern given in `[publication]`.
fn seed_conventions(
    seed: &mut Publication,
    file: &FilePublication,
    origin: &Origin,
) -> Result<(), ConfigError> {
    let language = file.language.as_deref();
    if let Some(tag) = parse_field(language, "publication.language", origin, LanguageTag::parse)? {
        seed.language = tag;
    }
    let zone = file.time_zone.as_deref();
    if let Some(zone) = parse_field(zone, "publication.time_zone", origin, TimeZoneName::parse)? {
        seed.time_zone = zone;
    }
    let pattern = file.permalink.as_deref().map(str::trim);
    let permalink = parse_field(
        pattern,
        "publication.permalink",
        origin,
        PermalinkPattern::parse,
    )?;
    if let Some(permalink) = permalink {
        seed.permalink = permalink;
    }
    Ok(())
}

/// The public address and ISSNs given in `[publication]`; a blank value means none.
fn seed_identifiers(
    seed: &mut Publication,
    file: &FilePublication,
    origin: &Origin,
) -> Result<(), ConfigError> {
    seed.base_url = parse_field(
        non_blank(&file.base_url),
        "publication.base_url",
        origin,
        base_url,
    )?;
    seed.issn = parse_field(
        non_blank(&file.issn),
        "publication.issn",
        origin,
        Issn::parse,
    )?;
    seed.eissn = parse_field(
        non_blank(&file.eissn),
        "publication.eissn",
        origin,
        Issn::parse,
    )?;
    Ok(())
}

/// The text of an optional value, with a blank one counting as absent.
fn non_blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|text| !text.trim().is_empty())
}

/// Parses an optional value, turning the parser's error into one naming the setting.
fn parse_field<T, E: fmt::Display>(
    value: Option<&str>,
    setting: &str,
    origin: &Origin,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, ConfigError> {
    value
        .map(|text| {
            parse(text).map_err(|error| invalid(setting, origin, format!("is invalid: {error}")))
        })
        .transpose()
}

/// The publication's public address: an absolute http(s) URL.
fn base_url(text: &str) -> Result<url::Url, String> {
    const EXAMPLE: &str = "an http:// or https:// address such as https://journal.example";
    match url::Url::parse(text.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url),
        Ok(_) => Err(format!("{text:?} is not {EXAMPLE}")),
        Err(error) => Err(format!("{text:?} is not {EXAMPLE} ({error})")),
    }
}

impl Layers {
    fn apply_file(&mut self, file: FileSettings, origin: &Origin) {
        set(&mut self.data_dir, file.data_dir, origin);
        set(&mut self.listen, file.listen, origin);
        set(&mut self.database_url, file.database_url, origin);
        set(&mut self.index_dir, file.index_dir, origin);
        set(&mut self.theme_dir, file.theme_dir, origin);
        set(&mut self.trusted_proxies, file.trusted_proxies, origin);
        set(&mut self.log_level, file.log_level, origin);
        set(&mut self.log_format, file.log_format, origin);
        if let Some(smtp) = file.smtp {
            self.smtp.apply_file(smtp, origin);
        }
    }

    fn apply_env(&mut self, env: &EnvSettings) {
        for (&name, value) in &env.0 {
            let origin = Origin::Env(name);
            let text = Some(value.clone());
            match name {
                "GAZETTE_DATA_DIR" => set(&mut self.data_dir, Some(value.into()), &origin),
                "GAZETTE_LISTEN" => set(&mut self.listen, text, &origin),
                "GAZETTE_DATABASE_URL" => set(&mut self.database_url, text, &origin),
                "GAZETTE_INDEX_DIR" => set(&mut self.index_dir, Some(value.into()), &origin),
                "GAZETTE_THEME_DIR" => set(&mut self.theme_dir, Some(value.into()), &origin),
                "GAZETTE_LOG_LEVEL" => set(&mut self.log_level, text, &origin),
                "GAZETTE_LOG_FORMAT" => set(&mut self.log_format, text, &origin),
                "GAZETTE_TRUSTED_PROXIES" => {
                    set(&mut self.trusted_proxies, Some(split_list(value)), &origin);
                }
                // GAZETTE_SMTP_*; GAZETTE_CONFIG was used to find the file and is ignored there.
                _ => self.smtp.apply_env(name, value, origin),
            }
        }
    }

    fn apply_flags(&mut self, flags: &Flags) {
        set(
            &mut self.data_dir,
            flags.data_dir.clone(),
            &Origin::Flag("--data"),
        );
        set(
            &mut self.listen,
            flags.listen.clone(),
            &Origin::Flag("--listen"),
        );
        let database_url = flags.database_url.clone();
        set(
            &mut self.database_url,
            database_url,
            &Origin::Flag("--database"),
        );
        set(
            &mut self.index_dir,
            flags.index_dir.clone(),
            &Origin::Flag("--index-dir"),
        );
        set(
            &mut self.theme_dir,
            flags.theme_dir.clone(),
            &Origin::Flag("--theme"),
        );
    }

    /// Validates the winning values and fills in defaults.
    fn resolve(self, publication_seed: Publication) -> Result<Config, ConfigError> {
        let data_dir = check(self.data_dir.clone(), dir_path("data_dir"))?
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let data_dir_origin = self.data_dir.map(|(_, origin)| origin);
        let database_url = match self.database_url {
            Some((url, origin)) => database_url(&url, &origin)?,
            None => default_database_url(&data_dir, data_dir_origin.as_ref())?,
        };
        let index_dir = check(self.index_dir, dir_path("index_dir"))?;
        Ok(Config {
            listen: check(self.listen, listen)?.unwrap_or(DEFAULT_LISTEN),
            database_url,
            index_dir: index_dir.unwrap_or_else(|| data_dir.join("index")),
            media_dir: data_dir.join("media"),
            theme_dir: check(self.theme_dir, dir_path("theme_dir"))?,
            trusted_proxies: check(self.trusted_proxies, trusted_proxies)?.unwrap_or_default(),
            log_level: check(self.log_level, log_level)?
                .unwrap_or_else(|| DEFAULT_LOG_LEVEL.to_owned()),
            log_format: check(self.log_format, log_format)?.unwrap_or_default(),
            smtp: self.smtp.resolve()?,
            publication_seed,
            data_dir,
        })
    }
}

impl SmtpLayers {
    fn apply_file(&mut self, file: FileSmtp, origin: &Origin) {
        self.configured_by.get_or_insert_with(|| origin.clone());
        set(&mut self.host, file.host, origin);
        set(
            &mut self.port,
            file.port.map(|port| port.to_string()),
            origin,
        );
        set(&mut self.username, file.username, origin);
        set(&mut self.password, file.password, origin);
        set(&mut self.from, file.from, origin);
        set(&mut self.tls, file.tls, origin);
    }

    fn apply_env(&mut self, name: &'static str, value: &str, origin: Origin) {
        let slot = match name {
            "GAZETTE_SMTP_HOST" => &mut self.host,
            "GAZETTE_SMTP_PORT" => &mut self.port,
            "GAZETTE_SMTP_USERNAME" => &mut self.username,
            "GAZETTE_SMTP_PASSWORD" => &mut self.password,
            "GAZETTE_SMTP_FROM" => &mut self.from,
            "GAZETTE_SMTP_TLS" => &mut self.tls,
            _ => return,
        };
        *slot = Some((value.to_owned(), origin.clone()));
        self.configured_by.get_or_insert(origin);
    }

    /// `None` when nothing mentioned SMTP; otherwise host and from are required.
    fn resolve(self) -> Result<Option<SmtpConfig>, ConfigError> {
        let Some(configured_by) = self.configured_by else {
            return Ok(None);
        };
        let required = |given: Given<String>, setting, env_var| {
            given.ok_or_else(|| ConfigError::MissingSmtpSetting {
                setting,
                configured_by: configured_by.clone(),
                env_var,
            })
        };
        let (host, host_origin) = required(self.host, "smtp.host", "GAZETTE_SMTP_HOST")?;
        let (from, from_origin) = required(self.from, "smtp.from", "GAZETTE_SMTP_FROM")?;
        if let (Some((_, origin)), None) = (&self.password, &self.username) {
            let problem = "is set but smtp.username is not; set both, or neither for a relay";
            return Err(invalid("smtp.password", origin, problem));
        }
        Ok(Some(SmtpConfig {
            host: smtp_host(&host, &host_origin)?,
            port: check(self.port, smtp_port)?.unwrap_or(DEFAULT_SMTP_PORT),
            username: self.username.map(|(username, _)| username),
            password: self.password.map(|(password, _)| password),
            from: smtp_from(&from, &from_origin)?,
            tls: check(self.tls, smtp_tls)?.unwrap_or_default(),
        }))
    }
}

/// Puts `value`, if any, into `slot`, remembering where it came from.
fn set<T>(slot: &mut Given<T>, value: Option<T>, origin: &Origin) {
    if let Some(value) = value {
        *slot = Some((value, origin.clone()));
    }
}

/// Runs `validate` on a given value; `Ok(None)` when the setting was not given.
fn check<T, U>(
    given: Given<T>,
    validate: impl FnOnce(T, &Origin) -> Result<U, ConfigError>,
) -> Result<Option<U>, ConfigError> {
    given
        .map(|(value, origin)| validate(value, &origin))
        .transpose()
}

fn invalid(setting: &str, origin: &Origin, problem: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        setting: setting.to_owned(),
        origin: origin.clone(),
        problem: problem.into(),
    }
}

/// A comma-separated environment list, without blanks.
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A validator for a directory setting: any non-empty path.
fn dir_path(
    setting: &'static str,
) -> impl FnOnce(PathBuf, &Origin) -> Result<PathBuf, ConfigError> {
    move |dir, origin| {
        if dir.as_os_str().is_empty() {
            return Err(invalid(
                setting,
                origin,
                "must not be empty; give a directory path",
            ));
        }
        Ok(dir)
    }
}

/// An IP address and port; `localhost` means 127.0.0.1 (no name lookup is done).
fn listen(text: String, origin: &Origin) -> Result<SocketAddr, ConfigError> {
    let text = text.trim();
    if let Ok(address) = text.parse() {
        return Ok(address);
    }
    text.strip_prefix("localhost:")
        .and_then(|port| port.parse::<u16>().ok())
        .map(|port| SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .ok_or_else(|| {
            let problem = format!(
                "must be an IP address and port such as 127.0.0.1:8080, [::1]:8080, \
                 0.0.0.0:80 or localhost:8080; got {text:?}"
            );
            invalid("listen", origin, problem)
        })
}

fn database_url(url: &str, origin: &Origin) -> Result<String, ConfigError> {
    let url = url.trim();
    let known = DATABASE_SCHEMES
        .iter()
        .any(|scheme| url.len() > scheme.len() && url.starts_with(scheme));
    if known {
        return Ok(url.to_owned());
    }
    let problem = format!(
        "must start with sqlite:, postgres:// or postgresql://, for example \
         postgres://user@host/gazette or sqlite:/var/lib/gazette/gazette.db; got {:?}",
        redact_url(url)
    );
    Err(invalid("database_url", origin, problem))
}

/// `sqlite:<data_dir>/gazette.db`, which needs a UTF-8 data directory.
fn default_database_url(data_dir: &Path, origin: Option<&Origin>) -> Result<String, ConfigError> {
    let file = data_dir.join(DATABASE_FILE_NAME);
    match (file.to_str(), origin) {
        (Some(file), _) => Ok(format!("sqlite:{file}")),
        (None, Some(origin)) => Err(invalid(
            "data_dir",
            origin,
            "is not UTF-8, so it cannot hold the default SQLite database; set database_url",
        )),
        (None, None) => Ok(format!("sqlite:{}", file.display())),
    }
}

fn trusted_proxies(entries: Vec<String>, origin: &Origin) -> Result<Vec<IpNet>, ConfigError> {
    entries
        .iter()
        .map(|entry| {
            proxy(entry.trim()).ok_or_else(|| {
                let problem = format!(
                    "contains {entry:?}, which is not an IP address or CIDR range such as \
                     10.0.0.0/8, 192.168.1.10 or 2001:db8::/32"
                );
                invalid("trusted_proxies", origin, problem)
            })
        })
        .collect()
}

/// A CIDR range (host bits cleared) or a single address.
fn proxy(text: &str) -> Option<IpNet> {
    match text.parse::<IpNet>() {
        Ok(net) => Some(net.trunc()),
        Err(_) => text.parse::<IpAddr>().ok().map(IpNet::from),
    }
}

/// A level or tracing filter directives; checked lightly (shape and level names only).
fn log_level(text: String, origin: &Origin) -> Result<String, ConfigError> {
    let text = text.trim();
    let mut directives = text.split(',').filter(|directive| !directive.is_empty());
    let valid = !text.contains(char::is_whitespace)
        && directives.clone().next().is_some()
        && directives.all(is_log_directive);
    if valid {
        return Ok(text.to_owned());
    }
    let problem = format!(
        "must be a level (trace, debug, info, warn, error, off) or filter directives such as \
         gazette=debug,sqlx=warn, without spaces; got {text:?}"
    );
    Err(invalid("log_level", origin, problem))
}

/// `level`, `target` or `target=level` (a target may carry span filters, left unchecked).
fn is_log_directive(directive: &str) -> bool {
    match directive.rsplit_once('=') {
        Some((target, level)) if level.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            !target.is_empty() && LOG_LEVELS.contains(&level.to_ascii_lowercase().as_str())
        }
        _ => true,
    }
}

fn log_format(text: String, origin: &Origin) -> Result<LogFormat, ConfigError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err(invalid(
            "log_format",
            origin,
            format!("must be \"text\" or \"json\"; got {text:?}"),
        )),
    }
}

fn smtp_host(host: &str, origin: &Origin) -> Result<String, ConfigError> {
    let host = host.trim();
    if host.is_empty() || host.contains(char::is_whitespace) {
        let problem = format!("must be a host name such as smtp.example.org; got {host:?}");
        return Err(invalid("smtp.host", origin, problem));
    }
    Ok(host.to_owned())
}

fn smtp_port(port: String, origin: &Origin) -> Result<u16, ConfigError> {
    match port.trim().parse::<u16>() {
        Ok(port) if port != 0 => Ok(port),
        _ => Err(invalid(
            "smtp.port",
            origin,
            format!("must be a port number from 1 to 65535, usually 587 or 465; got {port:?}"),
        )),
    }
}

fn smtp_from(from: &str, origin: &Origin) -> Result<Email, ConfigError> {
    Email::parse(from).map_err(|error| {
        let problem = format!("is not a valid sender address ({error}); got {from:?}");
        invalid("smtp.from", origin, problem)
    })
}

fn smtp_tls(tls: String, origin: &Origin) -> Result<SmtpTls, ConfigError> {
    match tls.trim().to_ascii_lowercase().as_str() {
        "starttls" => Ok(SmtpTls::StartTls),
        "tls" => Ok(SmtpTls::Tls),
        "none" => Ok(SmtpTls::None),
        _ => Err(invalid(
            "smtp.tls",
            origin,
            format!("must be \"starttls\", \"tls\" or \"none\"; got {tls:?}"),
        )),
    }
}

pub use gazette_store::redact_url;

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url))
            .field("index_dir", &self.index_dir)
            .field("media_dir", &self.media_dir)
            .field("theme_dir", &self.theme_dir)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("log_level", &self.log_level)
            .field("log_format", &self.log_format)
            .field("smtp", &self.smtp)
            .field("publication_seed", &self.publication_seed)
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
            ConfigError::MissingSmtpSetting {
                setting,
                configured_by,
                env_var,
            } => {
                let by = match configured_by {
                    Origin::File(path) => format!("the [smtp] table in {}", path.display()),
                    other => other.to_string(),
                };
                let key = setting.trim_start_matches("smtp.");
                write!(
                    f,
                    "{setting} is required because SMTP is configured (by {by}); set {key} in \
                     the [smtp] table of {CONFIG_FILE_NAME} or the {env_var} environment variable"
                )
            }
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;
    use tempfile::TempDir;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    /// A temporary data directory holding `gazette.toml` with `text`.
    fn data_dir_with(text: &str) -> TempDir {
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE_NAME), text).unwrap();
        dir
    }

    fn flags_for(dir: &TempDir) -> Flags {
        Flags {
            data_dir: Some(dir.path().to_owned()),
            ..Flags::default()
        }
    }

    /// Loads with `text` as the configuration file found in the data directory.
    fn load_toml(text: &str) -> (Result<Config, ConfigError>, TempDir) {
        let dir = data_dir_with(text);
        (Config::load(&flags_for(&dir), vars(&[])), dir)
    }

    fn error_text(result: Result<Config, ConfigError>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn defaults_apply_when_nothing_is_configured() {
        let dir = data_dir_with("");
        let flags = Flags {
            config_file: Some(dir.path().join(CONFIG_FILE_NAME)),
            ..Flags::default()
        };
        let config = Config::load(&flags, vars(&[("PATH", "/bin")])).unwrap();
        assert_eq!(config.data_dir, PathBuf::from("./gazette-data"));
        assert_eq!(
            config.listen,
            "127.0.0.1:8080".parse::<SocketAddr>().unwrap()
        );
        assert_eq!(config.database_url, "sqlite:./gazette-data/gazette.db");
        assert_eq!(config.index_dir, PathBuf::from("./gazette-data/index"));
        assert_eq!(config.media_dir, PathBuf::from("./gazette-data/media"));
        assert_eq!(config.theme_dir, None);
        assert!(config.trusted_proxies.is_empty());
        assert_eq!(config.log_level, "info");
        assert_eq!(config.log_format, LogFormat::Text);
        assert_eq!(config.smtp, None);
        assert_eq!(config.publication_seed, Publication::sample());
    }

    #[test]
    fn a_missing_default_config_file_is_fine() {
        let dir = TempDir::new().unwrap();
        let config = Config::load(&flags_for(&dir), vars(&[])).unwrap();
        assert_eq!(config.data_dir, dir.path());
        assert_eq!(config.index_dir, dir.path().join("index"));
    }

    #[test]
    fn the_file_overrides_defaults() {
        let (config, dir) = load_toml(
            "listen = \"0.0.0.0:80\"\nlog_level = \"gazette=debug,sqlx=warn\"\n\
             log_format = \"json\"\ntheme_dir = \"/srv/theme\"\nindex_dir = \"/srv/index\"\n",
        );
        let config = config.unwrap();
        assert_eq!(config.listen, "0.0.0.0:80".parse::<SocketAddr>().unwrap());
        assert_eq!(config.log_level, "gazette=debug,sqlx=warn");
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config.theme_dir, Some(PathBuf::from("/srv/theme")));
        assert_eq!(config.index_dir, PathBuf::from("/srv/index"));
        assert_eq!(config.media_dir, dir.path().join("media"));
    }

    #[test]
    fn the_environment_overrides_the_file_and_flags_override_the_environment() {
        let dir = data_dir_with(
            "listen = \"127.0.0.1:1000\"\ndatabase_url = \"sqlite:file.db\"\n\
             log_level = \"warn\"\ntheme_dir = \"/file/theme\"\n",
        );
        let env = vars(&[
            ("GAZETTE_LISTEN", "127.0.0.1:2000"),
            ("GAZETTE_DATABASE_URL", "postgres://env@db/gazette"),
            ("GAZETTE_LOG_LEVEL", "debug"),
            ("GAZETTE_THEME_DIR", "/env/theme"),
        ]);
        let from_env = Config::load(&flags_for(&dir), env.clone()).unwrap();
        assert_eq!(from_env.listen.port(), 2000);
        assert_eq!(from_env.database_url, "postgres://env@db/gazette");
        assert_eq!(from_env.log_level, "debug");
        assert_eq!(from_env.theme_dir, Some(PathBuf::from("/env/theme")));

        let flags = Flags {
            listen: Some("127.0.0.1:3000".into()),
            database_url: Some("postgresql://flag@db/gazette".into()),
            theme_dir: Some("/flag/theme".into()),
            ..flags_for(&dir)
        };
        let from_flags = Config::load(&flags, env).unwrap();
        assert_eq!(from_flags.listen.port(), 3000);
        assert_eq!(from_flags.database_url, "postgresql://flag@db/gazette");
        assert_eq!(from_flags.theme_dir, Some(PathBuf::from("/flag/theme")));
        assert_eq!(
            from_flags.log_level, "debug",
            "no flag: the environment still wins"
        );
    }

    #[test]
    fn derived_paths_follow_the_final_data_dir() {
        let dir = data_dir_with("data_dir = \"/from/file\"\n");
        let config_file = dir.path().join(CONFIG_FILE_NAME);
        let flags = Flags {
            config_file: Some(config_file.clone()),
            ..Flags::default()
        };
        let config = Config::load(&flags, vars(&[])).unwrap();
        assert_eq!(config.data_dir, PathBuf::from("/from/file"));
        assert_eq!(config.database_url, "sqlite:/from/file/gazette.db");
        assert_eq!(config.index_dir, PathBuf::from("/from/file/index"));
        assert_eq!(config.media_dir, PathBuf::from("/from/file/media"));

        let env = vars(&[
            ("GAZETTE_CONFIG", config_file.to_str().unwrap()),
            ("GAZETTE_DATA_DIR", "/from/env"),
        ]);
        let config = Config::load(&Flags::default(), env.clone()).unwrap();
        assert_eq!(config.database_url, "sqlite:/from/env/gazette.db");
        let flags = Flags {
            data_dir: Some("/from/flag".into()),
            ..Flags::default()
        };
        let config = Config::load(&flags, env).unwrap();
        assert_eq!(config.database_url, "sqlite:/from/flag/gazette.db");
        assert_eq!(config.index_dir, PathBuf::from("/from/flag/index"));
    }

    #[test]
    fn unknown_toml_keys_are_refused_naming_key_and_file() {
        let (result, dir) = load_toml("listen = \"127.0.0.1:8080\"\ncolour = \"blue\"\n");
        let message = error_text(result);
        assert!(message.contains("colour"), "{message}");
        assert!(message.contains("line 2"), "{message}");
        assert!(
            message.contains(&dir.path().display().to_string()),
            "{message}"
        );

        let (result, _dir) = load_toml("[smtp]\nhost = \"mail\"\nfrom = \"a@b.org\"\nsecure = 1\n");
        assert!(error_text(result).contains("secure"));
        let (result, _dir) = load_toml("[publication]\nmotto = \"x\"\n");
        assert!(error_text(result).contains("motto"));
    }

    #[test]
    fn invalid_or_non_utf8_files_are_refused_naming_the_file() {
        let (result, dir) = load_toml("listen = ");
        let message = error_text(result);
        assert!(
            message.contains(&dir.path().display().to_string()),
            "{message}"
        );
        let (result, _dir) = load_toml("listen = 8080\n");
        assert!(error_text(result).contains("listen"));

        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE_NAME), b"name = \"\xff\"\n").unwrap();
        let error = Config::load(&flags_for(&dir), vars(&[])).unwrap_err();
        assert!(
            matches!(error, ConfigError::FileUnreadable { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("UTF-8"));
    }

    #[test]
    fn unknown_gazette_variables_are_refused_by_name() {
        let env = vars(&[("GAZETTE_LISTN", "127.0.0.1:1"), ("GAZETTE_DATADIR", "/x")]);
        let error = Config::load(&Flags::default(), env).unwrap_err();
        assert_eq!(
            error,
            ConfigError::UnknownVariables {
                names: vec!["GAZETTE_DATADIR".into(), "GAZETTE_LISTN".into()]
            }
        );
        let message = error.to_string();
        assert!(message.contains("GAZETTE_LISTN"), "{message}");
        assert!(
            message.contains("GAZETTE_LISTEN"),
            "the known names are listed: {message}"
        );
    }

    #[test]
    fn test_variables_and_the_admin_password_are_not_settings() {
        let dir = TempDir::new().unwrap();
        let env = vars(&[
            ("GAZETTE_TEST_DATABASE", "postgres://x"),
            ("GAZETTE_ADMIN_PASSWORD", "hunter2"),
            ("HOME", "/root"),
        ]);
        let config = Config::load(&flags_for(&dir), env).unwrap();
        assert_eq!(config.listen, DEFAULT_LISTEN);
    }

    #[test]
    fn empty_environment_values_count_as_unset() {
        let dir = data_dir_with("listen = \"127.0.0.1:1000\"\n");
        let env = vars(&[("GAZETTE_LISTEN", ""), ("GAZETTE_SMTP_HOST", " ")]);
        let config = Config::load(&flags_for(&dir), env).unwrap();
        assert_eq!(config.listen.port(), 1000);
        assert_eq!(config.smtp, None);
    }

    #[test]
    fn a_wrong_issn_check_digit_names_the_setting_and_the_right_digit() {
        let (result, dir) = load_toml("[publication]\nissn = \"2330-7170\"\n");
        let message = error_text(result);
        assert!(message.contains("publication.issn"), "{message}");
        assert!(
            message.contains("an ISSN starting 2330-717 ends in X"),
            "{message}"
        );
        assert!(
            message.contains(&dir.path().display().to_string()),
            "{message}"
        );
        let (result, _dir) = load_toml("[publication]\neissn = \"nope\"\n");
        assert!(error_text(result).contains("publication.eissn"));
    }

    #[test]
    fn an_unknown_time_zone_names_the_setting() {
        let (result, _dir) = load_toml("[publication]\ntime_zone = \"Mars/Olympus_Mons\"\n");
        let error = result.unwrap_err();
        let ConfigError::Invalid {
            setting, origin, ..
        } = &error
        else {
            panic!("unexpected error {error:?}");
        };
        assert_eq!(setting, "publication.time_zone");
        assert!(matches!(origin, Origin::File(_)));
        assert!(error.to_string().contains("Mars/Olympus_Mons"));
    }

    #[test]
    fn the_publication_table_seeds_over_the_sample() {
        let (result, _dir) = load_toml(
            "[publication]\nname = \"Le Quotidien\"\nlanguage = \"fr-fr\"\n\
             time_zone = \"Europe/Paris\"\nbase_url = \"https://quotidien.example\"\n\
             issn = \"2330-717X\"\neissn = \"\"\npermalink = \"/%postname%/\"\n",
        );
        let seed = result.unwrap().publication_seed;
        let sample = Publication::sample();
        assert_eq!(seed.name, "Le Quotidien");
        assert_eq!(seed.tagline, sample.tagline);
        assert_eq!(seed.language.as_str(), "fr-FR");
        assert_eq!(seed.time_zone.as_str(), "Europe/Paris");
        assert_eq!(
            seed.base_url.unwrap().as_str(),
            "https://quotidien.example/"
        );
        assert_eq!(seed.issn.unwrap().to_string(), "2330-717X");
        assert_eq!(seed.eissn, None);
        assert_eq!(seed.permalink.as_str(), "/%postname%/");

        let (result, _dir) = load_toml("[publication]\nbase_url = \"ftp://x.example\"\n");
        assert!(error_text(result).contains("publication.base_url"));
        let (result, _dir) = load_toml("[publication]\npermalink = \"/%year%/\"\n");
        assert!(error_text(result).contains("publication.permalink"));
        let (result, _dir) = load_toml("[publication]\nname = \" \"\n");
        assert!(error_text(result).contains("publication.name"));
    }

    #[test]
    fn listen_accepts_ip_addresses_and_localhost() {
        for (text, expected) in [
            ("[::1]:8080", "[::1]:8080"),
            ("localhost:9000", "127.0.0.1:9000"),
            (" 0.0.0.0:80 ", "0.0.0.0:80"),
        ] {
            let flags = Flags {
                listen: Some(text.into()),
                ..flags_for(&TempDir::new().unwrap())
            };
            let config = Config::load(&flags, vars(&[])).unwrap();
            assert_eq!(
                config.listen,
                expected.parse::<SocketAddr>().unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_bad_listen_address_names_the_setting_its_origin_and_an_example() {
        let dir = TempDir::new().unwrap();
        for bad in ["example.org:80", "127.0.0.1", "localhost:99999", "8080"] {
            let env = vars(&[("GAZETTE_LISTEN", bad)]);
            let message = error_text(Config::load(&flags_for(&dir), env));
            assert!(
                message.starts_with("listen (from GAZETTE_LISTEN)"),
                "{message}"
            );
            assert!(message.contains("127.0.0.1:8080"), "{message}");
        }
        let flags = Flags {
            listen: Some("nowhere".into()),
            ..flags_for(&dir)
        };
        assert!(error_text(Config::load(&flags, vars(&[]))).contains("(from --listen)"));
    }

    #[test]
    fn a_bad_database_url_is_refused_without_showing_its_password() {
        let dir = TempDir::new().unwrap();
        let env = vars(&[("GAZETTE_DATABASE_URL", "mysql://root:s3cret@db/gazette")]);
        let message = error_text(Config::load(&flags_for(&dir), env));
        assert!(
            message.starts_with(
                "database_url (from GAZETTE_DATABASE_URL) must start with sqlite:, postgres:// \
                 or postgresql://, for example postgres://user@host/gazette"
            ),
            "{message}"
        );
        assert!(!message.contains("s3cret"), "{message}");
        assert!(message.contains("mysql://root:***@db/gazette"), "{message}");
        for bad in ["/var/lib/gazette.db", "sqlite:", "postgres:/x"] {
            let env = vars(&[("GAZETTE_DATABASE_URL", bad)]);
            assert!(Config::load(&flags_for(&dir), env).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_are_redacted_for_messages_and_debug_output() {
        assert_eq!(
            redact_url("postgres://u:p@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(
            redact_url("postgres://u:p/@?x@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_url("postgres://h/db?user=u&password=p"),
            "postgres://h/db?user=u&password=***"
        );
        assert_eq!(
            redact_url("sqlite:data/gazette.db"),
            "sqlite:data/gazette.db"
        );

        let dir = TempDir::new().unwrap();
        let flags = Flags {
            database_url: Some("postgres://gazette:s3cret@db/gazette".into()),
            ..flags_for(&dir)
        };
        let config = Config::load(&flags, vars(&[])).unwrap();
        assert_eq!(config.database_url, "postgres://gazette:s3cret@db/gazette");
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn an_explicitly_named_config_file_must_exist() {
        let dir = TempDir::new().unwrap();
        let missing = dir.path().join("missing.toml");
        let flags = Flags {
            config_file: Some(missing.clone()),
            ..Flags::default()
        };
        let error = Config::load(&flags, vars(&[])).unwrap_err();
        assert_eq!(
            error,
            ConfigError::FileNotFound {
                path: missing.clone(),
                named_by: Origin::Flag("--config")
            }
        );
        assert!(error.to_string().contains("missing.toml"));
        let env = vars(&[("GAZETTE_CONFIG", missing.to_str().unwrap())]);
        let message = error_text(Config::load(&Flags::default(), env));
        assert!(message.contains("named by GAZETTE_CONFIG"), "{message}");
    }

    #[test]
    fn the_config_flag_beats_the_config_variable() {
        let flag_dir = data_dir_with("listen = \"127.0.0.1:1111\"\n");
        let env_dir = data_dir_with("listen = \"127.0.0.1:2222\"\n");
        let env_file = env_dir.path().join(CONFIG_FILE_NAME);
        let env = vars(&[("GAZETTE_CONFIG", env_file.to_str().unwrap())]);
        let flags = Flags {
            config_file: Some(flag_dir.path().join(CONFIG_FILE_NAME)),
            ..Flags::default()
        };
        assert_eq!(
            Config::load(&flags, env.clone()).unwrap().listen.port(),
            1111
        );
        assert_eq!(
            Config::load(&Flags::default(), env).unwrap().listen.port(),
            2222
        );
    }

    #[test]
    fn trusted_proxies_come_from_the_file_or_the_environment() {
        let dir = data_dir_with("trusted_proxies = [\"10.0.0.1/8\", \"192.168.1.10\", \"::1\"]\n");
        let config = Config::load(&flags_for(&dir), vars(&[])).unwrap();
        let expected: Vec<IpNet> = ["10.0.0.0/8", "192.168.1.10/32", "::1/128"]
            .iter()
            .map(|net| net.parse().unwrap())
            .collect();
        assert_eq!(config.trusted_proxies, expected);

        let env = vars(&[("GAZETTE_TRUSTED_PROXIES", " 172.16.0.0/12 , 2001:db8::/32,")]);
        let config = Config::load(&flags_for(&dir), env).unwrap();
        let expected: Vec<IpNet> = vec![
            "172.16.0.0/12".parse().unwrap(),
            "2001:db8::/32".parse().unwrap(),
        ];
        assert_eq!(config.trusted_proxies, expected);
    }

    #[test]
    fn a_bad_proxy_range_names_the_value() {
        let (result, _dir) = load_toml("trusted_proxies = [\"10.0.0.0/33\"]\n");
        let message = error_text(result);
        assert!(message.starts_with("trusted_proxies (from "), "{message}");
        assert!(message.contains("\"10.0.0.0/33\""), "{message}");
        let dir = TempDir::new().unwrap();
        let env = vars(&[("GAZETTE_TRUSTED_PROXIES", "10.0.0.1,proxy.local")]);
        let message = error_text(Config::load(&flags_for(&dir), env));
        assert!(message.contains("GAZETTE_TRUSTED_PROXIES"), "{message}");
        assert!(message.contains("\"proxy.local\""), "{message}");
    }

    #[test]
    fn log_settings_are_checked() {
        let dir = TempDir::new().unwrap();
        for good in [
            "trace",
            "gazette=debug,sqlx=warn",
            "gazette[request]=info",
            "WARN",
        ] {
            let env = vars(&[("GAZETTE_LOG_LEVEL", good)]);
            assert!(Config::load(&flags_for(&dir), env).is_ok(), "{good}");
        }
        for bad in ["gazette = debug", "gazette=loud", ",", "=info"] {
            let env = vars(&[("GAZETTE_LOG_LEVEL", bad)]);
            let message = error_text(Config::load(&flags_for(&dir), env));
            assert!(
                message.starts_with("log_level (from GAZETTE_LOG_LEVEL)"),
                "{bad}"
            );
        }
        let env = vars(&[("GAZETTE_LOG_FORMAT", "xml")]);
        let message = error_text(Config::load(&flags_for(&dir), env));
        assert!(
            message.starts_with("log_format (from GAZETTE_LOG_FORMAT)"),
            "{message}"
        );
    }

    #[test]
    fn smtp_is_read_from_the_file_and_the_environment() {
        let dir =
            data_dir_with("[smtp]\nhost = \"smtp.example.org\"\nfrom = \"news@example.org\"\n");
        let smtp = Config::load(&flags_for(&dir), vars(&[]))
            .unwrap()
            .smtp
            .unwrap();
        assert_eq!(smtp.host, "smtp.example.org");
        assert_eq!(smtp.port, 587);
        assert_eq!(smtp.tls, SmtpTls::StartTls);
        assert_eq!(smtp.from.as_str(), "news@example.org");
        assert_eq!((smtp.username, smtp.password), (None, None));

        let env = vars(&[
            ("GAZETTE_SMTP_PORT", "465"),
            ("GAZETTE_SMTP_TLS", "tls"),
            ("GAZETTE_SMTP_USERNAME", "news"),
            ("GAZETTE_SMTP_PASSWORD", "pw"),
        ]);
        let smtp = Config::load(&flags_for(&dir), env).unwrap().smtp.unwrap();
        assert_eq!((smtp.port, smtp.tls), (465, SmtpTls::Tls));
        assert_eq!(smtp.password.as_deref(), Some("pw"));
    }

    #[test]
    fn incomplete_or_invalid_smtp_settings_are_refused() {
        let (result, _dir) = load_toml("[smtp]\nfrom = \"news@example.org\"\n");
        let message = error_text(result);
        assert!(message.starts_with("smtp.host is required"), "{message}");
        let dir = TempDir::new().unwrap();
        let env = vars(&[("GAZETTE_SMTP_HOST", "mail")]);
        let message = error_text(Config::load(&flags_for(&dir), env));
        assert!(
            message.contains("smtp.from") && message.contains("GAZETTE_SMTP_FROM"),
            "{message}"
        );
        for (setting, text) in [
            (
                "smtp.from",
                "[smtp]\nhost = \"mail\"\nfrom = \"not an address\"\n",
            ),
            (
                "smtp.port",
                "[smtp]\nhost = \"mail\"\nfrom = \"a@b.org\"\nport = 70000\n",
            ),
            (
                "smtp.tls",
                "[smtp]\nhost = \"mail\"\nfrom = \"a@b.org\"\ntls = \"ssl\"\n",
            ),
            (
                "smtp.password",
                "[smtp]\nhost = \"mail\"\nfrom = \"a@b.org\"\npassword = \"p\"\n",
            ),
        ] {
            let (result, _dir) = load_toml(text);
            assert!(error_text(result).starts_with(setting), "{setting}");
        }
    }

    #[test]
    fn smtp_debug_output_hides_the_password() {
        let smtp = SmtpConfig {
            host: "smtp.example.org".into(),
            port: 587,
            username: Some("news".into()),
            password: Some("hunter2".into()),
            from: Email::parse("news@example.org").unwrap(),
            tls: SmtpTls::StartTls,
        };
        let debug = format!("{smtp:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(
            debug.contains("***") && debug.contains("smtp.example.org"),
            "{debug}"
        );
    }
}
