//! Merging the layers (file, environment, flags) and checking each value.

use super::*;

/// A setting's value and where it came from; `None` when no layer set it.
pub(super) type Given<T> = Option<(T, Origin)>;

/// The raw values of every layer merged so far, each remembering its origin.
#[derive(Default)]
pub(super) struct Layers {
    pub(super) data_dir: Given<PathBuf>,
    pub(super) listen: Given<String>,
    pub(super) metrics_listen: Given<String>,
    pub(super) database_url: Given<String>,
    pub(super) database_notifications: Given<String>,
    pub(super) index_dir: Given<PathBuf>,
    pub(super) theme_dir: Given<PathBuf>,
    pub(super) trusted_proxies: Given<Vec<String>>,
    pub(super) allowed_hosts: Given<Vec<String>>,
    pub(super) log_level: Given<String>,
    pub(super) log_format: Given<String>,
    pub(super) smtp: SmtpLayers,
    pub(super) media_bucket: MediaBucketLayers,
}

impl Layers {
    pub(super) fn apply_file(&mut self, file: FileSettings, origin: &Origin) {
        set(&mut self.data_dir, file.data_dir, origin);
        set(&mut self.listen, file.listen, origin);
        set(&mut self.metrics_listen, file.metrics_listen, origin);
        set(&mut self.database_url, file.database_url, origin);
        let notifications = file.database_notifications.map(|on| on.to_string());
        set(&mut self.database_notifications, notifications, origin);
        set(&mut self.index_dir, file.index_dir, origin);
        set(&mut self.theme_dir, file.theme_dir, origin);
        set(&mut self.trusted_proxies, file.trusted_proxies, origin);
        set(&mut self.allowed_hosts, file.allowed_hosts, origin);
        set(&mut self.log_level, file.log_level, origin);
        set(&mut self.log_format, file.log_format, origin);
        if let Some(smtp) = file.smtp {
            self.smtp.apply_file(smtp, origin);
        }
        if let Some(bucket) = file.media_bucket {
            self.media_bucket.apply_file(bucket, origin);
        }
    }

    pub(super) fn apply_env(&mut self, env: &EnvSettings) {
        for (&name, value) in &env.0 {
            let origin = Origin::Env(name);
            let text = Some(value.clone());
            match name {
                "GAZETTE_DATA_DIR" => set(&mut self.data_dir, Some(value.into()), &origin),
                "GAZETTE_LISTEN" => set(&mut self.listen, text, &origin),
                "GAZETTE_METRICS_LISTEN" => set(&mut self.metrics_listen, text, &origin),
                "GAZETTE_DATABASE_URL" => set(&mut self.database_url, text, &origin),
                "GAZETTE_DATABASE_NOTIFICATIONS" => {
                    set(&mut self.database_notifications, text, &origin);
                }
                "GAZETTE_INDEX_DIR" => set(&mut self.index_dir, Some(value.into()), &origin),
                "GAZETTE_THEME_DIR" => set(&mut self.theme_dir, Some(value.into()), &origin),
                "GAZETTE_LOG_LEVEL" => set(&mut self.log_level, text, &origin),
                "GAZETTE_LOG_FORMAT" => set(&mut self.log_format, text, &origin),
                "GAZETTE_TRUSTED_PROXIES" => {
                    set(&mut self.trusted_proxies, Some(split_list(value)), &origin);
                }
                "GAZETTE_ALLOWED_HOSTS" => {
                    set(&mut self.allowed_hosts, Some(split_list(value)), &origin);
                }
                _ if name.starts_with(MEDIA_BUCKET_ENV_PREFIX) => {
                    self.media_bucket.apply_env(name, value, origin);
                }
                // GAZETTE_SMTP_*; GAZETTE_CONFIG was used to find the file and is ignored there.
                _ => self.smtp.apply_env(name, value, origin),
            }
        }
    }

    pub(super) fn apply_flags(&mut self, flags: &Flags) {
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
        set(
            &mut self.metrics_listen,
            flags.metrics_listen.clone(),
            &Origin::Flag("--metrics-listen"),
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
    pub(super) fn resolve(
        self,
        publication_seed: Publication,
        page_cache: bool,
    ) -> Result<Config, ConfigError> {
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
            metrics_listen: check(self.metrics_listen, metrics_listen)?,
            page_cache,
            database_url,
            database_notifications: check(
                self.database_notifications,
                switch("database_notifications"),
            )?
            .unwrap_or(true),
            index_dir: index_dir.unwrap_or_else(|| data_dir.join("index")),
            media_dir: data_dir.join("media"),
            theme_dir: check(self.theme_dir, dir_path("theme_dir"))?,
            trusted_proxies: check(self.trusted_proxies, trusted_proxies)?.unwrap_or_default(),
            allowed_hosts: check(self.allowed_hosts, allowed_hosts)?.unwrap_or_default(),
            log_level: check(self.log_level, log_level)?
                .unwrap_or_else(|| DEFAULT_LOG_LEVEL.to_owned()),
            log_format: check(self.log_format, log_format)?.unwrap_or_default(),
            smtp: self.smtp.resolve()?,
            media_bucket: self.media_bucket.resolve()?,
            publication_seed,
            data_dir,
        })
    }
}

