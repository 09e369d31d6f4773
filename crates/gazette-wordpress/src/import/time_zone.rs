//! Which time zone an export's dates were written in.
//!
//! WordPress stores each post's local date (`post_date`) beside its UTC one (`post_date_gmt`);
//! the gap between them is the site's offset from UTC at that instant. Every zone of the time
//! zone database whose offset matches every post's gap gives every post the local date, and so
//! the address, WordPress gave it. Among those zones one is chosen by a fixed rule:
//!
//! 1. when every post has the same whole-hour offset, `UTC` or `Etc/GMT±N`: that is what
//!    WordPress's fixed "UTC+N" settings (its default included) produce, and a named zone
//!    would add summer time the old site never had;
//! 2. else a zone users pick (one `zone.tab` lists) over a backward-compatible alias
//!    (`US/Eastern`, `EST5EDT`, `Asia/Calcutta`);
//! 3. then the most widely used, by [`MOST_USED`];
//! 4. then the first in alphabetical order.
//!
//! Nothing here reads the export: [`infer`] works on the dates the first pass collected.

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Zones ordered by roughly how many people live under them, so that among zones sharing
/// offsets the most widely used comes first. Only the order within such a group matters.
const MOST_USED: &[&str] = &[
    "Asia/Kolkata",
    "Asia/Shanghai",
    "America/New_York",
    "Asia/Karachi",
    "Africa/Lagos",
    "Asia/Dhaka",
    "America/Sao_Paulo",
    "Asia/Jakarta",
    "Asia/Tokyo",
    "Asia/Manila",
    "Africa/Cairo",
    "Europe/Moscow",
    "America/Mexico_City",
    "America/Chicago",
    "Asia/Ho_Chi_Minh",
    "Asia/Tehran",
    "Europe/Istanbul",
    "Europe/Berlin",
    "Asia/Bangkok",
    "Europe/Paris",
    "Europe/London",
    "Africa/Johannesburg",
    "Europe/Rome",
    "Africa/Nairobi",
    "Asia/Seoul",
    "America/Bogota",
    "America/Los_Angeles",
    "Europe/Madrid",
    "America/Argentina/Buenos_Aires",
    "Europe/Warsaw",
    "Africa/Casablanca",
    "Europe/Kyiv",
    "America/Lima",
    "Asia/Kathmandu",
    "America/Caracas",
    "America/Toronto",
    "America/Denver",
    "America/Santiago",
    "Europe/Bucharest",
    "Europe/Amsterdam",
    "Europe/Brussels",
    "America/Havana",
    "Asia/Jerusalem",
    "Europe/Athens",
    "Europe/Lisbon",
    "Asia/Dubai",
    "Australia/Sydney",
    "America/Phoenix",
    "Australia/Melbourne",
    "Asia/Singapore",
    "Australia/Brisbane",
    "Europe/Dublin",
    "Pacific/Auckland",
    "America/Vancouver",
    "America/Edmonton",
    "Australia/Perth",
    "Australia/Adelaide",
    "America/Winnipeg",
    "Pacific/Honolulu",
    "America/Halifax",
    "America/Anchorage",
    "America/St_Johns",
];

/// tzdata's `zone.tab` (2025b, public domain): the zones it lists are the names users pick.
const ZONE_TAB: &str = include_str!("zone.tab");

/// How many other fitting zones a report names.
pub const OTHERS_SHOWN: usize = 8;

/// How many posts that do not fit a report names.
pub const MISFITS_SHOWN: usize = 10;

/// One post's dates: the instant it was published and the old site's offset from UTC then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    /// How the report names it (`post 12`).
    pub label: String,
    pub local: DateTime,
    pub utc: Timestamp,
    /// Seconds east of UTC.
    pub offset: i32,
}

impl Dated {
    /// None when the two dates are not a plausible pair (more than a day apart).
    pub fn new(label: String, local: DateTime, utc: DateTime) -> Option<Self> {
        let instant = utc.to_zoned(TimeZone::UTC).ok()?.timestamp();
        let offset = local.duration_since(utc).as_secs();
        let offset = i32::try_from(offset).ok().filter(|s| s.abs() <= 86_400)?;
        Some(Self {
            label,
            local,
            utc: instant,
            offset,
        })
    }

    fn fits(&self, zone: &TimeZone) -> bool {
        zone.to_offset(self.utc).seconds() == self.offset
    }
}

