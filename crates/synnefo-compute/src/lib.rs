//! OpenStack Compute v2 client for Synnefo clouds: servers, actions,
//! metadata, flavors, images through compute, keypairs and floating IPs.
//!
//! This crate is a placeholder in the workspace; its client lands with the
//! compute issue. It depends only on `synnefo-core`.
