//! Passwords: the policy for new ones and argon2id hashing.

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};

/// Shortest password we accept; length matters more than character classes.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password we hash, to keep hashing cost bounded.
pub const MAX_PASSWORD_CHARS: usize = 1000;

/// Why a password was refused or could not be hashed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("a password is at most {MAX_PASSWORD_CHARS} characters long")]
    TooLong,
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

/// A password someone chose, checked against the policy. Its `Debug` never shows it.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        let chars = input.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(PasswordError::TooLong);
        }
        Ok(Self(input.to_owned()))
    }

    /// A random password of 20 characters from an unambiguous alphabet, for first-run
    /// administrators and new accounts.
    pub fn generate() -> Self {
        const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut bytes = [0u8; 20];
        rand::rng().fill_bytes(&mut bytes);
        let text = bytes
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        Self(text)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

/// An argon2id hash in PHC string form.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a PHC string read back from the store.
    pub fn from_stored(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// Hashes and verifies passwords with argon2id at a chosen cost.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    params: Params,
}

impl PasswordHasher {
    /// OWASP's recommended argon2id cost: 19 MiB of memory, two passes.
    pub fn production() -> Self {
        Self::with_cost(19 * 1024, 2)
    }

    /// The cheapest valid cost, so test suites that create many accounts stay fast. Never use
    /// it in a running site: the binary only ever builds `production()`.
    pub fn cheap_for_tests() -> Self {
        Self::with_cost(Params::MIN_M_COST, 1)
    }

    fn with_cost(memory_kib: u32, passes: u32) -> Self {
        let params = Params::new(memory_kib, passes, 1, None).unwrap_or_default();
        Self { params }
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub fn hash(&self, password: &NewPassword) -> Result<PasswordHash, PasswordError> {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt =
            SaltString::encode_b64(&salt).map_err(|e| PasswordError::Hashing(e.to_string()))?;
        let hash = self
            .argon2()
            .hash_password(password.0.as_bytes(), &salt)
            .map_err(|e| PasswordError::Hashing(e.to_string()))?;
        Ok(PasswordHash(hash.to_string()))
    }

    /// Whether `candidate` is the password behind `hash`. The cost stored in the hash is used,
    /// so hashes made at another cost still verify.
    pub fn verify(&self, hash: &PasswordHash, candidate: &str) -> bool {
        if candidate.chars().count() > MAX_PASSWORD_CHARS {
            return false;
        }
        match argon2::password_hash::PasswordHash::new(&hash.0) {
            Ok(parsed) => self
                .argon2()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_refuses_short_and_huge_passwords() {
        assert_eq!(
            NewPassword::parse("short").unwrap_err(),
            PasswordError::TooShort
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(1001)).unwrap_err(),
            PasswordError::TooLong
        );
        assert!(NewPassword::parse("correct horse battery").is_ok());
    }

    #[test]
    fn hashes_verify_only_their_password() {
        let hasher = PasswordHasher::cheap_for_tests();
        let password = NewPassword::parse("correct horse battery").unwrap();
        let hash = hasher.hash(&password).unwrap();
        assert!(hash.as_str().starts_with("$argon2id$"));
        assert!(hasher.verify(&hash, "correct horse battery"));
        assert!(!hasher.verify(&hash, "correct horse batterY"));
        assert!(!hasher.verify(&PasswordHash::from_stored("garbage".into()), "x"));
        // A hash made at the production cost still verifies with a cheap hasher and back.
        let strong = PasswordHasher::production().hash(&password).unwrap();
        assert!(hasher.verify(&strong, "correct horse battery"));
    }

    #[test]
    fn generated_passwords_pass_the_policy_and_differ() {
        let a = NewPassword::generate();
        let b = NewPassword::generate();
        assert!(NewPassword::parse(a.expose()).is_ok());
        assert_ne!(a.expose(), b.expose());
        assert!(!format!("{a:?}").contains(a.expose()));
    }
}
