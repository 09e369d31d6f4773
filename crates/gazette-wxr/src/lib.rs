//! WordPress eXtended RSS (WXR), the format of WordPress's "Tools → Export".
//!
//! [`WxrReader`] streams a file of any size, one record (author, category, tag, term, item) at
//! a time. quick-xml tokenises; this crate adds what quick-xml does not check and an importer
//! must: elements still open at the end of the file (a truncated export), DOCTYPE declarations
//! (refused: they can define entities), the export's `wxr_version` (missing or malformed is
//! refused, as WordPress refuses it), and namespaces matched by URI, never by prefix: a
//! `wp:` prefix bound to another URI is not WordPress's, and any
//! `http(s)://wordpress.org/export/1.x/` URI is, whatever its prefix. Errors name the line and
//! column, computed from the byte offset.
//!
//! Meta values WordPress stored PHP-serialized are decoded by [`php::unserialize`].

mod lines;
pub mod php;
mod records;
mod tree;
mod writer;

use std::io::BufRead;

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

pub use records::{Author, Category, Channel, Comment, Entry, Item, ItemTerm, Meta, Tag, Term};
use tree::Node;
pub use writer::WxrWriter;

/// Why a file cannot be read as a WordPress export.
#[derive(Debug, thiserror::Error)]
pub enum WxrError {
    #[error("line {line}, column {column}: {problem}")]
    Malformed {
        line: u64,
        column: u64,
        problem: String,
    },
    #[error(
        "this is not a WordPress export: it has no <wp:wxr_version> (export the site again from WordPress's Tools → Export)"
    )]
    MissingVersion,
    #[error(
        "line {line}: the export's version is {found:?}, which is not a WXR version like 1.2 (export the site again from WordPress's Tools → Export)"
    )]
    InvalidVersion { line: u64, found: String },
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Which vocabulary an element belongs to, by namespace URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    /// No namespace: RSS's own elements (`item`, `title`, `link`, …).
    Rss,
    /// `http(s)://wordpress.org/export/1.x/`.
    WordPress,
    /// `http(s)://wordpress.org/export/1.x/excerpt/`.
    Excerpt,
    /// `http://purl.org/rss/1.0/modules/content/`.
    Content,
    /// `http://purl.org/dc/elements/1.1/`.
    DublinCore,
    Other,
}

impl Vocabulary {
    fn of(uri: &[u8]) -> Self {
        let Ok(uri) = std::str::from_utf8(uri) else {
            return Self::Other;
        };
        let rest = uri
            .strip_prefix("https://")
            .or_else(|| uri.strip_prefix("http://"));
        match rest {
            Some("purl.org/rss/1.0/modules/content/") => Self::Content,
            Some("purl.org/dc/elements/1.1/") => Self::DublinCore,
            Some(rest) => match rest.strip_prefix("wordpress.org/export/1.") {
                Some(tail) => {
                    let digits = tail.trim_start_matches(|c: char| c.is_ascii_digit());
                    if digits.len() == tail.len() {
                        Self::Other
                    } else if digits == "/" {
                        Self::WordPress
                    } else if digits == "/excerpt/" {
                        Self::Excerpt
                    } else {
                        Self::Other
                    }
                }
                None => Self::Other,
            },
            None => Self::Other,
        }
    }
}

/// Reads a WXR file record by record.
pub struct WxrReader<R: BufRead> {
    xml: NsReader<lines::LineCounter<R>>,
    buf: Vec<u8>,
    /// Open elements above the record being read: `rss`, `channel`.
    depth: Vec<(Vocabulary, String)>,
    channel: Channel,
    version_checked: bool,
    finished: bool,
}

impl<R: BufRead> std::fmt::Debug for WxrReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WxrReader")
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

impl<R: BufRead> WxrReader<R> {
    pub fn new(input: R) -> Self {
        let mut xml = NsReader::from_reader(lines::LineCounter::new(input));
        let config = xml.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = true;
        Self {
            xml,
            buf: Vec::new(),
            depth: Vec::new(),
            channel: Channel::default(),
            version_checked: false,
            finished: false,
        }
    }

    /// What the channel said of the site, as far as the file has been read (WordPress writes
    /// it before the first record).
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// How many bytes have been read, for a progress bar.
    pub fn bytes_read(&self) -> u64 {
        self.xml.buffer_position()
    }

