//! Resources the cloud accounts for (`GET resources`).

use crate::AccountClient;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use synnefo_core::{Request, Result, lenient};

/// A resource as `GET resources` describes it; the map key is its name
/// (`cyclades.vm`, `pithos.diskspace`…).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct ResourceInfo {
    /// The service that charges it, e.g. `cyclades_compute`.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub service: String,
    /// What it counts.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub description: String,
    /// `bytes` for sizes, `None` for counts.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub unit: Option<String>,
    /// Whether the web UI shows it.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub ui_visible: bool,
    /// Whether the API lists it (only such resources are listed).
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub api_visible: bool,
}

impl ResourceInfo {
    /// Whether quantities of this resource are bytes.
    pub fn is_bytes(&self) -> bool {
        self.unit.as_deref() == Some("bytes")
    }
}

impl AccountClient {
    /// The resources the cloud accounts for, by name (kamaki
    /// `get_resources`). Needs no token.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] when the cloud refuses;
    /// [`synnefo_core::Error::InvalidResponse`] for an answer that is not a
    /// map of resources.
    pub async fn get_resources(&self) -> Result<BTreeMap<String, ResourceInfo>> {
        self.endpoint
            .send_json(Request::get().segment("resources"))
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::testing::{line, only, scripted};

    #[tokio::test]
    async fn resources_are_a_map_by_name() {
        let (client, transport) = scripted(&[(
            200,
            r#"{"cyclades.vm": {"service": "cyclades_compute", "description": "VMs",
                "unit": null, "ui_visible": true, "api_visible": true},
               "pithos.diskspace": {"service": "pithos", "description": "Disk",
                "unit": "bytes", "ui_visible": true, "api_visible": true}}"#,
        )]);
        let resources = client.get_resources().await.unwrap();
        assert_eq!(line(&only(&transport)), "GET /account/v1.0/resources");
        assert!(!resources["cyclades.vm"].is_bytes());
        assert!(resources["pithos.diskspace"].is_bytes());
        assert_eq!(resources["cyclades.vm"].service, "cyclades_compute");
    }
}
