//! How the server runs: its address, limits and timeouts.

use std::time::Duration;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    pub host: String,
    pub port: u16,
    /// WebSocket sessions at once; past it, `CAPACITY_REACHED`.
    pub max_sessions: usize,
    /// A session that receives no message for this long is closed; `None`: never.
    pub idle_timeout: Option<Duration>,
    /// Sessions opened over HTTP MCP (`openenv/session/create`) at once: a cap of their own,
    /// so clients that open sessions and never come back cannot lock WebSocket clients out.
    pub max_mcp_sessions: usize,
    /// An HTTP MCP session unused for this long is closed.
    pub mcp_idle_timeout: Duration,
    /// Connections open at once; `None`: `max_sessions` plus 256 for HTTP. Lowered at start
    /// to fit the process's descriptor limit.
    pub max_connections: Option<usize>,
    /// Scenarios the operator allows besides the built-in ones (`ztgym::scenario_dir`), read
    /// once in [`crate::server::bind`]. A client never names a file.
    pub scenarios_dir: Option<std::path::PathBuf>,
    /// How long a connection may take to send a request's headers (also while idle between
    /// requests on a kept-alive connection); past it the connection is closed.
    pub header_timeout: Duration,
    /// How long an HTTP request may take to arrive whole, body included, and be answered;
    /// past it, 408. Also how long a write may wait for a client that stopped reading.
    pub request_timeout: Duration,
    /// The largest message read, in bytes. A longer one is answered with `VALIDATION_ERROR`
    /// and the session goes on, up to [`Config::transport_ceiling`], past which the socket
    /// layer refuses to buffer it and closes the connection (code 1009).
    pub max_message: usize,
    /// The environments served, one spec each (the facade's table by default).
    pub envs: Vec<&'static dyn ztgym::registry::EnvSpec>,
    /// The environment a session starts with.
    pub default_env: String,
    /// How long shutdown waits for open sessions to end.
    pub shutdown_grace: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            host: "127.0.0.1".into(),
            port: 8000,
            max_sessions: 1024,
            idle_timeout: Some(Duration::from_secs(600)),
            max_mcp_sessions: 64,
            mcp_idle_timeout: Duration::from_secs(60),
            max_connections: None,
            scenarios_dir: None,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_message: 1 << 20,
            envs: ztgym::registry::ENVS.to_vec(),
            default_env: ztgym::registry::DEFAULT_ENV.into(),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

impl Config {
    /// The largest frame the socket buffers: 8 times `max_message`, at least 64 KiB.
    pub fn transport_ceiling(&self) -> usize {
        self.max_message.saturating_mul(8).max(64 << 10)
    }

    /// The connections wanted before the descriptor limit is applied.
    pub fn wanted_connections(&self) -> usize {
        self.max_connections
            .unwrap_or(self.max_sessions.saturating_add(256))
    }
}