/// Why the chosen zone was chosen among those that fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Every post has the same whole-hour offset: the fixed zone that says so.
    SameOffset,
    /// The most widely used of the zones that fit.
    MostUsed,
    /// None of them is among [`MOST_USED`]: the first in alphabetical order.
    Alphabetical,
}

/// What the posts' dates say about the old site's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inference {
    /// No post carries both dates.
    NoDates,
    /// `zone` fits every post's dates; so do `others` (names users pick, in the rule's order)
    /// and `aliases` backward-compatible names.
    Fits {
        /// A name of the database, which `TimeZoneName::parse` takes.
        zone: String,
        why: Why,
        others: Vec<String>,
        aliases: usize,
        posts: usize,
    },
    /// No zone fits every post: `best` fits the most, all but `misfits`.
    NoneFits {
        best: String,
        posts: usize,
        misfits: Vec<Dated>,
        /// The distinct offsets the posts have, in seconds.
        offsets: BTreeSet<i32>,
    },
}

/// A zone of the database with its rules.
struct Zone {
    name: String,
    rules: TimeZone,
    alias: bool,
}

/// Infers the zone from the posts' dates.
pub fn infer(dates: &[Dated]) -> Inference {
    if dates.is_empty() {
        return Inference::NoDates;
    }
    let zones = ranked_zones();
    let fitting: Vec<&Zone> = zones
        .iter()
        .filter(|zone| dates.iter().all(|d| d.fits(&zone.rules)))
        .collect();
    let Some(first) = fitting.first() else {
        return none_fits(zones, dates);
    };
    let (zone, why) = match same_offset_zone(dates) {
        Some(name) => (name, Why::SameOffset),
        None if MOST_USED.contains(&first.name.as_str()) => (first.name.clone(), Why::MostUsed),
        None => (first.name.clone(), Why::Alphabetical),
    };
    let others = fitting
        .iter()
        .filter(|z| !z.alias && z.name != zone)
        .map(|z| z.name.clone())
        .collect();
    Inference::Fits {
        zone,
        why,
        others,
        aliases: fitting.iter().filter(|z| z.alias).count(),
        posts: dates.len(),
    }
}

/// The posts among `dates` whose offsets `zone` does not give.
pub fn misfits(zone: &TimeZone, dates: &[Dated]) -> Vec<Dated> {
    dates.iter().filter(|d| !d.fits(zone)).cloned().collect()
}

/// `UTC` or `Etc/GMT±N` when every post has the same whole-hour offset.
fn same_offset_zone(dates: &[Dated]) -> Option<String> {
    let offset = dates.first()?.offset;
    if dates.iter().any(|d| d.offset != offset) || offset % 3600 != 0 {
        return None;
    }
    let hours = offset / 3600;
    // The Etc zones' signs are inverted (POSIX): UTC+2 is Etc/GMT-2.
    let name = match hours {
        0 => "UTC".to_owned(),
        h if h > 0 => format!("Etc/GMT-{h}"),
        h => format!("Etc/GMT+{}", -h),
    };
    jiff::tz::db().get(&name).is_ok().then_some(name)
}

/// With no zone fitting every post, the one that fits most (the first in the rule's order
/// among equals) and the posts it does not fit.
fn none_fits(zones: &[Zone], dates: &[Dated]) -> Inference {
    let mut best: Option<(&Zone, usize)> = None;
    for zone in zones {
        // A zone stops being counted once it misses more posts than the best one so far.
        let bound = best.map_or(usize::MAX, |(_, missed)| missed);
        let missed = count_misses(zone, dates, bound);
        if missed < bound {
            best = Some((zone, missed));
        }
    }
    let (name, misfits) = match best {
        Some((zone, _)) => (zone.name.clone(), misfits(&zone.rules, dates)),
        None => ("UTC".to_owned(), dates.to_vec()),
    };
    Inference::NoneFits {
        best: name,
        posts: dates.len(),
        misfits,
        offsets: dates.iter().map(|d| d.offset).collect(),
    }
}

/// How many posts `zone` misses, counting no further than `bound`.
fn count_misses(zone: &Zone, dates: &[Dated], bound: usize) -> usize {
    let mut missed = 0;
    for date in dates {
        if !date.fits(&zone.rules) {
            missed += 1;
            if missed >= bound {
                break;
            }
        }
    }
    missed
}

