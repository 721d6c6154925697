//! Pithos+ object storage client: the Swift-compatible base and the Pithos+
//! extensions (hashmaps, deduplicating upload, sharing, publishing,
//! versions, groups, policies).
//!
//! This crate is a placeholder in the workspace; its client lands with the
//! Pithos issue.
