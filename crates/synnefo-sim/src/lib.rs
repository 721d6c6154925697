//! A faithful local emulator of a [Synnefo](https://www.synnefo.org/) cloud
//! (GRNET's ~okeanos): Astakos identity and account APIs, the Pithos+
//! object store, Cyclades compute and block storage, and Plankton images;
//! the Cyclades network API is still to come.
//!
//! The simulator is a real HTTP/1.1 server on the loopback interface. It lays
//! its services out like a real deployment under one base URL
//! (`/astakos/identity/v2.0`, `/astakos/account/v1.0`, `/cyclades/compute/v2.0`,
//! `/cyclades/network`, `/cyclades/image`, `/cyclades/volume`,
//! `/pithos/object-store/v1`), answers with the servers' exact status codes,
//! cloudFault bodies and headers, records every request it receives, and can
//! be told to misbehave ([`Faults`]) so that clients' retry and error paths can
//! be tested.
//!
//! Pithos+ ([`SimHandle::pithos_url`]) keeps accounts, containers, objects,
//! versions, permissions and public URLs in memory and its content-addressed
//! blocks in memory or, with [`SimConfig::data_dir`], one file per block;
//! [`SimHandle::pithos_stats`] exposes counters for tests and benchmarks.
//!
//! Cyclades compute ([`SimHandle::compute_url`]) and block storage
//! ([`SimHandle::volume_url`]) share one in-memory world: seeded flavors,
//! images, volume types and a public network; servers, ports, floating IPs,
//! volumes, snapshots and keypairs created by users. Servers build for
//! [`SimConfig::build_delay`] and every other job takes
//! [`SimConfig::action_delay`], so clients must poll; quotas
//! ([`SimConfig::cyclades_quota`]) answer `413 overLimit`, and
//! [`SimHandle::fail_next_server_build`] makes a build end in `ERROR`.
//!
//! ```no_run
//! use synnefo_sim::{FaultAction, FaultRule, Sim};
//!
//! # async fn demo() -> Result<(), synnefo_sim::SimError> {
//! let sim = Sim::start().await?;
//! println!("identity URL: {}", sim.identity_url());
//! println!("token of {}: {}", sim.users()[0].name, sim.token());
//!
//! // The next two requests to the identity service fail with 503.
//! sim.faults().push(
//!     FaultRule::new(FaultAction::Status { status: 503, retry_after: Some("1".into()) })
//!         .path_prefix("/astakos/identity")
//!         .times(2),
//! );
//! // … run the client under test against sim.identity_url() …
//! for request in sim.requests() {
//!     println!("{} {} fault={:?}", request.method, request.target, request.fault);
//! }
//! sim.stop().await;
//! # Ok(())
//! # }
//! ```
//!
//! The `synnefo-sim` binary serves the same emulator from the command line
//! (`synnefo-sim serve`), for trying clients offline.

mod account;
mod astakos;
mod body;
mod catalog;
mod compute;
mod config;
mod dates;
mod error;
mod fault_body;
mod faults;
mod form;
mod identity;
mod image;
mod json;
mod network;
mod pithos;
mod recording;
mod request;
mod response;
mod router;
mod server;
mod state;
mod versions;
mod volume;

pub use astakos::{CYCLADES_SERVICE_TOKEN, PITHOS_SERVICE_TOKEN};
pub use config::{
    ALICE_TOKEN, ALICE_UUID, BOB_TOKEN, BOB_UUID, CycladesQuota, DEFAULT_ACCOUNT_QUOTA,
    DEFAULT_ACTION_DELAY, DEFAULT_BLOCK_SIZE, DEFAULT_BUILD_DELAY, SimConfig, UserSpec,
    default_users, load_users,
};
pub use error::SimError;
pub use faults::{FaultAction, FaultRule, Faults};
pub use pithos::PithosStats;
pub use recording::RecordedRequest;
pub use server::{Sim, SimHandle};
