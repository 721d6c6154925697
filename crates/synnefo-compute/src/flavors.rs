//! Flavors, and the OpenStack limits.

use crate::ComputeClient;
use crate::client::allow_not_modified;
use crate::models::{Flavor, Limits};
use crate::params::ListFlavors;
use synnefo_core::{Request, Result};

impl ComputeClient {
    /// `GET /flavors[/detail]` with the filters that are set (kamaki
    /// `flavors_get`); `is_public` goes out as `true`/`false`.
    pub fn list_flavors_request(&self, detail: bool, filters: &ListFlavors) -> Request {
        let mut request = Request::get().segment("flavors");
        if detail {
            request = request.segment("detail");
        }
        let request = request
            .query("changes-since", filters.changes_since.as_deref())
            .query("minDisk", filters.min_disk)
            .query("minRam", filters.min_ram)
            .query("marker", filters.marker.as_deref())
            .query("limit", filters.limit)
            .query("is_public", filters.is_public);
        allow_not_modified(request, filters.changes_since.as_deref())
    }

    /// Lists flavors: ids, names and links (kamaki `list_flavors`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `flavors`; [`synnefo_core::Error::Http`] as the server decides.
    pub async fn list_flavors(&self, filters: &ListFlavors) -> Result<Vec<Flavor>> {
        let request = self.list_flavors_request(false, filters);
        Ok(self
            .send_field_unless_unchanged(request, "flavors")
            .await?
            .unwrap_or_default())
    }

    /// Lists flavors with RAM, disk, CPUs and Synnefo's extensions (kamaki
    /// `list_flavors(detail=True)`).
    ///
    /// # Errors
    /// As [`ComputeClient::list_flavors`].
    pub async fn list_flavors_detail(&self, filters: &ListFlavors) -> Result<Vec<Flavor>> {
        let request = self.list_flavors_request(true, filters);
        Ok(self
            .send_field_unless_unchanged(request, "flavors")
            .await?
            .unwrap_or_default())
    }

    /// `GET /flavors/<id>`.
    pub fn get_flavor_details_request(&self, flavor_id: u64) -> Request {
        Request::get()
            .segment("flavors")
            .segment(flavor_id.to_string())
    }

    /// A flavor's details (kamaki `get_flavor_details`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `404` for an unknown flavor, `403` for
    /// one the caller's projects do not grant.
    #[doc(alias = "get_flavor")]
    pub async fn get_flavor_details(&self, flavor_id: u64) -> Result<Flavor> {
        self.endpoint()
            .send_field(self.get_flavor_details_request(flavor_id), "flavor")
            .await
    }

    /// `GET /limits`.
    pub fn get_limits_request(&self) -> Request {
        Request::get().segment("limits")
    }

    /// The OpenStack rate and absolute limits (kamaki `limits_get`). Synnefo
    /// has no such endpoint (it answers `400`); its quotas live in Astakos.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] where the endpoint does not exist.
    pub async fn get_limits(&self) -> Result<Limits> {
        self.endpoint()
            .send_field(self.get_limits_request(), "limits")
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{client, line};

    #[test]
    fn flavor_paths_and_filters() {
        let c = client();
        assert_eq!(
            line(&c.list_flavors_request(false, &ListFlavors::default())),
            "GET /flavors"
        );
        assert_eq!(
            line(&c.list_flavors_request(true, &ListFlavors::default())),
            "GET /flavors/detail"
        );
        let filters = ListFlavors {
            changes_since: Some("2013-01-01".into()),
            min_disk: Some(20),
            min_ram: Some(1024),
            marker: Some("3".into()),
            limit: Some(5),
            is_public: Some(true),
        };
        assert_eq!(
            line(&c.list_flavors_request(true, &filters)),
            "GET /flavors/detail?changes-since=2013-01-01&minDisk=20&minRam=1024&marker=3&limit=5&is_public=true"
        );
        assert_eq!(line(&c.get_flavor_details_request(42)), "GET /flavors/42");
        assert_eq!(line(&c.get_limits_request()), "GET /limits");
    }
}
