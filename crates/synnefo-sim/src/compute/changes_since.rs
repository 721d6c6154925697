//! The `changes-since` parameter (wire §0.3): an ISO-8601 time with an
//! offset, not in the future, at most `POLL_LIMIT` (an hour) ago.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::fault_body::Fault;
use crate::request::ApiRequest;

/// `POLL_LIMIT`: how far back `changes-since` may go.
const POLL_LIMIT: time::Duration = time::Duration::hours(1);

/// Parses an ISO-8601 date with an offset (`Z`, `+00:00` or `+0000`; `T`
/// or a space between date and time).
fn parse(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    let normalized = match text.as_bytes().get(10) {
        Some(b' ') => format!("{}T{}", &text[..10], &text[11..]),
        _ => text.to_owned(),
    };
    OffsetDateTime::parse(&normalized, &Rfc3339).ok().or_else(|| {
        OffsetDateTime::parse(
            &normalized,
            format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]][offset_hour sign:mandatory][offset_minute]"
            ),
        )
        .ok()
    })
}

/// The request's `changes-since` time: `None` when absent or empty; 400
/// when unparsable (dates without an offset included), in the future or
/// too old.
pub(crate) fn changes_since(
    req: &ApiRequest,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, Fault> {
    let Some(text) = req.query_param("changes-since").filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let since =
        parse(text).ok_or_else(|| Fault::bad_request("Invalid changes-since parameter."))?;
    if since > now {
        return Err(Fault::bad_request("changes-since value set in the future."));
    }
    if now - since > POLL_LIMIT {
        return Err(Fault::bad_request("Too old changes-since value."));
    }
    Ok(Some(since))
}

/// `304 notModified`, when nothing changed since the given time.
pub(crate) fn not_modified() -> Fault {
    Fault::new(304, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats() {
        let t = datetime!(2024-05-06 07:08:09.5 UTC);
        assert_eq!(parse("2024-05-06T07:08:09.5+00:00"), Some(t));
        assert_eq!(parse("2024-05-06T07:08:09.5Z"), Some(t));
        assert_eq!(parse("2024-05-06 07:08:09.5+00:00"), Some(t));
        assert_eq!(parse("2024-05-06T09:08:09.5+0200"), Some(t));
        assert_eq!(parse("2024-05-06T07:08:09"), None);
        assert_eq!(parse("yesterday"), None);
    }
}
