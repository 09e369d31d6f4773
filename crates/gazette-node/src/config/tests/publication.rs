//! The `[publication]` table that seeds a new journal, and its checked values.

use super::*;

#[test]
fn a_wrong_issn_check_digit_names_the_setting_and_the_right_digit() {
    let (result, dir) = load_toml("[publication]\nissn = \"2330-7170\"\n");
    let message = error_text(result);
    assert!(message.contains("publication.issn"), "{message}");
    assert!(
        message.contains("an ISSN starting 2330-717 ends in X"),
        "{message}"
    );
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    let (result, _dir) = load_toml("[publication]\neissn = \"nope\"\n");
    assert!(error_text(result).contains("publication.eissn"));
}

#[test]
fn an_unknown_time_zone_names_the_setting() {
    let (result, _dir) = load_toml("[publication]\ntime_zone = \"Mars/Olympus_Mons\"\n");
    let error = result.unwrap_err();
    let ConfigError::Invalid {
        setting, origin, ..
    } = &error
    else {
        panic!("unexpected error {error:?}");
    };
    assert_eq!(setting, "publication.time_zone");
    assert!(matches!(origin, Origin::File(_)));
    assert!(error.to_string().contains("Mars/Olympus_Mons"));
}

#[test]
fn the_publication_table_seeds_over_the_sample() {
    let (result, _dir) = load_toml(
        "[publication]\nname = \"Le Quotidien\"\nlanguage = \"fr-fr\"\n\
         time_zone = \"Europe/Paris\"\nbase_url = \"https://quotidien.example\"\n\
         issn = \"2330-717X\"\neissn = \"\"\npermalink = \"/%postname%/\"\n",
    );
    let seed = result.unwrap().publication_seed;
    let sample = Publication::sample();
    assert_eq!(seed.name, "Le Quotidien");
    assert_eq!(seed.tagline, sample.tagline);
    assert_eq!(seed.language.as_str(), "fr-FR");
    assert_eq!(seed.time_zone.as_str(), "Europe/Paris");
    assert_eq!(
        seed.base_url.unwrap().as_str(),
        "https://quotidien.example/"
    );
    assert_eq!(seed.issn.unwrap().to_string(), "2330-717X");
    assert_eq!(seed.eissn, None);
    assert_eq!(seed.permalink.as_str(), "/%postname%/");

    let (result, _dir) = load_toml("[publication]\nbase_url = \"ftp://x.example\"\n");
    assert!(error_text(result).contains("publication.base_url"));
    let (result, _dir) = load_toml("[publication]\npermalink = \"/%year%/\"\n");
    assert!(error_text(result).contains("publication.permalink"));
    let (result, _dir) = load_toml("[publication]\nname = \" \"\n");
    assert!(error_text(result).contains("publication.name"));
}
