//! Quotas: the caller's (`GET quotas`) and, with a service token, any
//! user's or project's (`service_quotas`, `service_project_quotas`).

use crate::AccountClient;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use synnefo_core::{Request, Result, lenient};

/// Limit and usage of one resource for one member of one project.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Quota {
    /// The member's effective limit.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub limit: u64,
    /// The member's usage, pending commissions included.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub usage: u64,
    /// The part of `usage` still pending.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub pending: u64,
    /// The project's limit over all members.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub project_limit: u64,
    /// The project's usage over all members.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub project_usage: u64,
    /// The part of `project_usage` still pending.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub project_pending: u64,
}

impl Quota {
    /// What is left to use: `limit - usage`, never negative.
    pub fn available(&self) -> u64 {
        self.limit.saturating_sub(self.usage)
    }
}

/// Limit and usage of one resource for a whole project.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct ProjectQuota {
    /// The project's limit.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub project_limit: u64,
    /// The project's usage, pending included.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub project_usage: u64,
    /// The part of the usage still pending.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub project_pending: u64,
}

/// Quotas by project UUID, then resource name. The user's system project
/// has the user's UUID.
pub type Quotas = BTreeMap<String, BTreeMap<String, Quota>>;

/// `a,b,c`, or `None` for an empty list.
fn joined<S: AsRef<str>>(items: &[S]) -> Option<String> {
    (!items.is_empty()).then(|| {
        items
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(",")
    })
}

impl AccountClient {
    /// The caller's quotas in every project they are a member of (kamaki
    /// `get_quotas`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 401 for a refused token.
    pub async fn get_quotas(&self) -> Result<Quotas> {
        self.endpoint
            .send_json(Request::get().segment("quotas"))
            .await
    }

    /// The quotas of users, by user UUID (kamaki `service_get_quotas`);
    /// needs a service (component) token and shows only that component's
    /// resources. Empty `users` means every user; `projects` narrows the
    /// projects.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 401 for a user token, 404 for an
    /// unknown user.
    pub async fn service_get_quotas<S: AsRef<str>>(
        &self,
        users: &[S],
        projects: &[S],
    ) -> Result<BTreeMap<String, Quotas>> {
        let request = Request::get()
            .segment("service_quotas")
            .query("user", joined(users))
            .query("project", joined(projects));
        self.endpoint.send_json(request).await
    }

    /// Project-wide quotas, by project UUID (kamaki
    /// `service_get_project_quotas`); needs a service token.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 404 for an unknown project.
    pub async fn service_get_project_quotas<S: AsRef<str>>(
        &self,
        projects: &[S],
    ) -> Result<BTreeMap<String, BTreeMap<String, ProjectQuota>>> {
        let request = Request::get()
            .segment("service_project_quotas")
            .query("project", joined(projects));
        self.endpoint.send_json(request).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::testing::{line, only, scripted};

    #[tokio::test]
    async fn quotas_by_project_then_resource() {
        let (client, transport) = scripted(&[(
            200,
            r#"{"u1": {"cyclades.vm": {"limit": 2, "usage": "1", "pending": 0,
                "project_limit": 2, "project_usage": 1, "project_pending": 0}}}"#,
        )]);
        let quotas = client.get_quotas().await.unwrap();
        assert_eq!(line(&only(&transport)), "GET /account/v1.0/quotas");
        let vm = quotas["u1"]["cyclades.vm"];
        assert_eq!((vm.limit, vm.usage, vm.available()), (2, 1, 1));
    }

    #[tokio::test]
    async fn service_quotas_join_lists_with_commas() {
        let (client, transport) = scripted(&[(200, r#"{"u1": {}}"#), (200, "{}"), (200, "{}")]);
        let quotas = client
            .service_get_quotas(&["u1", "u2"], &["p"])
            .await
            .unwrap();
        assert!(quotas["u1"].is_empty());
        client.service_get_quotas::<&str>(&[], &[]).await.unwrap();
        client
            .service_get_project_quotas(&["p1", "p2"])
            .await
            .unwrap();
        let lines: Vec<String> = transport.requests().iter().map(line).collect();
        assert_eq!(
            lines,
            [
                "GET /account/v1.0/service_quotas?user=u1%2Cu2&project=p",
                "GET /account/v1.0/service_quotas",
                "GET /account/v1.0/service_project_quotas?project=p1%2Cp2",
            ]
        );
    }
}
