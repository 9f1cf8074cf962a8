//! The accept loop: axum's `serve` with the bounds a server exposed to strangers needs. At
//! most [`Connections::max`] connections are open (below the file-descriptor limit, so a
//! flood of silent connections cannot starve `/health` of descriptors); a connection that
//! does not send a request's headers within the header timeout is closed (hyper's timer,
//! which axum's `serve` leaves unset); each HTTP request must arrive whole, body included,
//! within the request timeout (a layer in `server.rs`); a client that stops reading what it is
//! sent (an HTTP answer or a WebSocket message) for as long loses its connection. Shutdown is
//! graceful: requests in flight are answered.

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::net::TcpStream;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

/// Descriptors kept free for everything but client connections (files, the runtime).
const RESERVED_FDS: u64 = 64;

/// How many connections may be open at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connections {
    pub max: usize,
    /// Whether `max` was lowered to fit the descriptor limit (told at start-up).
    pub lowered_from: Option<usize>,
}

impl Connections {
    /// `wanted` connections, raising the soft descriptor limit toward the hard one if needed,
    /// and lowered to what the limit allows.
    pub fn fit(wanted: usize) -> Connections {
        let wanted = wanted.max(1);
        let allowed =
            fd_limit((wanted as u64).saturating_add(RESERVED_FDS)).saturating_sub(RESERVED_FDS);
        let allowed = usize::try_from(allowed).unwrap_or(usize::MAX).max(1);
        Connections {
            max: wanted.min(allowed),
            lowered_from: (allowed < wanted).then_some(wanted),
        }
    }
}

/// The soft limit on open descriptors, first raised toward `wanted` (up to the hard limit).
#[cfg(unix)]
fn fd_limit(wanted: u64) -> u64 {
    let mut l = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the struct given, nothing else.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut l) != 0 {
            return u64::MAX;
        }
        let want = wanted as libc::rlim_t;
        if l.rlim_cur < want {
            let raised = libc::rlimit {
                rlim_cur: want.min(l.rlim_max),
                rlim_max: l.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                l.rlim_cur = raised.rlim_cur;
            }
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is u64 on Linux, not on every unix
    let soft = l.rlim_cur as u64;
    soft
}

#[cfg(not(unix))]
fn fd_limit(_wanted: u64) -> u64 {
    u64::MAX
}

/// Serves `app` on `listener` until `stop` turns true, then answers what is in flight and
/// returns once every connection has closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    connections: Connections,
    header_timeout: Duration,
    write_timeout: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(connections.max));
    let (open_tx, open_rx) = watch::channel(());
    loop {
        // A slot first: past the cap, new connections wait in the kernel's backlog.
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => s.expect("the semaphore is never closed"),
            _ = stopped(&mut stop) => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors or memory: wait a little (retrying at once would spin).
                // Anything else concerns one connection only: go on.
                Err(e) => {
                    if out_of_resources(&e) {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    continue;
                }
            },
            _ = stopped(&mut stop) => break,
        };
        let _ = stream.set_nodelay(true);
        let stream = Counted {
            stream,
            _slot: slot,
            write_timeout,
            stalled: None,
        };
        let service = TowerToHyperService::new(app.clone());
        let mut stop = stop.clone();
        let open = open_rx.clone();
        tokio::spawn(async move {
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let mut conn = pin!(builder
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades());
            let mut stopping = false;
            loop {
                tokio::select! {
                    _ = conn.as_mut() => break,
                    _ = stopped(&mut stop), if !stopping => {
                        stopping = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(open);
        });
    }
    drop(open_rx);
    drop(listener);
    open_tx.closed().await;
}

/// Whether an accept error is the process running out of something (descriptors, memory).
fn out_of_resources(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        true
    }
}

/// Completes once the server is stopping (the guard `wait_for` returns is not held across an
/// await, so the futures stay `Send`).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// A client's socket holding its connection slot: the slot is freed when the socket closes,
/// also after an upgrade to a WebSocket, which outlives the HTTP connection that made it. A
/// write that makes no progress for `write_timeout` (the client stopped reading) fails.
struct Counted {
    stream: TcpStream,
    _slot: OwnedSemaphorePermit,
    write_timeout: Duration,
    /// Armed while a write waits for the client to read.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Counted {
    /// `poll`'s result, failing with `TimedOut` once writes have waited `write_timeout`.
    fn deadline<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: impl FnOnce(Pin<&mut TcpStream>, &mut Context<'_>) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match poll(Pin::new(&mut self.stream), cx) {
            Poll::Ready(r) => {
                self.stalled = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let timeout = self.write_timeout;
                let sleep = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client stopped reading",
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.deadline(cx, |s, cx| s.poll_write(cx, buf))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.deadline(cx, |s, cx| s.poll_flush(cx))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.deadline(cx, |s, cx| s.poll_shutdown(cx))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.deadline(cx, |s, cx| s.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
