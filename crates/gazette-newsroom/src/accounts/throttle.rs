//! How failed sign-ins slow guessers down, counted in the store so every node agrees.
//!
//! Three counts per attempt, each under a short key made from a keyed hash of the typed email
//! (never the email itself) and the client's [`ClientAddress::limit_key`]:
//! - the account from one address: after 3 failures each attempt answers later (200 ms more
//!   per failure), after 8 the pair is locked for 15 minutes. Keyed on the pair, so nobody can
//!   lock a colleague out from elsewhere;
//! - one address across every account: locked for 15 minutes after 30 failures;
//! - the account across every address: after 20 failures within an hour it may be tried only
//!   after a delay that doubles with each further failure (1 s, 2 s, …, at most 15 minutes).
//!   A device that signed in before (a signed cookie) and an emailed sign-in link are exempt,
//!   so a guesser spread over many addresses slows only themselves down.

use std::time::Duration;

use gazette_core::ClientAddress;
use gazette_store::{Store, StoreError, ThrottleKeys};
use jiff::{SignedDuration, Timestamp};

/// How long the failures of a pair or an address are remembered.
const WINDOW: SignedDuration = SignedDuration::from_mins(15);
/// How long the failures of an account across addresses are remembered: the longest window,
/// after which the daily chore may forget any count whose lock has ended.
pub const ACCOUNT_WINDOW: SignedDuration = SignedDuration::from_hours(1);
/// Failures of a pair before each further attempt is answered later.
const SLOW_AFTER: i64 = 3;
/// Failures of a pair, or from one address, before it is locked.
const PAIR_LOCK_AFTER: i64 = 8;
const ADDRESS_LOCK_AFTER: i64 = 30;
const LOCK_FOR: SignedDuration = SignedDuration::from_mins(15);
/// The answer to a pair's failure comes this much later per failure past `SLOW_AFTER`.
const DELAY_STEP: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(2);
/// Failures of an account within `ACCOUNT_WINDOW` before it waits between attempts.
const ACCOUNT_DELAY_AFTER: i64 = 20;
const ACCOUNT_FIRST_DELAY: SignedDuration = SignedDuration::from_secs(1);
const ACCOUNT_MAX_DELAY: SignedDuration = SignedDuration::from_mins(15);

/// The keys one attempt is counted under.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub account: ThrottleKeys,
    pair: String,
    address: String,
}

/// Why an attempt is refused before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This client, or this account from this client, is locked until then.
    Locked(Timestamp),
    /// The account is being guessed at from elsewhere: tried again no sooner than then.
    AccountCooling(Timestamp),
}

impl Attempt {
    pub fn new(secret: &str, typed_email: &str, client: ClientAddress) -> Self {
        let account = ThrottleKeys::for_account(&account_hash(secret, typed_email));
        let limit_key = client.limit_key();
        Self {
            pair: account.pair(&limit_key),
            address: ThrottleKeys::address(&limit_key),
            account,
        }
    }

    /// Whether the attempt is refused now, without a password check. A known device is not
    /// held back by guesses made at its account from elsewhere.
    pub async fn refusal(
        &self,
        store: &Store,
        known_device: bool,
        now: Timestamp,
    ) -> Result<Option<Refusal>, StoreError> {
        for key in [&self.pair, &self.address] {
            let locked = store.sign_in_throttle(key).await?;
            if let Some(until) = locked.and_then(|t| t.locked_until).filter(|u| *u > now) {
                return Ok(Some(Refusal::Locked(until)));
            }
        }
        if known_device {
            return Ok(None);
        }
        let account = store.sign_in_throttle(&self.account.account).await?;
        Ok(account
            .and_then(|t| t.locked_until)
            .filter(|until| *until > now)
            .map(Refusal::AccountCooling))
    }

