//! Helpers shared by the integration tests. Each test binary uses only part of them.
#![allow(dead_code)]

pub mod backends;
pub mod bin;
pub mod gwt;
pub mod pg;
pub mod pg_store;
pub mod term;
