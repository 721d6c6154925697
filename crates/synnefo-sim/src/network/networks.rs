//! `/networks`: list, create, show, rename, delete, reassign (wire §4.1).

use serde_json::{Value, json};

use super::view::{network_json, subnets_json};
use super::{bool_attr, name_attr, project_attr, reassign_args, text_attr};
use crate::compute::network::Network;
use crate::compute::quota::Resource;
use crate::compute::world::{IdKind, World};
use crate::compute::{Ctx, body_dict, changes_since, not_modified};
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// The network types Synnefo knows.
const TYPES: &[&str] = &["CUSTOM", "MAC_FILTERED", "IP_LESS_ROUTED", "PHYSICAL_VLAN"];

/// The types users may create (`API_ENABLED_NETWORK_FLAVORS`).
const ENABLED_TYPES: &[&str] = &["MAC_FILTERED"];

impl World {
    /// A network `user` sees and that is not deleted (400 for a malformed
    /// id, 404 otherwise).
    pub(crate) fn live_network(&self, user: &str, id: &str) -> Result<&Network, Fault> {
        let network = self.get_network(user, id)?;
        if network.deleted {
            return Err(Fault::item_not_found(format!(
                "Network {} not found.",
                network.id
            )));
        }
        Ok(network)
    }

    /// A network of `user` they may change: not public (403), their own.
    fn own_network(&self, user: &str, id: &str, verb: &str) -> Result<u64, Fault> {
        let network = self.live_network(user, id)?;
        if network.public || network.user.as_deref() != Some(user) {
            return Err(Fault::new(
                403,
                format!("Cannot {verb} the public network."),
            ));
        }
        Ok(network.id)
    }
}

/// `GET /networks[/detail]` (with `changes-since`).
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let since = changes_since(ctx.req, ctx.now)?;
    let networks: Vec<Value> = world
        .networks
        .values()
        .filter(|n| n.visible_to(ctx.user))
        .filter(|n| match since {
            Some(t) => n.updated >= t,
            None => !n.deleted,
        })
        .map(|n| network_json(n, ctx.urls))
        .collect();
    if since.is_some() && networks.is_empty() {
        return Err(not_modified());
    }
    Ok(ApiResponse::json(200, &json!({ "networks": networks })))
}

/// `GET /networks/<id>`.
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let network = world.live_network(ctx.user, id)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "network": network_json(network, ctx.urls) }),
    ))
}

/// `POST /networks` `{"network": {"type", "name", "project",
/// "shared_to_project"}}` → 201, `ACTIVE` at once; charges
/// `cyclades.network.private`. Batch bodies (`{"networks": [...]}`) are
/// not Synnefo's: they fail the `network` attribute check.
pub(crate) fn create(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let body = ctx.req.json_body()?;
    let info = body_dict(&body, "network")?;
    let flavor = text_attr(info, "type")?
        .ok_or_else(|| Fault::bad_request("Malformed request. Missing attribute 'type'."))?;
    if !TYPES.contains(&flavor.as_str()) {
        return Err(Fault::bad_request(format!(
            "Invalid network type '{flavor}'"
        )));
    }
    if !ENABLED_TYPES.contains(&flavor.as_str()) {
        return Err(Fault::new(
            403,
            format!("Cannot create network of type '{flavor}'."),
        ));
    }
    let name = name_attr(info)?.unwrap_or_default();
    let project = project_attr(ctx, info)?;
    let shared_to_project = bool_attr(info, "shared_to_project")?.unwrap_or(false);
    world
        .quotas
        .issue(ctx.user, &[(project.clone(), Resource::NetworkPrivate, 1)])?;
    let id = world.ids.next(IdKind::Network);
    let network = Network {
        id,
        name,
        flavor,
        user: Some(ctx.user.to_owned()),
        project: Some(project),
        shared_to_project,
        public: false,
        floating_ip_pool: false,
        subnet4: None,
        subnet6: None,
        deleted: false,
        created: ctx.now,
        updated: ctx.now,
    };
    let answer = json!({ "network": network_json(&network, ctx.urls) });
    world.networks.insert(id, network);
    Ok(ApiResponse::json(201, &answer))
}

/// `PUT /networks/<id>` `{"network": {"name"}}` → 200; public → 403.
pub(crate) fn update(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let body = ctx.req.json_body()?;
    let info = body_dict(&body, "network")?;
    let name = name_attr(info)?
        .ok_or_else(|| Fault::bad_request("Malformed request. Missing attribute 'name'."))?;
    let id = world.own_network(ctx.user, id, "rename")?;
    let network = world
        .networks
        .get_mut(&id)
        .ok_or_else(|| Fault::item_not_found(format!("Network {id} not found.")))?;
    network.name = name;
    network.updated = ctx.now;
    Ok(ApiResponse::json(
        200,
        &json!({ "network": network_json(network, ctx.urls) }),
    ))
}

/// `DELETE /networks/<id>` → 204; public → 403; ports on it or floating
/// IPs from it → 409. Its subnets go with it; the quota is released.
pub(crate) fn delete(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let id = world.own_network(ctx.user, id, "delete")?;
    if world.ports.values().any(|p| p.network == id) {
        return Err(Fault::new(
            409,
            format!("Network {id} is in use: delete its ports first."),
        ));
    }
    if world.ips.values().any(|ip| ip.network == id && ip.floating) {
        return Err(Fault::new(
            409,
            format!("Network {id} has allocated floating IPs."),
        ));
    }
    let project = world.networks.get(&id).and_then(|n| n.project.clone());
    if let Some(project) = project {
        world
            .quotas
            .issue(ctx.user, &[(project, Resource::NetworkPrivate, -1)])?;
    }
    if let Some(network) = world.networks.get_mut(&id) {
        network.deleted = true;
        network.updated = ctx.now;
    }
    Ok(ApiResponse::empty(204))
}

/// `POST /networks/<id>/action` `{"reassign": {"project"[,
/// "shared_to_project"]}}` → 200; moves the quota to the new project.
pub(crate) fn action(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let (project, shared) = reassign_args(ctx)?;
    let id = world.own_network(ctx.user, id, "reassign")?;
    let old = world
        .networks
        .get(&id)
        .and_then(|n| n.project.clone())
        .unwrap_or_else(|| ctx.user.to_owned());
    world.quotas.issue(
        ctx.user,
        &[
            (old, Resource::NetworkPrivate, -1),
            (project.clone(), Resource::NetworkPrivate, 1),
        ],
    )?;
    if let Some(network) = world.networks.get_mut(&id) {
        network.project = Some(project);
        if let Some(shared) = shared {
            network.shared_to_project = shared;
        }
        network.updated = ctx.now;
    }
    Ok(ApiResponse::empty(200))
}

/// Every subnet object of the networks `user` sees.
pub(crate) fn visible_subnets(ctx: &Ctx<'_>, world: &World) -> Vec<Value> {
    world
        .networks
        .values()
        .filter(|n| n.visible_to(ctx.user) && !n.deleted)
        .flat_map(|n| subnets_json(n, ctx.urls))
        .collect()
}
