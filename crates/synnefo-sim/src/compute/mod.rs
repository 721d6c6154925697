//! Cyclades compute (wire §3), mounted at `/cyclades/compute` (API under
//! `/v2.0`), and the state it shares with block storage ([`World`]).
//!
//! Request flow, like the server's: match the URL (400 "API endpoint not
//! found" otherwise), check the method (405 + `Allow`), authenticate (401),
//! then run the view under the Cyclades lock, after applying every job due
//! by now (jobs complete `build_delay`/`action_delay` after they are
//! issued, so clients must poll).

mod actions;
mod addresses;
mod attachments;
mod base64;
mod changes_since;
mod create;
mod flavors;
pub(crate) mod floating_ips;
pub(crate) mod image;
mod images;
mod jobs;
mod keypairs;
mod links;
mod md5;
mod metadata;
pub(crate) mod network;
pub(crate) mod ports;
pub(crate) mod quota;
mod routes;
pub(crate) mod seed;
pub(crate) mod server;
mod server_view;
mod servers;
mod tags;
pub(crate) mod validate;
pub(crate) mod world;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use http::Method;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::astakos::Astakos;
use crate::config::SimConfig;
use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::ApiResult;
use crate::state::SimState;
use crate::versions;

pub(crate) use changes_since::{changes_since, not_modified};
pub(crate) use links::{Urls, links};
use routes::Route;
use world::World;

/// The Cyclades service state (compute and block storage).
#[derive(Debug)]
pub(crate) struct Cyclades {
    world: Mutex<World>,
    urls: Urls,
}

impl Cyclades {
    /// A fresh deployment at `base_url`, charging quotas to `astakos`.
    pub(crate) fn new(config: &SimConfig, base_url: &str, astakos: Arc<Astakos>) -> Self {
        Self {
            world: Mutex::new(World::new(config, astakos)),
            urls: Urls::new(base_url),
        }
    }

    /// The world, with every job due by `now` applied.
    pub(crate) fn lock(&self, now: OffsetDateTime) -> MutexGuard<'_, World> {
        // A panic while holding the lock cannot leave half-applied changes
        // worse than a failed request would.
        let mut world = self.world.lock().unwrap_or_else(|e| e.into_inner());
        world.advance(now);
        world
    }

    /// The service URLs.
    pub(crate) fn urls(&self) -> &Urls {
        &self.urls
    }

    /// Makes the next server build end in `ERROR`.
    pub(crate) fn fail_next_build(&self) {
        let mut world = self.lock(OffsetDateTime::now_utc());
        world.failing_builds = world.failing_builds.saturating_add(1);
    }

    /// Cyclades quota usage of a user, by resource name.
    pub(crate) fn usage(&self, user: &str) -> BTreeMap<String, u64> {
        self.lock(OffsetDateTime::now_utc()).quotas.usage_of(user)
    }
}

/// What a view needs besides the world.
pub(crate) struct Ctx<'a> {
    /// The request.
    pub(crate) req: &'a ApiRequest,
    /// The caller's UUID.
    pub(crate) user: &'a str,
    /// Projects the caller is a member of (the system project).
    pub(crate) projects: Vec<String>,
    /// The time of the request.
    pub(crate) now: OffsetDateTime,
    /// Service URLs for links.
    pub(crate) urls: &'a Urls,
}

/// Authenticates a Cyclades request and runs `view` on the world.
pub(crate) fn run(
    state: &SimState,
    req: &ApiRequest,
    view: impl FnOnce(&Ctx<'_>, &mut World) -> ApiResult,
) -> ApiResult {
    let user = crate::pithos::authenticate(state, req)?;
    let now = OffsetDateTime::now_utc();
    let ctx = Ctx {
        req,
        user: &user.uuid,
        projects: vec![user.uuid.clone()],
        now,
        urls: state.cyclades.urls(),
    };
    let mut world = state.cyclades.lock(now);
    view(&ctx, &mut world)
}

/// `get_attribute(body, key, attr_type=dict, required=True)`.
pub(crate) fn body_dict<'a>(body: &'a Value, key: &str) -> Result<&'a Map<String, Value>, Fault> {
    match body.get(key) {
        None | Some(Value::Null) => Err(Fault::bad_request(format!(
            "Malformed request. Missing attribute '{key}'."
        ))),
        Some(Value::Object(map)) => Ok(map),
        Some(_) => Err(Fault::bad_request(format!(
            "Malformed request. Invalid '{key}' field"
        ))),
    }
}

/// `413 overLimit`.
pub(crate) fn over_limit(message: &str) -> Fault {
    Fault {
        name: "overLimit",
        ..Fault::new(413, message)
    }
}

