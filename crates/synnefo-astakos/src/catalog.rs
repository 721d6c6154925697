//! The service catalog and endpoint lookup.

use crate::models::{CatalogEndpoint, CatalogService};
use synnefo_core::{Error, Result};

/// The services a cloud offers, as its identity service listed them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceCatalog {
    services: Vec<CatalogService>,
}

impl ServiceCatalog {
    /// Wraps the catalog's services.
    pub fn new(services: Vec<CatalogService>) -> Self {
        ServiceCatalog { services }
    }

    /// Every service, in the cloud's order.
    pub fn services(&self) -> &[CatalogService] {
        &self.services
    }

    /// The first service of the given type (compared case-insensitively).
    ///
    /// # Errors
    /// [`Error::Catalog`] when the cloud offers no such service.
    pub fn service(&self, service_type: &str) -> Result<&CatalogService> {
        self.services
            .iter()
            .find(|s| s.service_type.eq_ignore_ascii_case(service_type))
            .ok_or_else(|| {
                let offered: Vec<&str> = self
                    .services
                    .iter()
                    .map(|s| s.service_type.as_str())
                    .collect();
                Error::Catalog(format!(
                    "no service of type {service_type:?}; the cloud offers: {}",
                    offered.join(", ")
                ))
            })
    }

    /// The endpoint of a service type, optionally of one API version
    /// (`v2.0`; compared case-insensitively). Exactly one endpoint must
    /// match, as in kamaki; when no version is given and the service lists
    /// several, name one.
    ///
    /// # Errors
    /// [`Error::Catalog`] when no endpoint or more than one matches.
    pub fn endpoint(&self, service_type: &str, version: Option<&str>) -> Result<&CatalogEndpoint> {
        let service = self.service(service_type)?;
        let matching: Vec<&CatalogEndpoint> = service
            .endpoints
            .iter()
            .filter(|e| version.is_none_or(|v| e.version_id.eq_ignore_ascii_case(v)))
            .collect();
        match matching.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::Catalog(format!(
                "no {service_type} endpoint{}; versions offered: {}",
                version
                    .map(|v| format!(" of version {v}"))
                    .unwrap_or_default(),
                versions(service)
            ))),
            many => Err(Error::Catalog(format!(
                "{} {service_type} endpoints match{}; pick a version among: {}",
                many.len(),
                version.map(|v| format!(" version {v}")).unwrap_or_default(),
                versions(service)
            ))),
        }
    }

    /// The `publicURL` of [`ServiceCatalog::endpoint`].
    ///
    /// # Errors
    /// As [`ServiceCatalog::endpoint`].
    pub fn endpoint_url(&self, service_type: &str, version: Option<&str>) -> Result<&str> {
        self.endpoint(service_type, version)
            .map(|e| e.public_url.as_str())
    }
}

fn versions(service: &CatalogService) -> String {
    let list: Vec<&str> = service
        .endpoints
        .iter()
        .map(|e| {
            if e.version_id.is_empty() {
                "(none)"
            } else {
                e.version_id.as_str()
            }
        })
        .collect();
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(version: &str, url: &str) -> CatalogEndpoint {
        CatalogEndpoint {
            version_id: version.into(),
            public_url: url.into(),
            region: None,
            ui_url: None,
            extra: Default::default(),
        }
    }

    /// kamaki's fixture: two compute and two object-store endpoints.
    fn catalog() -> ServiceCatalog {
        ServiceCatalog::new(vec![
            CatalogService {
                name: "cyclades_compute".into(),
                service_type: "compute".into(),
                endpoints: vec![
                    endpoint("v1", "https://c/v1"),
                    endpoint("v2", "https://c/v2"),
                ],
            },
            CatalogService {
                name: "pithos".into(),
                service_type: "object-store".into(),
                endpoints: vec![
                    endpoint("v2", "https://p/v2"),
                    endpoint("v2.1", "https://p/v2.1"),
                ],
            },
            CatalogService {
                name: "astakos_identity".into(),
                service_type: "identity".into(),
                endpoints: vec![endpoint("v2.0", "https://a/identity/v2.0")],
            },
        ])
    }

    #[test]
    fn type_lookup_is_case_insensitive_and_first_wins() {
        assert_eq!(
            catalog().service("COMPUTE").unwrap().name,
            "cyclades_compute"
        );
        let err = catalog().service("network").unwrap_err();
        assert!(
            err.to_string().contains("compute, object-store, identity"),
            "{err}"
        );
    }

    #[test]
    fn exactly_one_endpoint_must_match() {
        let c = catalog();
        assert_eq!(
            c.endpoint_url("compute", Some("V1")).unwrap(),
            "https://c/v1"
        );
        assert_eq!(
            c.endpoint_url("identity", None).unwrap(),
            "https://a/identity/v2.0"
        );
        let none = c.endpoint("compute", Some("vX")).unwrap_err().to_string();
        assert!(
            none.contains("of version vX") && none.contains("v1, v2"),
            "{none}"
        );
        let many = c.endpoint("object-store", None).unwrap_err().to_string();
        assert!(many.contains("2 object-store endpoints match"), "{many}");
    }
}
