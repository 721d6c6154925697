//! Pithos+ account operations (in progress).
