//! Addresses: where the server listens, the database URL (never shown with its password),
//! trusted proxies and allowed hosts.

use super::*;

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
