//! The test environment (the facade's `tests/common/counter.rs`) plugs into the server by one
//! line: the table with it added, in the configuration. A session plays it on a real socket.

mod common;
#[path = "../../ztgym/tests/common/counter.rs"]
mod counter;

use common::net::*;
use counter::COUNTER;
use serde_json::json;
use ztgym::core::spec::EnvSpec;
use ztgym::registry::ENVS;
use ztgym_server::Config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_plays_the_counter() {
    let server = start(Config {
        envs: [ENVS, &[&COUNTER as &dyn EnvSpec]].concat(),
        ..Config::default()
    })
    .await;
    let (status, meta) = server.http("GET", "/metadata", "").await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = meta["envs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.last(), Some(&"counter"));
    let mut ws = server.connect().await;
    let r = ask(
        &mut ws,
        json!({"type": "reset", "data": {"env": "counter", "scenario": "to20", "start": 17}}),
    )
    .await;
    assert_eq!(r["data"]["observation"]["prompt"], "count 17 of 20", "{r}");
    let r = ask(&mut ws, json!({"type": "step", "data": {"by": 3}})).await;
    assert_eq!(r["data"]["code"], "EXECUTION_ERROR", "{r}");
    let r = ask(
        &mut ws,
        json!({"type": "step", "data": {"by": 1, "extra": 1}}),
    )
    .await;
    assert_eq!(r["data"]["code"], "VALIDATION_ERROR", "{r}");
    ask(&mut ws, json!({"type": "step", "data": {"by": 2}})).await;
    let r = ask(&mut ws, json!({"type": "step", "data": {"by": 1}})).await;
    assert_eq!(
        (r["data"]["reward"].clone(), r["data"]["done"].clone()),
        (json!(1.0), json!(true)),
        "{r}"
    );
    let st = ask(&mut ws, json!({"type": "state"})).await;
    assert_eq!(
        (st["data"]["env"].clone(), st["data"]["count"].clone()),
        (json!("counter"), json!(20)),
        "{st}"
    );
    let (status, schema) = server.http("GET", "/schema?env=counter", "").await;
    assert_eq!(status, 200, "{schema}");
    send(&mut ws, &json!({"type": "close"})).await;
    server.stop().await.unwrap();
}
