//! Server tags (wire §3.5): `/servers/<id>/tags[/<tag>]`. New tags are
//! `PENDADD` until the backend job confirms them (`action_delay`).

use serde_json::{Value, json};

use super::Ctx;
use super::create::MAX_TAGS;
use super::server::Tag;
use super::world::World;
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// Longest tag.
const MAX_TAG: usize = 60;

/// `check_tag`: no `/` or `,`, at most 60 characters.
pub(crate) fn check_tag(tag: &str) -> Result<(), Fault> {
    if tag.contains(['/', ',']) {
        return Err(Fault::bad_request("Tag cannot contain '/' or ','"));
    }
    if tag.chars().count() > MAX_TAG {
        return Err(Fault::bad_request("Malformed Request. Tag is too long"));
    }
    Ok(())
}

/// `{"tags": [...], "statuses": [...]}`.
fn render(tags: &[String], statuses: &[&str], status: u16) -> ApiResponse {
    ApiResponse::json(status, &json!({"tags": tags, "statuses": statuses}))
}

/// `GET /servers/<id>/tags`.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let server = world.server(ctx.user, id)?;
    let tags: Vec<String> = server.tags.iter().map(|t| t.name.clone()).collect();
    let statuses: Vec<&str> = server.tags.iter().map(|t| t.status(ctx.now)).collect();
    Ok(render(&tags, &statuses, 200))
}

/// `PUT /servers/<id>/tags` `{"tags": [...]}`: replaces the active tags.
pub(crate) fn replace(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let body = ctx.req.json_body()?;
    let tags = match body.get("tags") {
        None | Some(Value::Null) => {
            return Err(Fault::bad_request(
                "Malformed request. Missing attribute 'tags'.",
            ));
        }
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(Fault::bad_request(
                "Malformed request. Invalid 'tags' field",
            ));
        }
    };
    let tags: Vec<String> = tags
        .iter()
        .map(|t| {
            t.as_str()
                .map(str::to_owned)
                .ok_or_else(|| Fault::bad_request("Malformed Request. Invalid tag."))
        })
        .collect::<Result<_, _>>()?;
    if tags.len() > MAX_TAGS {
        return Err(Fault::bad_request(format!(
            "Virtual Machines cannot have more than {MAX_TAGS} tags"
        )));
    }
    for tag in &tags {
        check_tag(tag)?;
    }
    world.live_server(ctx.user, id)?;
    let active_at = World::after(ctx.now, world.action_delay);
    let server = world.server_mut(id)?;
    let now = ctx.now;
    server.tags.retain(|t| t.active_at > now);
    for tag in &tags {
        if !server.tags.iter().any(|t| &t.name == tag) {
            server.tags.push(Tag {
                name: tag.clone(),
                active_at,
            });
        }
    }
    server.updated = now;
    let statuses = vec!["PENDADD"; tags.len()];
    Ok(render(&tags, &statuses, 200))
}

/// `DELETE /servers/<id>/tags`: 204, or 404 when there was none.
pub(crate) fn delete_all(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    world.live_server(ctx.user, id)?;
    let server = world.server_mut(id)?;
    let now = ctx.now;
    let before = server.tags.len();
    server.tags.retain(|t| t.active_at > now);
    if server.tags.len() == before {
        return Ok(ApiResponse::empty(404));
    }
    server.updated = now;
    Ok(ApiResponse::empty(204))
}

/// `GET /servers/<id>/tags/<tag>`: 204 with `tag-status`, or 404.
pub(crate) fn check(ctx: &Ctx<'_>, world: &mut World, id: u64, tag: &str) -> ApiResult {
    let server = world.server(ctx.user, id)?;
    match server.tags.iter().find(|t| t.name == tag) {
        Some(found) => Ok(ApiResponse::empty(204).with_header(
            http::HeaderName::from_static("tag-status"),
            found.status(ctx.now),
        )),
        None => Ok(ApiResponse::empty(404)),
    }
}

/// `PUT /servers/<id>/tags/<tag>`: 201 with `Location` if new, else 204.
pub(crate) fn add(ctx: &Ctx<'_>, world: &mut World, id: u64, tag: &str) -> ApiResult {
    check_tag(tag)?;
    world.live_server(ctx.user, id)?;
    let active_at = World::after(ctx.now, world.action_delay);
    let server = world.server_mut(id)?;
    let active = server.active_tags(ctx.now).len();
    if active + 1 > MAX_TAGS {
        return Err(Fault::bad_request(format!(
            "Virtual Machines cannot have more than {MAX_TAGS} tags"
        )));
    }
    if server.tags.iter().any(|t| t.name == tag) {
        return Ok(ApiResponse::empty(204));
    }
    server.tags.push(Tag {
        name: tag.to_owned(),
        active_at,
    });
    server.updated = ctx.now;
    let location = format!("{}{}", ctx.urls.base, ctx.req.target);
    Ok(ApiResponse::empty(201).with_header(http::header::LOCATION, &location))
}

/// `DELETE /servers/<id>/tags/<tag>`: 204 if an active tag was removed,
/// else 404.
pub(crate) fn remove(ctx: &Ctx<'_>, world: &mut World, id: u64, tag: &str) -> ApiResult {
    world.live_server(ctx.user, id)?;
    let server = world.server_mut(id)?;
    let now = ctx.now;
    let before = server.tags.len();
    server
        .tags
        .retain(|t| !(t.name == tag && t.active_at <= now));
    if server.tags.len() == before {
        return Ok(ApiResponse::empty(404));
    }
    server.updated = now;
    Ok(ApiResponse::empty(204))
}
