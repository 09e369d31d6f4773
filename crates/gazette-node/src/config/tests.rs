//! Tests of the operator configuration.

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
fn allowed_hosts_come_from_the_file_or_the_environment() {
    let dir =
        data_dir_with("allowed_hosts = [\"News.Example\", \"news.example:8443\", \"[::1]:80\"]\n");
    let config = Config::load(&flags_for(&dir), vars(&[])).unwrap();
    let names: Vec<String> = config
        .allowed_hosts
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(names, ["news.example", "news.example:8443", "[::1]:80"]);

    let env = vars(&[(
        "GAZETTE_ALLOWED_HOSTS",
        " journal.example , 192.0.2.7:8080,",
    )]);
    let config = Config::load(&flags_for(&dir), env).unwrap();
    let names: Vec<String> = config
        .allowed_hosts
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(names, ["journal.example", "192.0.2.7:8080"]);
}

#[test]
fn an_allowed_host_that_is_no_host_is_refused_with_an_example() {
    let (result, _dir) = load_toml("allowed_hosts = [\"https://news.example/\"]\n");
    let message = error_text(result);
    assert!(message.starts_with("allowed_hosts (from "), "{message}");
    assert!(message.contains("\"https://news.example/\""), "{message}");
    assert!(message.contains("without a scheme"), "{message}");
    let dir = TempDir::new().unwrap();
    for bad in [
        "news.example,*.example",
        "news.example:99999",
        "news example",
    ] {
        let env = vars(&[("GAZETTE_ALLOWED_HOSTS", bad)]);
        let message = error_text(Config::load(&flags_for(&dir), env));
        assert!(
            message.starts_with("allowed_hosts (from GAZETTE_ALLOWED_HOSTS)"),
            "{message}"
        );
    }
    let (result, _dir) = load_toml("allowed_hosts = \"news.example\"\n");
    assert!(
        error_text(result).contains("allowed_hosts"),
        "a list, not a string"
    );
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
    let dir = data_dir_with("[smtp]\nhost = \"smtp.example.org\"\nfrom = \"news@example.org\"\n");
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
