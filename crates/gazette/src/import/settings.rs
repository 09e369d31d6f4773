//! The editorial settings an import brings, each reported in a line: the permalink pattern
//! and the time zone (from flags, or inferred from the export) and, for a journal the import
//! creates, the name, tagline and language from the export's channel.

use gazette_core::{LanguageTag, Publication};
use gazette_wxr::Channel;

use super::ImportOptions;
use super::catalogue::Catalogue;
use super::report::Report;

/// Sets `publication`'s permalink pattern and time zone from the flags or the export.
pub fn infer(
    catalogue: &Catalogue,
    options: &ImportOptions,
    publication: &mut Publication,
    report: &mut Report,
) {
    permalink(catalogue, options, publication, report);
    time_zone(catalogue, options, publication, report);
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

fn time_zone(
    catalogue: &Catalogue,
    options: &ImportOptions,
    publication: &mut Publication,
    report: &mut Report,
) {
    let line = match (&options.time_zone, catalogue.time_zone()) {
        (Some(zone), _) => {
            publication.time_zone = zone.clone();
            format!("time zone {} (from --timezone).", zone.as_str())
        }
        (None, Some(zone)) => {
            publication.time_zone = zone;
            format!(
                "time zone {} (inferred from the gap between local and UTC dates; --timezone overrides).",
                publication.time_zone.as_str()
            )
        }
        (None, None) => {
            let offsets: Vec<String> = catalogue
                .offsets_seen()
                .iter()
                .map(|m| format!("{:+}:{:02}", m / 60, (m % 60).abs()))
                .collect();
            format!(
                "time zone {} kept: the posts' offsets from UTC vary ({}), as with daylight saving time; pass --timezone to name the zone.",
                publication.time_zone.as_str(),
                offsets.join(", ")
            )
        }
    };
    report.settings.push(line);
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
