//! Zero Trust Gym's OpenEnv server: every environment of the registry over OpenEnv's protocol
//! (openenv-core 0.3.0), so Python trainers and language-model agents drive them through the
//! unmodified OpenEnv client.
//!
//! - `GET /ws`: WebSocket sessions, one environment each (`{"type": reset|step|state|close|mcp}`).
//! - `GET /health`, `/metadata`, `/schema`, `/openapi.json`; `POST /mcp` (JSON-RPC 2.0).
//! - `POST /reset`, `POST /step`, `GET /state`: a fresh environment per request.
//!
//! The protocol lives in [`session`] as plain Rust ([`Session::handle`]: one message in, one
//! reply out); [`server`] is the thin socket layer (axum + tokio): slots, idle timeout, message
//! size, graceful shutdown.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let bound = ztgym_server::bind(ztgym_server::Config::default()).await?;
//! println!("listening on {}", bound.local_addr());
//! bound.run(ztgym_server::shutdown_signal()).await
//! # }
//! ```

pub mod accept;
pub mod catalog;
mod config;
mod http;
pub mod mcp;
mod memory;
mod openapi;
pub mod protocol;
pub mod server;
pub mod session;
mod shared;
mod ws;

pub use catalog::Catalog;
pub use protocol::Code;
pub use server::{bind, run_blocking, shutdown_signal, Bound, Config, Handle, Started};
pub use session::{Frame, Limits, Response, Session};
