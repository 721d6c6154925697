//! Commissions: two-phase quota changes issued by services with a
//! service (component) token.

use crate::AccountClient;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use synnefo_core::{Request, Result, lenient};

/// One change of one holding.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Provision {
    /// `user:<uuid>` or `project:<uuid>`.
    pub holder: String,
    /// `project:<uuid>` for a user's holding, `None` for a project's own.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub source: Option<String>,
    /// The resource name.
    pub resource: String,
    /// The change; negative releases.
    pub quantity: i64,
}

impl Provision {
    /// A change of `user`'s holding of `resource` in `project`.
    pub fn user(user: &str, project: &str, resource: &str, quantity: i64) -> Self {
        Provision {
            holder: format!("user:{user}"),
            source: Some(format!("project:{project}")),
            resource: resource.to_owned(),
            quantity,
        }
    }

    /// A change of `project`'s own holding of `resource`.
    pub fn project(project: &str, resource: &str, quantity: i64) -> Self {
        Provision {
            holder: format!("project:{project}"),
            source: None,
            resource: resource.to_owned(),
            quantity,
        }
    }

    /// The two provisions a member's usage needs (kamaki `mk_provisions`):
    /// the member's holding in the project and the project's own.
    pub fn member_and_project(
        user: &str,
        project: &str,
        resource: &str,
        quantity: i64,
    ) -> [Self; 2] {
        [
            Provision::user(user, project, resource, quantity),
            Provision::project(project, resource, quantity),
        ]
    }
}

/// A commission to issue.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct CommissionRequest {
    /// The changes, all or nothing.
    pub provisions: Vec<Provision>,
    /// A free-text description.
    pub name: String,
    /// Skip the limit checks.
    pub force: bool,
    /// Accept at once (no pending phase).
    pub auto_accept: bool,
}

/// A pending commission (`GET commissions/<serial>`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Commission {
    /// Its serial.
    #[serde(deserialize_with = "lenient::integer")]
    pub serial: u64,
    /// When it was issued (ISO 8601).
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub issue_time: String,
    /// Its description.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub name: String,
    /// Its changes.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub provisions: Vec<Provision>,
}

/// Accept or reject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommissionAction {
    /// Make the changes final.
    Accept,
    /// Undo them.
    Reject,
}

impl CommissionAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CommissionAction::Accept => "accept",
            CommissionAction::Reject => "reject",
        }
    }
}

/// The outcome of resolving several commissions at once.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Resolution {
    /// Serials accepted.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub accepted: Vec<u64>,
    /// Serials rejected.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub rejected: Vec<u64>,
    /// Serials that failed, each with the fault the cloud gave.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub failed: Vec<(u64, Value)>,
}

#[derive(Deserialize)]
struct Serial {
    #[serde(deserialize_with = "lenient::integer")]
    serial: u64,
}

impl AccountClient {
    /// Issues a commission (kamaki `issue_commission_generic`); gives its
    /// serial.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 413 `overLimit` when a limit
    /// would be exceeded or a usage would drop below zero, 404 for a
    /// holding that does not exist, 400 for malformed provisions.
    pub async fn issue_commission(&self, commission: &CommissionRequest) -> Result<u64> {
        let request = Request::post().segment("commissions").json(commission)?;
        Ok(self.endpoint.send_json::<Serial>(request).await?.serial)
    }

    /// Issues a commission charging `user` in each `(project, resource,
    /// quantity)`, on both the member's and the project's holding (kamaki
    /// `issue_one_commission`).
    ///
    /// # Errors
    /// As [`AccountClient::issue_commission`].
    pub async fn issue_one_commission(
        &self,
        user: &str,
        changes: &[(&str, &str, i64)],
        name: &str,
        force: bool,
        auto_accept: bool,
    ) -> Result<u64> {
        let provisions = changes
            .iter()
            .flat_map(|(project, resource, quantity)| {
                Provision::member_and_project(user, project, resource, *quantity)
            })
            .collect();
        self.issue_commission(&CommissionRequest {
            provisions,
            name: name.to_owned(),
            force,
            auto_accept,
        })
        .await
    }

    /// Moves `user`'s usage between projects: each `(from, to, resource,
    /// quantity)` releases `quantity` in `from` and charges it in `to`
    /// (kamaki `issue_resource_reassignment`).
    ///
    /// # Errors
    /// As [`AccountClient::issue_commission`].
    pub async fn issue_resource_reassignment(
        &self,
        user: &str,
        moves: &[(&str, &str, &str, i64)],
        name: &str,
        force: bool,
        auto_accept: bool,
    ) -> Result<u64> {
        let mut provisions = Vec::new();
        for (from, to, resource, quantity) in moves {
            provisions.extend(Provision::member_and_project(
                user, from, resource, -quantity,
            ));
            provisions.extend(Provision::member_and_project(user, to, resource, *quantity));
        }
        self.issue_commission(&CommissionRequest {
            provisions,
            name: name.to_owned(),
            force,
            auto_accept,
        })
        .await
    }

    /// Serials of the calling service's pending commissions (kamaki
    /// `get_pending_commissions`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 401 for a user token.
    pub async fn get_pending_commissions(&self) -> Result<Vec<u64>> {
        self.endpoint
            .send_json(Request::get().segment("commissions"))
            .await
    }

