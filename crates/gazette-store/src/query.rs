//! Parameters for queries whose SQL is the same on both backends and is built at run time
//! (listings with optional filters, `in (…)` lists). Each backend binds them its own way;
//! only times differ (epoch microseconds versus `timestamptz`).

use jiff::Timestamp;

/// One bound value of a dynamically built query.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Int(i64),
    Text(String),
    Time(Timestamp),
    /// SQL null for an absent time.
    NullTime,
    Bool(bool),
    /// SQL null, for an absent integer (bound as a null `bigint`).
    Null,
    /// SQL null for an absent text.
    NullText,
}

impl Param {
    /// Text, or a text null.
    pub(crate) fn opt_text(value: Option<&str>) -> Self {
        value.map_or(Self::NullText, |v| Self::Text(v.to_owned()))
    }

    /// A time, or a time null.
    pub(crate) fn opt_time(value: Option<Timestamp>) -> Self {
        value.map_or(Self::NullTime, Self::Time)
    }

    /// An id, or an integer null.
    pub(crate) fn opt_int(value: Option<i64>) -> Self {
        value.map_or(Self::Null, Self::Int)
    }
}

/// `$first, $first+1, …` for `count` values: the inside of an `in (…)` list.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_from_the_first() {
        assert_eq!(super::placeholders(3, 3), "$3, $4, $5");
        assert_eq!(super::placeholders(1, 0), "");
    }
}
