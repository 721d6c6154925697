//! Date formats: ISO-8601 as Python's `isoformat()` writes it, and HTTP dates.

use time::OffsetDateTime;
use time::macros::format_description;

/// `2013-06-19T15:23:59.975572+00:00` (microseconds only when non-zero, like
/// Python's `datetime.isoformat()`), always in UTC.
pub(crate) fn isoformat(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let base = t
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]"
        ))
        .unwrap_or_default();
    let micros = t.microsecond();
    if micros == 0 {
        format!("{base}+00:00")
    } else {
        format!("{base}.{micros:06}+00:00")
    }
}

/// RFC 1123 date for HTTP headers: `Wed, 02 Dec 2011 08:10:41 GMT`.
pub(crate) fn http_date(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats() {
        assert_eq!(
            isoformat(datetime!(2013-06-19 15:23:59.975572 UTC)),
            "2013-06-19T15:23:59.975572+00:00"
        );
        assert_eq!(
            isoformat(datetime!(2012-08-10 00:59:59 UTC)),
            "2012-08-10T00:59:59+00:00"
        );
        assert_eq!(
            http_date(datetime!(2011-12-02 08:10:41 UTC)),
            "Fri, 02 Dec 2011 08:10:41 GMT"
        );
    }
}