    /// The next record, or None at the end of a complete, well-formed file.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, WxrError> {
        if self.finished {
            return Ok(None);
        }
        loop {
            self.buf.clear();
            let (vocabulary, event) = self.read_event()?;
            match event {
                Event::Start(start) => {
                    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                    if let Some(record) = self.record_kind(vocabulary, &name) {
                        self.check_version()?;
                        let line = self.line_here();
                        let node = self.read_node(vocabulary, name)?;
                        if let Some(entry) = records::entry(record, &node, line) {
                            return Ok(Some(entry));
                        }
                    } else if self.depth.len() == 2 {
                        // A channel-level element that is not a record: the site's details.
                        let node = self.read_node(vocabulary, name)?;
                        self.channel.absorb(&node, self.line_here());
                    } else {
                        self.depth.push((vocabulary, name));
                    }
                }
                Event::End(_) => {
                    self.depth.pop();
                }
                Event::Eof => {
                    if let Some((_, open)) = self.depth.last() {
                        return Err(self.truncated(open));
                    }
                    self.check_version()?;
                    self.finished = true;
                    return Ok(None);
                }
                Event::DocType(_) => {
                    return Err(self.malformed(
                        "the file has a DOCTYPE declaration, which WordPress exports never have and which could define entities; it is refused".to_owned(),
                    ));
                }
                Event::Text(text) => {
                    // Only whitespace may stand between the channel's elements.
                    let text = text.decode().unwrap_or_default();
                    if !text.trim().is_empty() && self.depth.len() < 2 {
                        return Err(self.malformed(format!(
                            "unexpected text {:?} outside the channel",
                            shorten(&text)
                        )));
                    }
                }
                _ => {}
            }
        }
    }

    /// The record an element at this depth starts, if it starts one.
    fn record_kind(&self, vocabulary: Vocabulary, name: &str) -> Option<records::Kind> {
        let in_channel =
            self.depth.len() == 2 && self.depth[0].1 == "rss" && self.depth[1].1 == "channel";
        if !in_channel {
            return None;
        }
        match (vocabulary, name) {
            (Vocabulary::Rss, "item") => Some(records::Kind::Item),
            (Vocabulary::WordPress, "author") => Some(records::Kind::Author),
            (Vocabulary::WordPress, "category") => Some(records::Kind::Category),
            (Vocabulary::WordPress, "tag") => Some(records::Kind::Tag),
            (Vocabulary::WordPress, "term") => Some(records::Kind::Term),
            _ => None,
        }
    }

    /// WordPress refuses an export without a well-formed `wxr_version`; so do we, before the
    /// first record.
    fn check_version(&mut self) -> Result<(), WxrError> {
        if self.version_checked {
            return Ok(());
        }
        self.version_checked = true;
        match &self.channel.wxr_version {
            None => Err(WxrError::MissingVersion),
            Some((version, line)) => {
                let valid = version.split_once('.').is_some_and(|(major, minor)| {
                    !major.is_empty()
                        && !minor.is_empty()
                        && major.bytes().all(|b| b.is_ascii_digit())
                        && minor.bytes().all(|b| b.is_ascii_digit())
                });
                if valid {
                    Ok(())
                } else {
                    Err(WxrError::InvalidVersion {
                        line: *line,
                        found: version.clone(),
                    })
                }
            }
        }
    }

    /// Reads the element whose start was just read, and everything in it, into a tree.
    fn read_node(&mut self, vocabulary: Vocabulary, name: String) -> Result<Node, WxrError> {
        let mut stack = vec![Node::new(vocabulary, name)];
        loop {
            self.buf.clear();
            let (vocabulary, event) = self.read_event()?;
            match event {
                Event::Start(start) => {
                    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                    let mut node = Node::new(vocabulary, name);
                    for attribute in start.attributes().flatten() {
                        let key = String::from_utf8_lossy(attribute.key.local_name().as_ref())
                            .into_owned();
                        let value = attribute
                            .decode_and_unescape_value(self.xml.decoder())
                            .map_err(|e| self.malformed(format!("an attribute: {e}")))?
                            .into_owned();
                        node.attributes.push((key, value));
                    }
                    stack.push(node);
                }
                Event::End(_) => {
                    let Some(done) = stack.pop() else {
                        return Err(self.malformed("an end tag without a start".to_owned()));
                    };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Event::Text(text) => {
                    let text = text
                        .decode()
                        .map_err(|e| self.malformed(format!("text that is not UTF-8: {e}")))?;
                    if text.contains("]]>") {
                        return Err(self.malformed(STRAY_CDATA_END.to_owned()));
                    }
                    push_text(&mut stack, &text);
                }
                // A CDATA section split around `]]>` is several sections in a row: joined.
                Event::CData(data) => {
                    let text = data
                        .decode()
                        .map_err(|e| self.malformed(format!("CDATA that is not UTF-8: {e}")))?;
                    push_text(&mut stack, &text);
                }
                Event::GeneralRef(reference) => {
                    let text = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => {
                            let name = reference.decode().unwrap_or_default().into_owned();
                            match predefined_entity(&name) {
                                Some(text) => text.to_owned(),
                                None => {
                                    return Err(self.malformed(format!(
                                        "the entity &{name}; is not defined (only &amp; &lt; &gt; &quot; &apos; and numeric references are)"
                                    )));
                                }
                            }
                        }
                        Err(e) => return Err(self.malformed(format!("a character reference: {e}"))),
                    };
                    push_text(&mut stack, &text);
                }
                Event::Eof => {
                    let open = stack.last().map(|n| n.name.as_str()).unwrap_or_default();
                    return Err(self.truncated(open));
                }
                Event::DocType(_) => {
                    return Err(self.malformed(
                        "a DOCTYPE declaration inside the document is refused".to_owned(),
                    ));
                }
                _ => {}
            }
        }
    }

    fn read_event(&mut self) -> Result<(Vocabulary, Event<'static>), WxrError> {
        let (resolved, event) = match self.xml.read_resolved_event_into(&mut self.buf) {
            Ok((resolved, event)) => {
                let vocabulary = match resolved {
                    ResolveResult::Bound(namespace) => Vocabulary::of(namespace.as_ref()),
                    ResolveResult::Unbound => Vocabulary::Rss,
                    ResolveResult::Unknown(_) => Vocabulary::Other,
                };
                (vocabulary, event.into_owned())
            }
            Err(error) => {
                let at = self.xml.error_position();
                let (line, column) = self.xml.get_ref().line_and_column(at);
                return Err(WxrError::Malformed {
                    line,
                    column,
                    problem: describe(&error),
                });
            }
        };
        Ok((resolved, event))
    }

    fn line_here(&self) -> u64 {
        self.xml
            .get_ref()
            .line_and_column(self.xml.buffer_position())
            .0
    }

    /// The file ended while `open` was: the reader stops here, with the position.
    fn truncated(&self, open: &str) -> WxrError {
        self.malformed(format!(
            "the file ends while <{open}> is still open: it is truncated (export it again, or copy it whole)"
        ))
    }

    fn malformed(&self, problem: String) -> WxrError {
        let (line, column) = self
            .xml
            .get_ref()
            .line_and_column(self.xml.buffer_position());
        WxrError::Malformed {
            line,
            column,
            problem,
        }
    }
}

