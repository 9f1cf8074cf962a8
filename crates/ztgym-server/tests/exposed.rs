//! A server exposed to clients nobody trusts, on a real socket: no route opens a path a client
//! names nor tells whether it exists; the operator's scenarios (`--scenarios DIR`) play by
//! name; HTTP MCP sessions cannot lock WebSocket clients out; silent and half-sent
//! connections are closed and connections are capped; error replies stay short.

mod common;

use common::net::*;
use futures_util::SinkExt;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use ztgym_server::Config;

/// A fresh folder under the system's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ztgym-exposed-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// A copy of a built-in harden scenario folder under another name.
fn harden_copy(into: &Path, name: &str) {
    let from = repo("ztgym-harden/scenarios/seed001");
    std::fs::create_dir_all(into).unwrap();
    let toml = std::fs::read_to_string(from.join("scenario.toml")).unwrap();
    let toml = toml.replace("name = \"seed001\"", &format!("name = \"{name}\""));
    std::fs::write(into.join("scenario.toml"), toml).unwrap();
    std::fs::copy(from.join("policy.rego"), into.join("policy.rego")).unwrap();
}

/// The error that stops a server started with the scenarios folder `dir` (then removed).
async fn refused_start(dir: &Path, case: &str) -> String {
    let err = ztgym_server::bind(Config {
        port: 0,
        scenarios_dir: Some(dir.to_path_buf()),
        ..Config::default()
    })
    .await
    .err()
    .unwrap_or_else(|| panic!("{case}: the server started"));
    let _ = std::fs::remove_dir_all(dir);
    err.to_string()
}

/// Puts a bad entry into a scenarios folder.
type Plant = dyn Fn(&Path);

const SECRET: &str = "root:$6$SECRETHASH:19000:0:99999:7:::";

