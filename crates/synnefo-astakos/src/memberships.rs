//! Project memberships (`projects/memberships…`).

use crate::AccountClient;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use synnefo_core::{Request, Result, lenient};

/// A user's membership of a project.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Membership {
    /// Its id.
    #[serde(deserialize_with = "lenient::integer")]
    pub id: u64,
    /// The member's UUID.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub user: String,
    /// The project's UUID.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub project: String,
    /// `requested`, `accepted`, `leave_requested`, `suspended`,
    /// `rejected`, `cancelled` or `removed`.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub state: String,
    /// What the caller may do with it.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub allowed_actions: Vec<String>,
    /// When it last entered each state (`requested`, `accepted`…), and any
    /// other keys the cloud sends.
    #[serde(flatten)]
    pub dates: BTreeMap<String, Value>,
}

/// An action on a membership.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MembershipAction {
    /// Leave the project (the member).
    Leave,
    /// Withdraw a join request (the member).
    Cancel,
    /// Accept a join or leave request (the owner).
    Accept,
    /// Refuse a join or leave request (the owner).
    Reject,
    /// Remove a member (the owner).
    Remove,
}

impl MembershipAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipAction::Leave => "leave",
            MembershipAction::Cancel => "cancel",
            MembershipAction::Accept => "accept",
            MembershipAction::Reject => "reject",
            MembershipAction::Remove => "remove",
        }
    }
}

#[derive(Deserialize)]
struct MembershipId {
    #[serde(deserialize_with = "lenient::integer")]
    id: u64,
}

impl AccountClient {
    /// The caller's memberships and those of projects they own, optionally
    /// of one project (kamaki `get_memberships`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 401 for a refused token.
    pub async fn get_memberships(&self, project_id: Option<&str>) -> Result<Vec<Membership>> {
        let request = Request::get()
            .segments(["projects", "memberships"])
            .query("project", project_id);
        self.endpoint.send_json(request).await
    }

    /// One membership (kamaki `get_membership`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 404 for an unknown or invisible
    /// membership.
    pub async fn get_membership(&self, membership_id: u64) -> Result<Membership> {
        let request = Request::get()
            .segments(["projects", "memberships"])
            .segment(membership_id.to_string());
        self.endpoint.send_json(request).await
    }

    /// Acts on a membership (kamaki `membership_action`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 403 when the caller may not, 409
    /// in the wrong state or with a `closed` policy.
    pub async fn membership_action(
        &self,
        membership_id: u64,
        action: MembershipAction,
        reason: &str,
    ) -> Result<()> {
        let request = Request::post()
            .segments(["projects", "memberships"])
            .segment(membership_id.to_string())
            .segment("action")
            .json(&json!({ action.as_str(): reason }))?;
        self.endpoint.send(request).await.map(drop)
    }

    /// Asks to join a project (kamaki `join_project`); with an `auto` join
    /// policy the membership is accepted at once. Gives the membership id.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 409 for a `closed` project or an
    /// existing membership.
    pub async fn join_project(&self, project_id: &str) -> Result<u64> {
        self.post_membership(json!({"join": {"project": project_id}}))
            .await
    }

    /// Enrolls the user with e-mail `email` in a project the caller owns
    /// (kamaki `enroll_member`). Gives the membership id.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 403 when the caller does not own
    /// the project, 409 for an unknown e-mail.
    pub async fn enroll_member(&self, project_id: &str, email: &str) -> Result<u64> {
        self.post_membership(json!({"enroll": {"project": project_id, "user": email}}))
            .await
    }

    async fn post_membership(&self, body: Value) -> Result<u64> {
        let request = Request::post()
            .segments(["projects", "memberships"])
            .json(&body)?;
        Ok(self.endpoint.send_json::<MembershipId>(request).await?.id)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{body, line, only, scripted};

    #[tokio::test]
    async fn memberships_keep_their_dates() {
        let (client, transport) = scripted(&[(
            200,
            r#"[{"id": "4", "user": "u", "project": "p", "state": "accepted",
                "allowed_actions": ["leave"], "requested": "d1", "accepted": "d2"}]"#,
        )]);
        let list = client.get_memberships(Some("p")).await.unwrap();
        assert_eq!(
            line(&only(&transport)),
            "GET /account/v1.0/projects/memberships?project=p"
        );
        assert_eq!(list[0].id, 4);
        assert_eq!(list[0].dates["accepted"], "d2");
        assert_eq!(list[0].allowed_actions, ["leave"]);
    }

    #[tokio::test]
    async fn join_enroll_info_and_action() {
        let (client, transport) = scripted(&[
            (200, r#"{"id": 1}"#),
            (200, r#"{"id": 2}"#),
            (200, r#"{"id": 2, "state": "requested"}"#),
            (200, ""),
        ]);
        assert_eq!(client.join_project("p").await.unwrap(), 1);
        assert_eq!(client.enroll_member("p", "b@x").await.unwrap(), 2);
        assert_eq!(client.get_membership(2).await.unwrap().state, "requested");
        client
            .membership_action(2, MembershipAction::Reject, "no")
            .await
            .unwrap();
        let requests = transport.requests();
        assert_eq!(body(&requests[0]), json!({"join": {"project": "p"}}));
        assert_eq!(
            body(&requests[1]),
            json!({"enroll": {"project": "p", "user": "b@x"}})
        );
        assert_eq!(
            line(&requests[2]),
            "GET /account/v1.0/projects/memberships/2"
        );
        assert_eq!(
            line(&requests[3]),
            "POST /account/v1.0/projects/memberships/2/action"
        );
        assert_eq!(body(&requests[3]), json!({"reject": "no"}));
    }
}
