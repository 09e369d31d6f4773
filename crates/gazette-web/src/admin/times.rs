//! Times as the back office shows them: in the publication's time zone with the zone's
//! abbreviation (`2026-12-06 23:05 CET`), the clock the newsroom plans its day by. Times typed
//! in are read in the same zone (`editor::form::parse_local`).

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::kernel::pages::load_site;
use crate::{AppError, AppState};

/// The publication's time zone, from the site snapshot.
pub(crate) async fn newsroom_zone(state: &AppState) -> Result<TimeZone, AppError> {
    Ok(load_site(state).await?.publication.time_zone.zone())
}

/// A `datetime-local` value (`2026-11-30T08:00`) read in the publication's zone; None if it
/// is not one, or names a time the zone skips.
pub(crate) fn read_local(zone: &TimeZone, text: &str) -> Option<Timestamp> {
    let civil: jiff::civil::DateTime = text.trim().parse().ok()?;
    civil
        .to_zoned(zone.clone())
        .ok()
        .map(|zoned| zoned.timestamp())
}

/// A time as a `datetime-local` value in the publication's zone: `2026-11-30T08:00`.
pub(crate) fn local_value(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

/// To the minute: `2026-12-06 23:05 CET`.
pub(crate) fn to_minute(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// To the second, for revisions saved moments apart: `2026-12-06 23:05:09 CET`.
pub(crate) fn to_second(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%d %H:%M:%S %Z")
        .to_string()
}

/// The time of day to the second, for what ends within minutes (a sign-in lock):
/// `23:05:09 CET`.
pub(crate) fn time_of_day(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone())
        .strftime("%H:%M:%S %Z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_the_publications_with_its_abbreviation() {
        let at: Timestamp = "2026-12-06T22:05:09Z".parse().unwrap();
        let paris = TimeZone::get("Europe/Paris").unwrap();
        assert_eq!(to_minute(&paris, at), "2026-12-06 23:05 CET");
        assert_eq!(to_second(&paris, at), "2026-12-06 23:05:09 CET");
        let summer: Timestamp = "2026-07-01T10:00:00Z".parse().unwrap();
        assert_eq!(to_minute(&paris, summer), "2026-07-01 12:00 CEST");
        assert_eq!(time_of_day(&TimeZone::UTC, at), "22:05:09 UTC");
        let typed = read_local(&paris, "2026-12-06T23:05").unwrap();
        assert_eq!(typed, "2026-12-06T22:05:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(local_value(&paris, typed), "2026-12-06T23:05");
        assert_eq!(read_local(&paris, "6 December"), None);
    }
}
