//! The compute URL patterns (wire §3, table of URLs) and their methods.

use super::keypairs::is_name_segment;

/// A compute API resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// `/servers`.
    Servers,
    /// `/servers/detail`.
    ServersDetail,
    /// `/servers/<id>`.
    Server(u64),
    /// `/servers/<id>/password`.
    Password(u64),
    /// `/servers/<id>/action`.
    Action(u64),
    /// `/servers/<id>/tags`.
    Tags(u64),
    /// `/servers/<id>/tags/<tag>`.
    Tag(u64, String),
    /// `/servers/<id>/ips`.
    Ips(u64),
    /// `/servers/<id>/ips/<network>`.
    IpsOfNetwork(u64, String),
    /// `/servers/<id>/metadata`.
    Metadata(u64),
    /// `/servers/<id>/metadata/<key>`.
    MetadataItem(u64, String),
    /// `/servers/<id>/stats`.
    Stats(u64),
    /// `/servers/<id>/diagnostics`.
    Diagnostics(u64),
    /// `/servers/<id>/os-volume_attachments`.
    Attachments(u64),
    /// `/servers/<id>/os-volume_attachments/<volume>`.
    Attachment(u64, u64),
    /// `/flavors`.
    Flavors,
    /// `/flavors/detail`.
    FlavorsDetail,
    /// `/flavors/<id>`.
    Flavor(u64),
    /// `/flavors/<id>/os-extra_specs`.
    ExtraSpecs,
    /// `/images`.
    Images,
    /// `/images/detail`.
    ImagesDetail,
    /// `/images/<id>`.
    Image(String),
    /// `/images/<id>/metadata`.
    ImageMetadata(String),
    /// `/images/<id>/metadata/<key>`.
    ImageMetadataItem(String, String),
    /// `/extensions`.
    Extensions,
    /// `/extensions/<alias>`.
    Extension,
    /// `/os-keypairs`.
    Keypairs,
    /// `/os-keypairs/<name>`.
    Keypair(String),
    /// `/os-floating-ips`.
    FloatingIps,
    /// `/os-floating-ips/<id>`.
    FloatingIp(String),
}

impl Route {
    /// The methods the resource answers (others get 405 with `Allow`).
    pub(crate) fn allowed(&self) -> &'static [&'static str] {
        const GET: &[&str] = &["GET"];
        const GET_POST: &[&str] = &["GET", "POST"];
        const GET_PUT_DELETE: &[&str] = &["GET", "PUT", "DELETE"];
        const GET_DELETE: &[&str] = &["GET", "DELETE"];
        match self {
            Self::Servers
            | Self::Metadata(_)
            | Self::Attachments(_)
            | Self::Images
            | Self::ImageMetadata(_)
            | Self::Keypairs
            | Self::FloatingIps => GET_POST,
            Self::Server(_)
            | Self::Tags(_)
            | Self::Tag(..)
            | Self::MetadataItem(..)
            | Self::ImageMetadataItem(..) => GET_PUT_DELETE,
            Self::Password(_)
            | Self::Attachment(..)
            | Self::Image(_)
            | Self::Keypair(_)
            | Self::FloatingIp(_) => GET_DELETE,
            Self::Action(_) => &["POST"],
            Self::ServersDetail
            | Self::Ips(_)
            | Self::IpsOfNetwork(..)
            | Self::Stats(_)
            | Self::Diagnostics(_)
            | Self::Flavors
            | Self::FlavorsDetail
            | Self::Flavor(_)
            | Self::ExtraSpecs
            | Self::ImagesDetail
            | Self::Extensions
            | Self::Extension => GET,
        }
    }
}

/// `s` without a trailing `.json` or `.xml` (the optional format suffix).
fn no_format(s: &str) -> &str {
    s.strip_suffix(".json")
        .or_else(|| s.strip_suffix(".xml"))
        .unwrap_or(s)
}

/// Whether `s` is an optional collection suffix: ``, `/`, `.json`, `.xml`.
fn is_root(s: &str) -> bool {
    matches!(s, "" | "/" | ".json" | ".xml")
}

/// Splits leading digits off `s`: `(id, rest)`. Ids too large for `u64`
/// become `u64::MAX`, which names nothing.
fn leading_id(s: &str) -> Option<(u64, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let id = s[..end].parse().unwrap_or(u64::MAX);
    Some((id, &s[end..]))
}

/// Whether `s` matches `[\w-]+` (ASCII).
fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A non-empty item name with its format suffix removed.
fn item(s: &str) -> Option<String> {
    let name = no_format(s);
    let name = if name.is_empty() { s } else { name };
    (!name.is_empty()).then(|| name.to_owned())
}

/// The route of a path below `/v2.0/`, `None` for unknown URLs.
pub(crate) fn parse(path: &str) -> Option<Route> {
    if let Some(rest) = path.strip_prefix("servers") {
        return servers(rest);
    }
    if let Some(rest) = path.strip_prefix("flavors") {
        return flavors(rest);
    }
    if let Some(rest) = path.strip_prefix("images") {
        return images(rest);
    }
    if let Some(rest) = path.strip_prefix("extensions") {
        if is_root(rest) {
            return Some(Route::Extensions);
        }
        let alias = rest.strip_prefix('/')?;
        let alias = alias.strip_suffix('/').unwrap_or(no_format(alias));
        return is_word(alias).then_some(Route::Extension);
    }
    if let Some(rest) = path.strip_prefix("os-keypairs") {
        if is_root(rest) {
            return Some(Route::Keypairs);
        }
        let name = rest.strip_prefix('/')?;
        return is_name_segment(name).then(|| Route::Keypair(name.to_owned()));
    }
    if let Some(rest) = path.strip_prefix("os-floating-ips") {
        if is_root(rest) {
            return Some(Route::FloatingIps);
        }
        let id = rest.strip_prefix('/')?;
        let id = id.strip_suffix('/').unwrap_or(no_format(id));
        let word = !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        return word.then(|| Route::FloatingIp(id.to_owned()));
    }
    None
}

