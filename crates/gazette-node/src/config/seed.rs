//! The `[publication]` table: the editorial settings a new journal is seeded with.

use super::*;

/// The editorial settings to seed: `[publication]` over [`Publication::sample`].
pub(super) fn seed_publication(
    file: Option<FilePublication>,
    origin: &Origin,
) -> Result<Publication, ConfigError> {
    let mut seed = Publication::sample();
    let Some(file) = file else {
        return Ok(seed);
    };
    let name = parse_field(
        file.name.as_deref(),
        "publication.name",
        origin,
        publication_name,
    )?;
    seed.name = name.unwrap_or(seed.name);
    seed_conventions(&mut seed, &file, origin)?;
    seed_identifiers(&mut seed, &file, origin)?;
    seed.tagline = file.tagline.unwrap_or(seed.tagline);
    seed.description = file.description.unwrap_or(seed.description);
    Ok(seed)
}

pub(super) fn publication_name(text: &str) -> Result<String, &'static str> {
    match text.trim() {
        "" => Err("the name must not be empty"),
        name => Ok(name.to_owned()),
    }
}

/// The language, time zone and permalink pattern given in `[publication]`.
pub(super) fn seed_conventions(
    seed: &mut Publication,
    file: &FilePublication,
    origin: &Origin,
) -> Result<(), ConfigError> {
    let language = file.language.as_deref();
    if let Some(tag) = parse_field(language, "publication.language", origin, LanguageTag::parse)? {
        seed.language = tag;
    }
    let zone = file.time_zone.as_deref();
    if let Some(zone) = parse_field(zone, "publication.time_zone", origin, TimeZoneName::parse)? {
        seed.time_zone = zone;
    }
    let pattern = file.permalink.as_deref().map(str::trim);
    let permalink = parse_field(
        pattern,
        "publication.permalink",
        origin,
        PermalinkPattern::parse,
    )?;
    if let Some(permalink) = permalink {
        seed.permalink = permalink;
    }
    Ok(())
}

/// The public address and ISSNs given in `[publication]`; a blank value means none.
pub(super) fn seed_identifiers(
    seed: &mut Publication,
    file: &FilePublication,
    origin: &Origin,
) -> Result<(), ConfigError> {
    seed.base_url = parse_field(
        non_blank(&file.base_url),
        "publication.base_url",
        origin,
        base_url,
    )?;
    seed.issn = parse_field(
        non_blank(&file.issn),
        "publication.issn",
        origin,
        Issn::parse,
    )?;
    seed.eissn = parse_field(
        non_blank(&file.eissn),
        "publication.eissn",
        origin,
        Issn::parse,
    )?;
    Ok(())
}

/// The text of an optional value, with a blank one counting as absent.
pub(super) fn non_blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|text| !text.trim().is_empty())
}

/// Parses an optional value, turning the parser's error into one naming the setting.
pub(super) fn parse_field<T, E: fmt::Display>(
    value: Option<&str>,
    setting: &str,
    origin: &Origin,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, ConfigError> {
    value
        .map(|text| {
            parse(text).map_err(|error| invalid(setting, origin, format!("is invalid: {error}")))
        })
        .transpose()
}

/// The publication's public address: an absolute http(s) URL.
pub(super) fn base_url(text: &str) -> Result<url::Url, String> {
    const EXAMPLE: &str = "an http:// or https:// address such as https://journal.example";
    match url::Url::parse(text.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url),
        Ok(_) => Err(format!("{text:?} is not {EXAMPLE}")),
        Err(error) => Err(format!("{text:?} is not {EXAMPLE} ({error})")),
    }
}
