//! Projects and their applications (`projects`, `projects/<id>`,
//! `projects/<id>/action`).

use crate::AccountClient;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use synnefo_core::{Request, Result, lenient};

/// What a project grants per resource.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct ResourceGrant {
    /// The limit over all members.
    #[serde(deserialize_with = "lenient::integer")]
    pub project_capacity: u64,
    /// The limit of each member.
    #[serde(deserialize_with = "lenient::integer")]
    pub member_capacity: u64,
}

/// A project as `GET projects[/<id>]` shows it.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Project {
    /// Its UUID.
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// `uninitialized`, `active`, `suspended`, `terminated` or `deleted`.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub state: String,
    /// Its name (domain-like, e.g. `test.example.org`).
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub name: String,
    /// The owner's UUID (`None` for system projects).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub owner: Option<String>,
    /// When it was created (ISO 8601).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub creation_date: Option<String>,
    /// Its web page.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub homepage: Option<String>,
    /// Its description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// When it ends (ISO 8601).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub end_date: Option<String>,
    /// `auto`, `moderated` or `closed`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub join_policy: Option<String>,
    /// `auto`, `moderated` or `closed`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub leave_policy: Option<String>,
    /// The most members it may have.
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub max_members: Option<u64>,
    /// Whether only members see it.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub private: bool,
    /// Whether it is a user's system (base) project.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub system_project: bool,
    /// What it grants, by resource name.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub resources: BTreeMap<String, ResourceGrant>,
    /// Its latest application (shown to its owner, applicant and admins).
    #[serde(default, deserialize_with = "lenient::object_or_none")]
    pub last_application: Option<Application>,
    /// When it was suspended or terminated.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub deactivation_date: Option<String>,
}

/// An application to create or change a project. Fields a modification
/// does not change are `None`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Application {
    /// Its id.
    #[serde(deserialize_with = "lenient::integer")]
    pub id: u64,
    /// `pending`, `approved`, `replaced`, `denied`, `dismissed` or
    /// `cancelled`.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub state: String,
    /// Who applied.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub applicant: Option<String>,
    /// The requested name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The requested owner.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub owner: Option<String>,
    /// The requested web page.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub homepage: Option<String>,
    /// The requested description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// The requested start.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub start_date: Option<String>,
    /// The requested end.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub end_date: Option<String>,
    /// The applicant's comments.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub comments: Option<String>,
    /// The requested join policy.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub join_policy: Option<String>,
    /// The requested leave policy.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub leave_policy: Option<String>,
    /// The requested member limit.
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub max_members: Option<u64>,
    /// The requested privacy.
    #[serde(default)]
    pub private: Option<bool>,
    /// The requested grants.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub resources: BTreeMap<String, ResourceGrant>,
}

/// The fields of a new project, or the changes to an existing one; `None`
/// fields are not sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct ProjectSpec {
    /// Name (domain-like, at most 80 characters); required to create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Owner UUID (default: the caller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Web page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Comments for the reviewers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    /// Start (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// End (ISO 8601, in the future); required to create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// `auto`, `moderated` or `closed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_policy: Option<String>,
    /// `auto`, `moderated` or `closed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_policy: Option<String>,
    /// Most members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_members: Option<u64>,
    /// Whether only members see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private: Option<bool>,
    /// Grants by resource name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resources: BTreeMap<String, ResourceGrant>,
}

/// Filters of `GET projects`; `None` fields are not sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    /// Only projects with this name.
    pub name: Option<String>,
    /// Only projects in this state.
    pub state: Option<String>,
    /// Only projects of this owner.
    pub owner: Option<String>,
    /// `default`/`related`, `member` or `active`.
    pub mode: Option<String>,
}

/// What the cloud answers to a new application.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct ApplicationReceipt {
    /// The project's UUID.
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// The application's id.
    #[serde(deserialize_with = "lenient::integer")]
    pub application: u64,
}

