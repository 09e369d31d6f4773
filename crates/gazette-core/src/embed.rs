//! Embeds: the providers whose players and charts an article may show in a frame.
//!
//! A link to one of these becomes a sandboxed `<iframe>` pointing at the provider's embed
//! address, rebuilt from the identifiers in the link (never the link itself), and the site's
//! Content-Security-Policy allows frames from exactly these origins. Anything else stays a
//! link.

use url::Url;

/// A provider on the allow-list.
#[derive(Debug, Clone, Copy)]
pub struct Provider {
    pub name: &'static str,
    /// The origin its frames load from, for `frame-src`.
    pub frame_origin: &'static str,
    /// Width over height of its player; charts and audio differ from video.
    pub aspect: (u32, u32),
    embed_src: fn(&Url) -> Option<String>,
}

/// Providers are told apart by name (each appears once on the allow-list).
impl PartialEq for Provider {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Provider {}

/// The allow-list, in the order links are tried.
pub const PROVIDERS: [Provider; 7] = [
    Provider {
        name: "YouTube",
        frame_origin: "https://www.youtube-nocookie.com",
        aspect: (16, 9),
        embed_src: youtube,
    },
    Provider {
        name: "Vimeo",
        frame_origin: "https://player.vimeo.com",
        aspect: (16, 9),
        embed_src: vimeo,
    },
    Provider {
        name: "Datawrapper",
        frame_origin: "https://datawrapper.dwcdn.net",
        aspect: (4, 3),
        embed_src: datawrapper,
    },
    Provider {
        name: "Flourish",
        frame_origin: "https://flo.uri.sh",
        aspect: (4, 3),
        embed_src: flourish,
    },
    Provider {
        name: "Infogram",
        frame_origin: "https://e.infogram.com",
        aspect: (4, 3),
        embed_src: infogram,
    },
    Provider {
        name: "Spotify",
        frame_origin: "https://open.spotify.com",
        aspect: (16, 5),
        embed_src: spotify,
    },
    Provider {
        name: "SoundCloud",
        frame_origin: "https://w.soundcloud.com",
        aspect: (16, 5),
        embed_src: soundcloud,
    },
];

/// A link recognised as an embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    pub provider: Provider,
    /// The frame's address on the provider's embed origin.
    pub src: String,
}

impl Embed {
    /// Recognises a link (`https://youtu.be/…`); None for anything not on the allow-list.
    pub fn from_link(link: &str) -> Option<Self> {
        let url = Url::parse(link.trim()).ok()?;
        if !matches!(url.scheme(), "https" | "http") {
            return None;
        }
        PROVIDERS
            .into_iter()
            .find_map(|provider| (provider.embed_src)(&url).map(|src| Self { provider, src }))
    }
}

/// An identifier safe to put in a path: letters, digits, `-` and `_`, 1 to 64 of them.
fn id(text: &str) -> Option<&str> {
    let ok = (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(text)
}

fn host(url: &Url) -> &str {
    url.host_str()
        .unwrap_or_default()
        .trim_start_matches("www.")
}

fn segments(url: &Url) -> Vec<&str> {
    url.path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default()
}

fn youtube(url: &Url) -> Option<String> {
    let video = match (host(url), segments(url).as_slice()) {
        ("youtube.com" | "m.youtube.com", ["watch"]) => url
            .query_pairs()
            .find(|(k, _)| k == "v")
            .map(|(_, v)| v.into_owned())?,
        ("youtube.com" | "m.youtube.com", ["shorts" | "embed" | "live", video]) => {
            (*video).to_owned()
        }
        ("youtu.be", [video]) => (*video).to_owned(),
        _ => return None,
    };
    Some(format!(
        "https://www.youtube-nocookie.com/embed/{}",
        id(&video)?
    ))
}

fn vimeo(url: &Url) -> Option<String> {
    match (host(url), segments(url).as_slice()) {
        ("vimeo.com", [video]) | ("player.vimeo.com", ["video", video])
            if video.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(format!("https://player.vimeo.com/video/{}", id(video)?))
        }
        _ => None,
    }
}

