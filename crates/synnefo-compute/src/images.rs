//! Images through the compute API (views of the Plankton registry) and
//! their metadata (the image properties).

use crate::client::allow_not_modified;
use crate::models::{Image, Metadata};
use crate::params::ListImages;
use crate::{ComputeClient, decode};
use serde_json::json;
use synnefo_core::{Request, Result};

/// `/images/<id>`.
fn image_path(request: Request, image_id: &str) -> Request {
    request.segment("images").segment(image_id)
}

impl ComputeClient {
    /// `GET /images[/detail]` with the filters that are set (kamaki
    /// `images_get`).
    pub fn list_images_request(&self, detail: bool, filters: &ListImages) -> Request {
        let mut request = Request::get().segment("images");
        if detail {
            request = request.segment("detail");
        }
        let request = request
            .query("changes-since", filters.changes_since.as_deref())
            .query("server", filters.server_name.as_deref())
            .query("name", filters.name.as_deref())
            .query("status", filters.status.as_deref())
            .query("marker", filters.marker.as_deref())
            .query("limit", filters.limit)
            .query("type", filters.image_type.as_deref());
        allow_not_modified(request, filters.changes_since.as_deref())
    }

    /// Lists images: ids and names (kamaki `list_images`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `images`; [`synnefo_core::Error::Http`] as the server decides.
    pub async fn list_images(&self, filters: &ListImages) -> Result<Vec<Image>> {
        let request = self.list_images_request(false, filters);
        Ok(self
            .send_field_unless_unchanged(request, "images")
            .await?
            .unwrap_or_default())
    }

    /// Lists images with status, owner and properties (kamaki
    /// `list_images(detail=True)`).
    ///
    /// # Errors
    /// As [`ComputeClient::list_images`].
    pub async fn list_images_detail(&self, filters: &ListImages) -> Result<Vec<Image>> {
        let request = self.list_images_request(true, filters);
        Ok(self
            .send_field_unless_unchanged(request, "images")
            .await?
            .unwrap_or_default())
    }

    /// `GET /images/<id>`.
    pub fn get_image_details_request(&self, image_id: &str) -> Request {
        image_path(Request::get(), image_id)
    }

    /// An image's details (kamaki `get_image_details`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown image;
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `image` (kamaki's "Image not available").
    #[doc(alias = "get_image")]
    pub async fn get_image_details(&self, image_id: &str) -> Result<Image> {
        self.endpoint()
            .send_field(self.get_image_details_request(image_id), "image")
            .await
    }

    /// `DELETE /images/<id>`.
    pub fn delete_image_request(&self, image_id: &str) -> Request {
        image_path(Request::delete(), image_id)
    }

    /// Deletes (unregisters) an image (kamaki `delete_image`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `404` for an unknown image, `403` for
    /// one the caller does not own.
    pub async fn delete_image(&self, image_id: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_image_request(image_id))
            .await
    }

    /// `GET /images/<id>/metadata[/<key>]` (kamaki `images_metadata_get`).
    pub fn get_image_metadata_request(&self, image_id: &str, key: Option<&str>) -> Request {
        let request = image_path(Request::get(), image_id).segment("metadata");
        match key {
            Some(key) => request.segment(key),
            None => request,
        }
    }

    /// All metadata (properties) of an image (kamaki `get_image_metadata`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown image.
    pub async fn get_image_metadata(&self, image_id: &str) -> Result<Metadata> {
        let request = self.get_image_metadata_request(image_id, None);
        let response = self.send(request).await?;
        decode::metadata_field(&response, "metadata")
    }

    /// One metadata value of an image (kamaki
    /// `get_image_metadata(image_id, key)`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for a missing key or image.
    pub async fn get_image_metadata_item(&self, image_id: &str, key: &str) -> Result<String> {
        let request = self.get_image_metadata_request(image_id, Some(key));
        let response = self.send(request).await?;
        decode::meta_value(&response, key)
    }

