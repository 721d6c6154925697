//! The service catalog that `POST /tokens` returns (wire §0.4, §1.1).
//!
//! The simulator is one deployment whose three components live under one
//! base URL: Astakos at `/astakos`, Cyclades at `/cyclades`, Pithos at
//! `/pithos`. Every path below is also what [`crate::router`] serves.

use serde_json::{Map, Value, json};

/// Path of the Astakos identity API (Keystone v2.0), versioned.
pub(crate) const IDENTITY_PATH: &str = "/astakos/identity/v2.0";
/// Path of the Astakos account API, versioned.
pub(crate) const ACCOUNT_PATH: &str = "/astakos/account/v1.0";
/// Path of the Astakos web login.
pub(crate) const WEBLOGIN_PATH: &str = "/astakos/weblogin";
/// Path of the Cyclades compute API, versioned.
pub(crate) const COMPUTE_PATH: &str = "/cyclades/compute/v2.0";
/// Path of the Cyclades network API, unversioned as in real catalogs.
pub(crate) const NETWORK_PATH: &str = "/cyclades/network";
/// Path of the Plankton image API, unversioned as in real catalogs.
pub(crate) const IMAGE_PATH: &str = "/cyclades/image";
/// Path of the Cyclades block storage API, unversioned as in real catalogs.
pub(crate) const VOLUME_PATH: &str = "/cyclades/volume";
/// Path of the Pithos+ object store API, versioned.
pub(crate) const PITHOS_PATH: &str = "/pithos/object-store/v1";
/// One catalog entry: (name, type, component, path, versionId, exposeVersion).
struct Entry {
    name: &'static str,
    kind: &'static str,
    component: &'static str,
    path: &'static str,
    version: &'static str,
    expose_version: bool,
}

/// Catalog entries in registration order (Astakos, Cyclades, Pithos).
const ENTRIES: &[Entry] = &[
    Entry {
        name: "astakos_identity",
        kind: "identity",
        component: "astakos",
        path: IDENTITY_PATH,
        version: "v2.0",
        expose_version: true,
    },
    Entry {
        name: "astakos_account",
        kind: "account",
        component: "astakos",
        path: ACCOUNT_PATH,
        version: "v1.0",
        expose_version: true,
    },
    Entry {
        name: "astakos_weblogin",
        kind: "astakos_weblogin",
        component: "astakos",
        path: WEBLOGIN_PATH,
        version: "",
        expose_version: true,
    },
    Entry {
        name: "cyclades_compute",
        kind: "compute",
        component: "cyclades",
        path: COMPUTE_PATH,
        version: "v2.0",
        expose_version: true,
    },
    Entry {
        name: "cyclades_network",
        kind: "network",
        component: "cyclades",
        path: NETWORK_PATH,
        version: "v2.0",
        expose_version: false,
    },
    Entry {
        name: "cyclades_plankton",
        kind: "image",
        component: "cyclades",
        path: IMAGE_PATH,
        version: "v1.0",
        expose_version: false,
    },
    Entry {
        name: "cyclades_volume",
        kind: "volume",
        component: "cyclades",
        path: VOLUME_PATH,
        version: "v2.0",
        expose_version: false,
    },
    Entry {
        name: "pithos_object-store",
        kind: "object-store",
        component: "pithos",
        path: PITHOS_PATH,
        version: "v1",
        expose_version: true,
    },
];

/// Builds the `serviceCatalog` list for a deployment at `base_url` (no
/// trailing slash).
///
/// Endpoint keys are what Astakos stores and returns: `versionId`,
/// `publicURL`, `SNF:exposeVersion` (stored as the strings `"True"` /
/// `"False"` by `snf-manage service-import`), plus `SNF:uiURL` (the
/// component's UI URL) and `region: "default"` added when serving, and
/// `SNF:webloginURL` for the weblogin service.
pub(crate) fn service_catalog(base_url: &str) -> Value {
    let services: Vec<Value> = ENTRIES
        .iter()
        .map(|entry| {
            let public_url = format!("{base_url}{}", entry.path);
            let mut endpoint = Map::new();
            endpoint.insert("versionId".into(), json!(entry.version));
            endpoint.insert("publicURL".into(), json!(public_url));
            endpoint.insert(
                "SNF:exposeVersion".into(),
                json!(if entry.expose_version {
                    "True"
                } else {
                    "False"
                }),
            );
            endpoint.insert(
                "SNF:uiURL".into(),
                json!(format!("{base_url}/{}/ui", entry.component)),
            );
            endpoint.insert("region".into(), json!("default"));
            if entry.name == "astakos_weblogin" {
                endpoint.insert("SNF:webloginURL".into(), json!(public_url));
            }
            json!({
                "name": entry.name,
                "type": entry.kind,
                "endpoints": [Value::Object(endpoint)],
                "endpoints_links": [],
            })
        })
        .collect();
    Value::Array(services)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_urls() {
        let catalog = service_catalog("http://h:1");
        let list = catalog.as_array().unwrap();
        assert_eq!(list.len(), 8);
        let find = |t: &str| {
            list.iter()
                .find(|s| s["type"] == t)
                .map(|s| s["endpoints"][0].clone())
                .unwrap()
        };
        assert_eq!(find("network")["publicURL"], "http://h:1/cyclades/network");
        assert_eq!(find("image")["versionId"], "v1.0");
        assert_eq!(
            find("compute")["publicURL"],
            "http://h:1/cyclades/compute/v2.0"
        );
        assert_eq!(find("compute")["SNF:uiURL"], "http://h:1/cyclades/ui");
        assert_eq!(
            find("astakos_weblogin")["SNF:webloginURL"],
            "http://h:1/astakos/weblogin"
        );
        assert_eq!(find("object-store")["region"], "default");
    }
}
