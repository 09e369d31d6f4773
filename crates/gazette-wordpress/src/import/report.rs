//! What an import did, in words: counts by kind, what it inferred, what it skipped, and what
//! an editor should look at.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use gazette_core::{CommentKind, CommentStatus, Status};
use gazette_render::wordpress::Converted;

/// Objects created, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Created {
    pub people: usize,
    pub sections: usize,
    pub tags: usize,
    pub articles: BTreeMap<&'static str, usize>,
    pub pages: BTreeMap<&'static str, usize>,
    /// By kind and status.
    pub comments: BTreeMap<(&'static str, &'static str), usize>,
}

/// The import's final report.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// When the import created the journal: its administrator's email.
    pub new_journal: Option<String>,
    pub created: Created,
    /// Items a previous import of this export already brought.
    pub already_imported: usize,
    /// Items not imported, by what they are.
    pub skipped: BTreeMap<String, usize>,
    /// The export's menus, and which became Gazette's, one line each.
    pub menus: Vec<String>,
    /// Comments WordPress showed under pages, kept but not shown (Gazette's pages take none).
    pub page_comments: usize,
    /// Attachments copied into the media library (`--media-dir`).
    pub copied_media: usize,
    /// Attachments whose files were not copied into the media store (no `--media-dir`).
    pub not_copied_media: usize,
    /// Files `--media-dir` did not hold or that are no image the library takes; their old
    /// URLs stay.
    pub missing_files: Vec<String>,
    /// Attachment ids that posts name but the export does not hold.
    pub missing_media: BTreeSet<i64>,
    /// Shortcodes kept as text, with how many posts use each.
    pub unknown_shortcodes: BTreeMap<String, usize>,
    /// Dynamic blocks without saved HTML, with how many posts use each.
    pub dynamic_blocks: BTreeMap<String, usize>,
    /// Elements the sanitiser removes, with how many posts had each.
    pub stripped: BTreeMap<String, usize>,
    /// Settings taken from flags or inferred, one line each.
    pub settings: Vec<String>,
    pub warnings: Vec<String>,
}

impl Report {
    pub fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    pub fn count_article(&mut self, status: Status) {
        *self.created.articles.entry(status.as_str()).or_default() += 1;
    }

    pub fn count_page(&mut self, status: Status) {
        *self.created.pages.entry(status.as_str()).or_default() += 1;
    }

    pub fn count_comment(&mut self, kind: CommentKind, status: CommentStatus) {
        *self
            .created
            .comments
            .entry((kind.as_str(), status.as_str()))
            .or_default() += 1;
    }

    /// Notes what converting one post's content found.
    pub fn note_conversion(&mut self, converted: &Converted) {
        for name in &converted.unknown_shortcodes {
            *self.unknown_shortcodes.entry(name.clone()).or_default() += 1;
        }
        for name in &converted.dynamic_blocks {
            *self.dynamic_blocks.entry(name.clone()).or_default() += 1;
        }
        self.missing_media
            .extend(converted.missing_media.iter().copied());
        for name in gazette_render::stripped_elements(&converted.html) {
            *self.stripped.entry(name).or_default() += 1;
        }
    }

    /// Articles created, all statuses together.
    pub fn articles(&self) -> usize {
        self.created.articles.values().sum()
    }

    pub fn comments(&self) -> usize {
        self.created.comments.values().sum()
    }

    /// The report printed at the end of `gazette import wxr`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let by = |map: &BTreeMap<&'static str, usize>| {
            let total: usize = map.values().sum();
            let parts: Vec<String> = map.iter().map(|(k, n)| format!("{n} {k}")).collect();
            if parts.is_empty() {
                "0".to_owned()
            } else {
                format!("{total} ({})", parts.join(", "))
            }
        };
        if let Some(admin) = &self.new_journal {
            let _ = writeln!(
                out,
                "Journal: created, with the administrator {admin} and no demo content."
            );
        }
        let _ = writeln!(out, "Articles: {}.", by(&self.created.articles));
        let _ = writeln!(out, "Pages: {}.", by(&self.created.pages));
        let comments: Vec<String> = self
            .created
            .comments
            .iter()
            .map(|((kind, status), n)| format!("{n} {status} {kind}s"))
            .collect();
        let _ = writeln!(
            out,
            "Comments: {}{}.",
            self.comments(),
            if comments.is_empty() {
                String::new()
            } else {
                format!(" ({})", comments.join(", "))
            }
        );
        let _ = writeln!(
            out,
            "People: {}. Sections: {}. Tags: {}.",
            self.created.people, self.created.sections, self.created.tags
        );
        if self.already_imported > 0 {
            let _ = writeln!(
                out,
                "Already imported before, left as they are: {} items.",
                self.already_imported
            );
        }
        for line in &self.settings {
            let _ = writeln!(out, "Setting: {line}");
        }
        for (what, n) in &self.skipped {
            let _ = writeln!(out, "Skipped: {n} × {what}.");
        }
        for line in &self.menus {
            let _ = writeln!(out, "Menu: {line}.");
        }
        if !self.menus.is_empty() && !self.menus.iter().any(|l| l.contains(" became the ")) {
            let _ = writeln!(
                out,
                "Menus: none replaced the journal's; pass --header-menu SLUG and --footer-menu SLUG to use them."
            );
        }
        if self.page_comments > 0 {
            let _ = writeln!(
                out,
                "Comments on pages: {} kept with their pages and counted above, but not shown (Gazette's pages take no comments); an export gives them back.",
                self.page_comments
            );
        }
        if self.copied_media > 0 {
            let _ = writeln!(
                out,
                "Media: {} images copied into the media library; links to them point at the copies.",
                self.copied_media
            );
        }
        if self.not_copied_media > 0 {
            let _ = writeln!(
                out,
                "Media: {} attachments were not copied (pass --media-dir with a copy of wp-content/uploads); their old URLs stay in the articles.",
                self.not_copied_media
            );
        }
        if !self.missing_files.is_empty() {
            let _ = writeln!(
                out,
                "Media not copied, old URLs kept: {}.",
                self.missing_files.join(", ")
            );
        }
        if !self.missing_media.is_empty() {
            let ids: Vec<String> = self.missing_media.iter().map(i64::to_string).collect();
            let _ = writeln!(
                out,
                "Missing media: attachments {} are named by posts but not in the export.",
                ids.join(", ")
            );
        }
        let list = |map: &BTreeMap<String, usize>| {
            map.iter()
                .map(|(name, n)| format!("{name} ({n})"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.unknown_shortcodes.is_empty() {
            let _ = writeln!(
                out,
                "Shortcodes kept as text (posts using them): {}.",
                list(&self.unknown_shortcodes)
            );
        }
        if !self.dynamic_blocks.is_empty() {
            let _ = writeln!(
                out,
                "Dynamic blocks with no saved HTML, which show nothing: {}.",
                list(&self.dynamic_blocks)
            );
        }
        if !self.stripped.is_empty() {
            let _ = writeln!(
                out,
                "Markup removed by the sanitiser (posts with it): {}.",
                list(&self.stripped)
            );
        }
        for warning in &self.warnings {
            let _ = writeln!(out, "Warning: {warning}");
        }
        out
    }
}
