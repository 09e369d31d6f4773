//! Where raw settings come from: the TOML file (`gazette.toml`) and `GAZETTE_*` variables.

use super::*;

/// The keys of `gazette.toml`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileSettings {
    pub(super) data_dir: Option<PathBuf>,
    pub(super) listen: Option<String>,
    pub(super) metrics_listen: Option<String>,
    pub(super) database_url: Option<String>,
    pub(super) database_notifications: Option<bool>,
    pub(super) index_dir: Option<PathBuf>,
    pub(super) theme_dir: Option<PathBuf>,
    pub(super) trusted_proxies: Option<Vec<String>>,
    pub(super) allowed_hosts: Option<Vec<String>>,
    pub(super) log_level: Option<String>,
    pub(super) log_format: Option<String>,
    pub(super) smtp: Option<FileSmtp>,
    pub(super) media_bucket: Option<FileMediaBucket>,
    pub(super) publication: Option<FilePublication>,
}

/// The keys of the `[smtp]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileSmtp {
    pub(super) host: Option<String>,
    pub(super) port: Option<i64>,
    pub(super) username: Option<String>,
    pub(super) password: Option<String>,
    pub(super) from: Option<String>,
    pub(super) tls: Option<String>,
    pub(super) ca_file: Option<String>,
    pub(super) max_per_minute: Option<i64>,
    pub(super) dkim_domain: Option<String>,
    pub(super) dkim_selector: Option<String>,
    pub(super) dkim_key_file: Option<String>,
    pub(super) webhook_secret: Option<String>,
}

/// The keys of the `[media_bucket]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileMediaBucket {
    pub(super) endpoint: Option<String>,
    pub(super) region: Option<String>,
    pub(super) name: Option<String>,
    pub(super) prefix: Option<String>,
    pub(super) access_key_id: Option<String>,
    pub(super) secret_access_key: Option<String>,
    pub(super) public_url: Option<String>,
}

/// The keys of the `[publication]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FilePublication {
    pub(super) name: Option<String>,
    pub(super) tagline: Option<String>,
    pub(super) description: Option<String>,
    pub(super) language: Option<String>,
    pub(super) time_zone: Option<String>,
    pub(super) base_url: Option<String>,
    pub(super) issn: Option<String>,
    pub(super) eissn: Option<String>,
    pub(super) permalink: Option<String>,
}

/// The `GAZETTE_*` settings found in the environment; empty values count as unset.
pub(super) struct EnvSettings(pub(super) BTreeMap<&'static str, String>);

impl EnvSettings {
    /// Keeps the known `GAZETTE_*` variables and refuses unknown ones.
    pub(super) fn collect(
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
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

    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// Which configuration file to read, and the flag or variable that named it (`None` for the
/// default `<data_dir>/gazette.toml`, where data_dir comes from flags, environment or default).
pub(super) fn locate_file(flags: &Flags, env: &EnvSettings) -> (PathBuf, Option<Origin>) {
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
pub(super) fn read_file(
    path: &Path,
    named_by: Option<Origin>,
) -> Result<Option<FileSettings>, ConfigError> {
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
