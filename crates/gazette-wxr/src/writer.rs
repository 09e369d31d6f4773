//! Writes WXR 1.2, the records [`crate::WxrReader`] reads, in the order and shape of
//! WordPress's own exporter: the channel, then authors, categories, tags and other terms, then
//! one `<item>` per post with its terms, meta and comments. It streams: each record is written
//! as it is given.

use std::io::{self, Write};

use crate::{Author, Category, Channel, Comment, Entry, Item, Meta, Tag, Term};

/// Streams a WordPress export to `out`; [`WxrWriter::finish`] closes it.
#[derive(Debug)]
pub struct WxrWriter<W: Write> {
    out: W,
}

impl<W: Write> WxrWriter<W> {
    /// Writes the XML prologue and the channel's description of the site.
    pub fn new(mut out: W, channel: &Channel) -> io::Result<Self> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8" ?>"#)?;
        writeln!(out, "<!-- A WordPress eXtended RSS (WXR) export. -->")?;
        writeln!(
            out,
            r#"<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">"#
        )?;
        writeln!(out, "<channel>")?;
        let mut writer = Self { out };
        writer.text(1, "title", &channel.title)?;
        writer.text(1, "link", &channel.link)?;
        writer.text(1, "description", &channel.description)?;
        writer.text(1, "language", &channel.language)?;
        writer.text(1, "wp:wxr_version", "1.2")?;
        writer.text(1, "wp:base_site_url", &channel.base_site_url)?;
        writer.text(1, "wp:base_blog_url", &channel.base_blog_url)?;
        if !channel.generator.is_empty() {
            writer.text(1, "generator", &channel.generator)?;
        }
        Ok(writer)
    }

    /// Writes one record. WordPress's importer expects authors and terms before the items
    /// that name them.
    pub fn write(&mut self, entry: &Entry) -> io::Result<()> {
        match entry {
            Entry::Author(author) => self.author(author),
            Entry::Category(category) => self.category(category),
            Entry::Tag(tag) => self.tag(tag),
            Entry::Term(term) => self.term(term),
            Entry::Item(item) => self.item(item),
        }
    }

    /// Closes the channel and the document and gives back the output, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        writeln!(self.out, "</channel>\n</rss>")?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn author(&mut self, author: &Author) -> io::Result<()> {
        writeln!(self.out, "\t<wp:author>")?;
        if let Some(id) = author.id {
            self.text(2, "wp:author_id", &id.to_string())?;
        }
        self.cdata(2, "wp:author_login", &author.login)?;
        self.cdata(2, "wp:author_email", &author.email)?;
        self.cdata(2, "wp:author_display_name", &author.display_name)?;
        self.cdata(2, "wp:author_first_name", &author.first_name)?;
        self.cdata(2, "wp:author_last_name", &author.last_name)?;
        writeln!(self.out, "\t</wp:author>")
    }

    fn category(&mut self, category: &Category) -> io::Result<()> {
        writeln!(self.out, "\t<wp:category>")?;
        if let Some(id) = category.term_id {
            self.text(2, "wp:term_id", &id.to_string())?;
        }
        self.cdata(2, "wp:category_nicename", &category.nicename)?;
        self.cdata(2, "wp:category_parent", &category.parent)?;
        self.cdata(2, "wp:cat_name", &category.name)?;
        self.cdata(2, "wp:category_description", &category.description)?;
        self.metas(2, "wp:termmeta", &category.meta)?;
        writeln!(self.out, "\t</wp:category>")
    }

    fn tag(&mut self, tag: &Tag) -> io::Result<()> {
        writeln!(self.out, "\t<wp:tag>")?;
        if let Some(id) = tag.term_id {
            self.text(2, "wp:term_id", &id.to_string())?;
        }
        self.cdata(2, "wp:tag_slug", &tag.slug)?;
        self.cdata(2, "wp:tag_name", &tag.name)?;
        self.cdata(2, "wp:tag_description", &tag.description)?;
        self.metas(2, "wp:termmeta", &tag.meta)?;
        writeln!(self.out, "\t</wp:tag>")
    }

    fn term(&mut self, term: &Term) -> io::Result<()> {
        writeln!(self.out, "\t<wp:term>")?;
        if let Some(id) = term.term_id {
            self.text(2, "wp:term_id", &id.to_string())?;
        }
        self.cdata(2, "wp:term_taxonomy", &term.taxonomy)?;
        self.cdata(2, "wp:term_slug", &term.slug)?;
        self.cdata(2, "wp:term_parent", &term.parent)?;
        self.cdata(2, "wp:term_name", &term.name)?;
        self.cdata(2, "wp:term_description", &term.description)?;
        self.metas(2, "wp:termmeta", &term.meta)?;
        writeln!(self.out, "\t</wp:term>")
    }

    fn item(&mut self, item: &Item) -> io::Result<()> {
        writeln!(self.out, "\t<item>")?;
        self.text(2, "title", &item.title)?;
        self.text(2, "link", &item.link)?;
        self.text(2, "pubDate", &item.pub_date)?;
        self.cdata(2, "dc:creator", &item.creator)?;
        writeln!(
            self.out,
            "\t\t<guid isPermaLink=\"false\">{}</guid>",
            escape(&item.guid)
        )?;
        self.text(2, "description", &item.description)?;
        self.cdata(2, "content:encoded", &item.content)?;
        self.cdata(2, "excerpt:encoded", &item.excerpt)?;
        if let Some(id) = item.post_id {
            self.text(2, "wp:post_id", &id.to_string())?;
        }
        self.cdata(2, "wp:post_date", &item.post_date)?;
        self.cdata(2, "wp:post_date_gmt", &item.post_date_gmt)?;
        self.cdata(2, "wp:post_modified", &item.post_modified)?;
        self.cdata(2, "wp:post_modified_gmt", &item.post_modified_gmt)?;
        self.cdata(2, "wp:comment_status", &item.comment_status)?;
        self.cdata(2, "wp:ping_status", &item.ping_status)?;
        self.cdata(2, "wp:post_name", &item.post_name)?;
        self.cdata(2, "wp:status", &item.status)?;
        self.text(
            2,
            "wp:post_parent",
            &item.post_parent.unwrap_or(0).to_string(),
        )?;
        self.text(
            2,
            "wp:menu_order",
            &item.menu_order.unwrap_or(0).to_string(),
        )?;
        self.cdata(2, "wp:post_type", &item.post_type)?;
        self.cdata(2, "wp:post_password", &item.post_password)?;
        self.text(2, "wp:is_sticky", if item.is_sticky { "1" } else { "0" })?;
        if !item.attachment_url.is_empty() {
            self.cdata(2, "wp:attachment_url", &item.attachment_url)?;
        }
        for term in &item.terms {
            writeln!(
                self.out,
                "\t\t<category domain=\"{}\" nicename=\"{}\">{}</category>",
                escape(&term.domain),
                escape(&term.nicename),
                cdata(&term.name)
            )?;
        }
        self.metas(2, "wp:postmeta", &item.meta)?;
        for comment in &item.comments {
            self.comment(comment)?;
        }
        writeln!(self.out, "\t</item>")
    }

    fn comment(&mut self, comment: &Comment) -> io::Result<()> {
        writeln!(self.out, "\t\t<wp:comment>")?;
        if let Some(id) = comment.id {
            self.text(3, "wp:comment_id", &id.to_string())?;
        }
        self.cdata(3, "wp:comment_author", &comment.author)?;
        self.cdata(3, "wp:comment_author_email", &comment.author_email)?;
        self.text(3, "wp:comment_author_url", &comment.author_url)?;
        self.cdata(3, "wp:comment_author_IP", &comment.author_ip)?;
        self.cdata(3, "wp:comment_date", &comment.date)?;
        self.cdata(3, "wp:comment_date_gmt", &comment.date_gmt)?;
        self.cdata(3, "wp:comment_content", &comment.content)?;
        self.cdata(3, "wp:comment_approved", &comment.approved)?;
        self.cdata(3, "wp:comment_type", &comment.kind)?;
        self.text(
            3,
            "wp:comment_parent",
            &comment.parent.unwrap_or(0).to_string(),
        )?;
        self.text(
            3,
            "wp:comment_user_id",
            &comment.user_id.unwrap_or(0).to_string(),
        )?;
        self.metas(3, "wp:commentmeta", &comment.meta)?;
        writeln!(self.out, "\t\t</wp:comment>")
    }

    fn metas(&mut self, depth: usize, element: &str, metas: &[Meta]) -> io::Result<()> {
        let indent = "\t".repeat(depth);
        for meta in metas {
            writeln!(self.out, "{indent}<{element}>")?;
            self.cdata(depth + 1, "wp:meta_key", &meta.key)?;
            self.cdata(depth + 1, "wp:meta_value", &meta.value)?;
            writeln!(self.out, "{indent}</{element}>")?;
        }
        Ok(())
    }

    /// `<name>text</name>`, the text escaped.
    fn text(&mut self, depth: usize, name: &str, text: &str) -> io::Result<()> {
        let indent = "\t".repeat(depth);
        writeln!(self.out, "{indent}<{name}>{}</{name}>", escape(text))
    }

    /// `<name><![CDATA[text]]></name>`.
    fn cdata(&mut self, depth: usize, name: &str, text: &str) -> io::Result<()> {
        let indent = "\t".repeat(depth);
        writeln!(self.out, "{indent}<{name}>{}</{name}>", cdata(text))
    }
}

