//! `/avatar/{key}.svg`: avatars drawn here, from a keyed hash of the commenter's email (its
//! address is `kernel::avatars::avatar_url`).
//!
//! Gravatar-style avatars publish an unsalted MD5 of the address, which a dictionary reverses
//! for most real addresses. Ours are keyed with the server secret: the same commenter keeps the
//! same picture, and nobody without the secret can tell whose address it came from.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::kernel::avatars::KEY_LEN;

/// `GET /avatar/{key}.svg`: a picture that depends only on the key, so it never changes.
pub(crate) async fn avatar(Path(file): Path<String>) -> Response {
    let Some(svg) = file.strip_suffix(".svg").and_then(draw) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        svg,
    )
        .into_response()
}

/// A 5 × 5 pattern, mirrored left to right, in a colour taken from the key.
fn draw(key: &str) -> Option<String> {
    if key.len() != KEY_LEN || !key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let bits = u64::from_str_radix(key, 16).ok()?;
    let hue = (bits % 360) as u16;
    let mut cells = String::new();
    for row in 0..5u64 {
        for column in 0..3u64 {
            if bits >> (12 + row * 3 + column) & 1 == 1 {
                let y = row * 8 + 4;
                cells.push_str(&format!(
                    r#"<rect x="{}" y="{y}" width="8" height="8"/>"#,
                    column * 8 + 4
                ));
                if column < 2 {
                    cells.push_str(&format!(
                        r#"<rect x="{}" y="{y}" width="8" height="8"/>"#,
                        (4 - column) * 8 + 4
                    ));
                }
            }
        }
    }
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48"><rect width="48" height="48" fill="hsl({hue} 30% 92%)"/><g fill="hsl({hue} 55% 38%)">{cells}</g></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_keys_draw() {
        let svg = draw("0123456789ab").unwrap_or_default();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert_eq!(draw("0123456789ab"), draw("0123456789ab"));
        assert_ne!(draw("0123456789ab"), draw("ffffff000000"));
        assert_eq!(draw("0123456789AB"), None);
        assert_eq!(draw("../etc/passw"), None);
        assert_eq!(draw("abc"), None);
    }
}
