//! A real node over HTTP on both backends: first run, health and readiness, security headers,
//! the follower feeding consumers, and jobs running once across a two-node cluster.
//!
//! The tests are in one module per topic.

#[path = "node/database_failures.rs"]
mod database_failures;
#[path = "node/failover.rs"]
mod failover;
#[path = "node/follower.rs"]
mod follower;
#[path = "node/full_disk.rs"]
mod full_disk;
#[path = "node/injected_errors.rs"]
mod injected_errors;
#[path = "node/jobs.rs"]
mod jobs;
#[path = "node/lifecycle.rs"]
mod lifecycle;
