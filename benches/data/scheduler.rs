//! Job scheduler: a priority queue of jobs with retries, leases and metrics.
//!
//! A representative Rust module for the extraction benchmark: nested use
//! trees, `pub use` re-exports, `crate::`/`super::` paths in expressions and
//! types, macro arguments, inline modules and `#[cfg(test)]` tests.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::clock::{Clock, SystemClock};
use crate::metrics::{self, Counter, Histogram};
use crate::store::{JobStore, StoreError};
use super::lease::{Lease, LeaseTable};

pub use crate::job::{Job, JobId, Priority};

/// Why a job could not be scheduled or completed.
#[derive(Debug, Error)]
pub enum SchedulerError {
    #[error("job {0} is unknown")]
    Unknown(JobId),
    #[error("job {0} is already leased until {1:?}")]
    Leased(JobId, Instant),
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 5, base_delay_ms: 200, max_delay_ms: 60_000 }
    }
}

impl RetryPolicy {
    /// Exponential backoff with a cap: 200 ms, 400 ms, 800 ms, …
    pub fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u64.checked_shl(attempt.min(30)).unwrap_or(u64::MAX);
        Duration::from_millis(self.base_delay_ms.saturating_mul(factor).min(self.max_delay_ms))
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Queued {
    priority: Priority,
    due: Instant,
    id: JobId,
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority.cmp(&other.priority).then_with(|| other.due.cmp(&self.due)).then_with(|| self.id.cmp(&other.id))
    }
}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

pub struct Scheduler<C: Clock = SystemClock> {
    clock: C,
    queue: BinaryHeap<Queued>,
    attempts: HashMap<JobId, u32>,
    leases: LeaseTable,
    dead: HashSet<JobId>,
    store: Arc<Mutex<dyn JobStore + Send>>,
    policy: RetryPolicy,
    scheduled: Counter,
    latency: Histogram,
}

impl<C: Clock> Scheduler<C> {
    pub fn new(clock: C, store: Arc<Mutex<dyn JobStore + Send>>, policy: RetryPolicy) -> Self {
        Scheduler {
            clock,
            queue: BinaryHeap::new(),
            attempts: HashMap::new(),
            leases: LeaseTable::default(),
            dead: HashSet::new(),
            store,
            policy,
            scheduled: metrics::counter("scheduler.scheduled"),
            latency: metrics::histogram("scheduler.latency_ms"),
        }
    }

    pub fn submit(&mut self, job: Job) -> Result<JobId, SchedulerError> {
        let id = job.id;
        self.store.lock().map_err(|_| StoreError::Poisoned)?.put(&job)?;
        self.queue.push(Queued { priority: job.priority, due: self.clock.now(), id });
        self.scheduled.inc();
        tracing::debug!(job = %id, priority = ?job.priority, "submitted");
        Ok(id)
    }

    /// The next due job, leased to `worker` for `ttl`.
    pub fn next(&mut self, worker: &str, ttl: Duration) -> Option<(Job, Lease)> {
        let now = self.clock.now();
        while let Some(top) = self.queue.peek() {
            if top.due > now {
                return None;
            }
            let Queued { id, .. } = self.queue.pop()?;
            if self.dead.contains(&id) || self.leases.is_leased(id, now) {
                continue;
            }
            let job = self.store.lock().ok()?.get(id).ok()??;
            let lease = self.leases.grant(id, worker, now + ttl);
            return Some((job, lease));
        }
        None
    }

    pub fn complete(&mut self, lease: Lease, started: Instant) -> Result<(), SchedulerError> {
        let elapsed = self.clock.now().saturating_duration_since(started);
        self.latency.record(elapsed.as_millis() as f64);
        self.leases.release(&lease);
        self.attempts.remove(&lease.job);
        self.store.lock().map_err(|_| StoreError::Poisoned)?.delete(lease.job)?;
        Ok(())
    }

    pub fn fail(&mut self, lease: Lease, error: &str) -> Result<bool, SchedulerError> {
        self.leases.release(&lease);
        let attempts = self.attempts.entry(lease.job).or_insert(0);
        *attempts += 1;
        if *attempts >= self.policy.max_attempts {
            self.dead.insert(lease.job);
            tracing::warn!(job = %lease.job, %error, attempts = *attempts, "giving up");
            return Ok(false);
        }
        let job = self.store.lock().map_err(|_| StoreError::Poisoned)?.get(lease.job)?.ok_or(SchedulerError::Unknown(lease.job))?;
        let due = self.clock.now() + self.policy.delay(*attempts);
        self.queue.push(Queued { priority: job.priority, due, id: lease.job });
        Ok(true)
    }

    pub fn stats(&self) -> crate::metrics::Snapshot {
        crate::metrics::Snapshot {
            queued: self.queue.len(),
            leased: self.leases.len(),
            dead: self.dead.len(),
            p99_ms: self.latency.quantile(0.99),
        }
    }
}

pub mod admin {
    use super::{JobId, Scheduler, SchedulerError};
    use crate::clock::Clock;

    pub fn requeue_dead<C: Clock>(s: &mut Scheduler<C>, ids: &[JobId]) -> Result<usize, SchedulerError> {
        let mut n = 0;
        for id in ids {
            if s.dead.remove(id) {
                s.attempts.remove(id);
                n += 1;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::store::memory::MemoryStore;

    fn scheduler() -> Scheduler<ManualClock> {
        let store: Arc<Mutex<dyn JobStore + Send>> = Arc::new(Mutex::new(MemoryStore::default()));
        Scheduler::new(ManualClock::default(), store, RetryPolicy::default())
    }

    #[test]
    fn backoff_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(0), Duration::from_millis(200));
        assert_eq!(p.delay(40), Duration::from_millis(60_000));
    }

    #[test]
    fn higher_priority_first() {
        let mut s = scheduler();
        let low = s.submit(Job::new(Priority::Low, "a")).unwrap();
        let high = s.submit(Job::new(Priority::High, "b")).unwrap();
        let (job, _) = s.next("w", Duration::from_secs(1)).unwrap();
        assert_eq!(job.id, high);
        assert_ne!(job.id, low);
    }
}
