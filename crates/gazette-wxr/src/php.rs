//! PHP's `serialize()` format, in which WordPress stores arrays in meta values
//! (`a:2:{s:5:"width";i:640;…}`). Only data is decoded: objects are refused, since an
//! importer has no use for them and PHP would run code to rebuild them.
//!
//! String lengths count bytes, as PHP's do; a value whose lengths do not match its text (an
//! export edited by hand, or converted between encodings) is an error, not a guess.

/// A decoded value.
#[derive(Debug, Clone, PartialEq)]
pub enum PhpValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    /// Key–value pairs in order (PHP arrays are ordered maps).
    Array(Vec<(PhpValue, PhpValue)>),
}

impl PhpValue {
    /// The value under a string or integer key of an array.
    pub fn get(&self, key: &str) -> Option<&PhpValue> {
        let PhpValue::Array(pairs) = self else {
            return None;
        };
        pairs.iter().find_map(|(k, v)| match k {
            PhpValue::String(s) if s == key => Some(v),
            PhpValue::Int(i) if i.to_string() == key => Some(v),
            _ => None,
        })
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            PhpValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            PhpValue::Int(i) => Some(*i),
            PhpValue::String(s) => s.parse().ok(),
            _ => None,
        }
    }
}

/// Why a value is not PHP-serialized data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a PHP-serialized value at byte {at}: {problem}")]
pub struct PhpError {
    pub at: usize,
    pub problem: &'static str,
}

/// Whether `text` looks serialized, as WordPress's `is_serialized` asks before decoding.
pub fn looks_serialized(text: &str) -> bool {
    let text = text.trim();
    text == "N;"
        || ["a:", "s:", "i:", "d:", "b:", "O:"]
            .iter()
            .any(|p| text.starts_with(p))
            && (text.ends_with(';') || text.ends_with('}'))
}

