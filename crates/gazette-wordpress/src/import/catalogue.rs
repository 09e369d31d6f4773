//! What the first pass keeps besides the counts: the attachments (posts name them before they
//! appear: featured images, galleries) and what the settings are inferred from.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

use gazette_core::PermalinkPattern;
use gazette_render::wordpress::{Attachment, MediaLookup};
use gazette_wxr::{Entry, Item, WxrError, WxrReader};
use jiff::civil::DateTime;

use super::survey::Survey;
use super::time_zone::Dated;

/// The first pass's findings.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub survey: Survey,
    pub site_url: String,
    /// The export's channel: the old site's name, tagline and language.
    pub channel: gazette_wxr::Channel,
    /// The export was written by Gazette: its content is already the HTML readers saw.
    pub from_gazette: bool,
    attachments: HashMap<i64, Attachment>,
    /// The slugs of the export's navigation menus.
    pub menu_slugs: std::collections::BTreeSet<String>,
    /// Where each attachment's file was on the old site, for `--media-dir`.
    pub files: BTreeMap<i64, AttachedFile>,
    children: HashMap<i64, Vec<i64>>,
    /// Permalink patterns the published posts' links fit, with how many fit each.
    patterns: BTreeMap<String, usize>,
    /// Every post's local and UTC dates, which the time zone is inferred from.
    pub dates: Vec<Dated>,
}

/// Reads the whole export once.
pub fn catalogue(
    input: impl BufRead,
    mut progress: impl FnMut(u64),
) -> Result<Catalogue, WxrError> {
    let mut reader = WxrReader::new(input);
    let mut catalogue = Catalogue::default();
    while let Some(entry) = reader.next_entry()? {
        catalogue.survey.count(&entry);
        if let Entry::Term(term) = &entry
            && term.taxonomy == "nav_menu"
        {
            catalogue.menu_slugs.insert(term.slug.clone());
        }
        if let Entry::Item(item) = &entry {
            catalogue.menu_slugs.extend(
                item.terms
                    .iter()
                    .filter(|t| t.domain == "nav_menu" && item.post_type == "nav_menu_item")
                    .map(|t| t.nicename.clone()),
            );
            if catalogue.site_url.is_empty() {
                catalogue.site_url = site_url(reader.channel());
                catalogue.from_gazette = reader
                    .channel()
                    .generator
                    .starts_with(crate::export::GENERATOR_PREFIX);
            }
            catalogue.note(item);
        }
        progress(reader.bytes_read());
    }
    catalogue.survey.bytes = reader.bytes_read();
    catalogue.channel = reader.channel().clone();
    Ok(catalogue)
}

/// The old site's address, which its links start with (the channel comes before the items).
fn site_url(channel: &gazette_wxr::Channel) -> String {
    if channel.base_blog_url.is_empty() {
        channel.link.clone()
    } else {
        channel.base_blog_url.clone()
    }
}

impl Catalogue {
    fn note(&mut self, item: &Item) {
        let Some(id) = item.post_id else {
            return;
        };
        if item.post_type == "attachment" {
            let attachment = Attachment {
                url: item.attachment_url.clone(),
                alt: item
                    .meta_value("_wp_attachment_image_alt")
                    .unwrap_or("")
                    .to_owned(),
                caption: item.excerpt.clone(),
            };
            self.files.insert(
                id,
                AttachedFile {
                    relative: uploads_relative(item),
                    url: item.attachment_url.clone(),
                    link: item.link.clone(),
                },
            );
            self.attachments.insert(id, attachment);
            if let Some(parent) = item.post_parent.filter(|p| *p > 0) {
                self.children.entry(parent).or_default().push(id);
            }
            return;
        }
        if item.post_type != "post" {
            return;
        }
        // Posts of every status: a scheduled or private post's dates are the site's too. A
        // draft's zero UTC date is no date.
        if let (Some(local), Some(utc)) = (wp_date(&item.post_date), wp_date(&item.post_date_gmt))
            && let Some(dated) = Dated::new(format!("post {id}"), local, utc)
        {
            self.dates.push(dated);
        }
        if item.status != "publish" {
            return;
        }
        if let Some(pattern) = self.pattern_of(item) {
            *self.patterns.entry(pattern).or_default() += 1;
        }
    }

