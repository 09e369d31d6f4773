//! Writes a generated corpus as a WordPress eXtended RSS (WXR 1.2) file, shaped like the
//! exports of WordPress's own exporter: authors, categories and tags first, then one `<item>`
//! per post with its comments. It streams: memory does not grow with the corpus.

use std::collections::HashMap;
use std::io::{self, Write};

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::{Cast, CorpusSpec, GeneratedComment};

/// The site the export claims to come from.
const SITE: &str = "https://corpus.example";

/// Writes `spec`'s corpus to `out`.
pub fn write(spec: &CorpusSpec, out: impl Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    let cast = spec.cast();
    header(&mut out, &cast)?;
    // Comments are generated in their own order; the export nests them in their posts.
    let mut by_article: HashMap<u64, Vec<GeneratedComment>> = HashMap::new();
    for comment in spec.comments() {
        by_article.entry(comment.article).or_default().push(comment);
    }
    for article in spec.articles() {
        let date = local_date(article.published);
        let link = format!("{SITE}/{}/{}/", date.strftime("%Y/%m/%d"), article.slug);
        writeln!(out, "\t<item>")?;
        writeln!(out, "\t\t<title>{}</title>", escape(&article.headline))?;
        writeln!(out, "\t\t<link>{link}</link>")?;
        writeln!(
            out,
            "\t\t<pubDate>{}</pubDate>",
            article.published.strftime("%a, %d %b %Y %H:%M:%S +0000")
        )?;
        let author = article.authors.first().and_then(|a| cast.authors.get(*a));
        if let Some(author) = author {
            writeln!(out, "\t\t<dc:creator>{}</dc:creator>", cdata(&author.login))?;
        }
        writeln!(
            out,
            "\t\t<guid isPermaLink=\"false\">{SITE}/?p={}</guid>",
            article.number
        )?;
        writeln!(out, "\t\t<description></description>")?;
        writeln!(
            out,
            "\t\t<content:encoded>{}</content:encoded>",
            cdata(&article.body)
        )?;
        writeln!(
            out,
            "\t\t<excerpt:encoded>{}</excerpt:encoded>",
            cdata(&article.standfirst)
        )?;
        writeln!(out, "\t\t<wp:post_id>{}</wp:post_id>", article.number)?;
        writeln!(
            out,
            "\t\t<wp:post_date>{}</wp:post_date>",
            cdata(&wp_date(article.published))
        )?;
        writeln!(
            out,
            "\t\t<wp:post_date_gmt>{}</wp:post_date_gmt>",
            cdata(&wp_date(article.published))
        )?;
        writeln!(
            out,
            "\t\t<wp:comment_status>{}</wp:comment_status>",
            cdata("open")
        )?;
        writeln!(
            out,
            "\t\t<wp:ping_status>{}</wp:ping_status>",
            cdata("closed")
        )?;
        writeln!(
            out,
            "\t\t<wp:post_name>{}</wp:post_name>",
            cdata(&article.slug)
        )?;
        writeln!(out, "\t\t<wp:status>{}</wp:status>", cdata("publish"))?;
        writeln!(out, "\t\t<wp:post_parent>0</wp:post_parent>")?;
        writeln!(out, "\t\t<wp:menu_order>0</wp:menu_order>")?;
        writeln!(out, "\t\t<wp:post_type>{}</wp:post_type>", cdata("post"))?;
        writeln!(
            out,
            "\t\t<wp:post_password>{}</wp:post_password>",
            cdata("")
        )?;
        writeln!(out, "\t\t<wp:is_sticky>0</wp:is_sticky>")?;
        if let Some((slug, name, _)) = cast.sections.get(article.section) {
            writeln!(
                out,
                "\t\t<category domain=\"category\" nicename=\"{}\">{}</category>",
                escape(slug),
                cdata(name)
            )?;
        }
        for (slug, name) in article.tags.iter().filter_map(|t| cast.tags.get(*t)) {
            writeln!(
                out,
                "\t\t<category domain=\"post_tag\" nicename=\"{}\">{}</category>",
                escape(slug),
                cdata(name)
            )?;
        }
        for comment in by_article.remove(&article.number).unwrap_or_default() {
            write_comment(&mut out, &comment)?;
        }
        writeln!(out, "\t</item>")?;
    }
    writeln!(out, "</channel>\n</rss>")?;
    out.flush()
}

