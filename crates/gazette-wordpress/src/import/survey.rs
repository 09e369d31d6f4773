//! The import's first pass: reads a whole export and counts what it holds, by the kinds
//! Gazette imports them as.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::BufRead;

use gazette_wxr::{Entry, Item, WxrError, WxrReader};

/// What an export holds, as the import will see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Survey {
    pub authors: usize,
    pub categories: usize,
    pub tags: usize,
    /// Terms of other taxonomies (menus, post formats, custom ones), by taxonomy.
    pub other_terms: BTreeMap<String, usize>,
    /// Posts by WordPress status (`publish`, `future`, `draft`, `pending`, `private`, `trash`).
    pub posts: BTreeMap<String, usize>,
    pub pages: BTreeMap<String, usize>,
    pub password_protected: usize,
    pub sticky: usize,
    pub attachments: usize,
    pub menu_items: usize,
    /// Items of post types Gazette does not import, by type; the report lists them.
    pub skipped: BTreeMap<String, usize>,
    /// Comments by kind (`comment`, `pingback`, `trackback`) and status (`approved`,
    /// `pending`, `spam`, `trash`).
    pub comments: BTreeMap<(String, String), usize>,
    /// The highest WordPress ids, above which new ids start.
    pub max_post_id: i64,
    pub max_comment_id: i64,
    pub bytes: u64,
}

/// Reads the whole export; `progress` is told the bytes read after each record.
pub fn survey(input: impl BufRead, mut progress: impl FnMut(u64)) -> Result<Survey, WxrError> {
    let mut reader = WxrReader::new(input);
    let mut survey = Survey::default();
    while let Some(entry) = reader.next_entry()? {
        survey.count(&entry);
        progress(reader.bytes_read());
    }
    survey.bytes = reader.bytes_read();
    Ok(survey)
}

impl Survey {
    pub(crate) fn count(&mut self, entry: &Entry) {
        match entry {
            Entry::Author(_) => self.authors += 1,
            Entry::Category(_) => self.categories += 1,
            Entry::Tag(_) => self.tags += 1,
            Entry::Term(term) => *self.other_terms.entry(term.taxonomy.clone()).or_default() += 1,
            Entry::Item(item) => self.count_item(item),
        }
    }

    fn count_item(&mut self, item: &Item) {
        self.max_post_id = self.max_post_id.max(item.post_id.unwrap_or(0));
        match item.post_type.as_str() {
            "post" => {
                *self.posts.entry(item.status.clone()).or_default() += 1;
                self.password_protected += usize::from(!item.post_password.is_empty());
                self.sticky += usize::from(item.is_sticky);
            }
            "page" => *self.pages.entry(item.status.clone()).or_default() += 1,
            "attachment" => self.attachments += 1,
            "nav_menu_item" => self.menu_items += 1,
            other => *self.skipped.entry(other.to_owned()).or_default() += 1,
        }
        for comment in &item.comments {
            self.max_comment_id = self.max_comment_id.max(comment.id.unwrap_or(0));
            let kind = match comment.kind.as_str() {
                "" | "comment" => "comment",
                other => other,
            };
            let status = match comment.approved.as_str() {
                "1" | "approve" => "approved",
                "spam" => "spam",
                "trash" | "post-trashed" => "trash",
                _ => "pending",
            };
            *self
                .comments
                .entry((kind.to_owned(), status.to_owned()))
                .or_default() += 1;
        }
    }

    /// The report `--dry-run` prints: one line per kind, in words.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{:.1} MB read.", self.bytes as f64 / 1_000_000.0);
        // "12 (10 published, 2 drafts)", or "0".
        let statuses = |by: &BTreeMap<String, usize>| {
            let total: usize = by.values().sum();
            if by.is_empty() {
                return total.to_string();
            }
            let parts = by
                .iter()
                .map(|(status, n)| format!("{n} {}", status_word(status)))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{total} ({parts})")
        };
        let _ = writeln!(
            out,
            "Posts: {}; {} password-protected, {} sticky.",
            statuses(&self.posts),
            self.password_protected,
            self.sticky
        );
        let _ = writeln!(out, "Pages: {}.", statuses(&self.pages));
        let _ = writeln!(out, "Attachments: {}.", self.attachments);
        let _ = writeln!(out, "Menu items: {}.", self.menu_items);
        let _ = writeln!(
            out,
            "Categories: {}. Tags: {}. Authors: {}.",
            self.categories, self.tags, self.authors
        );
        for (taxonomy, n) in &self.other_terms {
            let _ = writeln!(out, "Terms of {taxonomy}: {n}.");
        }
        let comments: usize = self.comments.values().sum();
        let kinds = self
            .comments
            .iter()
            .map(|((kind, status), n)| format!("{n} {status} {kind}s"))
            .collect::<Vec<_>>()
            .join(", ");
        if kinds.is_empty() {
            let _ = writeln!(out, "Comments: 0.");
        } else {
            let _ = writeln!(out, "Comments: {comments} ({kinds}).");
        }
        for (post_type, n) in &self.skipped {
            let _ = writeln!(
                out,
                "Skipped: {n} items of type {post_type}, which Gazette does not import."
            );
        }
        let _ = writeln!(
            out,
            "Highest ids: post {}, comment {}; new ones will start above them.",
            self.max_post_id, self.max_comment_id
        );
        out
    }
}

fn status_word(status: &str) -> &str {
    match status {
        "publish" => "published",
        "future" => "scheduled",
        "draft" => "drafts",
        "pending" => "pending review",
        "private" => "private",
        "trash" => "in the trash",
        "inherit" => "inherited",
        other => other,
    }
}
