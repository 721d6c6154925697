//! What a service client is, so a catalog can hand out ready clients
//! without the identity crate depending on any service crate.

use crate::client::Endpoint;

/// A service client that can be built from a catalog endpoint.
///
/// Each service crate implements it for its client; `synnefo-astakos`'s
/// `Cloud::client::<C>()` looks up `C::SERVICE_TYPE` in the catalog,
/// normalises the URL with `C::DEFAULT_VERSION`, and calls
/// [`Service::from_endpoint`].
pub trait Service: Sized {
    /// The catalog `type`, e.g. `compute` or `object-store`.
    const SERVICE_TYPE: &'static str;
    /// The API version appended to a catalog URL that has none, e.g. `2.0`.
    const DEFAULT_VERSION: &'static str;
    /// Builds the client on a ready endpoint (base URL already normalised).
    fn from_endpoint(endpoint: Endpoint) -> Self;

    /// Builds the client for an authenticated user. Services whose URLs
    /// name the user (Pithos+ puts the account UUID in every path) override
    /// it; the others need only the endpoint.
    fn for_user(endpoint: Endpoint, user_uuid: &str) -> Self {
        let _ = user_uuid;
        Self::from_endpoint(endpoint)
    }
}

/// Normalises a service URL the way kamaki does: trailing `/` removed, and
/// `/v<default_version>` appended unless the URL already ends in a version
/// (`/v` + digits, optionally `.` + digits).
///
/// ```
/// use synnefo_core::normalize_endpoint_url;
/// assert_eq!(normalize_endpoint_url("https://x/object-store/", "1"), "https://x/object-store/v1");
/// assert_eq!(normalize_endpoint_url("https://x/network", "2.0"), "https://x/network/v2.0");
/// assert_eq!(normalize_endpoint_url("https://x/compute/v2.0", "2.0"), "https://x/compute/v2.0");
/// assert_eq!(normalize_endpoint_url("https://x/image/v1", "1.0"), "https://x/image/v1");
/// ```
pub fn normalize_endpoint_url(url: &str, default_version: &str) -> String {
    let base = url.trim().trim_end_matches('/');
    if api_version(base).is_some() || default_version.is_empty() {
        base.to_owned()
    } else {
        format!("{base}/v{default_version}")
    }
}

/// The API version a URL ends with (`2.0` for `…/v2.0`), if any.
pub fn api_version(url: &str) -> Option<&str> {
    let base = url.trim_end_matches('/');
    let (_, last) = base.rsplit_once('/')?;
    let number = last.strip_prefix('v')?;
    let (major, minor) = match number.split_once('.') {
        Some((major, minor)) => (major, Some(minor)),
        None => (number, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let valid = !major.is_empty() && digits(major) && minor.is_none_or(digits);
    valid.then_some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_detection_matches_kamaki() {
        assert_eq!(api_version("https://x/compute/v2.0"), Some("2.0"));
        assert_eq!(api_version("https://x/compute/v2."), Some("2."));
        assert_eq!(api_version("https://x/store/v1/"), Some("1"));
        assert_eq!(api_version("https://x/vx"), None);
        assert_eq!(api_version("https://x/v"), None);
        assert_eq!(api_version("https://x/v1.2.3"), None);
        assert_eq!(api_version("https://x/compute"), None);
    }

    #[test]
    fn default_version_is_appended_per_service_type() {
        for (url, version, expected) in [
            (
                "https://accounts/identity",
                "2.0",
                "https://accounts/identity/v2.0",
            ),
            ("https://x/object-store", "1", "https://x/object-store/v1"),
            ("https://x/image//", "1.0", "https://x/image/v1.0"),
            ("https://x/volume/v2", "2.0", "https://x/volume/v2"),
        ] {
            assert_eq!(normalize_endpoint_url(url, version), expected);
        }
    }
}
