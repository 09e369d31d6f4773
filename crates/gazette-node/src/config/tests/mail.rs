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
    };
    let debug = format!("{smtp:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(
        debug.contains("***") && debug.contains("smtp.example.org"),
        "{debug}"
    );
}