    /// `PUT /images/<id>/metadata/<key>` with `{"meta": {key: value}}`
    /// (kamaki's `images_metadata_put` dropped the key from the path).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_image_metadata_request(
        &self,
        image_id: &str,
        key: &str,
        value: &str,
    ) -> Result<Request> {
        image_path(Request::put(), image_id)
            .segment("metadata")
            .segment(key)
            .json(&json!({ "meta": { key: value } }))
    }

    /// Sets one metadata key of an image; returns the `meta` the server
    /// echoes.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `403` for an image the caller does not
    /// own, `400` for a key or value over Plankton's limits.
    #[doc(alias = "set_image_metadata")]
    pub async fn create_image_metadata(
        &self,
        image_id: &str,
        key: &str,
        value: &str,
    ) -> Result<Metadata> {
        let request = self.create_image_metadata_request(image_id, key, value)?;
        let response = self.send(request).await?;
        decode::metadata_field(&response, "meta")
    }

    /// `POST /images/<id>/metadata` with `{"metadata": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn update_image_metadata_request(
        &self,
        image_id: &str,
        metadata: &Metadata,
    ) -> Result<Request> {
        image_path(Request::post(), image_id)
            .segment("metadata")
            .json(&json!({ "metadata": metadata }))
    }

    /// Merges `metadata` into an image's properties (kamaki
    /// `update_image_metadata`); returns them all.
    ///
    /// # Errors
    /// As [`ComputeClient::create_image_metadata`].
    pub async fn update_image_metadata(
        &self,
        image_id: &str,
        metadata: &Metadata,
    ) -> Result<Metadata> {
        let request = self.update_image_metadata_request(image_id, metadata)?;
        let response = self.send(request).await?;
        decode::metadata_field(&response, "metadata")
    }

    /// `PUT /images/<id>/metadata` with `{"metadata": {…}}` (what kamaki's
    /// `images_metadata_put` sent whatever key it was given).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn replace_image_metadata_request(
        &self,
        image_id: &str,
        metadata: &Metadata,
    ) -> Result<Request> {
        image_path(Request::put(), image_id)
            .segment("metadata")
            .json(&json!({ "metadata": metadata }))
    }

    /// Replaces all metadata of an image (OpenStack; Synnefo answers `405`,
    /// use [`ComputeClient::update_image_metadata`] there).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] where the cloud does not support it.
    pub async fn replace_image_metadata(
        &self,
        image_id: &str,
        metadata: &Metadata,
    ) -> Result<Metadata> {
        let request = self.replace_image_metadata_request(image_id, metadata)?;
        let response = self.send(request).await?;
        decode::metadata_field(&response, "metadata")
    }

    /// `DELETE /images/<id>/metadata/<key>`.
    pub fn delete_image_metadata_request(&self, image_id: &str, key: &str) -> Request {
        image_path(Request::delete(), image_id)
            .segment("metadata")
            .segment(key)
    }

    /// Deletes one metadata key of an image (kamaki
    /// `delete_image_metadata`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for a missing key.
    pub async fn delete_image_metadata(&self, image_id: &str, key: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_image_metadata_request(image_id, key))
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{body, client, line};

    #[test]
    fn image_paths_and_filters() {
        let c = client();
        assert_eq!(
            line(&c.list_images_request(false, &ListImages::default())),
            "GET /images"
        );
        let filters = ListImages {
            changes_since: Some("2013-01-01".into()),
            server_name: Some("vm".into()),
            name: Some("deb".into()),
            status: Some("ACTIVE".into()),
            marker: Some("m".into()),
            limit: Some(2),
            image_type: Some("t".into()),
        };
        assert_eq!(
            line(&c.list_images_request(true, &filters)),
            "GET /images/detail?changes-since=2013-01-01&server=vm&name=deb&status=ACTIVE&marker=m&limit=2&type=t"
        );
        assert_eq!(line(&c.get_image_details_request("i-1")), "GET /images/i-1");
        assert_eq!(line(&c.delete_image_request("i-1")), "DELETE /images/i-1");
    }

    #[test]
    fn image_metadata_requests() {
        let c = client();
        assert_eq!(
            line(&c.get_image_metadata_request("i", None)),
            "GET /images/i/metadata"
        );
        assert_eq!(
            line(&c.get_image_metadata_request("i", Some("os"))),
            "GET /images/i/metadata/os"
        );
        // The key is in the path (kamaki's images_metadata_put ignored it).
        let put = c
            .create_image_metadata_request("i", "os", "debian")
            .unwrap();
        assert_eq!(line(&put), "PUT /images/i/metadata/os");
        assert_eq!(body(&put), json!({"meta": {"os": "debian"}}));
        let mut metadata = Metadata::new();
        metadata.insert("k".into(), "v".into());
        let post = c.update_image_metadata_request("i", &metadata).unwrap();
        assert_eq!(line(&post), "POST /images/i/metadata");
        assert_eq!(body(&post), json!({"metadata": {"k": "v"}}));
        let put_all = c.replace_image_metadata_request("i", &metadata).unwrap();
        assert_eq!(line(&put_all), "PUT /images/i/metadata");
        assert_eq!(
            line(&c.delete_image_metadata_request("i", "k")),
            "DELETE /images/i/metadata/k"
        );
    }
}
