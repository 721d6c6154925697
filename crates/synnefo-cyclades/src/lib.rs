//! Synnefo's Cyclades extensions on top of compute and network (console,
//! firewall profile, diagnostics, stats, volume attachments, waits) and the
//! block storage service (volumes, snapshots, volume types).
//!
//! This crate is a placeholder in the workspace; its client lands with the
//! compute issue.
