//! Flavors (wire §3.7): `/flavors`, `/flavors/detail`, `/flavors/<id>`,
//! `/flavors/<id>/os-extra_specs`.

use serde_json::{Value, json};

use super::Ctx;
use super::links::links;
use super::world::World;
use crate::fault_body::Fault;
use crate::json::py_str;
use crate::response::{ApiResponse, ApiResult};

/// A server flavor.
#[derive(Clone, Debug)]
pub(crate) struct Flavor {
    /// Integer id.
    pub(crate) id: u64,
    /// Virtual CPUs.
    pub(crate) cpu: u64,
    /// RAM in MiB.
    pub(crate) ram: u64,
    /// Root disk in GiB.
    pub(crate) disk: u64,
    /// Volume type of its disks.
    pub(crate) volume_type: u64,
    /// Visible to everybody (else only to `access` projects).
    pub(crate) public: bool,
    /// Whether servers may be created with it.
    pub(crate) allow_create: bool,
    /// Projects granted access.
    pub(crate) access: Vec<String>,
    /// Deleted flag.
    pub(crate) deleted: bool,
}

impl Flavor {
    /// Whether the caller (member of `projects`) may use it, for `project`
    /// if given.
    pub(crate) fn accessible(&self, projects: &[String], project: Option<&str>) -> bool {
        if self.public {
            return true;
        }
        match project {
            Some(project) => self.access.iter().any(|p| p == project),
            None => self.access.iter().any(|p| projects.contains(p)),
        }
    }
}

impl World {
    /// The generated flavor name `C<cpu>R<ram>D<disk><disk template>`.
    pub(crate) fn flavor_name(&self, flavor: &Flavor) -> String {
        format!(
            "C{}R{}D{}{}",
            flavor.cpu,
            flavor.ram,
            flavor.disk,
            self.disk_template_of(flavor.volume_type)
        )
    }

    /// The disk template of a volume type (`""` if unknown).
    pub(crate) fn disk_template_of(&self, volume_type: u64) -> &str {
        self.volume_types
            .iter()
            .find(|t| t.id == volume_type)
            .map_or("", |t| t.disk_template.as_str())
    }

    /// `<id:name>`, how a flavor reads in messages.
    pub(crate) fn flavor_repr(&self, flavor: &Flavor) -> String {
        format!("<{}:{}>", flavor.id, self.flavor_name(flavor))
    }

    /// `util.get_flavor`: parses the id (400), finds the flavor (404,
    /// deleted ones only with `include_deleted`) and checks access (403).
    pub(crate) fn get_flavor(
        &self,
        id: &Value,
        projects: &[String],
        include_deleted: bool,
        for_project: Option<&str>,
    ) -> Result<&Flavor, Fault> {
        let parsed = match id {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        let Some(parsed) = parsed else {
            return Err(Fault::bad_request(format!(
                "Invalid flavor ID '{}'",
                py_str(id)
            )));
        };
        let flavor = self
            .flavors
            .iter()
            .find(|f| f.id == parsed && (include_deleted || !f.deleted))
            .ok_or_else(|| Fault::item_not_found("Flavor not found."))?;
        if !flavor.accessible(projects, for_project) {
            return Err(Fault::new(403, "Insufficient access"));
        }
        Ok(flavor)
    }

    /// A flavor as the API shows it.
    fn flavor_json(&self, ctx: &Ctx<'_>, flavor: &Flavor, detail: bool) -> Value {
        let mut value = json!({
            "id": flavor.id,
            "name": self.flavor_name(flavor),
            "links": links(&ctx.urls.compute_item("flavors", flavor.id)),
        });
        if detail {
            value["ram"] = json!(flavor.ram);
            value["disk"] = json!(flavor.disk);
            value["vcpus"] = json!(flavor.cpu);
            value["os-flavor-access:is_public"] = json!(flavor.public);
            value["SNF:disk_template"] = json!(self.disk_template_of(flavor.volume_type));
            value["SNF:volume_type"] = json!(flavor.volume_type);
            value["SNF:allow_create"] = json!(flavor.allow_create);
            let access: Vec<&String> = flavor
                .access
                .iter()
                .filter(|p| ctx.projects.contains(p))
                .collect();
            value["SNF:flavor-access"] = json!(access);
        }
        value
    }
}

/// `GET /flavors[/detail]` with the `SNF:is_public` and
/// `SNF:flavor-access` filters.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, detail: bool) -> ApiResult {
    let public = ctx
        .req
        .query_param("SNF:is_public")
        .map(|v| v.eq_ignore_ascii_case("true"));
    let project = ctx.req.query_param("SNF:flavor-access").map(|p| {
        // A project the caller is not a member of matches nothing.
        if ctx.projects.iter().any(|own| own == p) {
            p.to_owned()
        } else {
            String::new()
        }
    });
    let flavors: Vec<Value> = world
        .flavors
        .iter()
        .filter(|f| !f.deleted && f.accessible(&ctx.projects, None))
        .filter(|f| project.as_ref().is_none_or(|p| f.access.contains(p)))
        .filter(|f| public.is_none_or(|p| f.public == p))
        .map(|f| world.flavor_json(ctx, f, detail))
        .collect();
    Ok(ApiResponse::json(200, &json!({ "flavors": flavors })))
}

/// `GET /flavors/<id>` (deleted flavors included).
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let flavor = world.get_flavor(&json!(id), &ctx.projects, true, None)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "flavor": world.flavor_json(ctx, flavor, true) }),
    ))
}

/// `GET /flavors/<id>/os-extra_specs`: always empty.
pub(crate) fn extra_specs() -> ApiResult {
    Ok(ApiResponse::json(200, &json!({ "extra_specs": {} })))
}
