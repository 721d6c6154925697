//! Pithos+ object operations (in progress).
