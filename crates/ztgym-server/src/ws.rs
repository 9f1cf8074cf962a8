//! One WebSocket connection: one session, one message at a time, each answered before the
//! next is read; capacity refusals, the idle timeout, frames over the transport ceiling and
//! shutdown. The protocol itself is [`Session`]'s.

use crate::protocol::{Code, WireError};
use crate::session::Frame;
use crate::shared::Shared;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// Connections refused for capacity that wait for the client's first message before closing.
const REJECTS_WAITING: usize = 256;
/// How long such a connection waits.
const REJECT_LINGER: Duration = Duration::from_secs(5);

pub async fn route(State(shared): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    let ceiling = shared.config.transport_ceiling();
    // Small buffers: a message from an agent is a few hundred bytes and a reply a few KiB,
    // so tungstenite's defaults (128 KiB each way per connection) would be most of a
    // session's memory. They grow for a larger message, up to the ceiling.
    ws.read_buffer_size(8 << 10)
        .write_buffer_size(8 << 10)
        .max_message_size(ceiling)
        .max_frame_size(ceiling)
        .on_upgrade(move |socket| run_session(shared, socket))
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        })))
        .await;
}

async fn send_json(socket: &mut WebSocket, value: &serde_json::Value) -> bool {
    socket
        .send(Message::Text(value.to_string().into()))
        .await
        .is_ok()
}

/// One WebSocket connection: one session, one message at a time, each answered before the
/// next is read. Ends on `close`, a vanished client, the idle timeout or shutdown; the slot is
/// freed however it ends.
async fn run_session(shared: Arc<Shared>, mut socket: WebSocket) {
    let (slot, mut session) = match shared.open() {
        Ok(s) => s,
        Err(e) => {
            // The error goes first; the connection stays open until the client's first
            // message (at most a few seconds), so a client that sends `reset` right after
            // connecting reads the error as its reply instead of a closed socket. Past
            // `REJECTS_WAITING` such connections, they are closed at once.
            send_json(&mut socket, &e.to_json()).await;
            if shared.rejecting.fetch_add(1, Ordering::AcqRel) < REJECTS_WAITING {
                let _ = tokio::time::timeout(REJECT_LINGER, socket.recv()).await;
            }
            shared.rejecting.fetch_sub(1, Ordering::AcqRel);
            close(&mut socket, 1013, "at capacity").await;
            return;
        }
    };
    let mut shutdown = shared.shutdown.clone();
    let idle = shared.config.idle_timeout;
    loop {
        if *shutdown.borrow() {
            close(&mut socket, 1001, "server shutting down").await;
            break;
        }
        let received = tokio::select! {
            // Only ever set to true (or dropped): either way the server is stopping.
            _ = shutdown.changed() => {
                close(&mut socket, 1001, "server shutting down").await;
                break;
            }
            r = recv(&mut socket, idle) => r,
        };
        let message = match received {
            Received::Idle => {
                let secs = idle.map_or(0, |d| d.as_secs());
                let e = WireError::new(
                    Code::SessionError,
                    format!("Session closed: no message for {secs} s (the idle timeout)"),
                );
                send_json(&mut socket, &e.to_json()).await;
                close(&mut socket, 1000, "idle timeout").await;
                break;
            }
            Received::Gone => break,
            Received::TooBig => {
                close(&mut socket, 1009, "message over the transport ceiling").await;
                break;
            }
            Received::Message(m) => m,
        };
        let response = {
            let frame = match &message {
                Message::Text(t) => Frame::Text(t.as_str()),
                Message::Binary(b) => Frame::Binary(b),
                Message::Close(_) => break,
                Message::Ping(_) | Message::Pong(_) => continue,
            };
            catch_unwind(AssertUnwindSafe(|| session.handle(frame)))
        };
        let Ok(response) = response else {
            let e = WireError::new(Code::SessionError, "Internal error: the session ended");
            send_json(&mut socket, &e.to_json()).await;
            close(&mut socket, 1011, "internal error").await;
            break;
        };
        if let Some(reply) = &response.reply {
            if !send_json(&mut socket, reply).await {
                break;
            }
        }
        if response.close {
            close(&mut socket, 1000, "closed").await;
            break;
        }
    }
    drop(slot);
}

enum Received {
    Message(Message),
    Idle,
    /// A message longer than the transport ceiling: not buffered, the connection closes.
    TooBig,
    /// The client went away, or sent a broken frame.
    Gone,
}

async fn recv(socket: &mut WebSocket, idle: Option<Duration>) -> Received {
    let next = match idle {
        Some(d) => match tokio::time::timeout(d, socket.recv()).await {
            Ok(n) => n,
            Err(_) => return Received::Idle,
        },
        None => socket.recv().await,
    };
    match next {
        Some(Ok(m)) => Received::Message(m),
        // tungstenite's capacity error ("Space limit exceeded: Message too long: ...").
        Some(Err(e)) if e.to_string().contains("too long") => Received::TooBig,
        Some(Err(_)) | None => Received::Gone,
    }
}
