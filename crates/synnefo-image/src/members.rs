//! Image members: the users an image is shared with.

use crate::client::ImageClient;
use crate::models::{Member, SharedImage};
use serde_json::json;
use synnefo_core::http::StatusCode;
use synnefo_core::{Request, Result};

/// `/images/<id>/members`.
fn members_path(request: Request, image_id: &str) -> Request {
    request
        .segment("images")
        .segment(image_id)
        .segment("members")
}

impl ImageClient {
    /// `GET /images/<id>/members`.
    pub fn list_members_request(&self, image_id: &str) -> Request {
        members_path(Request::get(), image_id)
    }

    /// The users an image is shared with (kamaki `list_members`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an image the caller cannot
    /// see.
    pub async fn list_members(&self, image_id: &str) -> Result<Vec<Member>> {
        self.endpoint()
            .send_field(self.list_members_request(image_id), "members")
            .await
    }

    /// `GET /shared-images/<member>`.
    pub fn list_shared_request(&self, member: &str) -> Request {
        Request::get().segment("shared-images").segment(member)
    }

    /// The caller's images that `member` can read (kamaki
    /// `list_shared`; that is what Plankton's code returns, its own
    /// comment calling the call's meaning unclear).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] on a refused request.
    pub async fn list_shared(&self, member: &str) -> Result<Vec<SharedImage>> {
        self.endpoint()
            .send_field(self.list_shared_request(member), "shared_images")
            .await
    }

    /// `PUT /images/<id>/members/<member>` (no body).
    pub fn add_member_request(&self, image_id: &str, member: &str) -> Request {
        members_path(Request::put(), image_id)
            .segment(member)
            .expect([StatusCode::NO_CONTENT])
    }

    /// Shares an image with a user (kamaki `add_member`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `403` for another user's image, `404`
    /// for an unknown one.
    pub async fn add_member(&self, image_id: &str, member: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.add_member_request(image_id, member))
            .await
    }

    /// `DELETE /images/<id>/members/<member>`.
    pub fn remove_member_request(&self, image_id: &str, member: &str) -> Request {
        members_path(Request::delete(), image_id)
            .segment(member)
            .expect([StatusCode::NO_CONTENT])
    }

    /// Stops sharing an image with a user (kamaki `remove_member`).
    ///
    /// # Errors
    /// As [`ImageClient::add_member`].
    pub async fn remove_member(&self, image_id: &str, member: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.remove_member_request(image_id, member))
            .await
    }

    /// `PUT /images/<id>/members` with `{"memberships": [{"member_id": M},
    /// …]}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn set_members_request<S: AsRef<str>>(
        &self,
        image_id: &str,
        members: &[S],
    ) -> Result<Request> {
        let memberships: Vec<_> = members
            .iter()
            .map(|m| json!({"member_id": m.as_ref()}))
            .collect();
        members_path(Request::put(), image_id)
            .expect([StatusCode::NO_CONTENT])
            .json(&json!({ "memberships": memberships }))
    }

    /// Replaces the users an image is shared with (kamaki `set_members`);
    /// whether it is public stays as it is.
    ///
    /// # Errors
    /// As [`ImageClient::add_member`].
    pub async fn set_members<S: AsRef<str>>(&self, image_id: &str, members: &[S]) -> Result<()> {
        self.endpoint()
            .send_empty(self.set_members_request(image_id, members)?)
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::testing::{scripted, seen};
    use serde_json::json;

    #[tokio::test]
    async fn member_requests_have_kamakis_shape() {
        let (client, transport) = scripted(&[
            (
                200,
                r#"{"members": [{"member_id": "u1", "can_share": false}]}"#,
            ),
            (
                200,
                r#"{"shared_images": [{"image_id": "i1", "can_share": false}]}"#,
            ),
            (204, ""),
            (204, ""),
            (204, ""),
        ]);
        let members = client.list_members("i1").await.unwrap();
        assert_eq!(members[0].member_id, "u1");
        let shared = client.list_shared("u 2").await.unwrap();
        assert_eq!(shared[0].image_id, "i1");
        client.add_member("i1", "u1").await.unwrap();
        client.remove_member("i1", "u1").await.unwrap();
        client.set_members("i1", &["u1", "u2"]).await.unwrap();
        let seen = seen(&transport);
        let lines: Vec<_> = seen.iter().map(|s| s.line.as_str()).collect();
        assert_eq!(
            lines,
            [
                "GET /images/i1/members",
                "GET /shared-images/u%202",
                "PUT /images/i1/members/u1",
                "DELETE /images/i1/members/u1",
                "PUT /images/i1/members",
            ]
        );
        assert_eq!(seen[2].content_length.as_deref(), Some("0"));
        assert_eq!(
            seen[4].body,
            json!({"memberships": [{"member_id": "u1"}, {"member_id": "u2"}]})
        );
    }

    #[tokio::test]
    async fn a_malformed_answer_is_an_error_naming_the_field() {
        let (client, _) = scripted(&[(200, r#"{"memberz": []}"#)]);
        let error = client.list_members("i1").await.unwrap_err();
        assert!(
            error.to_string().contains("\"members\" field is missing"),
            "{error}"
        );
    }
}
