//! `X-Image-Meta-*` headers: reading them from requests and writing an
//! image into response headers (wire §7.1, §7.3).

use std::collections::BTreeMap;

use http::HeaderName;
use percent_encoding::percent_decode_str;

use super::quote;
use crate::compute::image::Image;
use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::ApiResponse;

/// Prefix of every image header.
const PREFIX: &str = "x-image-meta-";
/// Prefix of property headers, after [`PREFIX`].
const PROPERTY: &str = "property-";

/// Fields whose values travel percent-encoded.
const QUOTED: &[&str] = &["name", "description"];

/// Every field Plankton knows (`PLANKTON_FIELDS`); other `X-Image-Meta-*`
/// headers are ignored.
const KNOWN: &[&str] = &[
    "name",
    "disk-format",
    "container-format",
    "size",
    "checksum",
    "location",
    "created-at",
    "updated-at",
    "deleted-at",
    "status",
    "is-public",
    "owner",
    "id",
    "is-snapshot",
    "description",
    "store",
];

/// The image headers of a request.
#[derive(Debug, Default)]
pub(crate) struct MetaHeaders {
    /// Fields by normalised name (`disk-format`), values decoded.
    pub(crate) fields: BTreeMap<String, String>,
    /// Properties by normalised key (`os_family`), values decoded.
    pub(crate) properties: BTreeMap<String, String>,
}

/// Percent-decodes a header value (lossy, like Python's `unquote`).
fn unquote(value: &str) -> String {
    percent_decode_str(value).decode_utf8_lossy().into_owned()
}

/// A property key as Plankton stores it: lower-cased, punctuation as `_`.
fn property_key(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_ascii_punctuation() {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

impl MetaHeaders {
    /// Reads the image headers of `req`: fields Plankton does not know are
    /// ignored, known ones outside `allowed` refused (400 `refusal`).
    pub(crate) fn read(req: &ApiRequest, allowed: &[&str], refusal: &str) -> Result<Self, Fault> {
        let mut meta = Self::default();
        for (name, value) in &req.headers {
            let name = name.as_str().to_ascii_lowercase().replace('_', "-");
            let Some(key) = name.strip_prefix(PREFIX) else {
                continue;
            };
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            if let Some(property) = key.strip_prefix(PROPERTY) {
                if property.is_empty() {
                    return Err(Fault::bad_request("Invalid property header"));
                }
                meta.properties
                    .insert(property_key(&unquote(property)), unquote(&value));
                continue;
            }
            if !KNOWN.contains(&key) {
                continue;
            }
            if !allowed.contains(&key) {
                return Err(Fault::bad_request(refusal));
            }
            let value = if QUOTED.contains(&key) {
                unquote(&value)
            } else {
                value
            };
            meta.fields.insert(key.to_owned(), value);
        }
        Ok(meta)
    }

    /// A field's value.
    pub(crate) fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// `is-public` as a boolean: `true` in any case, anything else false.
    pub(crate) fn is_public(&self) -> Option<bool> {
        self.get("is-public")
            .map(|v| v.eq_ignore_ascii_case("true"))
    }

    /// `disk-format`, checked (400 for an unknown format).
    pub(crate) fn disk_format(&self) -> Result<Option<String>, Fault> {
        checked(
            self.get("disk-format"),
            &["diskdump", "extdump", "ntfsdump"],
            "disk format",
        )
    }

    /// `container-format`, checked (400 for an unknown format).
    pub(crate) fn container_format(&self) -> Result<Option<String>, Fault> {
        checked(
            self.get("container-format"),
            &["bare", "aki", "ari", "ami", "ovf"],
            "container format",
        )
    }

    /// `owner`: only the caller may be named (400 otherwise).
    pub(crate) fn check_owner(&self, caller: &str) -> Result<(), Fault> {
        match self.get("owner") {
            Some(owner) if owner != caller => {
                Err(Fault::bad_request(format!("Invalid owner '{owner}'")))
            }
            _ => Ok(()),
        }
    }
}

/// `value` if it is one of `valid` (400 `Invalid <what> '<value>'`).
fn checked(value: Option<&str>, valid: &[&str], what: &str) -> Result<Option<String>, Fault> {
    match value {
        None => Ok(None),
        Some(v) if valid.contains(&v) => Ok(Some(v.to_owned())),
        Some(v) => Err(Fault::bad_request(format!("Invalid {what} '{v}'"))),
    }
}

/// Plankton's date format in listings and headers: `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn plankton_date(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second]"
    ))
    .unwrap_or_default()
}

/// The status Plankton lists: the raw value, or an explicit one.
pub(crate) fn raw_status(image: &Image) -> String {
    image
        .status_override
        .clone()
        .unwrap_or_else(|| image.status.name().to_owned())
}

/// The status `HEAD` shows: `AVAILABLE`, `SAVING`, `ERROR` or `UNKNOWN`.
fn mapped_status(image: &Image) -> &'static str {
    let status = match &image.status_override {
        Some(status) => status.to_ascii_uppercase(),
        None => image.status.name().to_owned(),
    };
    match status.as_str() {
        "AVAILABLE" => "AVAILABLE",
        "UNAVAILABLE" | "CREATING" | "SAVING" => "SAVING",
        "ERROR" => "ERROR",
        "DELETED" => "DELETED",
        _ => "UNKNOWN",
    }
}

/// Adds one `x-image-meta-<suffix>` header.
fn with(response: ApiResponse, suffix: &str, value: &str) -> ApiResponse {
    match HeaderName::from_bytes(format!("{PREFIX}{suffix}").as_bytes()) {
        Ok(name) => response.with_header(name, value),
        Err(_) => response,
    }
}

/// `response` with `image` in `x-image-meta-*` headers.
pub(crate) fn with_image(response: ApiResponse, image: &Image) -> ApiResponse {
    let python_bool = |b: bool| if b { "True" } else { "False" };
    let size = image.size.to_string();
    let created = plankton_date(image.created);
    let updated = plankton_date(image.updated);
    let fields: [(&str, &str); 14] = [
        ("id", &image.id),
        ("name", &quote(&image.name)),
        ("disk-format", &image.disk_format),
        ("container-format", &image.container_format),
        ("size", &size),
        ("checksum", &image.checksum),
        ("location", &image.location),
        ("created-at", &created),
        ("updated-at", &updated),
        ("deleted-at", ""),
        ("status", mapped_status(image)),
        ("is-public", python_bool(image.public)),
        ("owner", &image.owner),
        ("is-snapshot", python_bool(image.is_snapshot)),
    ];
    let mut response = fields
        .into_iter()
        .fold(response, |r, (suffix, value)| with(r, suffix, value));
    response = with(response, "description", &quote(&image.description));
    for (key, value) in &image.properties {
        let suffix = format!("{PROPERTY}{}", key.replace('_', "-"));
        response = with(response, &suffix, &quote(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_keys_are_normalised() {
        assert_eq!(property_key("OS-Family"), "os_family");
        assert_eq!(property_key("a.b"), "a_b");
    }
}