fn datawrapper(url: &Url) -> Option<String> {
    match (host(url), segments(url).as_slice()) {
        ("datawrapper.dwcdn.net", [chart, rest @ ..])
        | ("datawrapper.de", ["_", chart, rest @ ..]) => {
            let version = rest
                .first()
                .filter(|v| v.bytes().all(|b| b.is_ascii_digit()));
            Some(match version {
                Some(v) => format!("https://datawrapper.dwcdn.net/{}/{}/", id(chart)?, id(v)?),
                None => format!("https://datawrapper.dwcdn.net/{}/", id(chart)?),
            })
        }
        _ => None,
    }
}

fn flourish(url: &Url) -> Option<String> {
    match (host(url), segments(url).as_slice()) {
        (
            "public.flourish.studio" | "flo.uri.sh",
            [kind @ ("visualisation" | "story"), item, ..],
        ) if item.bytes().all(|b| b.is_ascii_digit()) => {
            Some(format!("https://flo.uri.sh/{kind}/{}/embed", id(item)?))
        }
        _ => None,
    }
}

fn infogram(url: &Url) -> Option<String> {
    match (host(url), segments(url).as_slice()) {
        ("infogram.com" | "e.infogram.com", [chart]) => {
            Some(format!("https://e.infogram.com/{}?src=embed", id(chart)?))
        }
        _ => None,
    }
}

fn spotify(url: &Url) -> Option<String> {
    match (host(url), segments(url).as_slice()) {
        (
            "open.spotify.com",
            [
                kind @ ("episode" | "show" | "track" | "album" | "playlist"),
                item,
            ],
        ) => Some(format!(
            "https://open.spotify.com/embed/{kind}/{}",
            id(item)?
        )),
        _ => None,
    }
}

fn soundcloud(url: &Url) -> Option<String> {
    match (host(url), segments(url).as_slice()) {
        ("soundcloud.com", [artist, track]) => {
            let link = format!("https://soundcloud.com/{}/{}", id(artist)?, id(track)?);
            let encoded: String = url::form_urlencoded::byte_serialize(link.as_bytes()).collect();
            Some(format!("https://w.soundcloud.com/player/?url={encoded}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(link: &str) -> Option<String> {
        Embed::from_link(link).map(|e| e.src)
    }

    #[test]
    fn provider_links_become_their_embed_addresses() {
        let cases = [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            ),
            (
                "https://youtu.be/dQw4w9WgXcQ",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            ),
            (
                "https://www.youtube.com/shorts/abc_DEF-123",
                "https://www.youtube-nocookie.com/embed/abc_DEF-123",
            ),
            (
                "https://vimeo.com/76979871",
                "https://player.vimeo.com/video/76979871",
            ),
            (
                "https://datawrapper.dwcdn.net/Ab12C/3/",
                "https://datawrapper.dwcdn.net/Ab12C/3/",
            ),
            (
                "https://www.datawrapper.de/_/Ab12C/",
                "https://datawrapper.dwcdn.net/Ab12C/",
            ),
            (
                "https://public.flourish.studio/visualisation/1234567/",
                "https://flo.uri.sh/visualisation/1234567/embed",
            ),
            (
                "https://infogram.com/election-results-1h7z2l8",
                "https://e.infogram.com/election-results-1h7z2l8?src=embed",
            ),
            (
                "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
                "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk",
            ),
            (
                "https://soundcloud.com/journal/morning-briefing",
                "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fjournal%2Fmorning-briefing",
            ),
        ];
        for (link, expected) in cases {
            assert_eq!(src(link).as_deref(), Some(expected), "{link}");
        }
    }

    #[test]
    fn anything_else_stays_a_link() {
        for link in [
            "https://example.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com.evil.example/watch?v=x",
            "https://www.youtube.com/watch?v=\"><script>",
            "https://www.youtube.com/watch?v=a%22b",
            "javascript:alert(1)//youtu.be/x",
            "https://vimeo.com/not-a-number",
            "https://twitter.com/journal/status/1",
            "ftp://youtu.be/abc",
            "not a link",
        ] {
            assert_eq!(src(link), None, "{link}");
        }
    }

    #[test]
    fn every_provider_frames_from_an_https_origin() {
        for provider in PROVIDERS {
            assert!(provider.frame_origin.starts_with("https://"));
            assert!(!provider.frame_origin.ends_with('/'));
        }
    }
}