/// Decodes one serialized value; trailing whitespace is allowed, anything else is not.
pub fn unserialize(text: &str) -> Result<PhpValue, PhpError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = parser.value()?;
    if !text.as_bytes()[parser.at..]
        .iter()
        .all(u8::is_ascii_whitespace)
    {
        return Err(parser.error("text after the value"));
    }
    Ok(value)
}

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, problem: &'static str) -> PhpError {
        PhpError {
            at: self.at,
            problem,
        }
    }

    fn value(&mut self) -> Result<PhpValue, PhpError> {
        let kind = self.byte()?;
        match kind {
            b'N' => {
                self.expect(b';')?;
                Ok(PhpValue::Null)
            }
            b'b' => {
                self.expect(b':')?;
                let value = self.until(b';')?;
                match value {
                    "0" => Ok(PhpValue::Bool(false)),
                    "1" => Ok(PhpValue::Bool(true)),
                    _ => Err(self.error("a boolean that is neither 0 nor 1")),
                }
            }
            b'i' => {
                self.expect(b':')?;
                let value = self.until(b';')?;
                value
                    .parse()
                    .map(PhpValue::Int)
                    .map_err(|_| self.error("an integer that is not one"))
            }
            b'd' => {
                self.expect(b':')?;
                let value = self.until(b';')?;
                let number = match value {
                    "INF" => f64::INFINITY,
                    "-INF" => f64::NEG_INFINITY,
                    "NAN" => f64::NAN,
                    other => other
                        .parse()
                        .map_err(|_| self.error("a float that is not one"))?,
                };
                Ok(PhpValue::Float(number))
            }
            b's' => {
                self.expect(b':')?;
                let length = self.length()?;
                self.expect(b'"')?;
                let end = self
                    .at
                    .checked_add(length)
                    .filter(|end| *end <= self.bytes.len())
                    .ok_or_else(|| self.error("a string longer than the text"))?;
                let text = std::str::from_utf8(&self.bytes[self.at..end])
                    .map_err(|_| self.error("a string length that splits a character"))?;
                self.at = end;
                self.expect(b'"')?;
                self.expect(b';')?;
                Ok(PhpValue::String(text.to_owned()))
            }
            b'a' => {
                self.expect(b':')?;
                let count = self.length()?;
                self.expect(b'{')?;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.error("arrays nested too deeply"));
                }
                let mut pairs = Vec::with_capacity(count.min(1024));
                for _ in 0..count {
                    let key = self.value()?;
                    if !matches!(key, PhpValue::Int(_) | PhpValue::String(_)) {
                        return Err(self.error("an array key that is not an integer or string"));
                    }
                    let value = self.value()?;
                    pairs.push((key, value));
                }
                self.expect(b'}')?;
                self.depth -= 1;
                Ok(PhpValue::Array(pairs))
            }
            b'O' | b'C' => Err(self.error("a PHP object, which is not imported")),
            _ => Err(self.error("an unknown type")),
        }
    }

    fn byte(&mut self) -> Result<u8, PhpError> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| self.error("the text ends too early"))?;
        self.at += 1;
        Ok(byte)
    }

    fn expect(&mut self, wanted: u8) -> Result<(), PhpError> {
        if self.byte()? == wanted {
            Ok(())
        } else {
            self.at -= 1;
            Err(self.error("an unexpected character"))
        }
    }

    /// The text up to `end`, which is consumed.
    fn until(&mut self, end: u8) -> Result<&str, PhpError> {
        let start = self.at;
        let length = self.bytes[start..]
            .iter()
            .position(|b| *b == end)
            .ok_or_else(|| self.error("a value without its terminator"))?;
        self.at = start + length + 1;
        std::str::from_utf8(&self.bytes[start..start + length])
            .map_err(|_| self.error("a value that is not text"))
    }

    fn length(&mut self) -> Result<usize, PhpError> {
        let digits = self.until(b':')?;
        digits
            .parse()
            .map_err(|_| self.error("a length that is not a number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordpress_attachment_metadata_decodes() {
        let text = r#"a:3:{s:5:"width";i:640;s:6:"height";i:480;s:5:"sizes";a:1:{s:9:"thumbnail";a:1:{s:4:"file";s:15:"photo-150x1.jpg";}}}"#;
        let value = unserialize(text).unwrap_or(PhpValue::Null);
        assert_eq!(value.get("width").and_then(PhpValue::as_int), Some(640));
        let file = value
            .get("sizes")
            .and_then(|s| s.get("thumbnail"))
            .and_then(|t| t.get("file"))
            .and_then(PhpValue::as_str);
        assert_eq!(file, Some("photo-150x1.jpg"));
    }

    #[test]
    fn lengths_count_bytes_and_scalars_decode() {
        assert_eq!(
            unserialize(r#"s:6:"héllo";"#),
            Ok(PhpValue::String("héllo".to_owned()))
        );
        assert_eq!(unserialize("b:1;"), Ok(PhpValue::Bool(true)));
        assert_eq!(unserialize("i:-42;"), Ok(PhpValue::Int(-42)));
        assert_eq!(unserialize("d:0.5;"), Ok(PhpValue::Float(0.5)));
        assert_eq!(unserialize("N;"), Ok(PhpValue::Null));
        assert_eq!(
            unserialize(r#"a:2:{i:0;s:1:"a";i:1;s:1:"b";}"#)
                .ok()
                .and_then(|v| v.get("1").cloned()),
            Some(PhpValue::String("b".to_owned()))
        );
    }

    #[test]
    fn bad_values_are_errors_never_panics() {
        for bad in [
            "",
            "s:10:\"short\";",
            "s:2:\"é",
            "a:1:{",
            "a:99999999999999999999:{}",
            "i:x;",
            "O:8:\"stdClass\":0:{}",
            "s:1:\"a\";junk",
            &"a:1:{i:0;".repeat(100),
            "b:2;",
        ] {
            assert!(unserialize(bad).is_err(), "{bad:?}");
        }
        assert!(looks_serialized("a:0:{}"));
        assert!(!looks_serialized("plain text"));
    }
}
