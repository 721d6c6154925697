//! The resources Astakos accounts for (wire §2.1) and `GET resources`.

use http::Method;
use serde_json::{Map, json};

use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};

/// A registered resource.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResourceDef {
    /// Its name.
    pub(crate) name: &'static str,
    /// The service that charges it.
    pub(crate) service: &'static str,
    /// The component owning that service (whose token may see it).
    pub(crate) component: &'static str,
    /// What it counts.
    pub(crate) description: &'static str,
    /// `Some("bytes")` for sizes.
    pub(crate) unit: Option<&'static str>,
    /// Shown by the web UI.
    pub(crate) ui_visible: bool,
    /// Listed by the API.
    pub(crate) api_visible: bool,
}

const fn def(
    name: &'static str,
    service: &'static str,
    component: &'static str,
    description: &'static str,
    unit: Option<&'static str>,
    visible: bool,
) -> ResourceDef {
    ResourceDef {
        name,
        service,
        component,
        description,
        unit,
        ui_visible: visible,
        api_visible: visible,
    }
}

const BYTES: Option<&str> = Some("bytes");

/// Every resource of the deployment.
pub(crate) const RESOURCES: &[ResourceDef] = &[
    def(
        "astakos.pending_app",
        "astakos_account",
        "astakos",
        "Number of pending project applications",
        None,
        false,
    ),
    def(
        "cyclades.cpu",
        "cyclades_compute",
        "cyclades",
        "Number of virtual machine processors of running servers",
        None,
        true,
    ),
    def(
        "cyclades.disk",
        "cyclades_compute",
        "cyclades",
        "Virtual machine disk size",
        BYTES,
        true,
    ),
    def(
        "cyclades.floating_ip",
        "cyclades_network",
        "cyclades",
        "Number of floating IP addresses",
        None,
        true,
    ),
    def(
        "cyclades.network.private",
        "cyclades_network",
        "cyclades",
        "Number of private networks",
        None,
        true,
    ),
    def(
        "cyclades.ram",
        "cyclades_compute",
        "cyclades",
        "Virtual machine memory of running servers",
        BYTES,
        true,
    ),
    def(
        "cyclades.total_cpu",
        "cyclades_compute",
        "cyclades",
        "Number of virtual machine processors",
        None,
        false,
    ),
    def(
        "cyclades.total_ram",
        "cyclades_compute",
        "cyclades",
        "Virtual machine memory",
        BYTES,
        false,
    ),
    def(
        "cyclades.vm",
        "cyclades_compute",
        "cyclades",
        "Number of virtual machines",
        None,
        true,
    ),
    def(
        "pithos.diskspace",
        "pithos_object-store",
        "pithos",
        "Pithos account quota",
        BYTES,
        true,
    ),
];

/// The resource called `name`.
pub(crate) fn resource(name: &str) -> Option<&'static ResourceDef> {
    RESOURCES.iter().find(|r| r.name == name)
}

/// `GET resources`: no authentication; api-visible resources only.
pub(crate) fn list(req: &ApiRequest) -> ApiResult {
    if req.method != Method::GET {
        return Err(Fault::not_allowed(&["GET"]));
    }
    let mut out = Map::new();
    for r in RESOURCES.iter().filter(|r| r.api_visible) {
        out.insert(
            r.name.to_owned(),
            json!({"service": r.service, "description": r.description, "unit": r.unit,
                   "ui_visible": r.ui_visible, "api_visible": r.api_visible}),
        );
    }
    Ok(ApiResponse::json(200, &out.into()))
}
