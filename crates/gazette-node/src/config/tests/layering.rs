//! Where settings come from: defaults, the file, the environment and flags, each overriding
//! the one before, and the paths derived from the data directory.

use super::*;

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
    assert!(config.allowed_hosts.is_empty());
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
fn empty_environment_values_count_as_unset() {
    let dir = data_dir_with("listen = \"127.0.0.1:1000\"\n");
    let env = vars(&[("GAZETTE_LISTEN", ""), ("GAZETTE_SMTP_HOST", " ")]);
    let config = Config::load(&flags_for(&dir), env).unwrap();
    assert_eq!(config.listen.port(), 1000);
    assert_eq!(config.smtp, None);
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
fn database_notifications_are_on_unless_turned_off() {
    let dir = TempDir::new().unwrap();
    let config = Config::load(&flags_for(&dir), vars(&[])).unwrap();
    assert!(config.database_notifications);
    let (config, _dir) = load_toml("database_notifications = false\n");
    assert!(!config.unwrap().database_notifications);
    for (text, on) in [("off", false), ("0", false), ("true", true), ("yes", true)] {
        let env = vars(&[("GAZETTE_DATABASE_NOTIFICATIONS", text)]);
        let config = Config::load(&flags_for(&dir), env).unwrap();
        assert_eq!(config.database_notifications, on, "{text}");
    }
    let env = vars(&[("GAZETTE_DATABASE_NOTIFICATIONS", "sometimes")]);
    let message = error_text(Config::load(&flags_for(&dir), env));
    assert!(
        message.starts_with("database_notifications (from GAZETTE_DATABASE_NOTIFICATIONS)")
            && message.contains("true or false"),
        "{message}"
    );
}
