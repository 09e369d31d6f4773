//! The sitemaps' addresses: which sitemap a root-level file name names, and back.

/// Which sitemap a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapName {
    Index,
    News,
    /// Articles published in one UTC month, in parts (from 1) of at most 50,000 addresses.
    Articles {
        year: i16,
        month: i8,
        part: usize,
    },
    Sections {
        part: usize,
    },
    Tags {
        part: usize,
    },
    Authors {
        part: usize,
    },
    /// The home page and the static pages.
    Pages,
}

impl SitemapName {
    /// The sitemap a root-level file name names (`sitemap.xml`, `sitemap-tags-2.xml`, …).
    pub fn parse(file: &str) -> Option<Self> {
        match file {
            "sitemap.xml" => return Some(Self::Index),
            "news-sitemap.xml" => return Some(Self::News),
            "sitemap-pages.xml" => return Some(Self::Pages),
            _ => {}
        }
        let stem = file.strip_prefix("sitemap-")?.strip_suffix(".xml")?;
        let (kind, rest) = stem.split_once('-').unwrap_or((stem, ""));
        let numbers: Vec<&str> = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('-').collect()
        };
        // Numbers are written one way only: no sign, no leading zero, part 1 unwritten.
        let part = |text: Option<&&str>| -> Option<usize> {
            match text {
                None => Some(1),
                Some(t) if t.starts_with('0') || !t.bytes().all(|b| b.is_ascii_digit()) => None,
                Some(t) => t.parse().ok().filter(|n| *n >= 2),
            }
        };
        match (kind, numbers.as_slice()) {
            ("sections", [] | [_]) => Some(Self::Sections {
                part: part(numbers.first())?,
            }),
            ("tags", [] | [_]) => Some(Self::Tags {
                part: part(numbers.first())?,
            }),
            ("authors", [] | [_]) => Some(Self::Authors {
                part: part(numbers.first())?,
            }),
            ("articles", [year, month, more @ ..]) if more.len() <= 1 => {
                let digits =
                    |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
                if !digits(year, 4) || !digits(month, 2) {
                    return None;
                }
                let year: i16 = year.parse().ok()?;
                let month: i8 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
                Some(Self::Articles {
                    year,
                    month,
                    part: part(more.first())?,
                })
            }
            _ => None,
        }
    }

    /// The path this sitemap is served at.
    pub fn path(self) -> String {
        let suffix = |part: usize| {
            if part > 1 {
                format!("-{part}")
            } else {
                String::new()
            }
        };
        match self {
            Self::Index => "/sitemap.xml".to_owned(),
            Self::News => "/news-sitemap.xml".to_owned(),
            Self::Pages => "/sitemap-pages.xml".to_owned(),
            Self::Sections { part } => format!("/sitemap-sections{}.xml", suffix(part)),
            Self::Tags { part } => format!("/sitemap-tags{}.xml", suffix(part)),
            Self::Authors { part } => format!("/sitemap-authors{}.xml", suffix(part)),
            Self::Articles { year, month, part } => {
                format!("/sitemap-articles-{year:04}-{month:02}{}.xml", suffix(part))
            }
        }
    }
}
