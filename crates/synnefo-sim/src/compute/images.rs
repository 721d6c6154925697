//! Images through compute (wire §3.8): views of the Plankton store.

use serde_json::{Value, json};

use super::Ctx;
use super::changes_since::changes_since;
use super::image::{Image, ImageStatus, check_properties};
use super::world::World;
use crate::dates::isoformat;
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// An image as compute shows it.
fn image_json(ctx: &Ctx<'_>, image: &Image, detail: bool) -> Value {
    let mut value = json!({"id": image.id, "name": image.name});
    if detail {
        let status = match image.status {
            ImageStatus::Available => "ACTIVE",
            ImageStatus::Unavailable => "SAVING",
        };
        value["updated"] = json!(isoformat(image.updated));
        value["created"] = json!(isoformat(image.created));
        value["status"] = json!(status);
        value["progress"] = json!(if status == "ACTIVE" { 100 } else { 0 });
        value["user_id"] = json!(image.owner);
        value["tenant_id"] = json!(image.owner);
        value["public"] = json!(image.public);
        value["links"] = ctx.urls.image_links(&image.id);
        value["metadata"] = json!(image.properties);
        value["is_snapshot"] = json!(image.is_snapshot);
    }
    value
}

/// `GET /images[/detail]`: images the caller can read, by id;
/// `changes-since` filters (and, like the server, never answers 304).
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, detail: bool) -> ApiResult {
    let since = changes_since(ctx.req, ctx.now)?;
    let images: Vec<Value> = world
        .images
        .values()
        .filter(|i| i.visible_to(ctx.user))
        .filter(|i| since.is_none_or(|t| i.updated >= t))
        .map(|i| image_json(ctx, i, detail))
        .collect();
    Ok(ApiResponse::json(200, &json!({ "images": images })))
}

/// `POST /images`: not supported (501).
pub(crate) fn create() -> ApiResult {
    Err(Fault::new(501, "Not supported."))
}

/// `GET /images/<id>`.
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let image = world.visible_image(ctx.user, id)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "image": image_json(ctx, image, true) }),
    ))
}

/// `DELETE /images/<id>`: unregisters an image of the caller (204).
pub(crate) fn delete(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    world.own_image(ctx.user, id)?;
    world.images.remove(id);
    Ok(ApiResponse::empty(204))
}

/// `GET /images/<id>/metadata`.
pub(crate) fn metadata(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let image = world.visible_image(ctx.user, id)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "metadata": image.properties }),
    ))
}

/// Updates properties of an image of the caller.
fn set_properties(
    ctx: &Ctx<'_>,
    world: &mut World,
    id: &str,
    items: Vec<(String, String)>,
) -> Result<(), Fault> {
    check_properties(items.iter().map(|(k, v)| (k, v)))?;
    let image = world.own_image(ctx.user, id)?;
    image.properties.extend(items);
    image.updated = ctx.now;
    Ok(())
}

/// String items of a JSON object (400 `Malformed request.` otherwise).
fn string_items(map: &serde_json::Map<String, Value>) -> Result<Vec<(String, String)>, Fault> {
    map.iter()
        .map(|(k, v)| match v {
            Value::String(v) => Ok((k.clone(), v.clone())),
            _ => Err(Fault::bad_request("Malformed request.")),
        })
        .collect()
}

/// `POST /images/<id>/metadata` `{"metadata": {...}}`: merge → 201.
pub(crate) fn update_metadata(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let body = ctx.req.json_body()?;
    world.visible_image(ctx.user, id)?;
    let metadata = body
        .get("metadata")
        .and_then(Value::as_object)
        .ok_or_else(|| Fault::bad_request("Malformed request."))?;
    set_properties(ctx, world, id, string_items(metadata)?)?;
    let image = world.visible_image(ctx.user, id)?;
    Ok(ApiResponse::json(
        201,
        &json!({ "metadata": image.properties }),
    ))
}

/// `GET /images/<id>/metadata/<key>`.
pub(crate) fn get_item(ctx: &Ctx<'_>, world: &mut World, id: &str, key: &str) -> ApiResult {
    let image = world.visible_image(ctx.user, id)?;
    let value = image
        .properties
        .get(key)
        .ok_or_else(|| Fault::item_not_found("Metadata key not found."))?;
    Ok(ApiResponse::json(200, &json!({"meta": {key: value}})))
}

/// `PUT /images/<id>/metadata/<key>` `{"meta": {key: value}}` → 201.
pub(crate) fn put_item(ctx: &Ctx<'_>, world: &mut World, id: &str, key: &str) -> ApiResult {
    let body = ctx.req.json_body()?;
    let malformed = || Fault::bad_request("Malformed request.");
    let meta = body
        .get("meta")
        .and_then(Value::as_object)
        .filter(|m| m.len() == 1 && m.contains_key(key))
        .ok_or_else(malformed)?;
    let items = string_items(meta)?;
    world.visible_image(ctx.user, id)?;
    set_properties(ctx, world, id, items.clone())?;
    let value = items.into_iter().next().map(|(_, v)| v).unwrap_or_default();
    Ok(ApiResponse::json(201, &json!({"meta": {key: value}})))
}

/// `DELETE /images/<id>/metadata/<key>` → 204 (missing keys too).
pub(crate) fn delete_item(ctx: &Ctx<'_>, world: &mut World, id: &str, key: &str) -> ApiResult {
    world.visible_image(ctx.user, id)?;
    let image = world.own_image(ctx.user, id)?;
    image.properties.remove(key);
    image.updated = ctx.now;
    Ok(ApiResponse::empty(204))
}
