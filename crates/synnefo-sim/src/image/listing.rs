//! `GET /images` and `GET /images/detail` (wire §7.2).

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::meta_headers::{plankton_date, raw_status};
use crate::compute::Ctx;
use crate::compute::image::Image;
use crate::compute::world::World;
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// The keys an image list can be sorted by.
const SORT_KEYS: &[&str] = &[
    "id",
    "name",
    "status",
    "size",
    "disk_format",
    "container_format",
    "created_at",
    "updated_at",
];

/// An image as the list shows it.
fn image_json(image: &Image, detail: bool) -> Value {
    let mut value = json!({
        "id": image.id,
        "name": image.name,
        "status": raw_status(image),
        "disk_format": image.disk_format,
        "container_format": image.container_format,
        "size": image.size,
    });
    if detail {
        value["checksum"] = json!(image.checksum);
        value["location"] = json!(image.location);
        value["created_at"] = json!(plankton_date(image.created));
        value["updated_at"] = json!(plankton_date(image.updated));
        value["deleted_at"] = json!("");
        value["is_public"] = json!(image.public);
        value["owner"] = json!(image.owner);
        value["properties"] = json!(image.properties);
        value["is_snapshot"] = json!(image.is_snapshot);
        if !image.description.is_empty() {
            value["description"] = json!(image.description);
        }
    }
    value
}

/// Compares two images by a sort key.
fn compare(key: &str, a: &Image, b: &Image) -> Ordering {
    match key {
        "id" => a.id.cmp(&b.id),
        "name" => a.name.cmp(&b.name),
        "status" => raw_status(a).cmp(&raw_status(b)),
        "size" => a.size.cmp(&b.size),
        "disk_format" => a.disk_format.cmp(&b.disk_format),
        "container_format" => a.container_format.cmp(&b.container_format),
        "updated_at" => a.updated.cmp(&b.updated),
        _ => a.created.cmp(&b.created),
    }
}

/// Lists the images the caller owns, is a member of, or can see because
/// they are public. The filters are checked but, like the server, not
/// applied.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, detail: bool) -> ApiResult {
    let key = ctx.req.query_param("sort_key").unwrap_or("created_at");
    if !SORT_KEYS.contains(&key) {
        return Err(Fault::bad_request("Invalid 'sort_key'"));
    }
    let descending = match ctx.req.query_param("sort_dir").unwrap_or("desc") {
        "desc" => true,
        "asc" => false,
        _ => return Err(Fault::bad_request("Invalid 'sort_dir'")),
    };
    for bound in ["size_min", "size_max"] {
        if let Some(value) = ctx.req.query_param(bound)
            && value.parse::<u64>().is_err()
        {
            return Err(Fault::bad_request("Malformed request."));
        }
    }
    let mut images: Vec<&Image> = world
        .images
        .values()
        .filter(|i| i.visible_to(ctx.user))
        .collect();
    images.sort_by(|a, b| {
        let order = compare(key, a, b).then_with(|| a.id.cmp(&b.id));
        if descending { order.reverse() } else { order }
    });
    let images: Vec<Value> = images.iter().map(|i| image_json(i, detail)).collect();
    // A bare list, as the server's code answers (its guide agrees; the
    // wire reference's `{"images": [...]}` is not what Plankton sends).
    Ok(ApiResponse::json(200, &Value::Array(images)))
}
