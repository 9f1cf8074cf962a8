//! A real server on a free loopback port, and a client's WebSocket and HTTP calls to it.

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};
use ztgym_server::{Config, Handle};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct Server {
    pub handle: Handle,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

pub async fn start(config: Config) -> Server {
    let bound = ztgym_server::bind(Config { port: 0, ..config })
        .await
        .unwrap();
    let handle = bound.handle();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(bound.run(async move {
        let _ = rx.await;
    }));
    Server {
        handle,
        stop: Some(tx),
        task,
    }
}

impl Server {
    pub fn url(&self) -> String {
        format!("ws://{}/ws", self.handle.addr())
    }

    pub async fn connect(&self) -> Ws {
        connect_async(self.url()).await.unwrap().0
    }

    pub async fn stop(mut self) -> std::io::Result<()> {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(15), self.task)
            .await
            .expect("the server stops within its grace period")
            .unwrap()
    }

    /// Waits until `n` sessions are open (the server frees slots as connections end).
    pub async fn sessions(&self, n: usize) {
        wait_for(|| self.handle.active_sessions(), n, "sessions").await;
    }

    pub async fn mcp_sessions(&self, n: usize) {
        wait_for(|| self.handle.active_mcp_sessions(), n, "HTTP MCP sessions").await;
    }
}

/// Waits until `count()` is `n` (5 s at most).
pub async fn wait_for(count: impl Fn() -> usize, n: usize, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while count() != n {
        assert!(
            Instant::now() < deadline,
            "{} {what} open, expected {n}",
            count()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

impl Server {
    /// A plain HTTP/1.1 request; the status and the body as JSON.
    pub async fn http(&self, method: &str, path: &str, body: &str) -> (u16, Value) {
        let mut tcp = TcpStream::connect(self.handle.addr()).await.unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        tcp.write_all(request.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        tcp.read_to_end(&mut raw).await.unwrap();
        let text = String::from_utf8_lossy(&raw);
        let status = text[9..12].parse().unwrap();
        let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }
}

pub async fn send(ws: &mut Ws, v: &Value) {
    ws.send(Message::text(v.to_string())).await.unwrap();
}

/// The next text message as JSON, skipping pings; `None` on a close frame or the end.
pub async fn next(ws: &mut Ws) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a reply within 10 s")?
        {
            Ok(Message::Text(t)) => return Some(serde_json::from_str(&t).unwrap()),
            Ok(Message::Ping(_) | Message::Pong(_)) => continue,
            Ok(_) | Err(_) => return None,
        }
    }
}

/// The close frame's code, reading past any other message.
pub async fn close_code(ws: &mut Ws) -> Option<u16> {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .ok()??
        {
            Ok(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
            Ok(_) => continue,
            Err(_) => return None,
        }
    }
}

pub async fn ask(ws: &mut Ws, v: Value) -> Value {
    send(ws, &v).await;
    next(ws).await.expect("a reply")
}