/// Puts `value`, if any, into `slot`, remembering where it came from.
pub(super) fn set<T>(slot: &mut Given<T>, value: Option<T>, origin: &Origin) {
    if let Some(value) = value {
        *slot = Some((value, origin.clone()));
    }
}

/// Runs `validate` on a given value; `Ok(None)` when the setting was not given.
pub(super) fn check<T, U>(
    given: Given<T>,
    validate: impl FnOnce(T, &Origin) -> Result<U, ConfigError>,
) -> Result<Option<U>, ConfigError> {
    given
        .map(|(value, origin)| validate(value, &origin))
        .transpose()
}

pub(super) fn invalid(setting: &str, origin: &Origin, problem: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        setting: setting.to_owned(),
        origin: origin.clone(),
        problem: problem.into(),
    }
}

/// A comma-separated environment list, without blanks.
pub(super) fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A validator for a directory setting: any non-empty path.
pub(super) fn dir_path(
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
pub(super) fn listen(text: String, origin: &Origin) -> Result<SocketAddr, ConfigError> {
    socket_address("listen", text, origin)
}

/// Like `listen`, for `/metrics`.
pub(super) fn metrics_listen(text: String, origin: &Origin) -> Result<SocketAddr, ConfigError> {
    socket_address("metrics_listen", text, origin)
}

fn socket_address(
    setting: &'static str,
    text: String,
    origin: &Origin,
) -> Result<SocketAddr, ConfigError> {
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
            invalid(setting, origin, problem)
        })
}

pub(super) fn database_url(url: &str, origin: &Origin) -> Result<String, ConfigError> {
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
pub(super) fn default_database_url(
    data_dir: &Path,
    origin: Option<&Origin>,
) -> Result<String, ConfigError> {
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

pub(super) fn trusted_proxies(
    entries: Vec<String>,
    origin: &Origin,
) -> Result<Vec<IpNet>, ConfigError> {
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

/// Each entry a host name or address with an optional port, as browsers send it in `Host`.
pub(super) fn allowed_hosts(
    entries: Vec<String>,
    origin: &Origin,
) -> Result<Vec<Authority>, ConfigError> {
    entries
        .iter()
        .map(|entry| {
            Authority::parse(entry.trim()).map_err(|_| {
                let problem = format!(
                    "contains {entry:?}, which is not a host name with an optional port: write \
                     it as news.example, news.example:8443, 192.0.2.10:8080 or \
                     [2001:db8::1]:8080, without a scheme, path or wildcard"
                );
                invalid("allowed_hosts", origin, problem)
            })
        })
        .collect()
}

/// A CIDR range (host bits cleared) or a single address.
pub(super) fn proxy(text: &str) -> Option<IpNet> {
    match text.parse::<IpNet>() {
        Ok(net) => Some(net.trunc()),
        Err(_) => text.parse::<IpAddr>().ok().map(IpNet::from),
    }
}

/// A level or tracing filter directives; checked lightly (shape and level names only).
pub(super) fn log_level(text: String, origin: &Origin) -> Result<String, ConfigError> {
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
pub(super) fn is_log_directive(directive: &str) -> bool {
    match directive.rsplit_once('=') {
        Some((target, level)) if level.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            !target.is_empty() && LOG_LEVELS.contains(&level.to_ascii_lowercase().as_str())
        }
        _ => true,
    }
}

/// A setting that is on or off: `true` or `false` (also `on`/`off`, `yes`/`no`, `1`/`0`).
pub(super) fn switch(
    setting: &'static str,
) -> impl FnOnce(String, &Origin) -> Result<bool, ConfigError> {
    move |text, origin| match text.trim().to_ascii_lowercase().as_str() {
        "true" | "on" | "yes" | "1" => Ok(true),
        "false" | "off" | "no" | "0" => Ok(false),
        _ => Err(invalid(
            setting,
            origin,
            format!("must be true or false; got {text:?}"),
        )),
    }
}

pub(super) fn log_format(text: String, origin: &Origin) -> Result<LogFormat, ConfigError> {
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

pub use gazette_store::redact_url;
