//! What is not a setting: unknown keys and variables, unreadable files, and the variables
//! that belong to tests and to the first administrator.

use super::*;

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