/// An action on a project itself (admins only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectAction {
    /// Suspend an active project.
    Suspend,
    /// Reactivate a suspended project.
    Unsuspend,
    /// End a project.
    Terminate,
    /// Bring back a terminated project.
    Reinstate,
}

impl ProjectAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectAction::Suspend => "suspend",
            ProjectAction::Unsuspend => "unsuspend",
            ProjectAction::Terminate => "terminate",
            ProjectAction::Reinstate => "reinstate",
        }
    }
}

/// An action on a project's latest application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplicationAction {
    /// Grant it (admins).
    Approve,
    /// Refuse it (admins).
    Deny,
    /// Acknowledge a denial (the applicant).
    Dismiss,
    /// Withdraw a pending application (the applicant).
    Cancel,
}

impl ApplicationAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationAction::Approve => "approve",
            ApplicationAction::Deny => "deny",
            ApplicationAction::Dismiss => "dismiss",
            ApplicationAction::Cancel => "cancel",
        }
    }
}

impl AccountClient {
    /// Projects visible to the caller (kamaki `get_projects`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 400 for an unknown state or mode.
    pub async fn get_projects(&self, filter: &ProjectFilter) -> Result<Vec<Project>> {
        let request = Request::get()
            .segment("projects")
            .query("name", filter.name.as_deref())
            .query("state", filter.state.as_deref())
            .query("owner", filter.owner.as_deref())
            .query("mode", filter.mode.as_deref());
        self.endpoint.send_json(request).await
    }

    /// One project (kamaki `get_project`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 404 for an unknown project, 403
    /// for a private one the caller is not in.
    pub async fn get_project(&self, project_id: &str) -> Result<Project> {
        let request = Request::get().segment("projects").segment(project_id);
        self.endpoint.send_json(request).await
    }

    /// Applies for a new project (kamaki `create_project`); it stays
    /// `uninitialized` until approved.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 400 for invalid fields, 409 when
    /// the caller has too many pending applications.
    pub async fn create_project(&self, spec: &ProjectSpec) -> Result<ApplicationReceipt> {
        let request = Request::post().segment("projects").json(spec)?;
        self.endpoint.send_json(request).await
    }

    /// Applies for changes to a project (kamaki `modify_project`).
    ///
    /// # Errors
    /// As [`AccountClient::create_project`]; 409 for an uninitialized
    /// project.
    pub async fn modify_project(
        &self,
        project_id: &str,
        spec: &ProjectSpec,
    ) -> Result<ApplicationReceipt> {
        let request = Request::put()
            .segment("projects")
            .segment(project_id)
            .json(spec)?
            .idempotent(false);
        self.endpoint.send_json(request).await
    }

    /// Suspends, unsuspends, terminates or reinstates a project (kamaki
    /// `project_action`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 403 when not allowed, 409 in the
    /// wrong state.
    pub async fn project_action(
        &self,
        project_id: &str,
        action: ProjectAction,
        reason: &str,
    ) -> Result<()> {
        self.post_action(project_id, action.as_str(), json!({"reason": reason}))
            .await
    }

    /// Approves, denies, dismisses or cancels the project's latest
    /// application `app_id` (kamaki `application_action`). The reason is
    /// sent as `reason`, the key the server reads.
    ///
    /// # Errors
    /// As [`AccountClient::project_action`]; 409 when `app_id` is not the
    /// latest application.
    pub async fn application_action(
        &self,
        project_id: &str,
        app_id: u64,
        action: ApplicationAction,
        reason: &str,
    ) -> Result<()> {
        self.post_action(
            project_id,
            action.as_str(),
            json!({"reason": reason, "app_id": app_id}),
        )
        .await
    }