/// Characters XML 1.0 cannot carry at all (most C0 controls), which no text of a post needs.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| xml_char(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // A carriage return would be read back as a line feed.
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// A CDATA section, split where the text itself contains `]]>` (as WordPress splits it).
/// Carriage returns, which XML reads back as line feeds, are kept as character references
/// between sections.
pub(crate) fn cdata(text: &str) -> String {
    let clean: String = text.chars().filter(|c| xml_char(*c)).collect();
    let body = clean
        .replace("]]>", "]]]]><![CDATA[>")
        .replace('\r', "]]>&#13;<![CDATA[");
    format!("<![CDATA[{body}]]>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WxrReader;

    fn read(bytes: &[u8]) -> (Channel, Vec<Entry>) {
        let mut reader = WxrReader::new(bytes);
        let entries: Vec<Entry> = reader
            .by_ref()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e}"));
        (reader.channel().clone(), entries)
    }

    fn without_lines(entries: Vec<Entry>) -> Vec<Entry> {
        entries
            .into_iter()
            .map(|entry| match entry {
                Entry::Item(mut item) => {
                    item.line = 0;
                    Entry::Item(item)
                }
                other => other,
            })
            .collect()
    }

    fn write(channel: &Channel, entries: &[Entry]) -> Vec<u8> {
        let mut writer = WxrWriter::new(Vec::new(), channel).unwrap_or_else(|e| panic!("{e}"));
        for entry in entries {
            writer.write(entry).unwrap_or_else(|e| panic!("{e}"));
        }
        writer.finish().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let item = Item {
            title: "Fish & \"chips\" <cheap>".into(),
            link: "https://j.example/?p=7".into(),
            guid: "https://j.example/?p=7".into(),
            content: "<p>Ends ]]> here,\r\nthen a bell \u{7}and a line.</p>".into(),
            post_id: Some(7),
            post_type: "post".into(),
            status: "publish".into(),
            is_sticky: true,
            terms: vec![crate::ItemTerm {
                domain: "category".into(),
                nicename: "news".into(),
                name: "News & views".into(),
            }],
            meta: vec![Meta {
                key: "_wp_old_slug".into(),
                value: "a:1:{i:0;s:3:\"old\";}".into(),
            }],
            comments: vec![Comment {
                id: Some(3),
                author: "Ann".into(),
                author_email: "ann@example.com".into(),
                author_url: String::new(),
                author_ip: "192.0.2.1".into(),
                date: "2026-01-02 03:04:05".into(),
                date_gmt: "2026-01-02 03:04:05".into(),
                content: "Hi]]>".into(),
                approved: "1".into(),
                kind: String::new(),
                parent: None,
                user_id: None,
                meta: Vec::new(),
            }],
            ..Item::default()
        };
        let channel = Channel {
            title: "A <journal>".into(),
            generator: "Gazette test".into(),
            ..Channel::default()
        };
        let entries = vec![Entry::Item(Box::new(item))];
        let (read_channel, read_entries) = read(&write(&channel, &entries));
        assert_eq!(read_channel.title, channel.title);
        assert_eq!(read_channel.generator, channel.generator);
        let Some(Entry::Item(read_item)) = read_entries.first() else {
            panic!("no item read back");
        };
        assert_eq!(
            read_item.content, "<p>Ends ]]> here,\r\nthen a bell and a line.</p>",
            "the bell, which XML cannot carry, is dropped; the carriage return is kept"
        );
        let Entry::Item(original) = &entries[0] else {
            unreachable!()
        };
        assert_eq!(read_item.comments, original.comments);
        assert_eq!(read_item.terms, original.terms);
        assert_eq!(read_item.meta, original.meta);
    }

    #[test]
    #[cfg_attr(
        not(gazette_test_wxr_fixtures),
        ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
    )]
    fn wordpress_exports_survive_a_rewrite() {
        let Some(root) = gazette_testkit::wxr_fixtures() else {
            return;
        };
        let bytes = std::fs::read(root.join("theme-test-data/themeunittestdata.wordpress.xml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let (channel, entries) = read(&bytes);
        let (channel_again, entries_again) = read(&write(&channel, &entries));
        assert_eq!(channel_again.title, channel.title);
        assert_eq!(channel_again.base_site_url, channel.base_site_url);
        assert_eq!(entries_again.len(), entries.len());
        assert_eq!(without_lines(entries_again), without_lines(entries));
    }
}
