//! The server record and its state (wire §3.1, §3.3).

use std::collections::BTreeMap;

use time::OffsetDateTime;

/// The internal operating state reported by the (simulated) Ganeti backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OperState {
    /// Queued for creation.
    Build,
    /// Creation failed.
    Error,
    /// Stopped.
    Stopped,
    /// Running.
    Started,
    /// Removed from the backend.
    Destroyed,
}

impl OperState {
    /// The name used in error messages (`'STARTED'`…).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Build => "BUILD",
            Self::Error => "ERROR",
            Self::Stopped => "STOPPED",
            Self::Started => "STARTED",
            Self::Destroyed => "DESTROYED",
        }
    }

    /// Whether `cyclades.cpu`/`cyclades.ram` are charged in this state.
    pub(crate) fn is_online(self) -> bool {
        matches!(self, Self::Started | Self::Build | Self::Error)
    }
}

/// What a (simulated) Ganeti job does when it completes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum JobKind {
    /// Create the instance.
    Build,
    /// Start it.
    Start,
    /// Shut it down.
    Stop,
    /// Reboot it (also starts a stopped server).
    Reboot,
    /// Change its flavor.
    Resize {
        /// The new flavor.
        flavor: u64,
    },
    /// Remove it.
    Destroy,
    /// Hot-plug a NIC.
    Connect {
        /// The port.
        port: u64,
    },
    /// Remove a NIC.
    Disconnect {
        /// The port.
        port: u64,
    },
    /// Hot-plug a disk.
    AttachVolume {
        /// The volume.
        volume: u64,
    },
    /// Remove a disk, keeping the volume.
    DetachVolume {
        /// The volume.
        volume: u64,
    },
    /// Remove a disk and delete the volume.
    DeleteVolume {
        /// The volume.
        volume: u64,
    },
}

impl JobKind {
    /// The server `task` this job records (`vm.task`).
    pub(crate) fn task(&self) -> &'static str {
        match self {
            Self::Build => "BUILD",
            Self::Start => "START",
            Self::Stop => "STOP",
            Self::Reboot => "REBOOT",
            Self::Resize { .. } => "RESIZE",
            Self::Destroy => "DESTROY",
            Self::Connect { .. } => "CONNECT",
            Self::Disconnect { .. } => "DISCONNECT",
            Self::AttachVolume { .. } => "ATTACH_VOLUME",
            Self::DetachVolume { .. } => "DETACH_VOLUME",
            Self::DeleteVolume { .. } => "DELETE_VOLUME",
        }
    }

    /// `SNF:task_state` while the job runs.
    pub(crate) fn task_state(&self) -> &'static str {
        match self {
            Self::Build => "BUILDING",
            Self::Start => "STARTING",
            Self::Stop => "STOPPING",
            Self::Reboot => "REBOOTING",
            Self::Resize { .. } => "RESIZING",
            Self::Destroy => "DESTROYING",
            Self::Connect { .. } => "CONNECTING",
            Self::Disconnect { .. } => "DISCONNECTING",
            Self::AttachVolume { .. } => "ATTACHING_VOLUME",
            Self::DetachVolume { .. } => "DETACHING_VOLUME",
            Self::DeleteVolume { .. } => "UNKNOWN",
        }
    }
}

/// A pending job of a server.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    /// What it does.
    pub(crate) kind: JobKind,
    /// When it was issued.
    pub(crate) started: OffsetDateTime,
    /// When it completes.
    pub(crate) done_at: OffsetDateTime,
}

/// A user tag; `PENDADD` until `active_at`, then `ACTIVE`.
#[derive(Clone, Debug)]
pub(crate) struct Tag {
    /// The tag (without the `cyclades:user:` prefix).
    pub(crate) name: String,
    /// When the backend confirms it.
    pub(crate) active_at: OffsetDateTime,
}

impl Tag {
    /// `ACTIVE` or `PENDADD` at `now`.
    pub(crate) fn status(&self, now: OffsetDateTime) -> &'static str {
        if self.active_at <= now {
            "ACTIVE"
        } else {
            "PENDADD"
        }
    }
}

