//! The editorial settings an import brings, each reported in a line: the permalink pattern
//! and the time zone (from flags, or inferred from the export) and, for a journal the import
//! creates, the name, tagline and language from the export's channel.

use gazette_core::{LanguageTag, Publication, TimeZoneName};
use gazette_wxr::Channel;

use super::ImportOptions;
use super::catalogue::Catalogue;
use super::report::Report;
use super::time_zone::{self, Dated, Inference, MISFITS_SHOWN, OTHERS_SHOWN, Why, offset_text};

/// Sets `publication`'s permalink pattern and time zone from the flags or the export.
pub fn infer(
    catalogue: &Catalogue,
    options: &ImportOptions,
    publication: &mut Publication,
    report: &mut Report,
) {
    permalink(catalogue, options, publication, report);
    match &options.time_zone {
        Some(zone) => given_time_zone(zone, &catalogue.dates, publication, report),
        None => inferred_time_zone(&catalogue.dates, publication, report),
    }
}

fn permalink(
    catalogue: &Catalogue,
    options: &ImportOptions,
    publication: &mut Publication,
    report: &mut Report,
) {
    let line = match (&options.permalink, catalogue.permalink()) {
        (Some(pattern), _) => {
            publication.permalink = pattern.clone();
            format!(
                "permalinks {} (from --permalink-structure).",
                pattern.as_str()
            )
        }
        (None, Some((pattern, fitting, total))) => {
            publication.permalink = pattern;
            format!(
                "permalinks {} (inferred: {fitting} of {total} published posts' links fit it; --permalink-structure overrides).",
                publication.permalink.as_str()
            )
        }
        (None, None) => format!(
            "permalinks {} kept (the links are plain, ?p=N, which keep working).",
            publication.permalink.as_str()
        ),
    };
    report.settings.push(line);
}

/// `--timezone`, with a warning naming the posts whose dates it does not give.
fn given_time_zone(
    zone: &TimeZoneName,
    dates: &[Dated],
    publication: &mut Publication,
    report: &mut Report,
) {
    publication.time_zone = zone.clone();
    report
        .settings
        .push(format!("time zone {} (from --timezone).", zone.as_str()));
    let misfits = time_zone::misfits(&zone.zone(), dates);
    if !misfits.is_empty() {
        report.warn(format!(
            "{} of the {} posts' dates do not fit --timezone {}: {}. Their local times differ from WordPress's, so an address with the day in it may change; the old addresses redirect.",
            misfits.len(),
            dates.len(),
            zone.as_str(),
            list_posts(&misfits)
        ));
    }
}

fn inferred_time_zone(dates: &[Dated], publication: &mut Publication, report: &mut Report) {
    let kept = publication.time_zone.as_str().to_owned();
    match time_zone::infer(dates) {
        Inference::NoDates => report.settings.push(format!(
            "time zone {kept} kept: no post has both a local and a UTC date to infer it from; pass --timezone to name the old site's zone."
        )),
        Inference::Fits {
            zone,
            why,
            others,
            aliases,
            posts,
        } => match TimeZoneName::parse(&zone) {
            Ok(name) => {
                publication.time_zone = name;
                let line = fitting_zone_line(&zone, why, &others, aliases, dates, posts);
                report.settings.push(line);
            }
            Err(_) => report.settings.push(format!(
                "time zone {kept} kept: {zone} fits the posts' dates but is not in Gazette's time zone database; pass --timezone."
            )),
        },
        Inference::NoneFits {
            best,
            posts,
            misfits,
            offsets,
        } => {
            let offsets: Vec<String> = offsets.iter().map(|s| offset_text(*s)).collect();
            report.settings.push(format!(
                "time zone {kept} kept: no zone's offsets from UTC fit all {posts} posts' dates (their offsets are {}); pass --timezone to name the old site's zone.",
                offsets.join(", ")
            ));
            report.warn(format!(
                "The closest zone, {best}, fits {} of the {posts} posts' dates; these do not: {}. Their dates may have been edited by hand or brought from another site; the old addresses redirect.",
                posts - misfits.len(),
                list_posts(&misfits)
            ));
        }
    }
}

/// `time zone America/New_York (inferred: …; why; which others fit; --timezone overrides).`
fn fitting_zone_line(
    zone: &str,
    why: Why,
    others: &[String],
    aliases: usize,
    dates: &[Dated],
    posts: usize,
) -> String {
    let all = match posts {
        1 => "the one post".to_owned(),
        2 => "both posts".to_owned(),
        n => format!("all {n} posts"),
    };
    let why = match why {
        Why::SameOffset => format!(
            "every post is at UTC{} all year, as WordPress's fixed-offset settings (its default, UTC+0, included) give",
            dates
                .first()
                .map_or_else(String::new, |d| offset_text(d.offset))
        ),
        Why::MostUsed => "the most widely used of the zones that fit".to_owned(),
        Why::Alphabetical => {
            "the first alphabetically of the zones that fit, none being among the most widely used"
                .to_owned()
        }
    };
    let others = match others.len() {
        0 => "no other zone fits".to_owned(),
        n if n > OTHERS_SHOWN => format!(
            "{} and {} more also fit and give every post the same date",
            others[..OTHERS_SHOWN].join(", "),
            n - OTHERS_SHOWN
        ),
        _ => format!(
            "{} also fit{} and give every post the same date",
            others.join(", "),
            if others.len() == 1 { "s" } else { "" }
        ),
    };
    let aliases = match aliases {
        0 => String::new(),
        n => format!(" (not counting {n} old aliases)"),
    };
    format!(
        "time zone {zone} (inferred: its offsets from UTC match the local and UTC dates of {all}; {why}; {others}{aliases}; --timezone overrides)."
    )
}

