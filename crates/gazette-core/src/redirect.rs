//! Redirect rules editors manage by hand: an old address on this site answering with a
//! redirect to a new one (or with 410 Gone). They are checked, keyed and tested for loops here;
//! the web layer applies them before anything else answers a path.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;

/// A redirect rule's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RedirectId(pub i64);

/// The answer a rule gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RedirectStatus {
    /// 301: moved for good (what search engines follow and remember).
    Permanent,
    /// 302: elsewhere for now.
    Temporary,
    /// 307: elsewhere for now, and the method is kept.
    TemporaryKeepMethod,
    /// 308: moved for good, and the method is kept.
    PermanentKeepMethod,
    /// 410: removed on purpose; no target.
    Gone,
}

impl RedirectStatus {
    pub const ALL: [Self; 5] = [
        Self::Permanent,
        Self::Temporary,
        Self::TemporaryKeepMethod,
        Self::PermanentKeepMethod,
        Self::Gone,
    ];

    pub fn code(self) -> u16 {
        match self {
            Self::Permanent => 301,
            Self::Temporary => 302,
            Self::TemporaryKeepMethod => 307,
            Self::PermanentKeepMethod => 308,
            Self::Gone => 410,
        }
    }

    pub fn from_code(code: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A stored rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub id: RedirectId,
    pub rule: RedirectRule,
}

/// A checked rule: where from, where to, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectRule {
    /// The path as the editor wrote it, e.g. `/old-page/`.
    pub source: String,
    /// A path on this site or an absolute http(s) URL; empty for 410.
    pub target: String,
    pub status: RedirectStatus,
}

/// Why a rule was refused; each message says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectError {
    #[error("the source must be a path on this site, starting with /, such as /old-page/")]
    SourceNotPath,
    #[error("leave the query string (?…) and fragment (#…) out of the source: rules match paths")]
    SourceHasQuery,
    #[error("{0} belongs to Gazette itself and cannot be redirected")]
    SourceReserved(String),
    #[error("the target must be a path starting with / or a full http:// or https:// address")]
    TargetInvalid,
    #[error("a 410 Gone rule has no target; leave it empty")]
    GoneWithTarget,
    #[error("the status must be 301, 302, 307, 308 or 410, not {0:?}")]
    Status(String),
    #[error("paths and addresses may not contain spaces or control characters")]
    Whitespace,
    #[error("this rule would send readers round in a loop: {}", .0.join(" → "))]
    Loop(Vec<String>),
}

/// Paths that are Gazette's own: a rule there would break the back office or the assets.
const RESERVED: [&str; 5] = ["/admin", "/assets/", "/media/", "/comments/", "/wp-json"];

impl RedirectRule {
    /// Checks a rule as typed in the form or read from a CSV row.
    pub fn parse(source: &str, target: &str, status: &str) -> Result<Self, RedirectError> {
        let (source, target, status) = (source.trim(), target.trim(), status.trim());
        let status = match status {
            "" => RedirectStatus::Permanent,
            code => code
                .parse()
                .ok()
                .and_then(RedirectStatus::from_code)
                .ok_or_else(|| RedirectError::Status(code.to_owned()))?,
        };
        if source
            .chars()
            .chain(target.chars())
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(RedirectError::Whitespace);
        }
        if !source.starts_with('/') || source.starts_with("//") {
            return Err(RedirectError::SourceNotPath);
        }
        if source.contains(['?', '#']) {
            return Err(RedirectError::SourceHasQuery);
        }
        let key = match_key(source);
        if let Some(reserved) = RESERVED.iter().find(|r| key.starts_with(*r)) {
            return Err(RedirectError::SourceReserved((*reserved).to_owned()));
        }
        match (status, target) {
            (RedirectStatus::Gone, "") => {}
            (RedirectStatus::Gone, _) => return Err(RedirectError::GoneWithTarget),
            (_, target) if !is_valid_target(target) => return Err(RedirectError::TargetInvalid),
            _ => {}
        }
        Ok(Self {
            source: source.to_owned(),
            target: ascii_target(target),
            status,
        })
    }

    /// The key the source is matched by: see [`match_key`].
    pub fn key(&self) -> String {
        match_key(&self.source)
    }

    /// The same-site path this rule sends readers to, as a key, if it stays on the site.
    fn target_key(&self) -> Option<String> {
        (self.target.starts_with('/') && !self.target.starts_with("//")).then(|| {
            let path = self.target.split(['?', '#']).next().unwrap_or_default();
            match_key(path)
        })
    }
}

