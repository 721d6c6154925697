//! Pithos+ container operations (in progress).
