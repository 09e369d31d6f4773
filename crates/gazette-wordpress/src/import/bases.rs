//! `--category-base` and `--tag-base`: WordPress lets a site move its category and tag
//! archives from `/category/…` and `/tag/…` to a base of its own (`/topics/…`), and WXR does
//! not record it. Given the old bases, the import adds a permanent redirect from each
//! section's and tag's old archive, and its feed, to Gazette's.

use std::collections::HashMap;

use gazette_core::{RedirectRule, RedirectStatus, Section, SectionId, Tag};

/// The old site's archive bases, without slashes (`topics`, `news/topics`).
#[derive(Debug, Clone, Default)]
pub struct Bases {
    pub category: Option<String>,
    pub tag: Option<String>,
}

/// A base as given (`/topics/`, `topics`), checked and without its slashes.
pub fn parse_base(base: &str) -> Result<String, String> {
    let trimmed = base.trim().trim_matches('/');
    let fine = !trimmed.is_empty()
        && trimmed.split('/').all(|segment| {
            !segment.is_empty()
                && segment
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '%'))
        });
    if fine {
        Ok(trimmed.to_owned())
    } else {
        Err(format!(
            "{base:?} is not an archive base: give the path WordPress's permalink settings showed, like topics or /topics/"
        ))
    }
}

/// The redirects from the old bases' archives to Gazette's: `sections` are the journal's
/// sections and `old_paths` what each imported section's path was on the old site (its
/// category slugs from the top, as WordPress builds it); `tags` are the imported tags with
/// their WordPress slugs.
pub fn redirects(
    bases: &Bases,
    sections: &[Section],
    old_paths: &[(String, SectionId)],
    tags: &[(String, Tag)],
) -> Vec<RedirectRule> {
    let mut rules = Vec::new();
    if let Some(base) = bases.category.as_deref().filter(|b| *b != "category") {
        let paths = section_paths(sections);
        for (old, id) in old_paths {
            if let Some(new) = paths.get(id) {
                archive_rules(
                    &mut rules,
                    &format!("/{base}/{old}/"),
                    &format!("/category/{new}/"),
                );
            }
        }
    }
    if let Some(base) = bases.tag.as_deref().filter(|b| *b != "tag") {
        for (old, tag) in tags {
            archive_rules(
                &mut rules,
                &format!("/{base}/{old}/"),
                &format!("/tag/{}/", tag.slug),
            );
        }
    }
    rules
}

/// The archive and its feed.
fn archive_rules(rules: &mut Vec<RedirectRule>, old: &str, new: &str) {
    for (source, target) in [
        (old.to_owned(), new.to_owned()),
        (format!("{old}feed/"), format!("{new}feed/")),
    ] {
        rules.push(RedirectRule {
            source,
            target,
            status: RedirectStatus::Permanent,
        });
    }
}

/// Each section's path of slugs from the top (`world/europe`).
fn section_paths(sections: &[Section]) -> HashMap<SectionId, String> {
    let by_id: HashMap<SectionId, &Section> = sections.iter().map(|s| (s.id, s)).collect();
    sections
        .iter()
        .map(|section| {
            let mut slugs = vec![section.slug.as_str()];
            let mut parent = section.parent;
            // A loop of parents cannot be stored; the depth bound keeps this finite anyway.
            while let Some(up) = parent
                .and_then(|p| by_id.get(&p))
                .filter(|_| slugs.len() < 16)
            {
                slugs.push(up.slug.as_str());
                parent = up.parent;
            }
            slugs.reverse();
            (section.id, slugs.join("/"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_are_paths_without_slashes() {
        assert_eq!(parse_base("/topics/").as_deref(), Ok("topics"));
        assert_eq!(parse_base("news/topics").as_deref(), Ok("news/topics"));
        assert!(parse_base("/").is_err());
        assert!(parse_base("a b").is_err());
        assert!(parse_base("x?y").is_err());
    }
}
