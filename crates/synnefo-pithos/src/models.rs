//! Pithos+ models operations (in progress).