fn header(out: &mut impl Write, cast: &Cast) -> io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>")?;
    writeln!(
        out,
        "<rss version=\"2.0\"\n\txmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"\n\
         \txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n\
         \txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n\
         \txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n\
         \txmlns:wp=\"http://wordpress.org/export/1.2/\"\n>"
    )?;
    writeln!(out, "<channel>")?;
    writeln!(out, "\t<title>The Corpus Courier</title>")?;
    writeln!(out, "\t<link>{SITE}</link>")?;
    writeln!(
        out,
        "\t<description>A generated journal for benchmarks</description>"
    )?;
    writeln!(out, "\t<language>en-GB</language>")?;
    writeln!(out, "\t<wp:wxr_version>1.2</wp:wxr_version>")?;
    writeln!(out, "\t<wp:base_site_url>{SITE}</wp:base_site_url>")?;
    writeln!(out, "\t<wp:base_blog_url>{SITE}</wp:base_blog_url>")?;
    for (n, author) in cast.authors.iter().enumerate() {
        writeln!(
            out,
            "\t<wp:author><wp:author_id>{}</wp:author_id><wp:author_login>{}</wp:author_login>\
             <wp:author_email>{}</wp:author_email><wp:author_display_name>{}</wp:author_display_name>\
             <wp:author_first_name>{}</wp:author_first_name><wp:author_last_name>{}</wp:author_last_name></wp:author>",
            n + 2,
            cdata(&author.login),
            cdata(&author.email),
            cdata(&author.name),
            cdata(""),
            cdata("")
        )?;
    }
    for (n, (slug, name, parent)) in cast.sections.iter().enumerate() {
        let parent = parent
            .and_then(|p| cast.sections.get(p))
            .map_or("", |(slug, _, _)| slug.as_str());
        writeln!(
            out,
            "\t<wp:category><wp:term_id>{}</wp:term_id><wp:category_nicename>{}</wp:category_nicename>\
             <wp:category_parent>{}</wp:category_parent><wp:cat_name>{}</wp:cat_name></wp:category>",
            n + 2,
            cdata(slug),
            cdata(parent),
            cdata(name)
        )?;
    }
    let first_tag_id = cast.sections.len() + 2;
    for (n, (slug, name)) in cast.tags.iter().enumerate() {
        writeln!(
            out,
            "\t<wp:tag><wp:term_id>{}</wp:term_id><wp:tag_slug>{}</wp:tag_slug><wp:tag_name>{}</wp:tag_name></wp:tag>",
            first_tag_id + n,
            cdata(slug),
            cdata(name)
        )?;
    }
    Ok(())
}

fn write_comment(out: &mut impl Write, comment: &GeneratedComment) -> io::Result<()> {
    writeln!(out, "\t\t<wp:comment>")?;
    writeln!(
        out,
        "\t\t\t<wp:comment_id>{}</wp:comment_id>",
        comment.number
    )?;
    writeln!(
        out,
        "\t\t\t<wp:comment_author>{}</wp:comment_author>",
        cdata(&comment.name)
    )?;
    writeln!(
        out,
        "\t\t\t<wp:comment_author_email>{}</wp:comment_author_email>",
        cdata(&comment.email)
    )?;
    writeln!(out, "\t\t\t<wp:comment_author_url></wp:comment_author_url>")?;
    writeln!(
        out,
        "\t\t\t<wp:comment_author_IP>{}</wp:comment_author_IP>",
        cdata("192.0.2.1")
    )?;
    writeln!(
        out,
        "\t\t\t<wp:comment_date>{}</wp:comment_date>",
        cdata(&wp_date(comment.at))
    )?;
    writeln!(
        out,
        "\t\t\t<wp:comment_date_gmt>{}</wp:comment_date_gmt>",
        cdata(&wp_date(comment.at))
    )?;
    writeln!(
        out,
        "\t\t\t<wp:comment_content>{}</wp:comment_content>",
        cdata(&comment.body)
    )?;
    writeln!(
        out,
        "\t\t\t<wp:comment_approved>{}</wp:comment_approved>",
        cdata("1")
    )?;
    writeln!(
        out,
        "\t\t\t<wp:comment_type>{}</wp:comment_type>",
        cdata("comment")
    )?;
    writeln!(
        out,
        "\t\t\t<wp:comment_parent>{}</wp:comment_parent>",
        comment.parent.unwrap_or(0)
    )?;
    writeln!(out, "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>")?;
    writeln!(out, "\t\t</wp:comment>")
}

