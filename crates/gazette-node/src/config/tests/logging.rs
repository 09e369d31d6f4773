//! The log level and format.

use super::*;

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
