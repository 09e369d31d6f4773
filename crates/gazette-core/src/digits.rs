//! Zero-padded numbers written straight into a string. Dates in URLs, sitemaps and
//! `datetime` attributes are written hundreds of times per page, and `format!("{:02}", …)`
//! goes through the formatting machinery each time (a monthly sitemap spent a tenth of its
//! time there).

/// Appends `n` in decimal, padded with zeros to at least `width` characters, the sign of a
/// negative number included, as `format!("{n:0width$}")` writes it.
pub fn push_padded(out: &mut String, n: i64, mut width: usize) {
    if n < 0 {
        out.push('-');
        width = width.saturating_sub(1);
    }
    let mut digits = [0u8; 20];
    let mut rest = n.unsigned_abs();
    let mut len = 0;
    loop {
        // `rest % 10` is below 10, so the cast keeps it whole.
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for _ in len..width {
        out.push('0');
    }
    for &digit in digits[..len].iter().rev() {
        out.push(char::from(digit));
    }
}

/// `2026-12-06T09:30:05` of a civil date and time, as ISO 8601 and W3C Datetime write it.
pub fn push_date_time(out: &mut String, at: jiff::civil::DateTime) {
    push_padded(out, i64::from(at.year()), 4);
    out.push('-');
    push_padded(out, i64::from(at.month()), 2);
    out.push('-');
    push_padded(out, i64::from(at.day()), 2);
    out.push('T');
    push_padded(out, i64::from(at.hour()), 2);
    out.push(':');
    push_padded(out, i64::from(at.minute()), 2);
    out.push(':');
    push_padded(out, i64::from(at.second()), 2);
}

/// `2026-12-06T09:30:05Z`: a moment in UTC to the second, as RFC 3339 (Atom, JSON Feed,
/// schema.org, Open Graph) and W3C Datetime (sitemaps) write it.
pub fn utc(at: jiff::Timestamp) -> String {
    let mut out = String::with_capacity(20);
    push_utc(&mut out, at);
    out
}

/// [`utc`], appended to `out`.
pub fn push_utc(out: &mut String, at: jiff::Timestamp) {
    push_date_time(out, jiff::tz::TimeZone::UTC.to_datetime(at));
    out.push('Z');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_format_writes_them() {
        for (n, width) in [
            (0, 2),
            (7, 2),
            (12, 2),
            (2026, 4),
            (5, 4),
            (123_456, 2),
            (-3, 2),
            (i64::MIN, 1),
            (i64::MAX, 0),
        ] {
            let mut out = String::from(">");
            push_padded(&mut out, n, width);
            assert_eq!(out, format!(">{n:0width$}"), "{n} to {width}");
        }
    }

    #[test]
    fn date_times_read_as_iso_8601() {
        let at = jiff::civil::date(2026, 3, 7).at(4, 5, 9, 123);
        let mut out = String::new();
        push_date_time(&mut out, at);
        assert_eq!(out, "2026-03-07T04:05:09");
    }

    #[test]
    fn utc_times_read_as_strftime_writes_them() {
        for time in [
            "2026-12-06T07:05:09.123456Z",
            "1999-01-01T00:00:00Z",
            "2038-02-28T23:59:59Z",
        ] {
            let at: jiff::Timestamp = time.parse().unwrap();
            assert_eq!(utc(at), at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
    }
}
