//! Plankton image registry client for Synnefo clouds (register, list,
//! metadata, members).
//!
//! This crate is a placeholder in the workspace; its client lands with the
//! image issue.
