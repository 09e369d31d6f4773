//! The SMTP settings mail goes out with, and their password kept out of debug output.

use super::*;

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
        ca_pem: None,
        max_per_minute: None,
        dkim: None,
        webhook_secret: Some("a-long-webhook-secret".into()),
    };
    let debug = format!("{smtp:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(!debug.contains("a-long-webhook-secret"), "{debug}");
    assert!(
        debug.contains("***") && debug.contains("smtp.example.org"),
        "{debug}"
    );
}

#[test]
fn dkim_and_the_sending_rate_are_read_and_checked() {
    let dir = TempDir::new().unwrap();
    let key = dir.path().join("dkim.pem");
    std::fs::write(&key, "not a key").unwrap();
    let text = format!(
        "[smtp]\nhost = \"mail\"\nfrom = \"a@b.org\"\nmax_per_minute = 600\n\
         dkim_domain = \"example.org\"\ndkim_selector = \"gazette\"\ndkim_key_file = {:?}\n",
        key.to_str().unwrap()
    );
    let (result, _dir) = load_toml(&text);
    let message = error_text(result);
    assert!(
        message.starts_with("smtp.dkim_key_file") && message.contains("openssl genrsa"),
        "{message}"
    );
    let (result, _dir) =
        load_toml("[smtp]\nhost = \"mail\"\nfrom = \"a@b.org\"\ndkim_domain = \"example.org\"\n");
    let message = error_text(result);
    assert!(message.contains("go together"), "{message}");
    let (result, _dir) =
        load_toml("[smtp]\nhost = \"mail\"\nfrom = \"a@b.org\"\nmax_per_minute = 0\n");
    assert!(error_text(result).starts_with("smtp.max_per_minute"));
    let (result, _dir) =
        load_toml("[smtp]\nhost = \"mail\"\nfrom = \"a@b.org\"\nmax_per_minute = 600\n");
    let smtp = result.unwrap().smtp.unwrap();
    assert_eq!((smtp.max_per_minute, smtp.dkim), (Some(600), None));
}

#[test]
fn a_relay_authority_must_be_a_readable_certificate() {
    let dir = TempDir::new().unwrap();
    let not_pem = dir.path().join("ca.pem");
    std::fs::write(&not_pem, "not a certificate").unwrap();
    for (path, expected) in [
        (dir.path().join("missing.pem"), "cannot be read"),
        (not_pem, "BEGIN CERTIFICATE"),
    ] {
        let text = format!(
            "[smtp]\nhost = \"mail\"\nfrom = \"a@b.org\"\nca_file = {:?}\n",
            path.to_str().unwrap()
        );
        let (result, _dir) = load_toml(&text);
        let message = error_text(result);
        assert!(
            message.starts_with("smtp.ca_file") && message.contains(expected),
            "{message}"
        );
    }
}