/// The export is in UTC, so local and GMT dates agree.
fn local_date(at: Timestamp) -> jiff::civil::DateTime {
    at.to_zoned(TimeZone::UTC).datetime()
}

fn wp_date(at: Timestamp) -> String {
    local_date(at).strftime("%Y-%m-%d %H:%M:%S").to_string()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A CDATA section, split where the text itself contains `]]>` (as WordPress does).
fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::GeneratedArticle;

    #[test]
    fn the_export_has_every_post_and_comment_once() {
        let spec = CorpusSpec {
            articles: 30,
            comments: 90,
            seed: 3,
            newest: Timestamp::from_second(1_800_000_000).unwrap_or(Timestamp::UNIX_EPOCH),
        };
        let mut bytes = Vec::new();
        write(&spec, &mut bytes).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(bytes).unwrap_or_default();
        assert_eq!(text.matches("<item>").count(), 30);
        assert_eq!(text.matches("<wp:comment>").count(), 90);
        assert_eq!(text.matches("<wp:author>").count(), 40);
        assert!(text.contains("<wp:wxr_version>1.2</wp:wxr_version>"));
        assert!(text.ends_with("</channel>\n</rss>\n"));
    }

    #[test]
    fn wordpress_export_readers_read_it_back() {
        let spec = CorpusSpec {
            articles: 25,
            comments: 80,
            seed: 5,
            newest: Timestamp::from_second(1_800_000_000).unwrap_or(Timestamp::UNIX_EPOCH),
        };
        let mut bytes = Vec::new();
        write(&spec, &mut bytes).unwrap_or_else(|e| panic!("{e}"));
        let entries: Vec<gazette_wxr::Entry> = gazette_wxr::WxrReader::new(bytes.as_slice())
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e}"));
        let items: Vec<&gazette_wxr::Item> = entries
            .iter()
            .filter_map(|e| match e {
                gazette_wxr::Entry::Item(item) => Some(item.as_ref()),
                _ => None,
            })
            .collect();
        let generated: Vec<GeneratedArticle> = spec.articles().collect();
        assert_eq!(items.len(), generated.len());
        for (item, article) in items.iter().zip(&generated) {
            assert_eq!(
                item.post_id,
                Some(i64::try_from(article.number).unwrap_or(0))
            );
            assert_eq!(item.title, article.headline);
            assert_eq!(item.content, article.body);
            assert_eq!(item.status, "publish");
            assert!(item.terms.iter().any(|t| t.domain == "category"));
        }
        let comments: Vec<&gazette_wxr::Comment> = items.iter().flat_map(|i| &i.comments).collect();
        assert_eq!(comments.len(), 80);
        let ids: std::collections::HashSet<i64> = comments.iter().filter_map(|c| c.id).collect();
        assert!(
            comments
                .iter()
                .filter_map(|c| c.parent)
                .all(|parent| ids.contains(&parent)),
            "every reply's parent is exported"
        );
    }

    #[test]
    fn cdata_sections_survive_their_terminator() {
        assert_eq!(cdata("a]]>b"), "<![CDATA[a]]]]><![CDATA[>b]]>");
    }
}
