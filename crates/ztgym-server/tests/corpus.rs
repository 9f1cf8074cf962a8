//! A corpus of bad messages, each with the error code OpenEnv's protocol gives it, sent to a
//! session before any reset, in the middle of an episode and after its end. Each is answered
//! with that code and changes nothing: the session then plays on exactly as a twin that never
//! saw the bad message.

mod common;

use common::*;
use serde_json::{json, Value};
use ztgym::Level;
use ztgym_server::{Code, Frame, Session};

enum Bad {
    Text(String),
    Binary(Vec<u8>),
}

fn corpus() -> Vec<(&'static str, Bad, Code)> {
    let t = |s: &str| Bad::Text(s.to_string());
    let j = |v: Value| Bad::Text(v.to_string());
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    let long_ticket = json!({"type": "step", "data": {"tool": "file_ticket", "node": "payment",
        "action": "isolate", "justification": "x".repeat(MAX_MESSAGE)}});
    vec![
        ("not JSON", t("hello"), Code::InvalidJson),
        ("empty text", t(""), Code::InvalidJson),
        (
            "truncated JSON",
            t("{\"type\": \"reset\", \"data\": {"),
            Code::InvalidJson,
        ),
        (
            "trailing garbage",
            t("{\"type\": \"state\"} x"),
            Code::InvalidJson,
        ),
        ("NUL byte", t("\u{0}"), Code::InvalidJson),
        (
            "nested past serde's limit",
            Bad::Text(deep),
            Code::InvalidJson,
        ),
        (
            "binary frame of JSON",
            Bad::Binary(br#"{"type":"state"}"#.to_vec()),
            Code::InvalidJson,
        ),
        (
            "binary frame of garbage",
            Bad::Binary(vec![0xff, 0x00, 0x13, 0x37]),
            Code::InvalidJson,
        ),
        ("a JSON array", t("[1, 2]"), Code::ValidationError),
        ("a JSON number", t("42"), Code::ValidationError),
        ("JSON null", t("null"), Code::ValidationError),
        ("no type", j(json!({"data": {}})), Code::UnknownType),
        (
            "unknown type",
            j(json!({"type": "dance"})),
            Code::UnknownType,
        ),
        (
            "type not a string",
            j(json!({"type": 5})),
            Code::UnknownType,
        ),
        (
            "type in capitals",
            j(json!({"type": "RESET"})),
            Code::UnknownType,
        ),
        (
            "step without data",
            j(json!({"type": "step"})),
            Code::ValidationError,
        ),
        (
            "step data not an object",
            j(json!({"type": "step", "data": "wait"})),
            Code::ValidationError,
        ),
        (
            "unknown tool",
            j(step(&json!({"tool": "teleport"}))),
            Code::ValidationError,
        ),
        (
            "missing field",
            j(step(&json!({"tool": "isolate_node"}))),
            Code::ValidationError,
        ),
        (
            "field of the wrong type",
            j(step(&json!({"tool": "isolate_node", "node": 7}))),
            Code::ValidationError,
        ),
        (
            "unknown field",
            j(step(&json!({"tool": "wait", "extra": 1}))),
            Code::ValidationError,
        ),
        (
            "privileged action outside the enum",
            j(step(
                &json!({"tool": "file_ticket", "node": "payment", "action": "delete", "justification": "x"}),
            )),
            Code::ValidationError,
        ),
        (
            "extra top-level field",
            j(json!({"type": "step", "data": {"tool": "wait"}, "id": 1})),
            Code::ValidationError,
        ),
        (
            "negative seed",
            j(json!({"type": "reset", "data": {"seed": -1}})),
            Code::ValidationError,
        ),
        (
            "seed as text",
            j(json!({"type": "reset", "data": {"seed": "7"}})),
            Code::ValidationError,
        ),
        (
            "fractional seed",
            j(json!({"type": "reset", "data": {"seed": 1.5}})),
            Code::ValidationError,
        ),
        (
            "seed past u64",
            t(r#"{"type": "reset", "data": {"seed": 18446744073709551616}}"#),
            Code::ValidationError,
        ),
        (
            "unknown environment",
            j(json!({"type": "reset", "data": {"env": "chess"}})),
            Code::ValidationError,
        ),
        (
            "unknown scenario",
            j(json!({"type": "reset", "data": {"scenario": "nowhere"}})),
            Code::ValidationError,
        ),
        (
            "scenario and task differ",
            j(json!({"type": "reset", "data": {"scenario": "classic", "task": "enterprise"}})),
            Code::ValidationError,
        ),
        (
            "unknown level",
            j(json!({"type": "reset", "data": {"level": "godlike"}})),
            Code::ValidationError,
        ),
        (
            "unknown reset option",
            j(json!({"type": "reset", "data": {"colour": "red"}})),
            Code::ValidationError,
        ),
        (
            "episode id too long",
            j(json!({"type": "reset", "data": {"episode_id": "e".repeat(256)}})),
            Code::ValidationError,
        ),
        (
            "reset data not an object",
            j(json!({"type": "reset", "data": [1]})),
            Code::ValidationError,
        ),
        (
            "state with data",
            j(json!({"type": "state", "data": {}})),
            Code::ValidationError,
        ),
        (
            "close with data",
            j(json!({"type": "close", "data": {}})),
            Code::ValidationError,
        ),
        (
            "mcp data not an object",
            j(json!({"type": "mcp", "data": "tools/list"})),
            Code::ValidationError,
        ),
        (
            "huge text",
            Bad::Text("x".repeat(MAX_MESSAGE + 1)),
            Code::ValidationError,
        ),
        ("huge valid step", j(long_ticket), Code::ValidationError),
        (
            "unknown node",
            j(step(&json!({"tool": "isolate_node", "node": "mars"}))),
            Code::ExecutionError,
        ),
        (
            "unknown ticket",
            j(step(
                &json!({"tool": "check_approval", "ticket": "INC-9999"}),
            )),
            Code::ExecutionError,
        ),
        (
            "empty node",
            j(step(&json!({"tool": "query_siem_logs", "node": ""}))),
            Code::ExecutionError,
        ),
    ]
}

fn send_bad(s: &mut Session, bad: &Bad) -> ztgym_server::Response {
    match bad {
        Bad::Text(t) => s.handle(Frame::Text(t)),
        Bad::Binary(b) => s.handle(Frame::Binary(b)),
    }
}

/// Plays the SOP episode on `s`, with `bad` sent after `at` steps (`None`: never); the replies
/// to the good messages, and the bad one's.
fn play(bad: Option<(&Bad, usize)>, ep: &Episode) -> (Vec<Value>, Option<Value>) {
    let mut s = session();
    let mut good = vec![];
    let mut answer = None;
    let mut maybe_bad = |s: &mut Session, i: usize| {
        if let Some((b, at)) = bad {
            if at == i {
                let r = send_bad(s, b);
                assert!(!r.close, "a bad message never closes the session");
                answer = r.reply;
            }
        }
    };
    maybe_bad(&mut s, usize::MAX); // never: keeps the closure's type simple
    good.push(reply(&mut s, &reset(11, "classic", "warmup")));
    for (i, a) in ep.actions.iter().enumerate() {
        maybe_bad(&mut s, i);
        good.push(reply(&mut s, &step(a)));
        good.push(reply(&mut s, &json!({"type": "state"})));
    }
    maybe_bad(&mut s, ep.actions.len());
    good.push(reply(&mut s, &json!({"type": "state"})));
    good.push(reply(&mut s, &step(&json!({"tool": "wait"}))));
    good.push(reply(&mut s, &reset(12, "classic", "warmup")));
    good.push(reply(&mut s, &step(&json!({"tool": "wait"}))));
    (good, answer)
}

#[test]
fn every_bad_message_gets_its_code_and_changes_nothing() {
    let ep = sop_episode("classic", Level::Warmup, 11);
    assert!(ep.actions.len() >= 3);
    let (clean, _) = play(None, &ep);
    // After the end, stepping is refused and the next reset works.
    assert_eq!(clean[clean.len() - 3]["data"]["code"], "EXECUTION_ERROR");
    assert_eq!(clean[clean.len() - 2]["type"], "observation");
    for (name, bad, code) in corpus() {
        for at in [0, 1, ep.actions.len()] {
            let (replies, answer) = play(Some((&bad, at)), &ep);
            let answer = answer.unwrap_or_else(|| panic!("{name}: no reply"));
            assert_eq!(answer["type"], "error", "{name}: {answer}");
            assert_eq!(
                answer["data"]["code"],
                code.as_str(),
                "{name} after {at} steps: {answer}"
            );
            assert!(!answer["data"]["message"].as_str().unwrap().is_empty());
            assert_eq!(
                replies, clean,
                "{name} after {at} steps changed the episode"
            );
        }
    }
}

#[test]
fn before_reset_step_is_refused_and_state_is_a_fresh_environment() {
    let mut s = session();
    let r = reply(&mut s, &step(&json!({"tool": "wait"})));
    assert_eq!(r["data"]["code"], "EXECUTION_ERROR", "{r}");
    assert!(
        r["data"]["message"].as_str().unwrap().contains("reset"),
        "{r}"
    );
    let st = reply(&mut s, &json!({"type": "state"}));
    assert_eq!(st["type"], "state");
    assert_eq!(st["data"]["episode_id"], Value::Null);
    assert_eq!(st["data"]["step_count"], 0);
    for (name, bad, code) in corpus() {
        let r = send_bad(&mut s, &bad).reply.unwrap();
        // Before a reset, a well-formed step on an unknown node is refused for the reset.
        assert_eq!(r["data"]["code"], code.as_str(), "{name}: {r}");
    }
    assert_eq!(
        reply(&mut s, &reset(1, "classic", "warmup"))["type"],
        "observation"
    );
}

#[test]
fn close_ends_the_session_without_a_reply_and_mcp_errors_stay_inside_mcp() {
    let mut s = session();
    let r = send(&mut s, &json!({"type": "close"}));
    assert_eq!(
        r,
        ztgym_server::Response {
            reply: None,
            close: true
        }
    );
    let mut s = session();
    for (request, code) in [
        (json!({}), -32600),
        (json!({"jsonrpc": "1.0", "method": "tools/list"}), -32600),
        (json!({"jsonrpc": "2.0", "method": 7}), -32600),
        (
            json!({"jsonrpc": "2.0", "method": "tools/list", "id": 1.5}),
            -32600,
        ),
        (
            json!({"jsonrpc": "2.0", "method": "tools/list", "params": []}),
            -32602,
        ),
        (
            json!({"jsonrpc": "2.0", "method": "resources/list", "id": 1}),
            -32601,
        ),
        (
            json!({"jsonrpc": "2.0", "method": "tools/call", "id": 2, "params": {}}),
            -32602,
        ),
        (
            json!({"jsonrpc": "2.0", "method": "tools/call", "id": 3, "params": {"name": "teleport"}}),
            -32602,
        ),
        (
            json!({"jsonrpc": "2.0", "method": "tools/call", "id": 4, "params": {"name": "wait", "arguments": 5}}),
            -32602,
        ),
    ] {
        let r = reply(&mut s, &json!({"type": "mcp", "data": request}));
        assert_eq!(r["type"], "mcp", "{r}");
        assert_eq!(r["data"]["jsonrpc"], "2.0");
        assert_eq!(r["data"]["error"]["code"], code, "{request}: {r}");
    }
}

#[test]
fn mcp_tools_play_the_sessions_episode() {
    let ep = sop_episode("enterprise", Level::Intermediate, 4);
    let mut s = session();
    let mut twin = session();
    reply(&mut s, &reset(4, "enterprise", "intermediate"));
    reply(&mut twin, &reset(4, "enterprise", "intermediate"));
    let listed = reply(
        &mut s,
        &json!({"type": "mcp", "data": {"jsonrpc": "2.0", "id": "l", "method": "tools/list"}}),
    );
    assert_eq!(
        listed["data"]["result"]["tools"].as_array().unwrap().len(),
        7
    );
    for (i, a) in ep.actions.iter().enumerate() {
        let mut args = a.as_object().unwrap().clone();
        let name = args.remove("tool").unwrap();
        let r = reply(
            &mut s,
            &json!({"type": "mcp", "data": {"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": name, "arguments": args}}}),
        );
        let result = &r["data"]["result"];
        assert_eq!(result["isError"], false, "{r}");
        let direct = reply(&mut twin, &step(a));
        assert_eq!(result["structuredContent"], direct["data"]);
        assert!(result["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Reward"));
    }
    // After the end, a tool call is a tool error the agent can read, not a protocol error.
    let r = reply(
        &mut s,
        &json!({"type": "mcp", "data": {"jsonrpc": "2.0", "id": 99, "method": "tools/call", "params": {"name": "wait"}}}),
    );
    assert_eq!(r["data"]["result"]["isError"], true, "{r}");
    assert_eq!(
        r["data"]["result"]["structuredContent"]["code"],
        "EXECUTION_ERROR"
    );
}

#[test]
fn seeds_episode_ids_and_environment_switches() {
    let mut s = session();
    let a = reply(&mut s, &json!({"type": "reset"}));
    let st = reply(&mut s, &json!({"type": "state"}))["data"].clone();
    assert_eq!(st["episode_id"], "1-1");
    let seed = st["seed"].as_u64().unwrap();
    assert!(seed < 1 << 53);
    // The drawn seed reproduces the episode.
    let b = reply(
        &mut s,
        &json!({"type": "reset", "data": {"seed": seed, "episode_id": "mine"}}),
    );
    assert_eq!(a, b);
    assert_eq!(
        reply(&mut s, &json!({"type": "state"}))["data"]["episode_id"],
        "mine"
    );
    // Without a seed, each episode draws another.
    reply(&mut s, &json!({"type": "reset", "data": {}}));
    let next = reply(&mut s, &json!({"type": "state"}))["data"]["seed"].clone();
    assert_ne!(next, json!(seed));
    // A scenario sticks until changed; task is another name for it.
    reply(
        &mut s,
        &json!({"type": "reset", "data": {"seed": 1, "task": "multitenant"}}),
    );
    reply(&mut s, &json!({"type": "reset", "data": {"seed": 1}}));
    assert_eq!(
        reply(&mut s, &json!({"type": "state"}))["data"]["scenario"],
        "multitenant"
    );
    // A failed reset leaves the episode as it was.
    let before = reply(&mut s, &json!({"type": "state"}));
    reply(
        &mut s,
        &json!({"type": "reset", "data": {"scenario": "enterprise", "level": "nope"}}),
    );
    assert_eq!(reply(&mut s, &json!({"type": "state"})), before);
    // OpenEnv's Action base class carries metadata: it is dropped.
    let r = reply(&mut s, &step(&json!({"tool": "wait", "metadata": {}})));
    assert_eq!(r["type"], "observation", "{r}");
}
