//! The `[smtp]` table and its `GAZETTE_SMTP_*` variables: the relay mail goes out through,
//! how fast newsletters may go, and the key that signs them (DKIM). Naming the table (or any
//! of the variables) turns mail on; the host and the sender are then required.

use lettre::message::dkim::DkimSigningAlgorithm;

use super::*;

/// The raw SMTP values merged so far.
#[derive(Default)]
pub(super) struct SmtpLayers {
    /// The first layer that mentioned SMTP at all; `None` means mail is not configured.
    pub(super) configured_by: Option<Origin>,
    pub(super) host: Given<String>,
    pub(super) port: Given<String>,
    pub(super) username: Given<String>,
    pub(super) password: Given<String>,
    pub(super) from: Given<String>,
    pub(super) tls: Given<String>,
    pub(super) ca_file: Given<String>,
    pub(super) max_per_minute: Given<String>,
    pub(super) dkim_domain: Given<String>,
    pub(super) dkim_selector: Given<String>,
    pub(super) dkim_key_file: Given<String>,
    pub(super) webhook_secret: Given<String>,
}

impl SmtpLayers {
    pub(super) fn apply_file(&mut self, file: FileSmtp, origin: &Origin) {
        self.configured_by.get_or_insert_with(|| origin.clone());
        set(&mut self.host, file.host, origin);
        set(
            &mut self.port,
            file.port.map(|port| port.to_string()),
            origin,
        );
        set(&mut self.username, file.username, origin);
        set(&mut self.password, file.password, origin);
        set(&mut self.from, file.from, origin);
        set(&mut self.tls, file.tls, origin);
        set(&mut self.ca_file, file.ca_file, origin);
        set(
            &mut self.max_per_minute,
            file.max_per_minute.map(|n| n.to_string()),
            origin,
        );
        set(&mut self.dkim_domain, file.dkim_domain, origin);
        set(&mut self.dkim_selector, file.dkim_selector, origin);
        set(&mut self.dkim_key_file, file.dkim_key_file, origin);
        set(&mut self.webhook_secret, file.webhook_secret, origin);
    }

    pub(super) fn apply_env(&mut self, name: &'static str, value: &str, origin: Origin) {
        let slot = match name {
            "GAZETTE_SMTP_HOST" => &mut self.host,
            "GAZETTE_SMTP_PORT" => &mut self.port,
            "GAZETTE_SMTP_USERNAME" => &mut self.username,
            "GAZETTE_SMTP_PASSWORD" => &mut self.password,
            "GAZETTE_SMTP_FROM" => &mut self.from,
            "GAZETTE_SMTP_TLS" => &mut self.tls,
            "GAZETTE_SMTP_CA_FILE" => &mut self.ca_file,
            "GAZETTE_SMTP_MAX_PER_MINUTE" => &mut self.max_per_minute,
            "GAZETTE_SMTP_DKIM_DOMAIN" => &mut self.dkim_domain,
            "GAZETTE_SMTP_DKIM_SELECTOR" => &mut self.dkim_selector,
            "GAZETTE_SMTP_DKIM_KEY_FILE" => &mut self.dkim_key_file,
            "GAZETTE_SMTP_WEBHOOK_SECRET" => &mut self.webhook_secret,
            _ => return,
        };
        *slot = Some((value.to_owned(), origin.clone()));
        self.configured_by.get_or_insert(origin);
    }

    /// `None` when nothing mentioned SMTP; otherwise host and from are required.
    pub(super) fn resolve(self) -> Result<Option<SmtpConfig>, ConfigError> {
        let Some(configured_by) = self.configured_by else {
            return Ok(None);
        };
        let required = |given: Given<String>, setting, env_var| {
            given.ok_or_else(|| ConfigError::MissingSetting {
                setting,
                configured_by: configured_by.clone(),
                env_var,
            })
        };
        let (host, host_origin) = required(self.host, "smtp.host", "GAZETTE_SMTP_HOST")?;
        let (from, from_origin) = required(self.from, "smtp.from", "GAZETTE_SMTP_FROM")?;
        if let (Some((_, origin)), None) = (&self.password, &self.username) {
            let problem = "is set but smtp.username is not; set both, or neither for a relay";
            return Err(invalid("smtp.password", origin, problem));
        }
        Ok(Some(SmtpConfig {
            host: smtp_host(&host, &host_origin)?,
            port: check(self.port, smtp_port)?.unwrap_or(DEFAULT_SMTP_PORT),
            username: self.username.map(|(username, _)| username),
            password: self.password.map(|(password, _)| password),
            from: smtp_from(&from, &from_origin)?,
            tls: check(self.tls, smtp_tls)?.unwrap_or_default(),
            ca_pem: check(self.ca_file, ca_file)?,
            max_per_minute: check(self.max_per_minute, max_per_minute)?,
            dkim: dkim(self.dkim_domain, self.dkim_selector, self.dkim_key_file)?,
            webhook_secret: check(self.webhook_secret, webhook_secret)?,
        }))
    }
}

pub(super) fn smtp_host(host: &str, origin: &Origin) -> Result<String, ConfigError> {
    let host = host.trim();
    if host.is_empty() || host.contains(char::is_whitespace) {
        let problem = format!("must be a host name such as smtp.example.org; got {host:?}");
        return Err(invalid("smtp.host", origin, problem));
    }
    Ok(host.to_owned())
}

