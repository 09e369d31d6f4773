//! What readers learn about an author on their archive page, besides the bio: a photo and
//! links (their website, their accounts elsewhere).

use serde::{Deserialize, Serialize};

use crate::site_files::LineError;

/// The most links a profile shows.
pub const MAX_PROFILE_LINKS: usize = 8;

/// An author's photo and links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorProfile {
    /// A media-store path or an https address.
    pub photo: Option<String>,
    pub links: Vec<ProfileLink>,
}

/// One link of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileLink {
    pub label: String,
    pub url: String,
}

/// Reads links written one per line as `Label = https://…`.
pub fn parse_links(text: &str) -> Result<Vec<ProfileLink>, LineError> {
    let mut links = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let refuse = |message: &str| LineError {
            line: index + 1,
            message: message.to_owned(),
        };
        let (label, url) = line
            .split_once('=')
            .ok_or_else(|| refuse("write Label = https://address"))?;
        let (label, url) = (label.trim(), url.trim());
        let valid = crate::address::is_web_url(url);
        if label.is_empty() || !valid || url.contains(['"', '<', '>', ' ']) {
            return Err(refuse(
                "write Label = https://address, with a full http(s) address",
            ));
        }
        links.push(ProfileLink {
            label: label.to_owned(),
            url: url.to_owned(),
        });
    }
    if links.len() > MAX_PROFILE_LINKS {
        return Err(LineError {
            line: MAX_PROFILE_LINKS + 1,
            message: format!("a profile shows at most {MAX_PROFILE_LINKS} links"),
        });
    }
    Ok(links)
}

/// The links as the form shows them, one `Label = URL` per line.
pub fn links_text(links: &[ProfileLink]) -> String {
    links
        .iter()
        .map(|l| format!("{} = {}", l.label, l.url))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_labelled_http_addresses() {
        let links =
            parse_links("Website = https://ann.example/\n\nMastodon = https://social.example/@ann")
                .unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(parse_links(&links_text(&links)).unwrap(), links);
        assert_eq!(
            parse_links("Website https://ann.example/")
                .unwrap_err()
                .line,
            1
        );
        assert_eq!(
            parse_links("ok = https://a.example/\nX = javascript:alert(1)")
                .unwrap_err()
                .line,
            2
        );
        assert!(parse_links(" = https://a.example/").is_err());
    }
}
