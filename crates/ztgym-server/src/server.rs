//! The server around the sessions: the routes, binding and graceful shutdown (configuration in
//! `config.rs`, session slots in `shared.rs`, WebSocket connections in `ws.rs`, the accept loop
//! in `accept.rs`).
//! No protocol decision is made here.

use crate::accept::{self, Connections};
use crate::catalog::Catalog;
use crate::http;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::watch;

// Named here too, where they were before.
pub use crate::config::Config;
use crate::shared::Shared;
pub use crate::shared::{Capacity, Slot};

/// A server bound to its address, not yet serving.
pub struct Bound {
    listener: TcpListener,
    connections: Connections,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
}

/// A view of a running server, for tests and benchmarks.
#[derive(Clone, Debug)]
pub struct Handle {
    capacity: Arc<Capacity>,
    mcp_capacity: Arc<Capacity>,
    addr: SocketAddr,
    connections: Connections,
}

impl Handle {
    /// Sessions open now.
    pub fn active_sessions(&self) -> usize {
        self.capacity.active()
    }

    /// HTTP MCP sessions open now.
    pub fn active_mcp_sessions(&self) -> usize {
        self.mcp_capacity.active()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The connection cap in force.
    pub fn connections(&self) -> Connections {
        self.connections
    }
}

/// Binds the address of `config` (port 0: any free port).
pub async fn bind(config: Config) -> std::io::Result<Bound> {
    let loaded = match &config.scenarios_dir {
        Some(dir) => {
            ztgym::scenario_dir::load_for(&config.envs, dir).map_err(std::io::Error::other)?
        }
        None => Vec::new(),
    };
    let catalog = Catalog::with_scenarios(&config.envs, &config.default_env, loaded)
        .map_err(std::io::Error::other)?;
    let connections = Connections::fit(config.wanted_connections());
    // Regorus's process-wide ceiling counts every byte the server holds: 1 GiB for the Rego
    // work itself, plus 1 MiB for each session slot (a harden session holds about 0.3 MiB).
    let sessions = config.max_sessions.saturating_add(config.max_mcp_sessions) as u64;
    ztgym::rego::bounds::set_process_memory_ceiling(
        ztgym::rego::bounds::PROCESS_MEMORY_BYTES.saturating_add(sessions << 20),
    );
    let listener = TcpListener::bind((config.host.as_str(), config.port)).await?;
    let (stop, shutdown) = watch::channel(false);
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
        ^ u64::from(std::process::id()).rotate_left(32);
    let shared = Arc::new(Shared {
        catalog: Arc::new(catalog),
        capacity: Capacity::new(config.max_sessions),
        mcp_capacity: Capacity::new(config.max_mcp_sessions),
        config,
        next_id: AtomicU64::new(1),
        nonce,
        mcp_sessions: Mutex::new(HashMap::new()),
        shutdown,
        rejecting: AtomicUsize::new(0),
    });
    Ok(Bound {
        listener,
        connections,
        shared,
        stop,
    })
}

impl Bound {
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The address, the connection cap and the operator's scenarios.
    pub fn started(&self) -> Started {
        let loaded = self.shared.catalog.envs.iter().flat_map(|e| {
            e.loaded
                .iter()
                .map(move |l| format!("{}/{}", e.info.id, l.name()))
        });
        Started {
            addr: self.local_addr(),
            connections: self.connections,
            loaded: loaded.collect(),
        }
    }

    pub fn handle(&self) -> Handle {
        Handle {
            capacity: self.shared.capacity.clone(),
            mcp_capacity: self.shared.mcp_capacity.clone(),
            addr: self.local_addr(),
            connections: self.connections,
        }
    }

    /// Serves until `shutdown` completes, then stops taking connections, answers the
    /// requests and messages in flight, closes every session (code 1001) and returns once
    /// they are closed or the grace period is over.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Bound {
            listener,
            connections,
            shared,
            stop,
        } = self;
        let app = router(shared.clone());
        let serving = tokio::spawn(accept::serve(
            listener,
            app,
            connections,
            shared.config.header_timeout,
            shared.config.request_timeout,
            shared.shutdown.clone(),
        ));
        let reaper = tokio::spawn(reap_idle_mcp(shared.clone()));
        shutdown.await;
        let _ = stop.send(true);
        reaper.abort();
        let deadline = Instant::now() + shared.config.shutdown_grace;
        shared
            .mcp_sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        let abort = serving.abort_handle();
        let served = tokio::time::timeout_at(deadline.into(), serving).await;
        shared.capacity.drained(deadline).await;
        match served {
            Ok(Err(join)) => Err(std::io::Error::other(join)),
            Ok(Ok(())) => Ok(()),
            // The grace period is over: what still runs is stopped.
            Err(_) => {
                abort.abort();
                Ok(())
            }
        }
    }
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let limit = shared.config.max_message;
    Router::new()
        .route("/ws", get(crate::ws::route))
        .route("/health", get(http::health))
        .route("/metadata", get(http::metadata))
        .route("/schema", get(http::schema))
        .route("/openapi.json", get(http::openapi))
        .route("/mcp", post(http::mcp))
        .route("/reset", post(http::reset))
        .route("/step", post(http::step))
        .route("/state", get(http::state))
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            shared.config.request_timeout,
            within_request_timeout,
        ))
        .with_state(shared)
}

/// A request that has not arrived whole and been answered within the request timeout is
/// answered 408 (a client sending its body a byte a minute holds no connection for long).
async fn within_request_timeout(
    State(limit): State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(r) => r,
        Err(_) => http::timed_out(),
    }
}

/// Closes HTTP MCP sessions left idle past their timeout.
async fn reap_idle_mcp(shared: Arc<Shared>) {
    let idle = shared.config.mcp_idle_timeout;
    let every = (idle / 4).clamp(Duration::from_millis(100), Duration::from_secs(5));
    loop {
        tokio::time::sleep(every).await;
        let now = Instant::now();
        shared
            .mcp_sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, s| now.duration_since(s.last) < idle);
    }
}

/// What a server bound with: told once it takes connections.
#[derive(Clone, Debug)]
pub struct Started {
    pub addr: SocketAddr,
    pub connections: Connections,
    /// The operator's scenarios served, as `env/name`.
    pub loaded: Vec<String>,
}

/// Serves `config` on a new multi-threaded runtime until SIGTERM or Ctrl-C; `ready` is called
/// once connections are taken.
pub fn run_blocking(config: Config, ready: impl FnOnce(Started)) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .on_thread_park(crate::memory::on_park)
        .build()?;
    runtime.block_on(async move {
        let bound = bind(config).await?;
        // SIGTERM is caught from before the server says it is ready: a signal sent on reading
        // that line would otherwise find no handler yet and kill the process outright.
        #[cfg(unix)]
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        ready(bound.started());
        bound
            .run(async move {
                #[cfg(unix)]
                if let Some(term) = term.as_mut() {
                    tokio::select! {
                        _ = term.recv() => {},
                        _ = shutdown_signal() => {},
                    }
                    return;
                }
                shutdown_signal().await
            })
            .await
    })
}
