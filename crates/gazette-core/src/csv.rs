//! CSV as spreadsheets and mailing-list services write it (RFC 4180): commas separate, double
//! quotes enclose a field (`""` is a quote inside one), and a quoted field may hold commas and
//! line breaks. Gazette reads redirect rules and subscriber lists this way, and writes them back.

/// One record and the line it starts on (1-based, as spreadsheets number rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// A record that could not be read: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub line: usize,
    pub message: String,
}

/// Every record of `text`, skipping blank lines; a byte-order mark before the first is ignored.
/// A quoted field left open at the end of the text is an error naming the line it began on.
pub fn records(text: &str) -> Result<Vec<Record>, Unreadable> {
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let (mut quoted, mut was_quoted) = (false, false);
    let (mut line, mut starts_on) = (1, 1);
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', false) if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            (',', false) => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
                let record = std::mem::take(&mut fields);
                if !is_blank(&record) {
                    records.push(Record {
                        line: starts_on,
                        fields: record,
                    });
                }
                line += 1;
                starts_on = line;
            }
            (c, _) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        }
    }
    if quoted {
        return Err(Unreadable {
            line: starts_on,
            message: "a quoted field is not closed".to_owned(),
        });
    }
    fields.push(field);
    if !is_blank(&fields) {
        records.push(Record {
            line: starts_on,
            fields,
        });
    }
    Ok(records)
}

/// The fields of one line, for files whose fields never hold a line break (redirect rules):
/// a quote left open is that line's problem, and the next line is read on its own.
pub fn line_fields(line: &str) -> Result<Vec<String>, String> {
    match records(line) {
        Ok(mut records) if !records.is_empty() => Ok(records.swap_remove(0).fields),
        Ok(_) => Ok(vec![String::new()]),
        Err(unreadable) => Err(unreadable.message),
    }
}

fn is_blank(fields: &[String]) -> bool {
    fields.iter().all(|f| f.trim().is_empty())
}

/// A field as CSV: quoted when it holds a comma, a quote or a line break.
pub fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// One record as a CSV line, with its line break.
pub fn line(fields: &[&str]) -> String {
    let mut out = fields
        .iter()
        .map(|f| quote(f))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        let text = "\u{feff}email,note\r\n\"a@example.org\",\"one, \"\"two\"\"\nthree\"\r\n\r\nb@example.org,\n";
        let read = records(text).unwrap_or_default();
        assert_eq!(read.len(), 3);
        assert_eq!(read[0].fields, ["email", "note"]);
        assert_eq!(read[1].fields, ["a@example.org", "one, \"two\"\nthree"]);
        assert_eq!(
            (read[2].line, read[2].fields.clone()),
            (5, vec!["b@example.org".to_owned(), String::new()])
        );
    }

    #[test]
    fn an_open_quote_is_an_error_where_it_began() {
        let error = records("a,b\n\"open,c\nd\n").err();
        assert_eq!(error.map(|e| e.line), Some(2));
    }

    #[test]
    fn what_is_written_reads_back() {
        let fields = ["plain", "with, comma", "with \"quote\"", "two\nlines"];
        let read = records(&line(&fields)).unwrap_or_default();
        assert_eq!(read[0].fields, fields);
    }
}
