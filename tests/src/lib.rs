//! Workspace-level end-to-end scenarios live in `tests/`.
