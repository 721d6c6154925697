//! Cyclades block storage (wire §5, a Cinder v2 subset), mounted at
//! `/cyclades/volume` with the API under `/v2.0/` and `/v2/`.
//!
//! Volumes live in the Cyclades world next to the servers they are
//! attached to; snapshots are images of their owner (`is_snapshot`).
//! Wrong methods on the demultiplexed URLs get Django's bare 405 (empty
//! body, `Allow: GET, POST`); single-method views answer a JSON
//! `notAllowed` like the rest of Cyclades.

mod attrs;
pub(crate) mod create;
mod format;
mod lookup;
mod metadata;
pub(crate) mod model;
mod routes;
mod snapshots;
mod types;
mod volumes;

use std::borrow::Cow;

use http::{Method, header};

use crate::body::ResponseBody;
use crate::compute::world::World;
use crate::compute::{Ctx, run};
use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;
use crate::versions;
use routes::Route;

/// Routes a request whose path is `/cyclades/volume{rest}`.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let Some(path) = rest
        .strip_prefix("/v2.0/")
        .or_else(|| rest.strip_prefix("/v2/"))
    else {
        return versions::volume(state, req, rest);
    };
    let route = routes::parse(path).ok_or_else(Fault::endpoint_not_found)?;
    let (allowed, bare) = route.allowed();
    if !allowed.contains(&req.method.as_str()) {
        if bare {
            return Ok(ApiResponse::with_body(
                405,
                Cow::Borrowed("text/html; charset=utf-8"),
                ResponseBody::empty(),
            )
            .with_header(header::ALLOW, &allowed.join(", ")));
        }
        return Err(Fault::not_allowed(allowed));
    }
    run(state, req, |ctx, world| dispatch(ctx, world, route))
}

/// Runs the view of a route.
fn dispatch(ctx: &Ctx<'_>, world: &mut World, route: Route) -> ApiResult {
    let m = &ctx.req.method;
    match route {
        Route::Volumes if m == Method::POST => volumes::create(ctx, world),
        Route::Volumes => volumes::list(ctx, world, false),
        Route::VolumesDetail => volumes::list(ctx, world, true),
        Route::Volume(id) if m == Method::PUT => volumes::update(ctx, world, id),
        Route::Volume(id) if m == Method::DELETE => volumes::delete(ctx, world, id),
        Route::Volume(id) => volumes::get(ctx, world, id),
        Route::VolumeMetadata(id) if m == Method::GET => metadata::list(ctx, world, id),
        Route::VolumeMetadata(id) => metadata::update(ctx, world, id, m == Method::PUT),
        Route::VolumeMetadataItem(id, key) => metadata::delete(ctx, world, id, &key),
        Route::VolumeAction(id) => volumes::action(ctx, world, id),
        Route::Types => types::list(ctx, world),
        Route::Type(id) => types::get(ctx, world, id),
        Route::Snapshots if m == Method::POST => snapshots::create(ctx, world),
        Route::Snapshots | Route::SnapshotsDetail => snapshots::list(ctx, world),
        Route::Snapshot(id) if m == Method::PUT => snapshots::update(ctx, world, &id),
        Route::Snapshot(id) if m == Method::DELETE => snapshots::delete(ctx, world, &id),
        Route::Snapshot(id) => snapshots::get(ctx, world, &id),
        Route::SnapshotMetadata(id) if m == Method::GET => metadata::snapshot_list(ctx, world, &id),
        Route::SnapshotMetadata(id) => metadata::snapshot_update(ctx, world, &id, m == Method::PUT),
        Route::SnapshotMetadataItem(id, key) => metadata::snapshot_delete(ctx, world, &id, &key),
    }
}
