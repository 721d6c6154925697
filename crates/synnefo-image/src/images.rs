//! Listing, registering, reading, updating and unregistering images.

use crate::client::ImageClient;
use crate::meta_headers::{image_meta, quote, with_properties};
use crate::models::{Image, ImageMeta, ListImages, RegisterImage, UpdateImage};
use synnefo_core::http::StatusCode;
use synnefo_core::{Error, Request, Result};

/// `/images/<id>`.
fn image_path(request: Request, image_id: &str) -> Request {
    request.segment("images").segment(image_id)
}

/// `True`/`False`, as kamaki sends flags.
fn python_bool(flag: bool) -> &'static str {
    if flag { "True" } else { "False" }
}

impl ImageClient {
    /// `GET /images/` (note the trailing slash, as kamaki sends it) or
    /// `GET /images/detail`, with the filters and order as query.
    pub fn list_public_request(&self, detail: bool, filters: &ListImages) -> Request {
        let request = Request::get().segment("images");
        let request = if detail {
            request.segment("detail")
        } else {
            request.segment("")
        };
        request
            .query("name", filters.name.as_deref())
            .query("status", filters.status.as_deref())
            .query("size_min", filters.size_min)
            .query("size_max", filters.size_max)
            .query("disk_format", filters.disk_format.as_deref())
            .query("container_format", filters.container_format.as_deref())
            .query("sort_key", filters.sort_key.as_deref())
            .query("sort_dir", filters.sort_dir.map(|d| d.as_str()))
    }

    /// The images the caller owns, is a member of, or can see because they
    /// are public (kamaki `list_public`); with `detail`, every field.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` for an unknown sort key or
    /// direction, or a size bound that is not a number.
    pub async fn list_public(&self, detail: bool, filters: &ListImages) -> Result<Vec<Image>> {
        self.send_list(self.list_public_request(detail, filters), "images")
            .await
    }

    /// `HEAD /images/<id>`.
    pub fn get_meta_request(&self, image_id: &str) -> Request {
        image_path(Request::head(), image_id).expect([StatusCode::OK])
    }

    /// An image's metadata from its headers (kamaki `get_meta`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an image that does not
    /// exist or that the caller cannot see.
    pub async fn get_meta(&self, image_id: &str) -> Result<ImageMeta> {
        let response = self.send(self.get_meta_request(image_id)).await?;
        Ok(image_meta(response.headers()))
    }

    /// `POST /images/` with no body and the image in `X-Image-Meta-*`
    /// headers (name and property values percent-encoded, the location
    /// encoded part by part).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when a property key cannot be a
    /// header name.
    pub fn register_request(&self, register: &RegisterImage) -> Result<Request> {
        let mut request = Request::post()
            .segment("images")
            .segment("")
            .expect([StatusCode::OK]);
        let params = [
            ("store", register.store.clone()),
            ("disk-format", register.disk_format.clone()),
            ("container-format", register.container_format.clone()),
            ("size", register.size.map(|s| s.to_string())),
            ("checksum", register.checksum.clone()),
            (
                "is-public",
                register.is_public.map(|p| python_bool(p).to_owned()),
            ),
            ("owner", register.owner.clone()),
        ];
        for (name, value) in params {
            request = request.header_opt(&format!("x-image-meta-{name}"), value)?;
        }
        request = with_properties(request, &register.properties)?;
        request
            .header("X-Image-Meta-Name", quote(&register.name))?
            .header("X-Image-Meta-Location", register.location.to_string())
    }

    /// Registers a Pithos file as an image, or re-registers it (same id,
    /// metadata merged), and returns it (kamaki `register`). The id, size
    /// and checksum come from the file.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` for a missing name, a malformed
    /// location, an unknown format or a mismatched size or checksum; `404`
    /// when the file does not exist; `403` when it is not the caller's.
    pub async fn register(&self, register: &RegisterImage) -> Result<ImageMeta> {
        let response = self.send(self.register_request(register)?).await?;
        Ok(image_meta(response.headers()))
    }

    /// `DELETE /images/<id>`.
    pub fn unregister_request(&self, image_id: &str) -> Request {
        image_path(Request::delete(), image_id).expect([StatusCode::NO_CONTENT])
    }

