//! Property tests of the session handler over random and garbage messages: it never panics,
//! every message gets exactly one well-formed reply (or, for `close`, none), an error reply
//! leaves the session exactly as it was, and the session stays usable whatever came before.

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use ztgym_server::{Code, Frame, Session};

#[derive(Clone, Debug)]
enum Msg {
    Text(String),
    Binary(Vec<u8>),
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z_]{0,12}".prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        prop::sample::select(vec![
            "payment",
            "hr_db",
            "frontend",
            "api_gateway",
            "INC-0001",
            "CVE-2021-44228",
            "isolate",
            "patch",
            "warmup",
            "expert",
            "classic",
            "sre"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(field(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "type",
            "data",
            "tool",
            "node",
            "action",
            "justification",
            "ticket",
            "cve",
            "seed",
            "env",
            "scenario",
            "task",
            "level",
            "curriculum",
            "episode_id",
            "metadata",
            "jsonrpc",
            "method",
            "params",
            "id",
            "name",
            "arguments",
            "session_id",
        ])
        .prop_map(String::from),
        "[a-z]{1,8}",
    ]
}

/// Messages close to the protocol: known types, actions with known tools and random fields.
fn structured() -> impl Strategy<Value = Value> {
    let kind = prop_oneof![
        prop::sample::select(vec!["reset", "step", "state", "close", "mcp", "dance", ""])
            .prop_map(Value::from),
        json_value(),
    ];
    let tool = prop::sample::select(vec![
        "query_siem_logs",
        "file_ticket",
        "check_approval",
        "isolate_node",
        "restore_node",
        "patch_node",
        "wait",
        "teleport",
    ]);
    let action = (
        tool,
        prop::collection::btree_map(field(), json_value(), 0..4),
    )
        .prop_map(|(t, m)| {
            let mut o: Map<String, Value> = m.into_iter().collect();
            o.insert("tool".into(), t.into());
            Value::Object(o)
        });
    let rpc = (
        prop::sample::select(vec![
            "tools/list",
            "tools/call",
            "initialize",
            "ping",
            "nope",
        ]),
        json_value(),
        prop::option::of(json_value()),
    )
        .prop_map(|(m, p, id)| {
            let mut o = json!({"jsonrpc": "2.0", "method": m, "params": p});
            if let Some(id) = id {
                o["id"] = id;
            }
            o
        });
    let data = prop_oneof![json_value(), action, rpc];
    (
        kind,
        prop::option::of(data),
        prop::option::of((field(), json_value())),
    )
        .prop_map(|(k, d, extra)| {
            let mut o = Map::new();
            o.insert("type".into(), k);
            if let Some(d) = d {
                o.insert("data".into(), d);
            }
            if let Some((f, v)) = extra {
                o.entry(f).or_insert(v);
            }
            Value::Object(o)
        })
}

fn message() -> impl Strategy<Value = Msg> {
    prop_oneof![
        any::<String>().prop_map(Msg::Text),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(Msg::Binary),
        json_value().prop_map(|v| Msg::Text(v.to_string())),
        structured().prop_map(|v| Msg::Text(v.to_string())),
        structured().prop_map(|v| Msg::Text(v.to_string())),
        // A valid reset or step now and then, so errors also land mid-episode.
        (0u64..50)
            .prop_map(|s| Msg::Text(json!({"type": "reset", "data": {"seed": s}}).to_string())),
        prop::sample::select(vec!["payment", "hr_db", "frontend"]).prop_map(|n| {
            Msg::Text(
                json!({"type": "step", "data": {"tool": "query_siem_logs", "node": n}}).to_string(),
            )
        }),
    ]
}

fn state_of(s: &mut Session) -> Value {
    reply(s, &json!({"type": "state"}))
}

fn check_sequence(messages: Vec<Msg>) -> Result<(), TestCaseError> {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let mut s = session();
    for m in &messages {
        let before = state_of(&mut s);
        let r = match m {
            Msg::Text(t) => s.handle(Frame::Text(t)),
            Msg::Binary(b) => s.handle(Frame::Binary(b)),
        };
        if r.close {
            prop_assert!(r.reply.is_none());
            s = session(); // the connection ends; a client would open another
            continue;
        }
        let reply = r.reply.clone();
        prop_assert!(reply.is_some(), "no reply to {:?}", m);
        let reply = reply.unwrap();
        let kind = reply["type"].as_str().unwrap_or_default();
        prop_assert!(
            ["observation", "state", "error", "mcp"].contains(&kind),
            "{}",
            reply
        );
        prop_assert!(reply.as_object().unwrap().len() == 2, "{}", reply);
        match kind {
            "error" => {
                prop_assert!(
                    codes.contains(&reply["data"]["code"].as_str().unwrap_or_default()),
                    "{}",
                    reply
                );
                prop_assert!(!reply["data"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .is_empty());
                prop_assert_eq!(
                    &state_of(&mut s),
                    &before,
                    "an error changed the session: {:?}",
                    m
                );
            }
            "observation" => {
                let d = &reply["data"];
                prop_assert!(d["observation"]["prompt"].is_string());
                prop_assert!(d["done"].is_boolean());
                prop_assert!(d["reward"].is_null() || d["reward"].is_number());
            }
            "mcp" => {
                prop_assert_eq!(&reply["data"]["jsonrpc"], "2.0");
                let d = reply["data"].as_object().unwrap();
                prop_assert!(
                    d.contains_key("result") != d.contains_key("error"),
                    "{}",
                    reply
                );
            }
            _ => {}
        }
        // The reply always serializes (the socket layer sends it as text).
        prop_assert!(serde_json::to_string(&reply).is_ok());
    }
    // Whatever came before, the session still plays.
    let r = reply(&mut s, &json!({"type": "reset", "data": {"seed": 1}}));
    prop_assert_eq!(&r["type"], "observation");
    let r = reply(&mut s, &json!({"type": "step", "data": {"tool": "wait"}}));
    prop_assert_eq!(&r["type"], "observation");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_message_sequence_gets_well_formed_replies_and_errors_change_nothing(
        messages in prop::collection::vec(message(), 1..24)
    ) {
        check_sequence(messages)?;
    }

    #[test]
    fn any_bytes_as_text_or_binary_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let mut s = session();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        for r in [s.handle(Frame::Binary(&bytes)), s.handle(Frame::Text(&text))] {
            prop_assert!(r.reply.is_some() || r.close);
        }
    }
}