    /// One pending commission (kamaki `get_commission_info`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 404 for an unknown or resolved
    /// serial.
    pub async fn get_commission_info(&self, serial: u64) -> Result<Commission> {
        let request = Request::get()
            .segment("commissions")
            .segment(serial.to_string());
        self.endpoint.send_json(request).await
    }

    /// Accepts or rejects one commission (kamaki `commission_action`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 404 for an unknown serial.
    pub async fn commission_action(&self, serial: u64, action: CommissionAction) -> Result<()> {
        let request = Request::post()
            .segment("commissions")
            .segment(serial.to_string())
            .segment("action")
            .json(&json!({ action.as_str(): "" }))?;
        self.endpoint.send(request).await.map(drop)
    }

    /// Accepts one commission (kamaki `accept_commission`).
    ///
    /// # Errors
    /// As [`AccountClient::commission_action`].
    pub async fn accept_commission(&self, serial: u64) -> Result<()> {
        self.commission_action(serial, CommissionAction::Accept)
            .await
    }

    /// Rejects one commission (kamaki `reject_commission`).
    ///
    /// # Errors
    /// As [`AccountClient::commission_action`].
    pub async fn reject_commission(&self, serial: u64) -> Result<()> {
        self.commission_action(serial, CommissionAction::Reject)
            .await
    }

    /// Accepts and rejects several commissions at once (kamaki
    /// `resolve_commissions`); serials that fail are listed, not errors.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 400 for a malformed request.
    pub async fn resolve_commissions(&self, accept: &[u64], reject: &[u64]) -> Result<Resolution> {
        let request = Request::post()
            .segment("commissions")
            .segment("action")
            .json(&json!({"accept": accept, "reject": reject}))?;
        self.endpoint.send_json(request).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{body, line, only, scripted};

    #[tokio::test]
    async fn issue_one_charges_member_and_project() {
        let (client, transport) = scripted(&[(201, r#"{"serial": 7}"#)]);
        let serial = client
            .issue_one_commission("u", &[("p", "cyclades.vm", 1)], "vm", false, true)
            .await
            .unwrap();
        assert_eq!(serial, 7);
        let sent = only(&transport);
        assert_eq!(line(&sent), "POST /account/v1.0/commissions");
        assert_eq!(
            body(&sent),
            json!({"name": "vm", "force": false, "auto_accept": true, "provisions": [
                {"holder": "user:u", "source": "project:p", "resource": "cyclades.vm", "quantity": 1},
                {"holder": "project:p", "source": null, "resource": "cyclades.vm", "quantity": 1}]})
        );
    }

    #[tokio::test]
    async fn reassignment_releases_then_charges() {
        let (client, transport) = scripted(&[(201, r#"{"serial": "8"}"#)]);
        let serial = client
            .issue_resource_reassignment("u", &[("a", "b", "cyclades.vm", 2)], "", false, false)
            .await
            .unwrap();
        assert_eq!(serial, 8);
        let sent = body(&only(&transport));
        let quantities: Vec<(String, i64)> = sent["provisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["holder"].as_str().unwrap().to_owned(),
                    p["quantity"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            quantities,
            [
                ("user:u".to_owned(), -2),
                ("project:a".to_owned(), -2),
                ("user:u".to_owned(), 2),
                ("project:b".to_owned(), 2)
            ]
        );
    }

    #[tokio::test]
    async fn pending_info_action_and_resolve() {
        let (client, transport) = scripted(&[
            (200, "[3, 4]"),
            (
                200,
                r#"{"serial": 3, "issue_time": "t", "name": "n", "provisions": [
                {"holder": "project:p", "source": null, "resource": "r", "quantity": -1}]}"#,
            ),
            (200, ""),
            (200, ""),
            (
                200,
                r#"{"accepted": [3], "rejected": [], "failed": [[9, {"itemNotFound": {"code": 404}}]]}"#,
            ),
        ]);
        assert_eq!(client.get_pending_commissions().await.unwrap(), [3, 4]);
        let info = client.get_commission_info(3).await.unwrap();
        assert_eq!(info.provisions[0], Provision::project("p", "r", -1));
        client.accept_commission(3).await.unwrap();
        client.reject_commission(4).await.unwrap();
        let resolution = client.resolve_commissions(&[3], &[9]).await.unwrap();
        assert_eq!(resolution.accepted, [3]);
        assert_eq!(resolution.failed[0].0, 9);
        let requests = transport.requests();
        let lines: Vec<String> = requests.iter().map(line).collect();
        assert_eq!(
            lines,
            [
                "GET /account/v1.0/commissions",
                "GET /account/v1.0/commissions/3",
                "POST /account/v1.0/commissions/3/action",
                "POST /account/v1.0/commissions/4/action",
                "POST /account/v1.0/commissions/action",
            ]
        );
        assert_eq!(body(&requests[2]), json!({"accept": ""}));
        assert_eq!(body(&requests[3]), json!({"reject": ""}));
        assert_eq!(body(&requests[4]), json!({"accept": [3], "reject": [9]}));
    }
}
