//! Image locations: `pithos://<account>/<container>/<object path>`, each
//! part percent-encoded (wire §7).

use percent_encoding::percent_decode_str;

use crate::fault_body::Fault;

/// A decoded image location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Location {
    /// The owner's UUID.
    pub(crate) account: String,
    /// The container.
    pub(crate) container: String,
    /// The object path (may contain `/`).
    pub(crate) object: String,
}

/// Percent-decodes one part (400 for text that is not UTF-8).
fn unquote(part: &str, location: &str) -> Result<String, Fault> {
    percent_decode_str(part)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| invalid(location))
}

/// `400 Invalid location '<location>'`.
fn invalid(location: &str) -> Fault {
    Fault::bad_request(format!("Invalid location '{location}'"))
}

impl Location {
    /// Parses a location header value (400 when malformed).
    pub(crate) fn parse(location: &str) -> Result<Self, Fault> {
        let rest = location
            .strip_prefix("pithos://")
            .ok_or_else(|| invalid(location))?;
        let mut parts = rest.splitn(3, '/');
        let (Some(account), Some(container), Some(object)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid(location));
        };
        if account.is_empty() || container.is_empty() || object.is_empty() {
            return Err(invalid(location));
        }
        Ok(Self {
            account: unquote(account, location)?,
            container: unquote(container, location)?,
            object: unquote(object, location)?,
        })
    }

    /// The canonical form: each part quoted like Plankton does.
    pub(crate) fn to_url(&self) -> String {
        format!(
            "pithos://{}/{}/{}",
            super::quote(&self.account),
            super::quote(&self.container),
            super::quote(&self.object)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_requotes() {
        let l = Location::parse("pithos://u1/images/dir/my%20img.diskdump").unwrap_or_else(|f| {
            panic!("{}", f.message);
        });
        assert_eq!(l.account, "u1");
        assert_eq!(l.container, "images");
        assert_eq!(l.object, "dir/my img.diskdump");
        assert_eq!(l.to_url(), "pithos://u1/images/dir/my%20img.diskdump");
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "http://u/c/o",
            "pithos://u/c",
            "pithos://u//o",
            "pithos:///c/o",
        ] {
            let fault = Location::parse(bad).err();
            assert_eq!(fault.map(|f| f.code), Some(400), "{bad}");
        }
    }
}
