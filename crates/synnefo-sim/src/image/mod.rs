//! Plankton, the image registry (wire §7, a Glance v1 subset), mounted at
//! `/cyclades/image` with the API under `/v1.0/` and `/v1/`.
//!
//! Images are the ones the Cyclades world already keeps (compute's
//! `/images` and block storage's snapshots show the same store): this
//! module only adds Plankton's views. Registering reads the file from the
//! Pithos store (the image id is the object's UUID; size and checksum are
//! the object's). Wrong methods get Django's bare 405 (empty body,
//! `Allow`).

mod listing;
mod location;
mod members;
mod meta_headers;
mod one_image;
mod register;
mod routes;

use std::borrow::Cow;

use http::{Method, header};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::body::ResponseBody;
use crate::compute::world::World;
use crate::compute::{Ctx, run};
use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;
use crate::versions;
use routes::Route;

/// What Python 2's `urllib.quote` leaves alone: letters, digits, `_.-/`.
const PY_QUOTE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'/');

/// Percent-encodes `text` like Plankton quotes header values.
pub(crate) fn quote(text: &str) -> String {
    utf8_percent_encode(text, PY_QUOTE).to_string()
}

/// Routes a request whose path is `/cyclades/image{rest}`.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let Some(path) = rest
        .strip_prefix("/v1.0/")
        .or_else(|| rest.strip_prefix("/v1/"))
    else {
        return versions::image(state, req, rest);
    };
    let route = routes::parse(path).ok_or_else(Fault::endpoint_not_found)?;
    let allowed = route.allowed();
    if !allowed.contains(&req.method.as_str()) {
        return Ok(ApiResponse::with_body(
            405,
            Cow::Borrowed("text/html; charset=utf-8"),
            ResponseBody::empty(),
        )
        .with_header(header::ALLOW, &allowed.join(", ")));
    }
    if route == Route::Images && req.method == Method::POST {
        let user = crate::pithos::authenticate(state, req)?;
        let registration = register::prepare(state, &user.uuid, req)?;
        return run(state, req, |ctx, world| {
            register::register(ctx, world, registration)
        });
    }
    run(state, req, |ctx, world| dispatch(ctx, world, route))
}

/// Runs the view of a route.
fn dispatch(ctx: &Ctx<'_>, world: &mut World, route: Route) -> ApiResult {
    let m = &ctx.req.method;
    match route {
        Route::Images => listing::list(ctx, world, false),
        Route::ImagesDetail => listing::list(ctx, world, true),
        Route::Image(id) if m == Method::HEAD => one_image::head(ctx, world, &id),
        Route::Image(id) if m == Method::PUT => one_image::update(ctx, world, &id),
        Route::Image(id) if m == Method::DELETE => one_image::unregister(ctx, world, &id),
        Route::Image(_) => one_image::get(),
        Route::Members(id) if m == Method::PUT => members::replace(ctx, world, &id),
        Route::Members(id) => members::list(ctx, world, &id),
        Route::Member(id, member) if m == Method::PUT => members::add(ctx, world, &id, &member),
        Route::Member(id, member) => members::remove(ctx, world, &id, &member),
        Route::SharedImages(member) => members::shared(ctx, world, &member),
    }
}