impl<R: BufRead> Iterator for WxrReader<R> {
    type Item = Result<Entry, WxrError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_entry() {
            Ok(Some(entry)) => Some(Ok(entry)),
            Ok(None) => None,
            Err(error) => {
                // After an error nothing more is read.
                self.finished = true;
                Some(Err(error))
            }
        }
    }
}

/// XML forbids `]]>` outside CDATA. WordPress's fallback parser would guess where a nested
/// CDATA section ends; we refuse rather than guess what the text was.
const STRAY_CDATA_END: &str = "the text contains \"]]>\" outside a CDATA section, so the file is not well-formed XML (a CDATA section was nested inside another); WordPress's own exports split such text into several CDATA sections";

fn push_text(stack: &mut [Node], text: &str) {
    if let Some(node) = stack.last_mut() {
        node.text.push_str(text);
    }
}

fn predefined_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

/// quick-xml's error, in words an operator can act on.
fn describe(error: &quick_xml::Error) -> String {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    match error {
        quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("</{found}> closes <{expected}>: the file is not well-formed XML")
        }
        quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
            format!("</{name}> closes an element that was never opened")
        }
        quick_xml::Error::Syntax(SyntaxError::UnclosedCData) => {
            "a CDATA section is never closed: the file is truncated or not well-formed".to_owned()
        }
        quick_xml::Error::Syntax(SyntaxError::UnclosedTag) => {
            "a tag is never closed: the file is truncated or not well-formed".to_owned()
        }
        other => format!("not well-formed XML: {other}"),
    }
}

fn shorten(text: &str) -> String {
    let trimmed = text.trim();
    match trimmed.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &trimmed[..at]),
        None => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests;