/// `post 12 (2021-02-02 10:00 at UTC-4:00), … and 3 more`.
fn list_posts(posts: &[Dated]) -> String {
    let shown: Vec<String> = posts
        .iter()
        .take(MISFITS_SHOWN)
        .map(|d| {
            format!(
                "{} ({} at UTC{})",
                d.label,
                d.local.strftime("%Y-%m-%d %H:%M"),
                offset_text(d.offset)
            )
        })
        .collect();
    match posts.len().saturating_sub(MISFITS_SHOWN) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// For a journal the import creates: the old site's name, tagline and language, where the
/// operator's `[publication]` seed did not set them (they are still the sample's). The
/// sample's made-up ISSN is not the old site's, so it goes.
pub fn take_channel(channel: &Channel, publication: &mut Publication, report: &mut Report) {
    let sample = Publication::sample();
    let title = channel.title.trim();
    if publication.name != sample.name {
        report.settings.push(format!(
            "name \"{}\" (from [publication] in the configuration).",
            publication.name
        ));
    } else if !title.is_empty() {
        publication.name = title.to_owned();
        report.settings.push(format!(
            "name \"{title}\" (from the export's channel title)."
        ));
    }
    let description = channel.description.trim();
    if publication.tagline == sample.tagline && !description.is_empty() {
        // WordPress has one description, which is both the tagline and what search engines
        // and feeds show; the sample's description names Gazette's demo.
        publication.tagline = description.to_owned();
        publication.description = description.to_owned();
        report.settings.push(format!(
            "tagline and description \"{description}\" (from the export's channel description)."
        ));
    }
    take_language(channel, publication, &sample, report);
    if publication.issn == sample.issn && publication.issn.is_some() {
        publication.issn = None;
        report.settings.push(
            "no ISSN (the sample's is made up); set the journal's own in the back office."
                .to_owned(),
        );
    }
}

fn take_language(
    channel: &Channel,
    publication: &mut Publication,
    sample: &Publication,
    report: &mut Report,
) {
    let given = channel.language.trim();
    if given.is_empty() || publication.language != sample.language {
        return;
    }
    match LanguageTag::parse(given) {
        Ok(tag) => {
            report.settings.push(format!(
                "language {} (from the export's channel language \"{given}\").",
                tag.as_str()
            ));
            publication.language = tag;
        }
        Err(_) => report.settings.push(format!(
            "language {} kept: the export's channel language \"{given}\" is not a language tag.",
            publication.language.as_str()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_york_posts() -> Catalogue {
        let dated = |n: i64, local: &str, utc: &str| {
            Dated::new(
                format!("post {n}"),
                local.parse().unwrap(),
                utc.parse().unwrap(),
            )
            .unwrap()
        };
        let mut catalogue = Catalogue::default();
        catalogue.dates = vec![
            dated(7, "2021-01-15T23:30", "2021-01-16T04:30"),
            dated(8, "2021-07-10T09:00", "2021-07-10T13:00"),
        ];
        catalogue
    }

    #[test]
    fn timezone_overrides_the_inference_and_names_the_posts_it_moves() {
        let options = ImportOptions {
            time_zone: Some(TimeZoneName::parse("Europe/Paris").unwrap()),
            ..ImportOptions::default()
        };
        let mut publication = Publication::sample();
        let mut report = Report::default();
        infer(&new_york_posts(), &options, &mut publication, &mut report);
        assert_eq!(publication.time_zone.as_str(), "Europe/Paris");
        assert!(
            report
                .settings
                .contains(&"time zone Europe/Paris (from --timezone).".to_owned())
        );
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        assert!(
            report.warnings[0].starts_with(
                "2 of the 2 posts' dates do not fit --timezone Europe/Paris: post 7 (2021-01-15 23:30 at UTC-5:00)"
            ),
            "{}",
            report.warnings[0]
        );
    }

    #[test]
    fn the_inferred_zone_is_reported_with_the_others_that_fit() {
        let mut publication = Publication::sample();
        let mut report = Report::default();
        infer(
            &new_york_posts(),
            &ImportOptions::default(),
            &mut publication,
            &mut report,
        );
        assert_eq!(publication.time_zone.as_str(), "America/New_York");
        let line = &report.settings[1];
        assert!(
            line.starts_with(
                "time zone America/New_York (inferred: its offsets from UTC match the local and UTC dates of both posts; the most widely used of the zones that fit; America/Toronto, "
            ),
            "{line}"
        );
        assert!(line.contains(" more also fit and give every post the same date (not counting "));
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    }
}