/// Routes a request whose path is `/cyclades/compute{rest}`.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let Some(path) = rest.strip_prefix("/v2.0/").filter(|p| !p.is_empty()) else {
        return versions::compute(state, req, rest);
    };
    if matches!(path, ".json" | ".xml" | ".atom") {
        return versions::compute(state, req, rest);
    }
    let route = routes::parse(path).ok_or_else(Fault::endpoint_not_found)?;
    if !route.allowed().contains(&req.method.as_str()) {
        return Err(Fault::not_allowed(route.allowed()));
    }
    run(state, req, |ctx, world| dispatch(ctx, world, route))
}

/// Runs the view of a route.
fn dispatch(ctx: &Ctx<'_>, world: &mut World, route: Route) -> ApiResult {
    let m = &ctx.req.method;
    match route {
        Route::Servers if m == Method::POST => create::create(ctx, world),
        Route::Servers => servers::list(ctx, world, false),
        Route::ServersDetail => servers::list(ctx, world, true),
        Route::Server(id) if m == Method::PUT => servers::rename(ctx, world, id),
        Route::Server(id) if m == Method::DELETE => servers::delete(ctx, world, id),
        Route::Server(id) => servers::get(ctx, world, id),
        Route::Password(id) if m == Method::DELETE => servers::delete_password(ctx, world, id),
        Route::Password(id) => servers::get_password(ctx, world, id),
        Route::Action(id) => actions::action(ctx, world, id),
        Route::Tags(id) if m == Method::PUT => tags::replace(ctx, world, id),
        Route::Tags(id) if m == Method::DELETE => tags::delete_all(ctx, world, id),
        Route::Tags(id) => tags::list(ctx, world, id),
        Route::Tag(id, tag) if m == Method::PUT => tags::add(ctx, world, id, &tag),
        Route::Tag(id, tag) if m == Method::DELETE => tags::remove(ctx, world, id, &tag),
        Route::Tag(id, tag) => tags::check(ctx, world, id, &tag),
        Route::Ips(id) => addresses::list(ctx, world, id),
        Route::IpsOfNetwork(id, network) => addresses::of_network(ctx, world, id, &network),
        Route::Metadata(id) if m == Method::POST => metadata::update(ctx, world, id),
        Route::Metadata(id) => metadata::list(ctx, world, id),
        Route::MetadataItem(id, key) if m == Method::PUT => metadata::put(ctx, world, id, &key),
        Route::MetadataItem(id, key) if m == Method::DELETE => {
            metadata::delete(ctx, world, id, &key)
        }
        Route::MetadataItem(id, key) => metadata::get(ctx, world, id, &key),
        Route::Stats(id) => servers::stats(ctx, world, id),
        Route::Diagnostics(id) => servers::diagnostics(ctx, world, id),
        Route::Attachments(id) if m == Method::POST => attachments::attach(ctx, world, id),
        Route::Attachments(id) => attachments::list(ctx, world, id),
        Route::Attachment(id, volume) if m == Method::DELETE => {
            attachments::detach(ctx, world, id, volume)
        }
        Route::Attachment(id, volume) => attachments::get(ctx, world, id, volume),
        Route::Flavors => flavors::list(ctx, world, false),
        Route::FlavorsDetail => flavors::list(ctx, world, true),
        Route::Flavor(id) => flavors::get(ctx, world, id),
        Route::ExtraSpecs => flavors::extra_specs(),
        Route::Images if m == Method::POST => images::create(),
        Route::Images => images::list(ctx, world, false),
        Route::ImagesDetail => images::list(ctx, world, true),
        Route::Image(id) if m == Method::DELETE => images::delete(ctx, world, &id),
        Route::Image(id) => images::get(ctx, world, &id),
        Route::ImageMetadata(id) if m == Method::POST => images::update_metadata(ctx, world, &id),
        Route::ImageMetadata(id) => images::metadata(ctx, world, &id),
        Route::ImageMetadataItem(id, key) if m == Method::PUT => {
            images::put_item(ctx, world, &id, &key)
        }
        Route::ImageMetadataItem(id, key) if m == Method::DELETE => {
            images::delete_item(ctx, world, &id, &key)
        }
        Route::ImageMetadataItem(id, key) => images::get_item(ctx, world, &id, &key),
        Route::Extensions => Ok(crate::response::ApiResponse::json(
            200,
            &serde_json::json!({"extensions": []}),
        )),
        Route::Extension => Ok(crate::response::ApiResponse::empty(404)),
        Route::Keypairs if m == Method::POST => keypairs::create(ctx, world),
        Route::Keypairs => keypairs::list(ctx, world),
        Route::Keypair(name) if m == Method::DELETE => keypairs::delete(ctx, world, &name),
        Route::Keypair(name) => keypairs::get(ctx, world, &name),
        Route::FloatingIps if m == Method::POST => floating_ips::allocate(ctx, world),
        Route::FloatingIps => floating_ips::list(ctx, world),
        Route::FloatingIp(id) if m == Method::DELETE => floating_ips::release(ctx, world, &id),
        Route::FloatingIp(id) => floating_ips::get(ctx, world, &id),
    }
}
