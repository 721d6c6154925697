//! Server addresses (wire §3.5): `/servers/<id>/ips[/<network>]`.

use serde_json::{Value, json};

use super::Ctx;
use super::network::addresses;
use super::world::World;
use crate::response::{ApiResponse, ApiResult};

/// `GET /servers/<id>/ips` → `{"addresses", "attachments"}`.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    world.server(ctx.user, id)?;
    let attachments = world.attachments(id);
    Ok(ApiResponse::json(
        200,
        &json!({"addresses": addresses(&attachments), "attachments": attachments}),
    ))
}

/// `GET /servers/<id>/ips/<network>` → `{"network": {<id>: [...]}}`
/// (empty when the server has no NIC there).
pub(crate) fn of_network(ctx: &Ctx<'_>, world: &mut World, id: u64, network: &str) -> ApiResult {
    world.server(ctx.user, id)?;
    let network = world.get_network(ctx.user, network)?.id.to_string();
    let attachments: Vec<Value> = world
        .attachments(id)
        .into_iter()
        .filter(|nic| nic["network_id"] == network.as_str())
        .collect();
    Ok(ApiResponse::json(
        200,
        &json!({ "network": addresses(&attachments) }),
    ))
}
