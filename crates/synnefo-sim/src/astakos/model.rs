//! Projects, applications and memberships as Astakos keeps them, and their
//! JSON forms (wire §2.4).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::dates::isoformat;

/// What a project grants for one resource.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Grant {
    /// Limit over all members.
    pub(crate) project_capacity: u64,
    /// Limit of each member.
    pub(crate) member_capacity: u64,
}

/// Grants by resource name.
pub(crate) type Grants = BTreeMap<String, Grant>;

fn grants_json(grants: &Grants) -> Value {
    let map: Map<String, Value> = grants
        .iter()
        .map(|(name, g)| {
            (
                name.clone(),
                json!({"project_capacity": g.project_capacity, "member_capacity": g.member_capacity}),
            )
        })
        .collect();
    Value::Object(map)
}

/// The current definition of a project.
#[derive(Clone, Debug)]
pub(crate) struct ProjectFields {
    /// Name.
    pub(crate) name: String,
    /// Web page.
    pub(crate) homepage: String,
    /// Description.
    pub(crate) description: String,
    /// Start.
    pub(crate) start_date: OffsetDateTime,
    /// End.
    pub(crate) end_date: OffsetDateTime,
    /// `auto`, `moderated` or `closed`.
    pub(crate) join_policy: String,
    /// `auto`, `moderated` or `closed`.
    pub(crate) leave_policy: String,
    /// Most members.
    pub(crate) max_members: u64,
    /// Visible to members only.
    pub(crate) private: bool,
    /// Grants.
    pub(crate) resources: Grants,
}

/// A project.
#[derive(Clone, Debug)]
pub(crate) struct Project {
    /// UUID (a user's system project has the user's UUID).
    pub(crate) id: String,
    /// `uninitialized`, `active`, `suspended`, `terminated` or `deleted`.
    pub(crate) state: &'static str,
    /// Created.
    pub(crate) creation_date: OffsetDateTime,
    /// Owner (`None` for system projects).
    pub(crate) owner: Option<String>,
    /// A user's system project.
    pub(crate) system: bool,
    /// Current definition.
    pub(crate) fields: ProjectFields,
    /// Latest application.
    pub(crate) last_app: Option<u64>,
    /// When it was suspended or terminated.
    pub(crate) deactivation_date: Option<OffsetDateTime>,
}

/// The changes an application asks for; `None` = unchanged.
#[derive(Clone, Debug, Default)]
pub(crate) struct AppFields {
    /// Name.
    pub(crate) name: Option<String>,
    /// Owner.
    pub(crate) owner: Option<String>,
    /// Web page.
    pub(crate) homepage: Option<String>,
    /// Description.
    pub(crate) description: Option<String>,
    /// Comments to the reviewers.
    pub(crate) comments: Option<String>,
    /// Start.
    pub(crate) start_date: Option<OffsetDateTime>,
    /// End.
    pub(crate) end_date: Option<OffsetDateTime>,
    /// Join policy.
    pub(crate) join_policy: Option<String>,
    /// Leave policy.
    pub(crate) leave_policy: Option<String>,
    /// Most members.
    pub(crate) max_members: Option<u64>,
    /// Privacy.
    pub(crate) private: Option<bool>,
    /// Grants.
    pub(crate) resources: Option<Grants>,
}

/// An application to create or modify a project.
#[derive(Clone, Debug)]
pub(crate) struct Application {
    /// Id.
    pub(crate) id: u64,
    /// `pending`, `approved`, `replaced`, `denied`, `dismissed`, `cancelled`.
    pub(crate) state: &'static str,
    /// Who applied.
    pub(crate) applicant: String,
    /// What it asks for.
    pub(crate) fields: AppFields,
}