pub(super) fn smtp_port(port: String, origin: &Origin) -> Result<u16, ConfigError> {
    match port.trim().parse::<u16>() {
        Ok(port) if port != 0 => Ok(port),
        _ => Err(invalid(
            "smtp.port",
            origin,
            format!("must be a port number from 1 to 65535, usually 587 or 465; got {port:?}"),
        )),
    }
}

pub(super) fn smtp_from(from: &str, origin: &Origin) -> Result<Email, ConfigError> {
    Email::parse(from).map_err(|error| {
        let problem = format!("is not a valid sender address ({error}); got {from:?}");
        invalid("smtp.from", origin, problem)
    })
}

pub(super) fn smtp_tls(tls: String, origin: &Origin) -> Result<SmtpTls, ConfigError> {
    match tls.trim().to_ascii_lowercase().as_str() {
        "starttls" => Ok(SmtpTls::StartTls),
        "tls" => Ok(SmtpTls::Tls),
        "none" => Ok(SmtpTls::None),
        _ => Err(invalid(
            "smtp.tls",
            origin,
            format!("must be \"starttls\", \"tls\" or \"none\"; got {tls:?}"),
        )),
    }
}

pub(super) fn max_per_minute(text: String, origin: &Origin) -> Result<u32, ConfigError> {
    match text.trim().parse::<u32>() {
        Ok(rate) if rate > 0 => Ok(rate),
        _ => Err(invalid(
            "smtp.max_per_minute",
            origin,
            format!("must be a number of messages a minute, such as 600; got {text:?}"),
        )),
    }
}

/// DKIM signing, when a domain, a selector and a key file are all given (any of them alone
/// is a mistake worth saying).
fn dkim(
    domain: Given<String>,
    selector: Given<String>,
    key_file: Given<String>,
) -> Result<Option<DkimSettings>, ConfigError> {
    let (domain, selector, key_file) = match (domain, selector, key_file) {
        (None, None, None) => return Ok(None),
        (Some(domain), Some(selector), Some(key_file)) => (domain, selector, key_file),
        (domain, selector, key_file) => {
            let origin = [domain, selector, key_file]
                .into_iter()
                .flatten()
                .map(|(_, origin)| origin)
                .next()
                .unwrap_or(Origin::Env("GAZETTE_SMTP_DKIM_DOMAIN"));
            return Err(invalid(
                "smtp.dkim_domain",
                &origin,
                "smtp.dkim_domain, smtp.dkim_selector and smtp.dkim_key_file go together; \
                 set all three to sign mail, or none",
            ));
        }
    };
    let (path, path_origin) = key_file;
    let pem = std::fs::read_to_string(&path).map_err(|error| {
        invalid(
            "smtp.dkim_key_file",
            &path_origin,
            format!("cannot be read ({error}); got {path:?}"),
        )
    })?;
    if lettre::message::dkim::DkimSigningKey::new(&pem, DkimSigningAlgorithm::Rsa).is_err() {
        return Err(invalid(
            "smtp.dkim_key_file",
            &path_origin,
            format!(
                "is not an RSA private key in PEM (PKCS#1, \"BEGIN RSA PRIVATE KEY\"); make one \
                 with `openssl genrsa -traditional -out dkim.pem 2048`; got {path:?}"
            ),
        ));
    }
    let domain = domain.0.trim().trim_end_matches('.').to_ascii_lowercase();
    let selector = selector.0.trim().to_owned();
    if domain.is_empty() || selector.is_empty() || selector.contains(['.', ' ']) {
        return Err(invalid(
            "smtp.dkim_selector",
            &path_origin,
            "the domain and selector must be names such as example.org and gazette",
        ));
    }
    Ok(Some(DkimSettings {
        domain,
        selector,
        private_key_pem: pem,
    }))
}

/// A certificate authority to trust for the relay: a readable PEM certificate.
fn ca_file(path: String, origin: &Origin) -> Result<String, ConfigError> {
    let pem = std::fs::read(&path).map_err(|error| {
        invalid(
            "smtp.ca_file",
            origin,
            format!("cannot be read ({error}); got {path:?}"),
        )
    })?;
    // lettre reads a file without any certificate as an empty list; that is a mistake too.
    let has_certificate = pem
        .windows(b"-----BEGIN CERTIFICATE-----".len())
        .any(|window| window == b"-----BEGIN CERTIFICATE-----");
    if !has_certificate || lettre::transport::smtp::client::Certificate::from_pem(&pem).is_err() {
        return Err(invalid(
            "smtp.ca_file",
            origin,
            format!(
                "is not a certificate in PEM (\"BEGIN CERTIFICATE\"); give the certificate of \
                 the authority that signed the relay's; got {path:?}"
            ),
        ));
    }
    String::from_utf8(pem).map_err(|_| invalid("smtp.ca_file", origin, "is not text (PEM)"))
}

pub(super) fn webhook_secret(secret: String, origin: &Origin) -> Result<String, ConfigError> {
    let secret = secret.trim().to_owned();
    if secret.len() < 16 {
        return Err(invalid(
            "smtp.webhook_secret",
            origin,
            "must be at least 16 characters (the relay's signing key, or a long random password)",
        ));
    }
    Ok(secret)
}
