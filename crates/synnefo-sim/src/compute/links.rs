//! Service URLs and the `links` lists of API objects.

use std::fmt::Display;

use serde_json::{Value, json};

use crate::catalog::{COMPUTE_PATH, IMAGE_PATH, NETWORK_PATH, VOLUME_PATH};

/// Versioned API roots of the Cyclades services, as the links in bodies use
/// them (the real server joins its `BASE_HOST` with the service paths).
#[derive(Clone, Debug)]
pub(crate) struct Urls {
    /// `http://host:port`.
    pub(crate) base: String,
    /// `{base}/cyclades/compute/v2.0`.
    pub(crate) compute: String,
    /// `{base}/cyclades/image/v1.0`.
    pub(crate) image: String,
    /// `{base}/cyclades/volume/v2.0`.
    pub(crate) volume: String,
    /// `{base}/cyclades/network/v2.0`.
    pub(crate) network: String,
}

impl Urls {
    /// The URLs of a deployment at `base` (no trailing slash).
    pub(crate) fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            compute: format!("{base}{COMPUTE_PATH}"),
            image: format!("{base}{IMAGE_PATH}/v1.0"),
            volume: format!("{base}{VOLUME_PATH}/v2.0"),
            network: format!("{base}{NETWORK_PATH}/v2.0"),
        }
    }

    /// `{compute}/<collection>/<id>`.
    pub(crate) fn compute_item(&self, collection: &str, id: impl Display) -> String {
        format!("{}/{collection}/{id}", self.compute)
    }

    /// `{volume}/<collection>/<id>`.
    pub(crate) fn volume_item(&self, collection: &str, id: impl Display) -> String {
        format!("{}/{collection}/{id}", self.volume)
    }

    /// `{network}/<collection>/<id>`.
    pub(crate) fn network_item(&self, collection: &str, id: impl Display) -> String {
        format!("{}/{collection}/{id}", self.network)
    }

    /// The links of an image: self and bookmark in compute, alternate in
    /// Plankton.
    pub(crate) fn image_links(&self, id: &str) -> Value {
        let href = self.compute_item("images", id);
        json!([
            {"rel": "self", "href": href},
            {"rel": "bookmark", "href": href},
            {"rel": "alternate", "href": format!("{}/images/{id}", self.image)},
        ])
    }
}

/// `[{"rel": "self", "href": …}, {"rel": "bookmark", "href": …}]`.
pub(crate) fn links(href: &str) -> Value {
    json!([
        {"rel": "self", "href": href},
        {"rel": "bookmark", "href": href},
    ])
}