    /// Unregisters an image (kamaki `unregister`); its Pithos file stays.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown image, `403` for
    /// another user's.
    pub async fn unregister(&self, image_id: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.unregister_request(image_id))
            .await
    }

    /// `PUT /images/<id>` with the changes in `X-Image-Meta-*` headers.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when a value cannot be a header.
    pub fn update_image_request(&self, image_id: &str, update: &UpdateImage) -> Result<Request> {
        let request = image_path(Request::put(), image_id)
            .expect([StatusCode::OK])
            .header_opt("X-Image-Meta-Name", update.name.as_deref().map(quote))?
            .header_opt("X-Image-Meta-Disk-Format", update.disk_format.as_deref())?
            .header_opt(
                "X-Image-Meta-Container-Format",
                update.container_format.as_deref(),
            )?
            .header_opt("X-Image-Meta-Status", update.status.as_deref())?
            .header_opt("X-Image-Meta-Is-Public", update.is_public.map(python_bool))?
            .header_opt("X-Image-Meta-Owner", update.owner.as_deref())?;
        with_properties(request, &update.properties)
    }

    /// Changes an image and returns it (kamaki `update_image`). Properties
    /// are merged; an empty value deletes one.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when `update` changes nothing;
    /// [`synnefo_core::Error::Http`] `400` for an invalid value, `403`
    /// for another user's image, `404` for an unknown one.
    pub async fn update_image(&self, image_id: &str, update: &UpdateImage) -> Result<ImageMeta> {
        if update.is_empty() {
            return Err(Error::Config(format!(
                "nothing to update on image {image_id}"
            )));
        }
        let response = self
            .send(self.update_image_request(image_id, update)?)
            .await?;
        Ok(image_meta(response.headers()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::testing::{scripted, seen};
    use crate::{ImageLocation, ListImages, RegisterImage, SortDir, UpdateImage};
    use synnefo_core::Error;

    #[tokio::test]
    async fn list_public_sends_filters_and_order() {
        let (client, transport) = scripted(&[
            (200, r#"[{"id": "i1", "name": "a", "size": 3}]"#),
            (200, r#"{"images": []}"#),
            (200, r#"{"imagez": []}"#),
        ]);
        let images = client
            .list_public(false, &ListImages::default())
            .await
            .unwrap();
        assert_eq!(images[0].id, "i1");
        assert_eq!(images[0].size, Some(3));
        let filters = ListImages {
            status: Some("ACTIVE".into()),
            size_max: Some(10),
            ..ListImages::default()
        }
        .order("-name");
        // The documented `{"images": [...]}` form decodes too.
        assert!(client.list_public(true, &filters).await.unwrap().is_empty());
        let error = client
            .list_public(false, &ListImages::default())
            .await
            .unwrap_err();
        assert!(error.to_string().contains("\"images\""), "{error}");
        let lines: Vec<_> = seen(&transport).into_iter().map(|s| s.line).collect();
        assert_eq!(
            lines,
            [
                "GET /images/",
                "GET /images/detail?status=ACTIVE&size_max=10&sort_key=name&sort_dir=desc",
                "GET /images/",
            ]
        );
        let asc = ListImages {
            sort_dir: Some(SortDir::Asc),
            ..ListImages::default()
        };
        let request = client.list_public_request(false, &asc);
        assert_eq!(request.path_and_query(), "/images/?sort_dir=asc");
    }

    #[tokio::test]
    async fn get_meta_is_a_head_decoded_from_headers() {
        let (client, transport) = scripted(&[(200, "")]);
        // The scripted transport sends no headers: the image is empty, but
        // the request is a HEAD on the image.
        let meta = client.get_meta("img 1").await.unwrap();
        assert_eq!(meta.id, "");
        assert_eq!(seen(&transport)[0].line, "HEAD /images/img%201");
    }

    #[tokio::test]
    async fn register_puts_everything_in_headers() {
        let (client, transport) = scripted(&[(200, "")]);
        let mut register = RegisterImage::new(
            "my image ü",
            ImageLocation::new("some_uuid", "some_container", "some/path"),
        );
        register.disk_format = Some("diskdump".into());
        register.is_public = Some(false);
        register
            .properties
            .insert("OSFamily".into(), "linux α".into());
        client.register(&register).await.unwrap();
        let request = &seen(&transport)[0];
        assert_eq!(request.line, "POST /images/");
        assert_eq!(request.body, serde_json::Value::Null);
        let meta: Vec<(&str, &str)> = request
            .meta
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            meta,
            [
                ("x-image-meta-disk-format", "diskdump"),
                ("x-image-meta-is-public", "False"),
                ("x-image-meta-property-osfamily", "linux%20%CE%B1"),
                ("x-image-meta-name", "my%20image%20%C3%BC"),
                (
                    "x-image-meta-location",
                    "pithos://some_uuid/some_container/some/path"
                ),
            ]
        );
    }

    #[tokio::test]
    async fn register_fails_on_a_refusal() {
        let (client, _) = scripted(&[(
            404,
            r#"{"itemNotFound": {"code": 404, "message": "Object x not found"}}"#,
        )]);
        let register = RegisterImage::new("x", ImageLocation::new("u", "c", "x"));
        let error = client.register(&register).await.unwrap_err();
        assert!(matches!(error, Error::Http(_)), "{error}");
        assert!(error.to_string().contains("Object x not found"), "{error}");
    }

    #[tokio::test]
    async fn unregister_is_a_delete_expecting_204() {
        let (client, transport) = scripted(&[(204, ""), (200, "")]);
        client.unregister("i1").await.unwrap();
        assert_eq!(seen(&transport)[0].line, "DELETE /images/i1");
        // Another success status is not what Plankton answers.
        assert!(client.unregister("i1").await.is_err());
    }

    #[tokio::test]
    async fn update_image_sends_only_what_changes() {
        let (client, transport) = scripted(&[(200, "")]);
        let mut update = UpdateImage {
            name: Some("new name".into()),
            is_public: Some(true),
            status: Some("AVAILABLE".into()),
            ..UpdateImage::default()
        };
        update.delete_property("old");
        update.properties.insert("users".into(), "root".into());
        client.update_image("i1", &update).await.unwrap();
        let request = &seen(&transport)[0];
        assert_eq!(request.line, "PUT /images/i1");
        assert_eq!(request.content_length.as_deref(), Some("0"));
        let meta: Vec<(&str, &str)> = request
            .meta
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            meta,
            [
                ("x-image-meta-name", "new%20name"),
                ("x-image-meta-status", "AVAILABLE"),
                ("x-image-meta-is-public", "True"),
                ("x-image-meta-property-old", ""),
                ("x-image-meta-property-users", "root"),
            ]
        );
        let error = client
            .update_image("i1", &UpdateImage::default())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error}");
        assert_eq!(seen(&transport).len(), 1);
    }
}
