//! OpenStack Network v2 client for Synnefo clouds: networks, subnets, ports
//! and floating IPs.
//!
//! This crate is a placeholder in the workspace; its client lands with the
//! network issue.
