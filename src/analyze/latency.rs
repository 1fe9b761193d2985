//! The latency critical path: the longest chain of synchronous calls
//! between services.
//!
//! What it finds: the critical paths (as [`super::critical_path`] finds
//! them: longest first, cycles collapsed into one step) of the service level
//! restricted to the calls found in code — HTTP, WebSocket and gRPC requests,
//! where the caller waits for the answer. Links that only a deployment file
//! declares (`declared`: compose `depends_on`, a database URL in the
//! environment) are left out: they say a service needs another, not that a
//! request waits on it.
//!
//! Asynchronous messaging (a service publishing to a queue another one
//! consumes) is no edge here, nor at the `service` level at all: the
//! publisher neither waits for nor knows its consumers, so it adds no
//! latency, and replacing one direction of a call cycle with an event is
//! the usual way to break it — counting the event as a dependency would keep
//! reporting the cycle the team just removed. Queues stay visible as nodes
//! with their `publishes`/`consumes` edges.
//!
//! Why it matters: each hop of a synchronous chain adds its latency and its
//! failure rate to the request at the top. Example: `web → gateway → orders →
//! catalog` (length 3): a page load waits on three network round trips.

use crate::model::Flags;

use super::critical_path::{self, CriticalPaths};
use super::levels::Level;

/// The top `top` latency paths over `services` (the counted service level).
pub fn find(services: &Level, top: usize) -> CriticalPaths {
    critical_path::find(&synchronous(services), top)
}

/// The service level without the links only a deployment file declares.
pub fn synchronous(services: &Level) -> Level {
    services.filtered(&|f| !f.contains(Flags::DECLARED))
}