    /// The permalink pattern an item's link was made with: its path with the parts that are
    /// the item's date, id, slug or category replaced by structure tags.
    fn pattern_of(&self, item: &Item) -> Option<String> {
        let base = url::Url::parse(&self.site_url).ok()?;
        let link = url::Url::parse(&item.link).ok()?;
        if link.query().is_some() {
            return None;
        }
        let base_path = base.path().trim_end_matches('/');
        let path = link.path().strip_prefix(base_path)?;
        let date = wp_date(&item.post_date)?;
        let id = item.post_id?.to_string();
        let categories: Vec<&str> = item
            .terms
            .iter()
            .filter(|t| t.domain == "category")
            .map(|t| t.nicename.as_str())
            .collect();
        let year = format!("{:04}", date.year());
        let month = format!("{:02}", date.month());
        let day = format!("{:02}", date.day());
        let pattern = path
            .split('/')
            .map(|segment| match segment {
                "" => "",
                s if !item.post_name.is_empty() && s.eq_ignore_ascii_case(&item.post_name) => {
                    "%postname%"
                }
                s if s == id => "%post_id%",
                s if s == year => "%year%",
                s if s == month => "%monthnum%",
                s if s == day => "%day%",
                s if categories.contains(&s) => "%category%",
                s => s,
            })
            .collect::<Vec<_>>()
            .join("/");
        PermalinkPattern::parse(&pattern)
            .ok()
            .map(|p| p.as_str().to_owned())
    }

    /// The pattern most published posts' links fit, with the share that fit it.
    pub fn permalink(&self) -> Option<(PermalinkPattern, usize, usize)> {
        let total: usize = self.patterns.values().sum();
        let (pattern, count) = self.patterns.iter().max_by_key(|(_, n)| **n)?;
        Some((PermalinkPattern::parse(pattern).ok()?, *count, total))
    }
}

/// An attachment's file on the old site.
#[derive(Debug, Clone, Default)]
pub struct AttachedFile {
    /// Its path below `wp-content/uploads` (`2013/03/boat.jpg`); empty when unknown.
    pub relative: String,
    /// Its full URL there.
    pub url: String,
    /// The attachment's own page.
    pub link: String,
}

/// The attachment's path below the uploads folder: WordPress's `_wp_attached_file`, or what
/// follows `/uploads/` (or a wordpress.com files host) in its URL.
fn uploads_relative(item: &Item) -> String {
    if let Some(file) = item.meta_value("_wp_attached_file")
        && !file.trim().is_empty()
    {
        return file.trim().trim_start_matches('/').to_owned();
    }
    let Ok(url) = url::Url::parse(&item.attachment_url) else {
        return String::new();
    };
    let path = url.path();
    match path.find("/uploads/") {
        Some(at) => path[at + "/uploads/".len()..].to_owned(),
        None if url
            .host_str()
            .is_some_and(|h| h.ends_with(".files.wordpress.com")) =>
        {
            path.trim_start_matches('/').to_owned()
        }
        None => String::new(),
    }
}

impl Catalogue {
    /// Points an attachment at its copy in the media library, so galleries, captions and
    /// featured images show the copy.
    pub fn moved_attachment(&mut self, id: i64, url: String) {
        if let Some(attachment) = self.attachments.get_mut(&id) {
            attachment.url = url;
        }
    }
}

impl MediaLookup for Catalogue {
    fn attachment(&self, id: i64) -> Option<Attachment> {
        self.attachments.get(&id).cloned()
    }

    fn children(&self, post_id: i64) -> Vec<Attachment> {
        self.children
            .get(&post_id)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| self.attachments.get(id).cloned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A WordPress date (`2013-01-11 20:22:19`); None for the zero date drafts carry.
pub fn wp_date(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if text.is_empty() || text.starts_with("0000") {
        return None;
    }
    text.replacen(' ', "T", 1).parse().ok()
}
