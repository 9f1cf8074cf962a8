//! `ztgym serve`: starts on a free port, answers, refuses bad options, and stops on SIGTERM
//! with exit code 0.

mod common;

use common::ztgym;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn get(addr: &str, path: &str) -> String {
    let mut tcp = TcpStream::connect(addr).unwrap();
    write!(
        tcp,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    tcp.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_answers_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ztgym"))
        .args([
            "serve",
            "--port",
            "0",
            "--max-sessions",
            "8",
            "--idle-timeout",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // "ztgym serve: http://127.0.0.1:PORT (WebSocket sessions at ...; at most 8 sessions, ...)"
    assert!(line.contains("at most 8 sessions"), "{line}");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let health = get(&addr, "/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.ends_with(r#"{"status":"healthy"}"#), "{health}");
    assert!(get(&addr, "/metadata").contains(r#""id":"sre""#));
    let killed = Command::new("kill")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("stopped"), "{err}");
}

#[test]
fn serve_refuses_bad_options() {
    let (ok, _, err) = ztgym(&["serve", "--port", "http"]);
    assert!(!ok);
    assert!(err.contains("--port expects a whole number"), "{err}");
    let (ok, _, err) = ztgym(&["serve", "--max-sessions", "0"]);
    assert!(!ok);
    assert!(err.contains("at least 1"), "{err}");
    let (ok, _, err) = ztgym(&["serve", "--env", "chess"]);
    assert!(!ok);
    assert!(
        err.contains("invalid value 'chess' for '--env <ID>'"),
        "{err}"
    );
    let (ok, out, _) = ztgym(&["serve", "--help"]);
    assert!(ok);
    assert!(out.contains("--max-message <BYTES>"), "{out}");
}