/// Every zone of the database in the rule's order: names users pick first, then the most
/// widely used, then alphabetically. `Factory` (no place's time) is left out.
fn ranked_zones() -> &'static [Zone] {
    static ZONES: OnceLock<Vec<Zone>> = OnceLock::new();
    ZONES.get_or_init(|| {
        let picked = zones_users_pick();
        let mut zones: Vec<Zone> = jiff::tz::db()
            .available()
            .filter(|name| name.as_str() != "Factory")
            .filter_map(|name| {
                let name = name.as_str().to_owned();
                let rules = jiff::tz::db().get(&name).ok()?;
                let alias = !picked.contains(&name);
                Some(Zone { name, rules, alias })
            })
            .collect();
        zones.sort_by(|a, b| rank(&a.name, a.alias).cmp(&rank(&b.name, b.alias)));
        zones
    })
}

/// The rule's order as a sort key.
fn rank(name: &str, alias: bool) -> (bool, usize, &str) {
    let used = MOST_USED
        .iter()
        .position(|z| *z == name)
        .unwrap_or(usize::MAX);
    (alias, used, name)
}

/// The names `zone.tab` lists, `UTC` (Gazette's name for it) and the fixed `Etc` zones.
fn zones_users_pick() -> HashSet<String> {
    let mut names: HashSet<String> = ZONE_TAB
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split('\t').nth(2))
        .map(str::to_owned)
        .collect();
    names.insert("UTC".to_owned());
    names.insert("Etc/UTC".to_owned());
    for hours in 1..=14 {
        names.insert(format!("Etc/GMT-{hours}"));
        if hours <= 12 {
            names.insert(format!("Etc/GMT+{hours}"));
        }
    }
    names
}

