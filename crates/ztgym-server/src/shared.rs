//! What every route shares: the catalog, the configuration, the session slots and the HTTP
//! MCP sessions.

use crate::catalog::Catalog;
use crate::config::Config;
use crate::protocol::{Code, WireError};
use crate::session::{Limits, Session};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};

/// Session slots: a counter that never goes past the maximum.
#[derive(Debug)]
pub struct Capacity {
    active: AtomicUsize,
    max: usize,
    freed: Notify,
}

impl Capacity {
    pub fn new(max: usize) -> Arc<Capacity> {
        Arc::new(Capacity {
            active: AtomicUsize::new(0),
            max,
            freed: Notify::new(),
        })
    }

    /// A slot, or `None` when all are taken.
    pub fn acquire(self: &Arc<Self>) -> Option<Slot> {
        self.active
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(self.clone()))
    }

    /// Sessions open now.
    pub fn active(&self) -> usize {
        self.active.load(Ordering::Acquire)
    }

    pub fn max(&self) -> usize {
        self.max
    }

    /// Waits until no session is open, or the deadline.
    pub(crate) async fn drained(&self, deadline: Instant) {
        while self.active() > 0 {
            let wait = deadline.saturating_duration_since(Instant::now());
            if wait.is_zero() {
                return;
            }
            let _ =
                tokio::time::timeout(wait.min(Duration::from_millis(50)), self.freed.notified())
                    .await;
        }
    }
}

/// A taken slot; dropping it frees the slot (however the session ended).
#[derive(Debug)]
pub struct Slot(Arc<Capacity>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::AcqRel);
        self.0.freed.notify_waiters();
        crate::memory::session_ended();
    }
}

/// A session opened over HTTP MCP (`openenv/session/create`).
pub(crate) struct McpSession {
    pub session: Session,
    pub last: Instant,
    _slot: Slot,
}

/// What every route shares.
pub(crate) struct Shared {
    pub catalog: Arc<Catalog>,
    pub config: Config,
    pub capacity: Arc<Capacity>,
    /// HTTP MCP sessions' own slots.
    pub mcp_capacity: Arc<Capacity>,
    pub next_id: AtomicU64,
    pub nonce: u64,
    pub mcp_sessions: Mutex<HashMap<String, McpSession>>,
    pub shutdown: watch::Receiver<bool>,
    /// Connections refused for capacity, still open.
    pub rejecting: AtomicUsize,
}

impl Shared {
    pub fn limits(&self) -> Limits {
        Limits {
            max_message: self.config.max_message,
        }
    }

    /// A new session on the default environment (it takes no slot: see [`Shared::open`]).
    pub fn new_session(&self) -> Result<Session, WireError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        Session::new(self.catalog.clone(), self.limits(), id, self.nonce ^ id)
    }

    /// A WebSocket session's slot and a new session in it, or `CAPACITY_REACHED`.
    pub fn open(&self) -> Result<(Slot, Session), WireError> {
        Self::open_in(&self.capacity, "sessions").and_then(|slot| Ok((slot, self.new_session()?)))
    }

    /// [`Shared::open`] for an HTTP MCP session, in the MCP sessions' own slots.
    pub fn open_mcp(&self) -> Result<(Slot, Session), WireError> {
        Self::open_in(&self.mcp_capacity, "HTTP MCP sessions")
            .and_then(|slot| Ok((slot, self.new_session()?)))
    }

    fn open_in(capacity: &Arc<Capacity>, what: &str) -> Result<Slot, WireError> {
        capacity.acquire().ok_or_else(|| {
            WireError::new(
                Code::CapacityReached,
                format!(
                    "Server at capacity: {} of {} {what} open; try again later",
                    capacity.active(),
                    capacity.max()
                ),
            )
        })
    }

    pub fn add_mcp_session(&self, session: Session, slot: Slot) -> String {
        let id = format!(
            "mcp-{:x}-{:x}",
            self.nonce & 0xffff_ffff,
            self.next_id.fetch_add(1, Ordering::Relaxed)
        );
        let mut map = self.mcp_sessions.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(
            id.clone(),
            McpSession {
                session,
                last: Instant::now(),
                _slot: slot,
            },
        );
        id
    }
}
