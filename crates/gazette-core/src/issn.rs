//! International Standard Serial Numbers, the identifier a journal prints on its masthead.

use serde::{Deserialize, Serialize};

/// Why an ISSN was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssnError {
    #[error("an ISSN has 8 characters, written NNNN-NNNC (for example 2330-717X)")]
    Format,
    #[error("the check digit is wrong: an ISSN starting {prefix} ends in {expected}")]
    CheckDigit { prefix: String, expected: char },
}

/// A valid ISSN: seven digits and a check character (0–9 or X), shown as `NNNN-NNNC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Issn([u8; 8]);

impl Issn {
    /// Accepts `2330-717X`, `2330717x` and surrounding spaces; checks the check digit.
    pub fn parse(input: &str) -> Result<Self, IssnError> {
        let trimmed = input.trim();
        let compact: Vec<u8> = match trimmed.as_bytes() {
            [a @ .., b'-', b, c, d, e] if a.len() == 4 => {
                a.iter().chain([b, c, d, e]).copied().collect()
            }
            bytes => bytes.to_vec(),
        };
        let digits: [u8; 8] = compact.try_into().map_err(|_| IssnError::Format)?;
        if !digits[..7].iter().all(u8::is_ascii_digit) {
            return Err(IssnError::Format);
        }
        let check = digits[7].to_ascii_uppercase();
        if !(check.is_ascii_digit() || check == b'X') {
            return Err(IssnError::Format);
        }
        let expected = check_character(&digits[..7]);
        if check != expected {
            let prefix = String::from_utf8_lossy(&digits[..7]).into_owned();
            return Err(IssnError::CheckDigit {
                prefix: format!("{}-{}", &prefix[..4], &prefix[4..]),
                expected: char::from(expected),
            });
        }
        let mut normalized = digits;
        normalized[7] = check;
        Ok(Self(normalized))
    }
}

/// ISSN's modulus-11 check character for the first seven digits.
fn check_character(first_seven: &[u8]) -> u8 {
    let sum: u32 = first_seven
        .iter()
        .zip((2..=8).rev())
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    match (11 - sum % 11) % 11 {
        10 => b'X',
        n => b'0' + n as u8,
    }
}

impl std::fmt::Display for Issn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = String::from_utf8_lossy(&self.0);
        write!(f, "{}-{}", &text[..4], &text[4..])
    }
}

impl TryFrom<String> for Issn {
    type Error = IssnError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Issn> for String {
    fn from(issn: Issn) -> Self {
        issn.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_issns_parse_and_display_canonically() {
        assert_eq!(Issn::parse("2330-717X").unwrap().to_string(), "2330-717X");
        assert_eq!(Issn::parse(" 2330717x ").unwrap().to_string(), "2330-717X");
        assert_eq!(Issn::parse("0317-8471").unwrap().to_string(), "0317-8471");
        assert_eq!(Issn::parse("1050-124X").unwrap().to_string(), "1050-124X");
    }

    #[test]
    fn a_wrong_check_digit_is_refused_with_the_right_one() {
        assert_eq!(
            Issn::parse("2330-7170"),
            Err(IssnError::CheckDigit {
                prefix: "2330-717".into(),
                expected: 'X'
            })
        );
    }

    #[test]
    fn malformed_issns_are_refused() {
        for bad in [
            "",
            "2330-71",
            "2330_717X",
            "23-30717X",
            "ABCD-EFGH",
            "2330-717XX",
            "2330-Ｘ17X",
        ] {
            assert_eq!(Issn::parse(bad), Err(IssnError::Format), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_seven_digits_have_exactly_one_valid_check(n in 0u32..10_000_000) {
            let seven = format!("{n:07}");
            let valid: Vec<char> = "0123456789X"
                .chars()
                .filter(|c| Issn::parse(&format!("{seven}{c}")).is_ok())
                .collect();
            prop_assert_eq!(valid.len(), 1);
            let issn = Issn::parse(&format!("{seven}{}", valid[0])).unwrap();
            prop_assert_eq!(Issn::parse(&issn.to_string()), Ok(issn));
        }

        #[test]
        fn parse_never_panics(input in "\\PC{0,12}") {
            let _ = Issn::parse(&input);
        }
    }
}