/// An offset as people write it: `+5:30`, `-4:00`.
pub fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A post with its local date and UTC date.
    fn post(n: usize, local: &str, utc: &str) -> Dated {
        Dated::new(
            format!("post {n}"),
            local.parse().unwrap(),
            utc.parse().unwrap(),
        )
        .unwrap()
    }

    fn chosen(dates: &[Dated]) -> (String, Why, Vec<String>) {
        match infer(dates) {
            Inference::Fits {
                zone, why, others, ..
            } => (zone, why, others),
            other => panic!("expected a zone, got {other:?}"),
        }
    }

    #[test]
    fn winter_and_summer_offsets_name_the_zone_most_people_use() {
        let dates = [
            post(1, "2021-01-15T23:30", "2021-01-16T04:30"),
            post(2, "2021-07-10T09:00", "2021-07-10T13:00"),
        ];
        let (zone, why, others) = chosen(&dates);
        assert_eq!((zone.as_str(), why), ("America/New_York", Why::MostUsed));
        assert!(others.contains(&"America/Toronto".to_owned()), "{others:?}");
        // Aliases fit too but are neither chosen nor listed.
        for alias in ["US/Eastern", "EST5EDT", "Canada/Eastern"] {
            assert!(!others.iter().any(|z| z == alias), "{others:?}");
        }
        match infer(&dates) {
            Inference::Fits { aliases, posts, .. } => {
                assert!(aliases >= 3, "{aliases}");
                assert_eq!(posts, 2);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_southern_hemisphere_has_summer_in_january() {
        let dates = [
            post(1, "2022-01-20T22:00", "2022-01-20T11:00"),
            post(2, "2022-07-20T22:00", "2022-07-20T12:00"),
        ];
        let (zone, why, others) = chosen(&dates);
        assert_eq!((zone.as_str(), why), ("Australia/Sydney", Why::MostUsed));
        assert!(others.contains(&"Australia/Melbourne".to_owned()));
        assert!(others.contains(&"Australia/Hobart".to_owned()));
        assert!(
            !others
                .iter()
                .any(|z| z == "Australia/NSW" || z == "Australia/ACT")
        );
        // Brisbane has no summer time: it does not fit January.
        assert!(!others.iter().any(|z| z == "Australia/Brisbane"));
    }

    #[test]
    fn a_name_users_pick_wins_over_an_alias_that_sorts_first() {
        // +6:30 all year: Asia/Yangon and Indian/Cocos, and the old alias Asia/Rangoon.
        let dates = [
            post(1, "2020-01-10T12:00", "2020-01-10T05:30"),
            post(2, "2020-07-10T12:00", "2020-07-10T05:30"),
        ];
        let (zone, why, others) = chosen(&dates);
        assert_eq!((zone.as_str(), why), ("Asia/Yangon", Why::Alphabetical));
        assert_eq!(others, ["Indian/Cocos"]);
    }

    #[test]
    fn ties_outside_the_most_used_are_alphabetical() {
        // -3:00 in January and -4:00 in July 2020: Paraguay and Chile. Santiago is among the
        // most used, so it wins; the rest follow in alphabetical order.
        let dates = [
            post(1, "2020-01-10T12:00", "2020-01-10T15:00"),
            post(2, "2020-07-10T12:00", "2020-07-10T16:00"),
        ];
        let (zone, why, others) = chosen(&dates);
        assert_eq!((zone.as_str(), why), ("America/Santiago", Why::MostUsed));
        let mut sorted = others.clone();
        sorted.sort();
        assert_eq!(others, sorted);
        assert!(
            others.contains(&"America/Asuncion".to_owned()),
            "{others:?}"
        );
        assert_eq!(
            rank("B/x", false).cmp(&rank("A/y", false)),
            std::cmp::Ordering::Greater
        );
        assert!(rank("Asia/Rangoon", true) > rank("Indian/Cocos", false));
    }

    #[test]
    fn one_whole_hour_offset_all_year_is_a_fixed_zone() {
        let dates = [
            post(1, "2020-01-10T12:00", "2020-01-10T17:00"),
            post(2, "2020-07-10T12:00", "2020-07-10T17:00"),
        ];
        let (zone, why, others) = chosen(&dates);
        assert_eq!((zone.as_str(), why), ("Etc/GMT+5", Why::SameOffset));
        assert!(others.contains(&"America/Bogota".to_owned()), "{others:?}");
        let utc = [post(1, "2020-03-01T08:00", "2020-03-01T08:00")];
        assert_eq!(chosen(&utc).0, "UTC");
        let east = [post(1, "2020-03-01T08:00", "2020-03-01T06:00")];
        assert_eq!(chosen(&east).0, "Etc/GMT-2");
    }

    #[test]
    fn a_half_hour_offset_has_no_fixed_zone_and_gets_a_named_one() {
        let dates = [
            post(1, "2020-01-10T12:00", "2020-01-10T06:30"),
            post(2, "2020-07-10T12:00", "2020-07-10T06:30"),
        ];
        let (zone, why, others) = chosen(&dates);
        assert_eq!((zone.as_str(), why), ("Asia/Kolkata", Why::MostUsed));
        assert!(others.contains(&"Asia/Colombo".to_owned()), "{others:?}");
    }

    #[test]
    fn dates_no_zone_fits_name_the_posts_that_do_not_fit() {
        let dates = [
            post(1, "2021-01-15T23:30", "2021-01-16T04:30"),
            post(2, "2021-07-10T09:00", "2021-07-10T13:00"),
            post(3, "2021-02-01T10:00", "2021-02-01T15:00"),
            // Edited by hand: a winter date with the summer offset.
            post(4, "2021-02-02T10:00", "2021-02-02T14:00"),
        ];
        match infer(&dates) {
            Inference::NoneFits {
                best,
                posts,
                misfits,
                offsets,
            } => {
                assert_eq!(best, "America/New_York");
                assert_eq!(posts, 4);
                assert_eq!(misfits, [dates[3].clone()]);
                assert_eq!(offsets, BTreeSet::from([-5 * 3600, -4 * 3600]));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_dates_infer_nothing() {
        assert_eq!(infer(&[]), Inference::NoDates);
    }

    #[test]
    fn every_zone_users_pick_is_in_the_database() {
        let picked = zones_users_pick();
        for name in &picked {
            assert!(jiff::tz::db().get(name).is_ok(), "{name}");
            assert!(gazette_core::TimeZoneName::parse(name).is_ok(), "{name}");
        }
        for name in MOST_USED {
            assert!(picked.contains(*name), "{name}");
        }
    }

    #[test]
    fn offsets_are_written_with_their_sign() {
        assert_eq!(offset_text(-5 * 3600), "-5:00");
        assert_eq!(offset_text(-1800), "-0:30");
        assert_eq!(offset_text(5 * 3600 + 1800), "+5:30");
    }
}
