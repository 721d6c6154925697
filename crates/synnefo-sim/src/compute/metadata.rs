//! Server metadata (wire §3.5): `/servers/<id>/metadata[/<key>]`.

use serde_json::{Value, json};

use super::create::{MAX_META_KEY, MAX_META_VALUE, MAX_METADATA};
use super::world::World;
use super::{Ctx, body_dict};
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// `400` for too many items.
fn too_many() -> Fault {
    Fault::bad_request(format!(
        "Virtual Machines cannot have more than {MAX_METADATA} metadata items"
    ))
}

/// Length checks of one item.
fn check_item(key: &str, value: &str) -> Result<(), Fault> {
    if key.chars().count() > MAX_META_KEY {
        return Err(Fault::bad_request(
            "Malformed Request. Metadata key is too long",
        ));
    }
    if value.chars().count() > MAX_META_VALUE {
        return Err(Fault::bad_request(
            "Malformed Request. Metadata value is too long",
        ));
    }
    Ok(())
}

/// `GET /servers/<id>/metadata`.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let server = world.server(ctx.user, id)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "metadata": server.metadata }),
    ))
}

/// `POST /servers/<id>/metadata` `{"metadata": {...}}`: merge → 201 with
/// all items.
pub(crate) fn update(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let body = ctx.req.json_body()?;
    let server = world.live_server(ctx.user, id)?;
    let metadata = body_dict(&body, "metadata")?;
    let added = metadata
        .keys()
        .filter(|k| !server.metadata.contains_key(*k))
        .count();
    if server.metadata.len() + added > MAX_METADATA {
        return Err(too_many());
    }
    let mut items = Vec::new();
    for (key, value) in metadata {
        let Value::String(value) = value else {
            return Err(Fault::bad_request("Malformed Request. Invalid metadata."));
        };
        check_item(key, value)?;
        items.push((key.clone(), value.clone()));
    }
    let server = world.server_mut(id)?;
    server.metadata.extend(items);
    server.updated = ctx.now;
    Ok(ApiResponse::json(
        201,
        &json!({ "metadata": server.metadata }),
    ))
}

/// `GET /servers/<id>/metadata/<key>` → `{"meta": {key: value}}`.
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: u64, key: &str) -> ApiResult {
    let server = world.server(ctx.user, id)?;
    let value = server
        .metadata
        .get(key)
        .ok_or_else(|| Fault::item_not_found("Metadata key not found."))?;
    Ok(ApiResponse::json(200, &json!({"meta": {key: value}})))
}

/// `PUT /servers/<id>/metadata/<key>` `{"meta": {key: value}}` → 201.
pub(crate) fn put(ctx: &Ctx<'_>, world: &mut World, id: u64, key: &str) -> ApiResult {
    let body = ctx.req.json_body()?;
    let server = world.live_server(ctx.user, id)?;
    let malformed = || Fault::bad_request("Malformed request");
    let meta = body
        .get("meta")
        .and_then(Value::as_object)
        .filter(|m| m.len() == 1)
        .ok_or_else(malformed)?;
    let value = meta.get(key).ok_or_else(malformed)?;
    let Value::String(value) = value else {
        return Err(malformed());
    };
    check_item(key, value)?;
    let others = server.metadata.keys().filter(|k| *k != key).count();
    if others == MAX_METADATA {
        return Err(too_many());
    }
    let server = world.server_mut(id)?;
    server.metadata.insert(key.to_owned(), value.clone());
    server.updated = ctx.now;
    Ok(ApiResponse::json(201, &json!({"meta": {key: value}})))
}

/// `DELETE /servers/<id>/metadata/<key>` → 204.
pub(crate) fn delete(ctx: &Ctx<'_>, world: &mut World, id: u64, key: &str) -> ApiResult {
    let server = world.live_server(ctx.user, id)?;
    if !server.metadata.contains_key(key) {
        return Err(Fault::item_not_found("Metadata key not found."));
    }
    let server = world.server_mut(id)?;
    server.metadata.remove(key);
    server.updated = ctx.now;
    Ok(ApiResponse::empty(204))
}
