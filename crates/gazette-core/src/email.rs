//! Email addresses of staff and commenters.

use serde::{Deserialize, Serialize};

/// The longest address SMTP can carry (RFC 5321's path limit less the angle brackets).
const MAX_EMAIL_LEN: usize = 254;

/// Why an email address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("an email address looks like name@example.org")]
    Format,
    #[error("an email address is at most {MAX_EMAIL_LEN} characters long")]
    TooLong,
}

/// A plausible email address as the person typed it (trimmed), with a lower-case form for
/// lookups. Line breaks and other control characters are refused, so an address can never
/// inject a mail header.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let address = input.trim();
        if address.len() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = address.rsplit_once('@').ok_or(EmailError::Format)?;
        if !is_valid_local_part(local) || !is_valid_domain(domain) {
            return Err(EmailError::Format);
        }
        Ok(Self(address.to_owned()))
    }

    /// The address as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    /// The lower-case form every lookup and uniqueness check uses.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

fn is_valid_local_part(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            c.is_alphanumeric() || (c.is_ascii_punctuation() && !"()<>[]\\,;:\"@".contains(c))
        })
}

fn is_valid_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in [
            "admin@localhost",
            "Jane.Doe+news@Example.ORG",
            "rédaction@journal.fr",
        ] {
            assert_eq!(Email::parse(ok).unwrap().as_str(), ok);
        }
        assert_eq!(
            Email::parse(" Jane@Example.org ").unwrap().normalized(),
            "jane@example.org"
        );
    }

    #[test]
    fn refuses_malformed_addresses_and_header_injection() {
        for bad in [
            "",
            "plain",
            "@example.org",
            "a@",
            "a@b..c",
            "a b@example.org",
            "a@exa mple.org",
            "a@example.org\r\nBcc: victim@example.org",
            "a\n@example.org",
            ".a@example.org",
            "a@-example.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(
            Email::parse(&format!("{}@example.org", "a".repeat(250))),
            Err(EmailError::TooLong)
        );
    }

    proptest! {
        #[test]
        fn parsed_addresses_never_contain_control_characters(input in "\\PC{0,40}[\r\n]?\\PC{0,10}") {
            if let Ok(email) = Email::parse(&input) {
                prop_assert!(!email.as_str().chars().any(char::is_control));
                prop_assert!(email.as_str().contains('@'));
            }
        }
    }
}
