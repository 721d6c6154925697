//! Simulated Ganeti jobs: issued with a completion time, applied when a
//! request finds them due (so no background task is needed and `updated`
//! stamps are the completion times).

use time::OffsetDateTime;

use super::image::ImageStatus;
use super::network::PortState;
use super::server::{Diagnostic, Job, JobKind, OperState};
use super::world::World;
use crate::volume::model::{VolumeChange, VolumeStatus};

impl World {
    /// Completes a server's pending job at once (before a destroy is
    /// issued over it, so that its state and quota changes are settled).
    pub(crate) fn finish_pending(&mut self, id: u64, now: OffsetDateTime) {
        if self.servers.get(&id).is_some_and(|s| s.task.is_some()) {
            self.finish_job(id, Some(now));
        }
    }

    /// Issues a job on a server. A job still pending (only a destroy may be
    /// issued over one) completes at once first.
    pub(crate) fn start_job(&mut self, id: u64, kind: JobKind, now: OffsetDateTime) {
        self.finish_pending(id, now);
        let delay = if kind == JobKind::Build {
            self.build_delay
        } else {
            self.action_delay
        };
        if let Some(server) = self.servers.get_mut(&id) {
            server.task = Some(Job {
                kind,
                started: now,
                done_at: World::after(now, delay),
            });
            server.updated = now;
        }
    }

    /// Applies every job and pending change due at `now`.
    pub(crate) fn advance(&mut self, now: OffsetDateTime) {
        let due: Vec<u64> = self
            .servers
            .values()
            .filter(|s| s.task.as_ref().is_some_and(|job| job.done_at <= now))
            .map(|s| s.id)
            .collect();
        for id in due {
            self.finish_job(id, None);
        }
        for volume in self.volumes.values_mut() {
            let Some((change, at)) = volume.pending else {
                continue;
            };
            if at > now {
                continue;
            }
            volume.pending = None;
            volume.updated = at;
            match change {
                VolumeChange::BecomeAvailable => {
                    if volume.status == VolumeStatus::Creating {
                        volume.status = VolumeStatus::Available;
                    }
                }
                VolumeChange::Delete => {
                    volume.status = VolumeStatus::Deleted;
                    volume.deleted = true;
                }
            }
        }
        for image in self.images.values_mut() {
            if let Some(at) = image.ready_at.filter(|at| *at <= now) {
                image.ready_at = None;
                image.status = ImageStatus::Available;
                image.updated = at;
            }
        }
    }

    /// Completes the pending job of a server, at its own completion time or
    /// at `early` if given.
    fn finish_job(&mut self, id: u64, early: Option<OffsetDateTime>) {
        let Some(server) = self.servers.get_mut(&id) else {
            return;
        };
        let Some(job) = server.task.take() else {
            return;
        };
        let at = early.unwrap_or(job.done_at);
        server.updated = at;
        match job.kind {
            JobKind::Build => self.finish_build(id, at),
            JobKind::Start | JobKind::Reboot => server.operstate = OperState::Started,
            JobKind::Stop => server.operstate = OperState::Stopped,
            JobKind::Resize { flavor } => server.flavor = flavor,
            JobKind::Destroy => self.finish_destroy(id, at),
            JobKind::Connect { port } => {
                if let Some(port) = self.ports.get_mut(&port) {
                    port.state = PortState::Active;
                    port.updated = at;
                }
            }
            JobKind::Disconnect { port } => self.remove_port(port, at),
            JobKind::AttachVolume { volume } => {
                if let Some(volume) = self.volumes.get_mut(&volume) {
                    volume.status = VolumeStatus::InUse;
                    volume.updated = at;
                }
            }
            JobKind::DetachVolume { volume } => self.detach(volume, at),
            JobKind::DeleteVolume { volume } => {
                let deleting = self
                    .volumes
                    .get(&volume)
                    .is_some_and(|v| v.status == VolumeStatus::Deleting);
                if deleting {
                    self.mark_deleted(volume, at);
                } else {
                    self.detach(volume, at);
                }
            }
        }
    }

    /// The end of a build: `ACTIVE` with active NICs and disks, or `ERROR`.
    fn finish_build(&mut self, id: u64, at: OffsetDateTime) {
        let Some(server) = self.servers.get_mut(&id) else {
            return;
        };
        let fail = server.fail_build;
        server.fail_build = false;
        server.operstate = if fail {
            OperState::Error
        } else {
            OperState::Started
        };
        server.build_percentage = if fail { 0 } else { 100 };
        server.diagnostics.push(if fail {
            Diagnostic {
                level: "ERROR",
                source: "image-helper",
                message: "Image customization failed.".to_owned(),
                details: "synnefo-sim: this build was told to fail".to_owned(),
                created: at,
            }
        } else {
            Diagnostic {
                level: "INFO",
                source: "image-info",
                message: "Image customization finished successfully.".to_owned(),
                details: String::new(),
                created: at,
            }
        });
        for port in self.ports.values_mut().filter(|p| p.machine == Some(id)) {
            if port.state == PortState::Build {
                port.state = if fail {
                    PortState::Error
                } else {
                    PortState::Active
                };
                port.updated = at;
            }
        }
        for volume in self
            .volumes
            .values_mut()
            .filter(|v| v.machine == Some(id) && !v.deleted)
        {
            volume.status = if fail {
                VolumeStatus::Error
            } else {
                VolumeStatus::InUse
            };
            volume.updated = at;
        }
    }

    /// The end of a destroy: deleted, NICs removed, disks deleted or
    /// detached.
    fn finish_destroy(&mut self, id: u64, at: OffsetDateTime) {
        if let Some(server) = self.servers.get_mut(&id) {
            server.deleted = true;
            server.operstate = OperState::Destroyed;
        }
        let ports: Vec<u64> = self
            .ports
            .values()
            .filter(|p| p.machine == Some(id))
            .map(|p| p.id)
            .collect();
        for port in ports {
            self.remove_port(port, at);
        }
        let volumes: Vec<(u64, bool)> = self
            .volumes
            .values()
            .filter(|v| v.machine == Some(id) && !v.deleted)
            .map(|v| (v.id, v.delete_on_termination))
            .collect();
        for (volume, delete) in volumes {
            if delete {
                self.mark_deleted(volume, at);
            } else {
                self.detach(volume, at);
            }
        }
        self.passwords.remove(&id);
    }

    /// A volume leaves its server and becomes available.
    fn detach(&mut self, volume: u64, at: OffsetDateTime) {
        if let Some(volume) = self.volumes.get_mut(&volume) {
            volume.status = VolumeStatus::Available;
            volume.machine = None;
            volume.index = None;
            volume.updated = at;
        }
    }

    /// A volume is gone.
    fn mark_deleted(&mut self, volume: u64, at: OffsetDateTime) {
        if let Some(volume) = self.volumes.get_mut(&volume) {
            volume.status = VolumeStatus::Deleted;
            volume.deleted = true;
            volume.machine = None;
            volume.index = None;
            volume.updated = at;
        }
    }
}