    async fn post_action(&self, project_id: &str, action: &str, args: Value) -> Result<()> {
        let request = Request::post()
            .segment("projects")
            .segment(project_id)
            .segment("action")
            .json(&json!({ action: args }))?;
        self.endpoint.send(request).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{body, line, only, scripted};

    const PROJECT: &str = r#"{"id": "p1", "state": "active", "name": "a.b", "owner": "u",
        "creation_date": "2026-01-01T00:00:00+00:00", "end_date": "2027-01-01T00:00:00+00:00",
        "join_policy": "auto", "leave_policy": "auto", "max_members": "9223372036854775807",
        "private": false, "system_project": false,
        "resources": {"cyclades.vm": {"project_capacity": 4, "member_capacity": 2}},
        "last_application": {"id": 3, "state": "approved", "applicant": "u",
            "name": "a.b", "max_members": null, "private": null, "resources": {}}}"#;

    #[tokio::test]
    async fn list_sends_only_the_given_filters() {
        let (client, transport) = scripted(&[(200, &format!("[{PROJECT}]"))]);
        let filter = ProjectFilter {
            state: Some("active".into()),
            owner: Some("u".into()),
            ..ProjectFilter::default()
        };
        let projects = client.get_projects(&filter).await.unwrap();
        assert_eq!(
            line(&only(&transport)),
            "GET /account/v1.0/projects?state=active&owner=u"
        );
        let project = &projects[0];
        assert_eq!(project.max_members, Some(i64::MAX as u64));
        assert_eq!(project.resources["cyclades.vm"].member_capacity, 2);
        assert_eq!(project.last_application.as_ref().unwrap().id, 3);
    }

    #[tokio::test]
    async fn create_and_modify_send_only_set_fields() {
        let (client, transport) = scripted(&[
            (201, r#"{"id": "p1", "application": 5}"#),
            (201, r#"{"id": "p1", "application": "6"}"#),
        ]);
        let mut spec = ProjectSpec {
            name: Some("a.b".into()),
            end_date: Some("2027-01-01T00:00:00Z".into()),
            ..ProjectSpec::default()
        };
        spec.resources.insert(
            "cyclades.vm".into(),
            ResourceGrant {
                project_capacity: 4,
                member_capacity: 2,
            },
        );
        let receipt = client.create_project(&spec).await.unwrap();
        assert_eq!(receipt.application, 5);
        let change = ProjectSpec {
            private: Some(true),
            ..ProjectSpec::default()
        };
        assert_eq!(
            client
                .modify_project("p1", &change)
                .await
                .unwrap()
                .application,
            6
        );
        let requests = transport.requests();
        assert_eq!(line(&requests[0]), "POST /account/v1.0/projects");
        assert_eq!(
            body(&requests[0]),
            json!({"name": "a.b", "end_date": "2027-01-01T00:00:00Z",
                   "resources": {"cyclades.vm": {"project_capacity": 4, "member_capacity": 2}}})
        );
        assert_eq!(line(&requests[1]), "PUT /account/v1.0/projects/p1");
        assert_eq!(body(&requests[1]), json!({"private": true}));
    }

    #[tokio::test]
    async fn actions_name_the_action_and_reason() {
        let (client, transport) = scripted(&[(200, ""), (200, "")]);
        client
            .project_action("p1", ProjectAction::Suspend, "why")
            .await
            .unwrap();
        client
            .application_action("p1", 5, ApplicationAction::Approve, "")
            .await
            .unwrap();
        let requests = transport.requests();
        assert_eq!(line(&requests[0]), "POST /account/v1.0/projects/p1/action");
        assert_eq!(body(&requests[0]), json!({"suspend": {"reason": "why"}}));
        assert_eq!(
            body(&requests[1]),
            json!({"approve": {"reason": "", "app_id": 5}})
        );
    }

    #[tokio::test]
    async fn one_project_by_id() {
        let (client, transport) = scripted(&[(200, PROJECT)]);
        let project = client.get_project("p 1").await.unwrap();
        assert_eq!(project.state, "active");
        assert_eq!(line(&only(&transport)), "GET /account/v1.0/projects/p%201");
    }
}
