//! The socket layer, on a real server bound to a free loopback port: sessions over WebSocket,
//! the session slots (`CAPACITY_REACHED`, and the server goes on), the idle timeout, a client
//! that vanishes, message sizes, binary frames, graceful shutdown, and the HTTP routes.

mod common;

use common::net::*;
use futures_util::SinkExt;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Message;
use ztgym_server::Config;
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_plays_an_episode_to_the_end() {
    let server = start(Config::default()).await;
    let mut ws = server.connect().await;
    let r = ask(
        &mut ws,
        json!({"type": "reset", "data": {"seed": 5, "scenario": "classic"}}),
    )
    .await;
    assert_eq!(r["type"], "observation");
    assert!(r["data"]["observation"]["prompt"]
        .as_str()
        .unwrap()
        .starts_with("Scenario classic"));
    let mut steps = 0;
    loop {
        let r = ask(&mut ws, json!({"type": "step", "data": {"tool": "wait"}})).await;
        steps += 1;
        if r["data"]["done"] == true {
            assert_eq!(r["data"]["observation"]["truncated"], true);
            break;
        }
    }
    let st = ask(&mut ws, json!({"type": "state"})).await;
    assert_eq!(st["data"]["step_count"], steps);
    let r = ask(&mut ws, json!({"type": "step", "data": {"tool": "wait"}})).await;
    assert_eq!(r["data"]["code"], "EXECUTION_ERROR");
    send(&mut ws, &json!({"type": "close"})).await;
    assert_eq!(close_code(&mut ws).await, Some(1000));
    server.sessions(0).await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_maximum_a_client_gets_capacity_reached_and_the_server_goes_on() {
    let server = start(Config {
        max_sessions: 2,
        ..Config::default()
    })
    .await;
    let mut a = server.connect().await;
    let mut b = server.connect().await;
    for ws in [&mut a, &mut b] {
        assert_eq!(
            ask(ws, json!({"type": "reset", "data": {"seed": 1}})).await["type"],
            "observation"
        );
    }
    server.sessions(2).await;
    let mut c = server.connect().await;
    // The error is there to read as the reply to the client's first message, then the
    // connection closes.
    send(&mut c, &json!({"type": "reset"})).await;
    let r = next(&mut c).await.unwrap();
    assert_eq!(r["data"]["code"], "CAPACITY_REACHED", "{r}");
    assert_eq!(close_code(&mut c).await, Some(1013));
    assert_eq!(server.handle.active_sessions(), 2);
    // The two sessions go on; when one ends, its slot is free again.
    assert_eq!(ask(&mut a, json!({"type": "state"})).await["type"], "state");
    send(&mut b, &json!({"type": "close"})).await;
    server.sessions(1).await;
    let mut d = server.connect().await;
    assert_eq!(
        ask(&mut d, json!({"type": "reset"})).await["type"],
        "observation"
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_is_closed_and_a_vanished_client_frees_its_slot() {
    let server = start(Config {
        idle_timeout: Some(Duration::from_millis(300)),
        mcp_idle_timeout: Duration::from_millis(300),
        ..Config::default()
    })
    .await;
    let mut idle = server.connect().await;
    assert_eq!(
        ask(&mut idle, json!({"type": "reset"})).await["type"],
        "observation"
    );
    let started = Instant::now();
    let r = next(&mut idle).await.unwrap();
    assert_eq!(r["data"]["code"], "SESSION_ERROR", "{r}");
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert_eq!(close_code(&mut idle).await, Some(1000));
    server.sessions(0).await;

    // An MCP session opened over HTTP times out the same way, in slots of its own.
    let create = json!({"jsonrpc": "2.0", "id": 1, "method": "openenv/session/create", "params": {"seed": 1}});
    let (_, v) = server.http("POST", "/mcp", &create.to_string()).await;
    let sid = v["result"]["session_id"].as_str().unwrap().to_string();
    assert_eq!(server.handle.active_mcp_sessions(), 1);
    assert_eq!(server.handle.active_sessions(), 0);
    server.mcp_sessions(0).await;
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"session_id": sid, "name": "wait"}});
    let (_, v) = server.http("POST", "/mcp", &call.to_string()).await;
    assert_eq!(v["error"]["code"], -32602, "{v}");

    // A client that drops its TCP connection mid-episode, without a close frame.
    let mut gone = server.connect().await;
    ask(&mut gone, json!({"type": "reset"})).await;
    server.sessions(1).await;
    drop(gone);
    server.sessions(0).await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_and_binary_messages_are_refused_and_the_session_goes_on() {
    let server = start(Config {
        max_message: 4096,
        ..Config::default()
    })
    .await;
    let mut ws = server.connect().await;
    ask(&mut ws, json!({"type": "reset", "data": {"seed": 2}})).await;
    let huge = json!({"type": "step", "data": {"tool": "file_ticket", "node": "payment", "action": "isolate", "justification": "x".repeat(5000)}});
    assert_eq!(ask(&mut ws, huge).await["data"]["code"], "VALIDATION_ERROR");
    ws.send(Message::binary(b"{\"type\":\"state\"}".to_vec()))
        .await
        .unwrap();
    assert_eq!(next(&mut ws).await.unwrap()["data"]["code"], "INVALID_JSON");
    ws.send(Message::text("{not json")).await.unwrap();
    assert_eq!(next(&mut ws).await.unwrap()["data"]["code"], "INVALID_JSON");
    let st = ask(&mut ws, json!({"type": "state"})).await;
    assert_eq!(st["data"]["step_count"], 0);
    assert_eq!(
        ask(&mut ws, json!({"type": "step", "data": {"tool": "wait"}})).await["type"],
        "observation"
    );
    // Past the transport ceiling (8 x the limit, at least 64 KiB) the server does not buffer
    // the message: the connection closes with 1009 and its slot is freed.
    let ceiling = Config {
        max_message: 4096,
        ..Config::default()
    }
    .transport_ceiling();
    ws.send(Message::text("y".repeat(ceiling + 1)))
        .await
        .unwrap();
    assert_eq!(close_code(&mut ws).await, Some(1009));
    server.sessions(0).await;
    let mut again = server.connect().await;
    assert_eq!(
        ask(&mut again, json!({"type": "reset"})).await["type"],
        "observation"
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_answers_the_message_in_flight_then_closes_every_session() {
    let server = start(Config::default()).await;
    let mut clients = Vec::new();
    for seed in 0..3 {
        let mut ws = server.connect().await;
        ask(&mut ws, json!({"type": "reset", "data": {"seed": seed}})).await;
        clients.push(ws);
    }
    server.sessions(3).await;
    // A step is sent, and shutdown begins before its reply is read.
    send(
        &mut clients[0],
        &json!({"type": "step", "data": {"tool": "wait"}}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let addr = server.handle.addr();
    let handle = server.handle.clone();
    let stopped = tokio::spawn(server.stop());
    let r = next(&mut clients[0]).await.unwrap();
    assert_eq!(r["type"], "observation", "the reply in flight arrives: {r}");
    for ws in &mut clients {
        assert_eq!(close_code(ws).await, Some(1001));
    }
    stopped.await.unwrap().unwrap();
    assert_eq!(handle.active_sessions(), 0);
    assert!(connect_async(format!("ws://{addr}/ws")).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_http_routes_answer_as_openenv_validate_expects() {
    let server = start(Config {
        max_message: 8192,
        max_sessions: 4,
        ..Config::default()
    })
    .await;
    let (s, v) = server.http("GET", "/health", "").await;
    assert_eq!((s, v), (200, json!({"status": "healthy"})));
    let (s, v) = server.http("GET", "/metadata", "").await;
    assert_eq!(s, 200);
    assert!(v["name"].is_string() && v["description"].is_string());
    assert_eq!(v["envs"][0]["id"], "sre");
    let (s, v) = server.http("GET", "/metadata?env=sre", "").await;
    assert_eq!((s, v["name"].clone()), (200, json!("sre")));
    let (s, v) = server.http("GET", "/schema", "").await;
    assert_eq!(s, 200);
    for k in ["action", "observation", "state", "reset"] {
        assert!(v[k].is_object(), "{k}");
    }
    assert_eq!(server.http("GET", "/schema?env=chess", "").await.0, 422);
    let (s, v) = server.http("GET", "/openapi.json", "").await;
    assert_eq!(s, 200);
    assert_eq!(v["info"]["version"], "1.0.0");
    for p in [
        "/reset",
        "/step",
        "/state",
        "/health",
        "/metadata",
        "/schema",
        "/mcp",
    ] {
        assert!(v["paths"].get(p).is_some(), "{p}");
    }
    let text = v.to_string();
    assert!(
        !text.contains("#/$defs/"),
        "every $ref points into components"
    );
    // Not a JSON-RPC request at all: 200 with the JSON-RPC error, as OpenEnv's server answers.
    let (s, v) = server.http("POST", "/mcp", "{}").await;
    assert_eq!(
        (s, v["jsonrpc"].clone(), v["error"]["code"].clone()),
        (200, json!("2.0"), json!(-32600))
    );
    let (s, v) = server.http("POST", "/mcp", "{nope").await;
    assert_eq!((s, v["error"]["code"].clone()), (200, json!(-32700)));

    // Stateless reset, step, state.
    let (s, v) = server
        .http("POST", "/reset", r#"{"seed": 3, "scenario": "enterprise"}"#)
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["done"], false);
    assert_eq!(v["observation"]["scenario"], "enterprise");
    assert_eq!(server.http("POST", "/reset", "").await.0, 200);
    let (s, v) = server
        .http(
            "POST",
            "/step",
            r#"{"seed": 3, "action": {"tool": "wait"}}"#,
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["observation"]["step"], 1);
    assert!(v["reward"].is_number());
    let (s, v) = server
        .http("POST", "/step", r#"{"action": {"tool": "teleport"}}"#)
        .await;
    assert_eq!(
        (s, v["detail"]["code"].clone()),
        (422, json!("VALIDATION_ERROR"))
    );
    let (s, v) = server
        .http(
            "POST",
            "/step",
            r#"{"action": {"tool": "isolate_node", "node": "mars"}}"#,
        )
        .await;
    assert_eq!(
        (s, v["detail"]["code"].clone()),
        (409, json!("EXECUTION_ERROR"))
    );
    let (s, v) = server.http("GET", "/state?scenario=multitenant", "").await;
    assert_eq!(
        (s, v["scenario"].clone(), v["step_count"].clone()),
        (200, json!("multitenant"), json!(0))
    );
    let big = format!("{{\"seed\": 1, \"pad\": \"{}\"}}", "z".repeat(9000));
    assert_eq!(server.http("POST", "/reset", &big).await.0, 413);

    // MCP: tools, a stateless call (the first step of a fresh episode), and a session.
    let rpc = |method: &str, params: Value| {
        json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string()
    };
    let (_, v) = server
        .http("POST", "/mcp", &rpc("tools/list", json!({})))
        .await;
    assert_eq!(v["result"]["tools"].as_array().unwrap().len(), 7);
    let (_, v) = server
        .http(
            "POST",
            "/mcp",
            &rpc("tools/call", json!({"name": "wait", "seed": 1})),
        )
        .await;
    assert_eq!(v["result"]["isError"], false, "{v}");
    assert_eq!(v["result"]["structuredContent"]["observation"]["step"], 1);
    let (_, v) = server
        .http(
            "POST",
            "/mcp",
            &rpc(
                "openenv/session/create",
                json!({"seed": 9, "scenario": "classic"}),
            ),
        )
        .await;
    let sid = v["result"]["session_id"].as_str().unwrap().to_string();
    assert_eq!(v["result"]["observation"]["step"], 0);
    assert_eq!(server.handle.active_mcp_sessions(), 1);
    for expected_step in 1..=2 {
        let (_, v) = server
            .http("POST", "/mcp", &rpc("tools/call", json!({"session_id": sid, "name": "query_siem_logs", "arguments": {"node": "payment"}})))
            .await;
        assert_eq!(
            v["result"]["structuredContent"]["observation"]["step"], expected_step,
            "{v}"
        );
    }
    let (_, v) = server
        .http(
            "POST",
            "/mcp",
            &rpc("openenv/session/close", json!({"session_id": sid})),
        )
        .await;
    assert_eq!(v["result"]["closed"], true);
    assert_eq!(server.handle.active_mcp_sessions(), 0);
    let (_, v) = server
        .http(
            "POST",
            "/mcp",
            &rpc("tools/call", json!({"session_id": sid, "name": "wait"})),
        )
        .await;
    assert_eq!(v["error"]["code"], -32602);
    server.stop().await.unwrap();
}
