//! Tests of the operator configuration, by topic; the helpers they share are here.

mod addresses;
mod layering;
mod logging;
mod mail;
mod media_bucket;
mod publication;
mod unknown_settings;

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