/// The error's message with the quoted name taken out: the same words whatever was named.
fn words(message: &str, named: &str) -> String {
    let quoted = ztgym::core::text::shorten(named, 64);
    message.replace(&quoted, "<name>")
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_route_opens_a_path_a_client_names_nor_tells_whether_it_exists() {
    let dir = temp_dir("paths");
    let secret = dir.join("shadow");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let folder = dir.join("planted");
    harden_copy(&folder, "planted");
    let names: Vec<String> = vec![
        secret.display().to_string(),
        folder.display().to_string(),
        folder.join("scenario.toml").display().to_string(),
        dir.join("missing").display().to_string(),
        "../../../../../../etc/passwd".into(),
        "/etc/passwd".into(),
        "seed001/../seed001".into(),
        "./seed001".into(),
        "planted".into(),
    ];
    let server = start(Config::default()).await;
    let mut ws = server.connect().await;
    for env in ["harden", "sre", "triage"] {
        let mut seen = Vec::new();
        for name in &names {
            let mut answers = Vec::new();
            let reset = json!({"type": "reset", "data": {"env": env, "scenario": name}});
            let r = ask(&mut ws, reset).await;
            assert_eq!(r["data"]["code"], "VALIDATION_ERROR", "{env} {name}: {r}");
            answers.push(r["data"]["message"].as_str().unwrap().to_string());
            let task = ask(
                &mut ws,
                json!({"type": "reset", "data": {"env": env, "task": name}}),
            )
            .await;
            answers.push(task["data"]["message"].as_str().unwrap().to_string());

            let body = json!({"env": env, "scenario": name}).to_string();
            let (s, v) = server.http("POST", "/reset", &body).await;
            assert_eq!(s, 422, "{v}");
            answers.push(v["detail"]["message"].as_str().unwrap().to_string());
            let step = json!({"env": env, "scenario": name, "action": {}}).to_string();
            let (s, v) = server.http("POST", "/step", &step).await;
            assert_eq!(s, 422, "{v}");
            answers.push(v["detail"]["message"].as_str().unwrap().to_string());
            let path = format!("/state?env={env}&scenario={}", url_encode(name));
            let (s, v) = server.http("GET", &path, "").await;
            assert_eq!(s, 404, "{v}");
            answers.push(v["detail"]["message"].as_str().unwrap().to_string());
            for method in ["tools/call", "openenv/session/create"] {
                let rpc = json!({"jsonrpc": "2.0", "id": 1, "method": method,
                    "params": {"env": env, "scenario": name, "name": "step"}});
                let (s, v) = server.http("POST", "/mcp", &rpc.to_string()).await;
                assert_eq!(s, 200, "{v}");
                answers.push(v["error"]["message"].as_str().unwrap().to_string());
            }
            for a in &answers {
                assert!(!a.contains("SECRET") && !a.contains("root:"), "{a}");
                assert!(a.contains("unknown scenario"), "{env} {name}: {a}");
            }
            seen.push(answers.iter().map(|a| words(a, name)).collect::<Vec<_>>());
        }
        // A file, a folder, a missing path and a plain wrong name: the same answers.
        for s in &seen[1..] {
            assert_eq!(s, &seen[0], "{env}");
        }
    }
    assert_eq!(server.handle.active_mcp_sessions(), 0);
    server.stop().await.unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operators_scenarios_play_by_name_and_a_bad_folder_stops_the_start() {
    let dir = temp_dir("operator");
    harden_copy(&dir.join("harden/hardened-shop"), "hardened-shop");
    std::fs::create_dir_all(dir.join("sre")).unwrap();
    let classic = std::fs::read_to_string(repo("ztgym-sre/data/scenarios/classic.toml")).unwrap();
    std::fs::write(
        dir.join("sre/small-shop.toml"),
        classic.replace("name = \"classic\"", "name = \"small-shop\""),
    )
    .unwrap();
    let server = start(Config {
        scenarios_dir: Some(dir.clone()),
        ..Config::default()
    })
    .await;
    let (_, meta) = server.http("GET", "/metadata", "").await;
    let scenarios = |env: &str| -> Vec<Value> {
        meta["envs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == env)
            .unwrap()["scenarios"]
            .as_array()
            .unwrap()
            .clone()
    };
    assert!(scenarios("harden").contains(&json!("hardened-shop")));
    assert!(scenarios("sre").contains(&json!("small-shop")));
    let mut ws = server.connect().await;
    for (env, name) in [("harden", "hardened-shop"), ("sre", "small-shop")] {
        let r = ask(
            &mut ws,
            json!({"type": "reset", "data": {"env": env, "scenario": name, "seed": 3}}),
        )
        .await;
        assert_eq!(r["type"], "observation", "{r}");
        let state = ask(&mut ws, json!({"type": "state"})).await;
        assert_eq!(state["data"]["env"], env);
    }
    // Its folder, named by path, is still no scenario.
    let path = dir.join("harden/hardened-shop").display().to_string();
    let r = ask(
        &mut ws,
        json!({"type": "reset", "data": {"env": "harden", "scenario": path}}),
    )
    .await;
    assert_eq!(r["data"]["code"], "VALIDATION_ERROR");
    server.stop().await.unwrap();

    // A folder that does not check out stops the start, naming what is wrong.
    let cases: [(&str, Box<Plant>, &str); 4] = [
        (
            "stray",
            Box::new(|d| std::fs::write(d.join("notes.txt"), "x").unwrap()),
            "unexpected entry",
        ),
        (
            "clash",
            Box::new(|d| harden_copy(&d.join("harden/seed001"), "seed001")),
            "built-in",
        ),
        (
            "twice",
            Box::new(|d| {
                harden_copy(&d.join("harden/a"), "same");
                harden_copy(&d.join("harden/b"), "same");
            }),
            "given twice",
        ),
        (
            "policy",
            Box::new(|d| {
                harden_copy(&d.join("harden/broken"), "broken");
                std::fs::write(d.join("harden/broken/policy.rego"), "package x\nallow if {")
                    .unwrap();
            }),
            "policy.rego",
        ),
    ];
    for (name, make, expected) in cases {
        let d = temp_dir(&format!("bad-{name}"));
        make(&d);
        let err = refused_start(&d, name).await;
        assert!(err.contains(expected), "{name}: {err}");
    }

    // A hostile policy in an operator's folder is refused at start, in bounded time and
    // memory, with the place named: it never reaches a session.
    let seed_policy =
        std::fs::read_to_string(repo("ztgym-harden/scenarios/seed001/policy.rego")).unwrap();
    let chain: String = (0..3000)
        .map(|i| format!("r{i} := r{} + 1\n", i + 1))
        .collect::<String>()
        + "r3000 := 1\n";
    let deep = format!("deep := {}1{}\n", "[".repeat(24), "]".repeat(24));
    for (name, extra, expected) in [
        (
            "range",
            "huge := count(numbers.range(1, 10000000000))\n".to_string(),
            "would build",
        ),
        (
            "range i64",
            "huge := count(numbers.range(0, 9223372036854775807))\n".to_string(),
            "would build",
        ),
        ("chain", chain, "chain of"),
        ("nesting", deep, "nest more than"),
        (
            "http",
            "fetched := http.send({\"method\": \"get\", \"url\": \"http://x\"})\n".to_string(),
            "http.send",
        ),
        (
            "recursion",
            "f(x) := y { y := f(x) }\n".to_string(),
            "recursi",
        ),
    ] {
        let d = temp_dir(&format!("hostile-{}", name.replace(' ', "-")));
        harden_copy(&d.join("harden/hostile"), "hostile");
        std::fs::write(
            d.join("harden/hostile/policy.rego"),
            format!("{seed_policy}\n{extra}"),
        )
        .unwrap();
        let err = refused_start(&d, name).await;
        assert!(
            err.contains(expected) && err.contains("policy.rego"),
            "{name}: {err}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_mcp_sessions_never_lock_websocket_clients_out() {
    let server = start(Config {
        max_sessions: 2,
        max_mcp_sessions: 3,
        ..Config::default()
    })
    .await;
    let create =
        json!({"jsonrpc": "2.0", "id": 1, "method": "openenv/session/create", "params": {}});
    for _ in 0..3 {
        let (_, v) = server.http("POST", "/mcp", &create.to_string()).await;
        assert!(v["result"]["session_id"].is_string(), "{v}");
    }
    let (_, v) = server.http("POST", "/mcp", &create.to_string()).await;
    assert_eq!(v["error"]["data"]["code"], "CAPACITY_REACHED", "{v}");
    assert_eq!(server.handle.active_mcp_sessions(), 3);
    // Both WebSocket slots are still free.
    let mut a = server.connect().await;
    let mut b = server.connect().await;
    for ws in [&mut a, &mut b] {
        assert_eq!(
            ask(ws, json!({"type": "reset"})).await["type"],
            "observation"
        );
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_half_sent_connections_are_closed_and_connections_are_capped() {
    let server = start(Config {
        max_connections: Some(3),
        header_timeout: Duration::from_millis(1000),
        request_timeout: Duration::from_millis(500),
        ..Config::default()
    })
    .await;
    assert_eq!(server.handle.connections().max, 3);
    // Three connections that say nothing take every slot, then are closed by the server.
    let mut silent = Vec::new();
    for _ in 0..3 {
        silent.push(TcpStream::connect(server.handle.addr()).await.unwrap());
    }
    // While they hold the slots, nothing else is served (the cap holds)...
    let blocked = tokio::time::timeout(
        Duration::from_millis(200),
        server.http("GET", "/health", ""),
    )
    .await;
    assert!(
        blocked.is_err(),
        "a fourth connection was served past the cap"
    );
    // A fourth client waits in the backlog and is answered once the silent ones are gone.
    let (s, v) = tokio::time::timeout(Duration::from_secs(10), server.http("GET", "/health", ""))
        .await
        .expect("/health answers once the silent connections are closed");
    assert_eq!((s, v), (200, json!({"status": "healthy"})));
    for mut tcp in silent {
        let mut buf = Vec::new();
        let n = tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut buf))
            .await
            .expect("the server closes a silent connection")
            .unwrap_or(0);
        assert!(n == 0 || String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 408"));
    }
    // Headers, then half the body, then nothing: 408, and the connection ends.
    let mut tcp = TcpStream::connect(server.handle.addr()).await.unwrap();
    tcp.write_all(b"POST /reset HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"seed\":")
        .await
        .unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut raw))
        .await
        .expect("a half-sent request is answered")
        .unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_holds_its_connection_slot_until_it_closes_and_a_client_that_stops_reading_loses_its_own(
) {
    let server = start(Config {
        max_connections: Some(1),
        request_timeout: Duration::from_millis(500),
        ..Config::default()
    })
    .await;
    let mut ws = server.connect().await;
    assert_eq!(
        ask(&mut ws, json!({"type": "reset"})).await["type"],
        "observation"
    );
    let health = || server.http("GET", "/health", "");
    let blocked = tokio::time::timeout(Duration::from_millis(300), health()).await;
    assert!(
        blocked.is_err(),
        "served while the WebSocket held the only slot"
    );
    send(&mut ws, &json!({"type": "close"})).await;
    drop(ws);
    let (s, _) = tokio::time::timeout(Duration::from_secs(10), health())
        .await
        .expect("/health answers once the WebSocket closed");
    assert_eq!(s, 200);

    // Requests pipelined and never read: the answers fill the socket, the writes wait, and
    // past the timeout the connection ends and its slot is free again.
    let mut greedy = TcpStream::connect(server.handle.addr()).await.unwrap();
    let request = "GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n".repeat(400);
    greedy.write_all(request.as_bytes()).await.unwrap();
    let (s, _) = tokio::time::timeout(Duration::from_secs(15), health())
        .await
        .expect("/health answers once the reader-less connection timed out");
    assert_eq!(s, 200);
    drop(greedy);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_replies_never_echo_a_long_client_value_whole() {
    let server = start(Config::default()).await;
    let long = "x".repeat(100_000);
    let mut ws = server.connect().await;
    let mut messages = Vec::new();
    for message in [
        json!({"type": long}),
        json!({"type": "reset", long.clone(): 1}),
        json!({"type": "reset", "data": {"env": long}}),
        json!({"type": "reset", "data": {"scenario": long}}),
        json!({"type": "reset", "data": {"seed": long}}),
        json!({"type": "reset", "data": {"level": long}}),
        json!({"type": "step", "data": {"tool": long}}),
    ] {
        let r = ask(&mut ws, message).await;
        messages.push(r["data"]["message"].as_str().unwrap().to_string());
    }
    let (_, v) = server
        .http("POST", "/reset", &json!({"env": long}).to_string())
        .await;
    messages.push(v["detail"]["message"].as_str().unwrap().to_string());
    for rpc in [
        json!({"jsonrpc": "2.0", "id": 1, "method": long}),
        json!({"jsonrpc": "2.0", "id": 1, "method": "x", long.clone(): 1}),
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": long}}),
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"session_id": long}}),
    ] {
        let (_, v) = server.http("POST", "/mcp", &rpc.to_string()).await;
        messages.push(v["error"]["message"].as_str().unwrap().to_string());
    }
    let (s, v) = server
        .http(
            "POST",
            "/mcp",
            &json!({"jsonrpc": "2.0", "id": long, "method": "ping"}).to_string(),
        )
        .await;
    assert_eq!(
        (s, v["id"].clone()),
        (200, Value::Null),
        "a long id is not echoed"
    );
    for m in messages {
        assert!(
            m.chars().count() <= 1_100,
            "{} characters: {}",
            m.len(),
            &m[..200]
        );
        assert!(!m.contains(&"x".repeat(200)), "{}", &m[..200]);
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_past_64_bits_in_an_action_is_refused_as_malformed() {
    let server = start(Config::default()).await;
    let mut ws = server.connect().await;
    let r = ask(
        &mut ws,
        json!({"type": "reset", "data": {"env": "harden", "seed": 1}}),
    )
    .await;
    assert_eq!(r["type"], "observation", "{r}");
    let text = r#"{"type": "step", "data": {"id": "rotate_credentials", "params": {"new_ttl_mins": 18446744073709551617}}}"#;
    ws.send(Message::text(text)).await.unwrap();
    let r = next(&mut ws).await.unwrap();
    assert_eq!(r["data"]["code"], "VALIDATION_ERROR", "{r}");
    assert!(
        r["data"]["message"].as_str().unwrap().contains("10^19"),
        "{r}"
    );
    // The session goes on.
    let ok = json!({"type": "step", "data": {"id": "rotate_credentials", "params": {"new_ttl_mins": 60}}});
    assert_eq!(ask(&mut ws, ok).await["type"], "observation");
    server.stop().await.unwrap();
}