fn servers(rest: &str) -> Option<Route> {
    if is_root(rest) {
        return Some(Route::Servers);
    }
    let rest = rest.strip_prefix('/')?;
    if no_format(rest) == "detail" {
        return Some(Route::ServersDetail);
    }
    let (id, rest) = leading_id(rest)?;
    if matches!(rest, "" | ".json" | ".xml") {
        return Some(Route::Server(id));
    }
    if matches!(rest, "/password" | ".json/password" | ".xml/password") {
        return Some(Route::Password(id));
    }
    let rest = rest.strip_prefix('/')?;
    let (head, tail) = match rest.split_once('/') {
        Some((head, tail)) => (head, Some(tail)),
        None => (rest, None),
    };
    let route = match (no_format(head), tail) {
        ("action", None) => Route::Action(id),
        ("tags", None) => Route::Tags(id),
        ("tags", Some(tag)) => Route::Tag(id, item(tag)?),
        ("ips", None) => Route::Ips(id),
        ("ips", Some(network)) => Route::IpsOfNetwork(id, item(network)?),
        ("metadata", None) => Route::Metadata(id),
        ("metadata", Some(key)) => Route::MetadataItem(id, item(key)?),
        ("stats", None) => Route::Stats(id),
        ("diagnostics", None) if head != "diagnostics.xml" => Route::Diagnostics(id),
        ("os-volume_attachments", None) if head != "os-volume_attachments.xml" => {
            Route::Attachments(id)
        }
        ("os-volume_attachments", Some(volume)) if head == "os-volume_attachments" => {
            let (volume, after) = leading_id(volume)?;
            if !matches!(after, "" | ".json") {
                return None;
            }
            Route::Attachment(id, volume)
        }
        _ => return None,
    };
    Some(route)
}

fn flavors(rest: &str) -> Option<Route> {
    if is_root(rest) {
        return Some(Route::Flavors);
    }
    let rest = rest.strip_prefix('/')?;
    if no_format(rest) == "detail" {
        return Some(Route::FlavorsDetail);
    }
    let (id, rest) = leading_id(rest)?;
    match rest {
        "" | ".json" | ".xml" => Some(Route::Flavor(id)),
        "/os-extra_specs" | "/os-extra_specs.json" => Some(Route::ExtraSpecs),
        _ => None,
    }
}

fn images(rest: &str) -> Option<Route> {
    if is_root(rest) {
        return Some(Route::Images);
    }
    let rest = rest.strip_prefix('/')?;
    if no_format(rest) == "detail" {
        return Some(Route::ImagesDetail);
    }
    let (head, tail) = match rest.split_once('/') {
        Some((head, tail)) => (head, Some(tail)),
        None => (rest, None),
    };
    match tail {
        None => {
            let id = no_format(head);
            is_word(id).then(|| Route::Image(id.to_owned()))
        }
        Some(tail) => {
            if !is_word(head) {
                return None;
            }
            let id = head.to_owned();
            if tail.is_empty() {
                return None;
            }
            if no_format(tail) == "metadata" {
                return Some(Route::ImageMetadata(id));
            }
            let key = tail.strip_prefix("metadata/")?;
            Some(Route::ImageMetadataItem(id, item(key)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert_eq!(parse("servers"), Some(Route::Servers));
        assert_eq!(parse("servers/"), Some(Route::Servers));
        assert_eq!(parse("servers/detail"), Some(Route::ServersDetail));
        assert_eq!(parse("servers/42"), Some(Route::Server(42)));
        assert_eq!(parse("servers/42.json"), Some(Route::Server(42)));
        assert_eq!(parse("servers/abc"), None);
        assert_eq!(parse("servers/42/"), None);
        assert_eq!(parse("servers/42/password"), Some(Route::Password(42)));
        assert_eq!(parse("servers/42/action"), Some(Route::Action(42)));
        assert_eq!(
            parse("servers/42/metadata/a/b"),
            Some(Route::MetadataItem(42, "a/b".into()))
        );
        assert_eq!(
            parse("servers/42/metadata/key.json"),
            Some(Route::MetadataItem(42, "key".into()))
        );
        assert_eq!(
            parse("servers/4/os-volume_attachments/7"),
            Some(Route::Attachment(4, 7))
        );
        assert_eq!(parse("servers/4/os-volume_attachments/x"), None);
        assert_eq!(
            parse("servers/99999999999999999999"),
            Some(Route::Server(u64::MAX))
        );
        assert_eq!(parse("flavors/3/os-extra_specs"), Some(Route::ExtraSpecs));
        assert_eq!(
            parse("images/abc-1/metadata"),
            Some(Route::ImageMetadata("abc-1".into()))
        );
        assert_eq!(
            parse("images/abc-1/metadata/os"),
            Some(Route::ImageMetadataItem("abc-1".into(), "os".into()))
        );
        assert_eq!(parse("images/a.b"), None);
        assert_eq!(
            parse("os-keypairs/my key"),
            Some(Route::Keypair("my key".into()))
        );
        assert_eq!(
            parse("os-floating-ips/12/"),
            Some(Route::FloatingIp("12".into()))
        );
        assert_eq!(parse("limits"), None);
        assert_eq!(parse("os-floating-ip-pools"), None);
    }
}
