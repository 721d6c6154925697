//! Image members (wire §7.6): the users an image is shared with.

use serde_json::{Value, json};

use crate::compute::Ctx;
use crate::compute::world::World;
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// `GET /images/<id>/members`.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let image = world.visible_image(ctx.user, id)?;
    let members: Vec<Value> = image
        .members
        .iter()
        .map(|m| json!({"member_id": m, "can_share": false}))
        .collect();
    Ok(ApiResponse::json(200, &json!({ "members": members })))
}

/// `PUT /images/<id>/members/<member>` → `204`.
pub(crate) fn add(ctx: &Ctx<'_>, world: &mut World, id: &str, member: &str) -> ApiResult {
    let image = world.own_image(ctx.user, id)?;
    image.members.insert(member.to_owned());
    image.updated = ctx.now;
    Ok(ApiResponse::empty(204))
}

/// `DELETE /images/<id>/members/<member>` → `204`.
pub(crate) fn remove(ctx: &Ctx<'_>, world: &mut World, id: &str, member: &str) -> ApiResult {
    let image = world.own_image(ctx.user, id)?;
    image.members.remove(member);
    image.updated = ctx.now;
    Ok(ApiResponse::empty(204))
}

/// The member ids of a `{"memberships": [{"member_id": …}, …]}` body,
/// with the messages of the server's attribute checks.
fn memberships(body: &Value) -> Result<Vec<String>, Fault> {
    let list = match body.get("memberships") {
        None | Some(Value::Null) => {
            return Err(Fault::bad_request(
                "Malformed request. Missing attribute 'memberships'.",
            ));
        }
        Some(Value::Array(list)) => list,
        Some(_) => {
            return Err(Fault::bad_request(
                "Malformed request. Invalid 'memberships' field",
            ));
        }
    };
    list.iter()
        .map(|member| {
            let member = member
                .as_object()
                .ok_or_else(|| Fault::bad_request("Invalid 'memberships' field"))?;
            match member.get("member_id") {
                None | Some(Value::Null) => Err(Fault::bad_request(
                    "Malformed request. Missing attribute 'member_id'.",
                )),
                Some(Value::String(id)) => Ok(id.clone()),
                Some(other) => Ok(other.to_string()),
            }
        })
        .collect()
}

/// `PUT /images/<id>/members` replaces the members (the public flag
/// stays) → `204`.
pub(crate) fn replace(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let members = memberships(&ctx.req.json_body()?)?;
    let image = world.own_image(ctx.user, id)?;
    image.members = members.into_iter().collect();
    image.updated = ctx.now;
    Ok(ApiResponse::empty(204))
}

/// `GET /shared-images/<member>`: the caller's images that `member` can
/// read (what the server's code returns; its comment admits the call's
/// meaning is unclear, and the wire reference reads it the other way).
pub(crate) fn shared(ctx: &Ctx<'_>, world: &mut World, member: &str) -> ApiResult {
    let images: Vec<Value> = world
        .images
        .values()
        .filter(|i| i.owner == ctx.user && i.visible_to(member))
        .map(|i| json!({"image_id": i.id, "can_share": false}))
        .collect();
    Ok(ApiResponse::json(200, &json!({ "shared_images": images })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memberships_body() {
        let ids = memberships(&json!({"memberships": [{"member_id": "a"}, {"member_id": "b"}]}));
        assert_eq!(ids.ok(), Some(vec!["a".to_owned(), "b".to_owned()]));
        let message = |body: Value| memberships(&body).err().map(|f| f.message);
        assert_eq!(
            message(json!({})).as_deref(),
            Some("Malformed request. Missing attribute 'memberships'.")
        );
        assert_eq!(
            message(json!({"memberships": {}})).as_deref(),
            Some("Malformed request. Invalid 'memberships' field")
        );
        assert_eq!(
            message(json!({"memberships": ["a"]})).as_deref(),
            Some("Invalid 'memberships' field")
        );
        assert_eq!(
            message(json!({"memberships": [{"x": 1}]})).as_deref(),
            Some("Malformed request. Missing attribute 'member_id'.")
        );
    }
}