    /// Counts a failed attempt under every key; returns how long to hold the answer back.
    pub async fn failed(&self, store: &Store) -> Result<Duration, StoreError> {
        let attempt = self.clone();
        let pair_failures = store
            .write(|tx| {
                Box::pin(async move {
                    let pair = tx.count_sign_in_failure(&attempt.pair, WINDOW).await?;
                    let address = tx.count_sign_in_failure(&attempt.address, WINDOW).await?;
                    let account = tx
                        .count_sign_in_failure(&attempt.account.account, ACCOUNT_WINDOW)
                        .await?;
                    let now = tx.now();
                    if pair.failures >= PAIR_LOCK_AFTER {
                        tx.lock_sign_in(&attempt.pair, now + LOCK_FOR).await?;
                    }
                    if address.failures >= ADDRESS_LOCK_AFTER {
                        tx.lock_sign_in(&attempt.address, now + LOCK_FOR).await?;
                    }
                    if let Some(wait) = account_delay(account.failures) {
                        tx.lock_sign_in(&attempt.account.account, now + wait)
                            .await?;
                    }
                    Ok::<_, StoreError>(pair.failures)
                })
            })
            .await?;
        Ok(slow_down(pair_failures))
    }

    /// Forgets the pair's failures after a successful sign-in. The account's count across
    /// addresses stays until its window ends: the owner signing in must not hand a guesser
    /// elsewhere a fresh allowance.
    pub async fn succeeded(&self, store: &Store) -> Result<(), StoreError> {
        let pair = self.pair.clone();
        store
            .write(|tx| Box::pin(async move { tx.clear_sign_in_failures(&pair).await }))
            .await
    }
}

/// The account part of the keys: 32 hex digits of a keyed hash of the typed email,
/// normalised as accounts are looked up.
pub fn account_hash(secret: &str, typed_email: &str) -> String {
    gazette_core::signing::keyed_tag(
        secret,
        "sign-in-throttle",
        &typed_email.trim().to_lowercase(),
        32,
    )
}

/// How long to hold back the answer to a pair's `failures`th failure in a row.
fn slow_down(failures: i64) -> Duration {
    let past = u32::try_from(failures - SLOW_AFTER).unwrap_or(0);
    DELAY_STEP.saturating_mul(past).min(MAX_DELAY)
}

/// How long an account that failed `failures` times within its window waits before the next
/// attempt from an unknown device: nothing until `ACCOUNT_DELAY_AFTER`, then doubling.
fn account_delay(failures: i64) -> Option<SignedDuration> {
    let past = failures
        .checked_sub(ACCOUNT_DELAY_AFTER)
        .filter(|p| *p >= 0)?;
    // Past 2^20 seconds the cap has long been reached; the exponent stays small.
    let exponent = u32::try_from(past.min(20)).unwrap_or(20);
    let factor = 2i32.checked_pow(exponent).unwrap_or(i32::MAX);
    let wait = ACCOUNT_FIRST_DELAY
        .checked_mul(factor)
        .unwrap_or(ACCOUNT_MAX_DELAY);
    Some(wait.min(ACCOUNT_MAX_DELAY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_down_gradually_and_within_a_bound() {
        assert_eq!(slow_down(1), Duration::ZERO);
        assert_eq!(slow_down(SLOW_AFTER), Duration::ZERO);
        assert_eq!(slow_down(SLOW_AFTER + 2), DELAY_STEP * 2);
        assert_eq!(slow_down(1000), MAX_DELAY);
    }

    #[test]
    fn an_accounts_delay_doubles_up_to_fifteen_minutes() {
        assert_eq!(account_delay(19), None);
        assert_eq!(account_delay(20), Some(SignedDuration::from_secs(1)));
        assert_eq!(account_delay(21), Some(SignedDuration::from_secs(2)));
        assert_eq!(account_delay(25), Some(SignedDuration::from_secs(32)));
        assert_eq!(account_delay(30), Some(ACCOUNT_MAX_DELAY));
        assert_eq!(account_delay(i64::MAX), Some(ACCOUNT_MAX_DELAY));
    }

    #[test]
    fn keys_are_short_and_say_nothing_of_what_was_typed() {
        let address = ClientAddress::new(
            "203.0.113.9"
                .parse()
                .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into()),
        );
        let huge = format!("{}@example.org", "a".repeat(100_000));
        let attempt = Attempt::new("secret", &huge, address);
        assert!(attempt.pair.len() < 80 && !attempt.pair.contains("aaaa"));
        assert_eq!(
            Attempt::new("secret", " Ann@Example.org ", address).pair,
            Attempt::new("secret", "ann@example.org", address).pair,
            "typed as accounts are looked up"
        );
        assert_ne!(
            Attempt::new("secret", "ann@example.org", address).pair,
            Attempt::new("other secret", "ann@example.org", address).pair,
            "keyed: nobody can recompute them from a list of emails"
        );
    }
}
