//! Image locations: the Pithos file behind an image,
//! `pithos://<account>/<container>/<object path>`.

use std::fmt;
use std::str::FromStr;
use synnefo_core::{Error, encode_object_path, encode_segment};

/// Where an image's file lives in Pithos+: the owner's account (UUID), a
/// container and an object path (which may contain `/`).
///
/// [`fmt::Display`] gives the wire form, each part percent-encoded
/// (`pithos://uuid/images/dir/my%20img.diskdump`); [`ImageLocation::parse`]
/// reads the plain form (`pithos://uuid/images/dir/my img.diskdump`),
/// which is also what [`crate::ImageMeta::location`] holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageLocation {
    /// The owner's account UUID.
    pub account: String,
    /// The container.
    pub container: String,
    /// The object path.
    pub object: String,
}

impl ImageLocation {
    /// A location from its parts.
    pub fn new(
        account: impl Into<String>,
        container: impl Into<String>,
        object: impl Into<String>,
    ) -> Self {
        ImageLocation {
            account: account.into(),
            container: container.into(),
            object: object.into(),
        }
    }

    /// Reads `pithos://<account>/<container>/<object path>` (parts not
    /// encoded).
    ///
    /// Unlike kamaki, which re-joined anything else with `.`, text that is
    /// not such a location is refused.
    ///
    /// # Errors
    /// [`Error::Config`] naming the text when it is not a location with
    /// three non-empty parts.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let invalid = || {
            Error::Config(format!(
                "invalid image location {text:?}: expected pithos://<account>/<container>/<object path>"
            ))
        };
        let rest = text.strip_prefix("pithos://").ok_or_else(invalid)?;
        let mut parts = rest.splitn(3, '/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(account), Some(container), Some(object))
                if !account.is_empty() && !container.is_empty() && !object.is_empty() =>
            {
                Ok(ImageLocation::new(account, container, object))
            }
            _ => Err(invalid()),
        }
    }
}

impl FromStr for ImageLocation {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        ImageLocation::parse(text)
    }
}

impl fmt::Display for ImageLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pithos://{}/{}/{}",
            encode_segment(&self.account),
            encode_segment(&self.container),
            encode_object_path(&self.object)
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn wire_form_encodes_each_part() {
        let location = ImageLocation::new("some_uuid", "some container", "some/path ü");
        assert_eq!(
            location.to_string(),
            "pithos://some_uuid/some%20container/some/path%20%C3%BC"
        );
    }

    #[test]
    fn parses_the_plain_form() {
        let location = ImageLocation::parse("pithos://u/images/dir/my img.diskdump").unwrap();
        assert_eq!(
            location,
            ImageLocation::new("u", "images", "dir/my img.diskdump")
        );
        for bad in ["/images/x", "pithos://u/c", "pithos://u//x", "u/c/o"] {
            assert!(ImageLocation::parse(bad).is_err(), "{bad}");
        }
    }
}
