//! Devices that signed in before. Each sign-in leaves a long-lived cookie naming the person,
//! signed with the server secret; an account being guessed at from elsewhere is still tried
//! at once from such a device. The cookie grants nothing else: the password is still checked.

use axum::http::HeaderMap;
use gazette_core::PersonId;
use jiff::{SignedDuration, Timestamp};
use rand::RngCore as _;

/// The cookie's name; it is sent to the back office only.
pub(crate) const DEVICE_COOKIE: &str = "gazette_device";
/// How long a device is remembered after its last sign-in.
const REMEMBER_FOR: SignedDuration = SignedDuration::from_hours(400 * 24);

/// The `Set-Cookie` value marking this device as one `person` signed in from.
pub(crate) fn cookie(secret: &str, person: PersonId, now: Timestamp, https: bool) -> String {
    let mut nonce = [0u8; 12];
    rand::rng().fill_bytes(&mut nonce);
    let signed = format!("{}.{}.{}", person.0, now.as_second(), hex::encode(nonce));
    let tag = tag(secret, &signed);
    let secure = if https { "; Secure" } else { "" };
    format!(
        "{DEVICE_COOKIE}={signed}.{tag}; Path=/admin/; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
        REMEMBER_FOR.as_secs()
    )
}

/// Whether the request comes from a device `person` signed in from within the last 400 days.
pub(crate) fn is_known(
    headers: &HeaderMap,
    secret: &str,
    person: PersonId,
    now: Timestamp,
) -> bool {
    let Some(value) = crate::kernel::cookies::cookie(headers, DEVICE_COOKIE) else {
        return false;
    };
    let Some((signed, tag_given)) = value.rsplit_once('.') else {
        return false;
    };
    if !gazette_core::signing::same_secret(tag_given, &tag(secret, signed)) {
        return false;
    }
    let mut parts = signed.split('.');
    let owner = parts.next().and_then(|p| p.parse::<i64>().ok());
    let issued = parts
        .next()
        .and_then(|p| p.parse::<i64>().ok())
        .and_then(|s| Timestamp::from_second(s).ok());
    owner == Some(person.0) && issued.is_some_and(|at| at + REMEMBER_FOR > now)
}

fn tag(secret: &str, signed: &str) -> String {
    gazette_core::signing::keyed_tag(secret, "known-device", signed, 32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers_with(set_cookie: &str) -> HeaderMap {
        let pair = set_cookie.split(';').next().unwrap_or_default();
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(pair) {
            headers.insert(axum::http::header::COOKIE, value);
        }
        headers
    }

    #[test]
    fn a_device_is_known_to_its_person_only_and_for_a_while() {
        let now = Timestamp::UNIX_EPOCH + SignedDuration::from_hours(24 * 365 * 50);
        let set = cookie("secret", PersonId(7), now, true);
        assert!(set.contains("; Secure") && set.contains("HttpOnly"));
        let headers = headers_with(&set);
        assert!(is_known(&headers, "secret", PersonId(7), now));
        assert!(
            !is_known(&headers, "secret", PersonId(8), now),
            "another person"
        );
        assert!(
            !is_known(&headers, "another secret", PersonId(7), now),
            "forged"
        );
        assert!(
            !is_known(&headers, "secret", PersonId(7), now + REMEMBER_FOR),
            "expired"
        );
        let forged = headers_with(&set.replacen("gazette_device=7.", "gazette_device=8.", 1));
        assert!(!is_known(&forged, "secret", PersonId(8), now));
    }
}
