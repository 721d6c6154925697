//! Whether an action may run on a server now (`validate_server_action`,
//! wire §3.3): the checks behind the 400/409 answers clients rely on.

use super::server::{OperState, Server};
use crate::fault_body::Fault;

/// Server actions that go through the check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// `start`.
    Start,
    /// `shutdown`.
    Stop,
    /// `reboot`.
    Reboot,
    /// `resize`.
    Resize,
    /// `DELETE /servers/<id>`.
    Destroy,
    /// `reassign`.
    Reassign,
    /// Adding a NIC.
    Connect,
    /// Removing a NIC.
    Disconnect,
    /// Attaching a volume.
    AttachVolume,
    /// Detaching a volume.
    DetachVolume,
    /// Deleting an attached volume.
    DeleteVolume,
    /// `firewallProfile`.
    SetFirewallProfile,
}

impl Action {
    /// The name used in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Start => "START",
            Self::Stop => "STOP",
            Self::Reboot => "REBOOT",
            Self::Resize => "RESIZE",
            Self::Destroy => "DESTROY",
            Self::Reassign => "REASSIGN",
            Self::Connect => "CONNECT",
            Self::Disconnect => "DISCONNECT",
            Self::AttachVolume => "ATTACH_VOLUME",
            Self::DetachVolume => "DETACH_VOLUME",
            Self::DeleteVolume => "DELETE_VOLUME",
            Self::SetFirewallProfile => "SET_FIREWALL_PROFILE",
        }
    }
}

/// `409 buildInProgress`.
pub(crate) fn build_in_progress(server: u64) -> Fault {
    Fault {
        name: "buildInProgress",
        ..Fault::new(409, format!("Server '{server}' is being built."))
    }
}

/// Checks, in the server's order: deleted (400), destroy always allowed, a pending job (409 if it is the build, else 400),
/// reassign allowed in any state, `ERROR` (400), `BUILD` (409), and the
/// source state of start, stop and resize (400).
pub(crate) fn validate(server: &Server, action: Action) -> Result<(), Fault> {
    let a = action.name();
    if server.deleted {
        return Err(Fault::bad_request(format!(
            "Server '{}' has been deleted.",
            server.id
        )));
    }
    if action == Action::Destroy {
        return Ok(());
    }
    if let Some(job) = &server.task {
        let pending = job.kind.task();
        if pending == "BUILD" {
            return Err(build_in_progress(server.id));
        }
        return Err(Fault::bad_request(format!(
            "Cannot perform '{a}' action while there is a pending '{pending}'."
        )));
    }
    if action == Action::Reassign {
        return Ok(());
    }
    let state = server.operstate;
    match state {
        OperState::Error => Err(Fault::bad_request(format!(
            "Cannot perform '{a}' action while server is in 'ERROR' state."
        ))),
        OperState::Build => Err(build_in_progress(server.id)),
        _ if (action == Action::Start && state != OperState::Stopped)
            || (action == Action::Stop && state != OperState::Started)
            || (action == Action::Resize && state != OperState::Stopped) =>
        {
            Err(Fault::bad_request(format!(
                "Cannot perform '{a}' action while server is in '{}' state.",
                state.name()
            )))
        }
        _ => Ok(()),
    }
}