/// The target as it can go in a `Location` header: non-ASCII characters percent-encoded in
/// paths, and absolute URLs in their serialised form (punycode hosts).
fn ascii_target(target: &str) -> String {
    if target.starts_with('/') {
        percent_encoding::utf8_percent_encode(target, percent_encoding::CONTROLS).to_string()
    } else {
        url::Url::parse(target).map_or_else(|_| target.to_owned(), |url| url.to_string())
    }
}

fn is_valid_target(target: &str) -> bool {
    if target.starts_with('/') {
        return crate::address::is_site_path(target);
    }
    crate::address::is_web_url(target)
}

/// How a path is matched: percent-decoded, lower-cased, without a trailing slash (except the
/// root), so `/Old%20Page/`, `/old page` and `/OLD PAGE/` are one rule, as WordPress's
/// Redirection plugin matches by default.
pub fn match_key(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy().to_lowercase();
    match decoded.trim_end_matches('/') {
        "" => "/".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

/// Whether adding (or changing) `candidate` among `existing` rules makes a loop: the chain of
/// same-site targets it starts, followed through the rules, returns to a path already on it.
/// The chain is returned for the message. `existing` may hold the candidate's old version
/// (same source); it is replaced.
pub fn find_loop<'a>(
    existing: impl IntoIterator<Item = &'a RedirectRule>,
    candidate: &RedirectRule,
) -> Option<Vec<String>> {
    let mut by_source: HashMap<String, &RedirectRule> =
        existing.into_iter().map(|r| (r.key(), r)).collect();
    by_source.insert(candidate.key(), candidate);
    chain_loop(&by_source, candidate)
}

/// The loops each of `candidates` makes among `rules` (which hold the candidates), by index of
/// the candidate: one pass over a map built once, for imports of many rules.
pub fn loops_among(
    rules: &[RedirectRule],
    candidates: &[RedirectRule],
) -> Vec<(usize, Vec<String>)> {
    let by_source: HashMap<String, &RedirectRule> = rules.iter().map(|r| (r.key(), r)).collect();
    candidates
        .iter()
        .enumerate()
        .filter_map(|(n, candidate)| chain_loop(&by_source, candidate).map(|chain| (n, chain)))
        .collect()
}

fn chain_loop(
    by_source: &HashMap<String, &RedirectRule>,
    start: &RedirectRule,
) -> Option<Vec<String>> {
    let mut chain = vec![start.source.clone()];
    let mut seen = HashSet::from([start.key()]);
    let mut current = start;
    while let Some(next) = current.target_key() {
        chain.push(current.target.clone());
        if !seen.insert(next.clone()) {
            return Some(chain);
        }
        match by_source.get(&next) {
            Some(rule) if rule.status != RedirectStatus::Gone => current = rule,
            _ => return None,
        }
    }
    None
}

/// A CSV row that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvProblem {
    /// 1-based, as spreadsheets number rows.
    pub line: usize,
    pub message: String,
}

/// Reads `source,target,status` rows (status optional, 301 by default; a first row naming the
/// columns is skipped; fields may be quoted as spreadsheets write them). Every row is checked,
/// and all problems are reported together, so nothing is imported until the file is right.
pub fn parse_csv(text: &str) -> Result<Vec<RedirectRule>, Vec<CsvProblem>> {
    let mut rules: Vec<RedirectRule> = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields = match crate::csv::line_fields(line) {
            Ok(fields) => fields,
            Err(message) => {
                problems.push(CsvProblem {
                    line: line_number,
                    message,
                });
                continue;
            }
        };
        if index == 0
            && fields
                .first()
                .is_some_and(|f| f.trim().eq_ignore_ascii_case("source"))
        {
            continue;
        }
        let field = |n: usize| fields.get(n).map_or("", String::as_str);
        if fields.len() > 3 {
            problems.push(CsvProblem {
                line: line_number,
                message: "expected at most three columns: source, target, status".to_owned(),
            });
            continue;
        }
        match RedirectRule::parse(field(0), field(1), field(2)) {
            Ok(rule) => {
                if let Some(first) = seen.insert(rule.key(), line_number) {
                    problems.push(CsvProblem {
                        line: line_number,
                        message: format!("{} already has a rule on line {first}", rule.source),
                    });
                } else {
                    rules.push(rule);
                }
            }
            Err(error) => problems.push(CsvProblem {
                line: line_number,
                message: error.to_string(),
            }),
        }
    }
    if problems.is_empty() {
        Ok(rules)
    } else {
        Err(problems)
    }
}

/// Writes rules as CSV, quoting fields that need it; `parse_csv` reads it back.
pub fn to_csv(rules: &[RedirectRule]) -> String {
    let mut out = String::from("source,target,status\n");
    for rule in rules {
        let status = rule.status.code().to_string();
        out.push_str(&crate::csv::line(&[&rule.source, &rule.target, &status]));
    }
    out
}

#[cfg(test)]
mod tests;