/// One diagnostic message of a server.
#[derive(Clone, Debug)]
pub(crate) struct Diagnostic {
    /// `INFO`, `WARNING`, `ERROR`…
    pub(crate) level: &'static str,
    /// Who reported it.
    pub(crate) source: &'static str,
    /// The message.
    pub(crate) message: String,
    /// More text.
    pub(crate) details: String,
    /// When it was recorded.
    pub(crate) created: OffsetDateTime,
}

/// A virtual machine.
#[derive(Clone, Debug)]
pub(crate) struct Server {
    /// Integer id.
    pub(crate) id: u64,
    /// Name (≤255 characters).
    pub(crate) name: String,
    /// Owner UUID.
    pub(crate) user: String,
    /// Project charged.
    pub(crate) project: String,
    /// Shared with the project's members.
    pub(crate) shared_to_project: bool,
    /// Flavor id.
    pub(crate) flavor: u64,
    /// Image id.
    pub(crate) image: String,
    /// Names of the SSH keys injected.
    pub(crate) key_names: Vec<String>,
    /// Backend state.
    pub(crate) operstate: OperState,
    /// Deleted flag.
    pub(crate) deleted: bool,
    /// Build percentage reported by the backend.
    pub(crate) build_percentage: u8,
    /// The pending job, if any.
    pub(crate) task: Option<Job>,
    /// Whether the pending build must fail.
    pub(crate) fail_build: bool,
    /// User metadata.
    pub(crate) metadata: BTreeMap<String, String>,
    /// User tags.
    pub(crate) tags: Vec<Tag>,
    /// Diagnostics, newest last.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Creation time.
    pub(crate) created: OffsetDateTime,
    /// Last change.
    pub(crate) updated: OffsetDateTime,
}

impl Server {
    /// The API `status` (§3.3): `DELETED` if deleted, else the operstate
    /// mapped, with `REBOOT` for an active server being rebooted and
    /// `RESIZE` for a stopped one being resized.
    pub(crate) fn status(&self) -> &'static str {
        if self.deleted {
            return "DELETED";
        }
        let job = self.task.as_ref().map(|job| &job.kind);
        match self.operstate {
            OperState::Build => "BUILD",
            OperState::Error => "ERROR",
            OperState::Destroyed => "DELETED",
            OperState::Started if job == Some(&JobKind::Reboot) => "REBOOT",
            OperState::Started => "ACTIVE",
            OperState::Stopped if matches!(job, Some(JobKind::Resize { .. })) => "RESIZE",
            OperState::Stopped => "STOPPED",
        }
    }

    /// `SNF:task_state`.
    pub(crate) fn task_state(&self) -> &'static str {
        self.task.as_ref().map_or("", |job| job.kind.task_state())
    }

    /// `progress`: 100 when active, else the build percentage (which grows
    /// with the elapsed part of the build job).
    pub(crate) fn progress(&self, now: OffsetDateTime) -> u8 {
        if self.status() == "ACTIVE" {
            return 100;
        }
        match &self.task {
            Some(job) if job.kind == JobKind::Build && self.operstate == OperState::Build => {
                let total = (job.done_at - job.started).as_seconds_f64();
                let elapsed = (now - job.started).as_seconds_f64();
                if total <= 0.0 {
                    return 99;
                }
                // Truncation intended: a percentage in 0..=99.
                ((elapsed / total) * 100.0).clamp(0.0, 99.0) as u8
            }
            _ => self.build_percentage,
        }
    }

    /// How the server reads in messages (`<vm:42@backend:1>`).
    pub(crate) fn repr(&self) -> String {
        format!("<vm:{}@backend:1>", self.id)
    }

    /// Tags confirmed by the backend.
    pub(crate) fn active_tags(&self, now: OffsetDateTime) -> Vec<&str> {
        self.tags
            .iter()
            .filter(|tag| tag.active_at <= now)
            .map(|tag| tag.name.as_str())
            .collect()
    }
}