/// A user's membership of a project.
#[derive(Clone, Debug)]
pub(crate) struct Membership {
    /// Id.
    pub(crate) id: u64,
    /// Member UUID.
    pub(crate) user: String,
    /// Project UUID.
    pub(crate) project: String,
    /// State name.
    pub(crate) state: &'static str,
    /// When it last entered each state.
    pub(crate) dates: BTreeMap<&'static str, OffsetDateTime>,
}

impl Membership {
    /// Moves to `state` at `now`.
    pub(crate) fn enter(&mut self, state: &'static str, now: OffsetDateTime) {
        self.state = state;
        self.dates.insert(state, now);
    }

    /// Whether the user counts as a member (quota granted).
    pub(crate) fn is_accepted(&self) -> bool {
        matches!(self.state, "accepted" | "leave_requested")
    }

    /// Whether the membership still binds user and project.
    pub(crate) fn is_live(&self) -> bool {
        matches!(
            self.state,
            "requested" | "accepted" | "leave_requested" | "suspended"
        )
    }

    /// JSON, with the actions `allowed` to the caller.
    pub(crate) fn to_json(&self, allowed: &[&str]) -> Value {
        let mut value = json!({"id": self.id, "user": self.user, "project": self.project,
                               "state": self.state, "allowed_actions": allowed});
        for (state, when) in &self.dates {
            value[*state] = json!(isoformat(*when));
        }
        value
    }
}

fn opt_date(date: Option<OffsetDateTime>) -> Value {
    date.map_or(Value::Null, |d| json!(isoformat(d)))
}

impl Application {
    /// JSON.
    pub(crate) fn to_json(&self) -> Value {
        let f = &self.fields;
        json!({"id": self.id, "state": self.state, "applicant": self.applicant,
               "name": f.name, "owner": f.owner, "homepage": f.homepage,
               "description": f.description, "comments": f.comments,
               "start_date": opt_date(f.start_date), "end_date": opt_date(f.end_date),
               "join_policy": f.join_policy, "leave_policy": f.leave_policy,
               "max_members": f.max_members, "private": f.private,
               "resources": f.resources.as_ref().map_or(json!({}), grants_json)})
    }
}

impl Project {
    /// JSON; `application` is the latest application when the caller may
    /// see it.
    pub(crate) fn to_json(&self, application: Option<&Application>) -> Value {
        let f = &self.fields;
        let mut value = json!({"id": self.id, "state": self.state,
            "creation_date": isoformat(self.creation_date), "name": f.name,
            "owner": self.owner, "homepage": f.homepage, "description": f.description,
            "end_date": isoformat(f.end_date), "join_policy": f.join_policy,
            "leave_policy": f.leave_policy, "max_members": f.max_members,
            "private": f.private, "system_project": self.system,
            "resources": grants_json(&f.resources)});
        if let Some(app) = application {
            value["last_application"] = app.to_json();
            if let Some(date) = self.deactivation_date {
                value["deactivation_date"] = json!(isoformat(date));
            }
        }
        value
    }

    /// Applies an approved application's changes.
    pub(crate) fn apply(&mut self, app: &AppFields) {
        let f = &mut self.fields;
        if let Some(v) = &app.name {
            f.name.clone_from(v);
        }
        if let Some(v) = &app.owner {
            self.owner = Some(v.clone());
        }
        if let Some(v) = &app.homepage {
            f.homepage.clone_from(v);
        }
        if let Some(v) = &app.description {
            f.description.clone_from(v);
        }
        if let Some(v) = app.start_date {
            f.start_date = v;
        }
        if let Some(v) = app.end_date {
            f.end_date = v;
        }
        if let Some(v) = &app.join_policy {
            f.join_policy.clone_from(v);
        }
        if let Some(v) = &app.leave_policy {
            f.leave_policy.clone_from(v);
        }
        if let Some(v) = app.max_members {
            f.max_members = v;
        }
        if let Some(v) = app.private {
            f.private = v;
        }
        if let Some(v) = &app.resources {
            for (name, grant) in v {
                f.resources.insert(name.clone(), *grant);
            }
        }
    }
}
