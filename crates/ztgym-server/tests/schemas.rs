//! The schemas `/schema` serves, generated from the types (hand-written for the few types with
//! hand-written JSON), hold for every value real episodes send: every observation, info and
//! state of SOP and random episodes on every built-in scenario and level, every action of the
//! masks. The session's replies carry exactly the simulator's values.

mod common;

use common::*;
use serde_json::json;
use ztgym::Scenario;

#[test]
fn every_reply_of_real_episodes_fits_the_schemas_and_carries_the_simulators_values() {
    let c = catalog();
    let schemas = &c.envs[0].schemas;
    let mut checked = 0;
    for scenario in Scenario::builtin_names() {
        for level in LEVELS {
            for (agent, seeds) in [("sop", 0..3u64), ("random", 0..6)] {
                for seed in seeds {
                    let ep = episode(agent, scenario, level, seed);
                    let mut s = session();
                    let r = reply(&mut s, &reset(seed, scenario, level.as_str()));
                    assert_eq!(r["type"], "observation", "{r}");
                    let mut replies = vec![r["data"].clone()];
                    for a in &ep.actions {
                        assert!(problems(&schemas.action, a).is_empty(), "{a}");
                        let r = reply(&mut s, &step(a));
                        assert_eq!(r["type"], "observation", "{r}");
                        replies.push(r["data"].clone());
                    }
                    for (i, data) in replies.iter().enumerate() {
                        let obs = &data["observation"];
                        let p = problems(&schemas.observation, obs);
                        assert!(
                            p.is_empty(),
                            "{scenario} {level:?} {agent} seed {seed} step {i}: {p:?}"
                        );
                        for (k, v) in ep.observations[i].as_object().unwrap() {
                            assert_eq!(&obs[k], v, "{k} at step {i}");
                        }
                        assert!(!obs["prompt"].as_str().unwrap().is_empty());
                        if i > 0 {
                            assert_eq!(data["reward"].as_f64(), Some(ep.rewards[i - 1]));
                        } else {
                            assert!(data["reward"].is_null());
                        }
                        assert_eq!(data["done"], i == ep.actions.len(), "done at step {i}");
                        // Every action the mask offers fits the action schema.
                        for (tool, v) in obs["info"]["action_mask"].as_object().unwrap() {
                            if let (Some(nodes), true) = (v.as_array(), tool != "patch_cves") {
                                for n in nodes {
                                    let a = match tool.as_str() {
                                        "check_approval" => json!({"tool": tool, "ticket": n}),
                                        "file_ticket" => {
                                            json!({"tool": tool, "node": n, "action": "patch", "justification": "x"})
                                        }
                                        "patch_node" => {
                                            json!({"tool": tool, "node": n, "cve": "CVE-2021-44228"})
                                        }
                                        _ => json!({"tool": tool, "node": n}),
                                    };
                                    assert!(problems(&schemas.action, &a).is_empty(), "{a}");
                                }
                            }
                        }
                        checked += 1;
                    }
                    let state = reply(&mut s, &json!({"type": "state"}));
                    let p = problems(&schemas.state, &state["data"]);
                    assert!(p.is_empty(), "{p:?}");
                    for (k, v) in ep.state.as_object().unwrap() {
                        assert_eq!(&state["data"][k], v, "state.{k}");
                    }
                    assert_eq!(state["data"]["step_count"], ep.actions.len());
                    assert_eq!(state["data"]["env"], "sre");
                }
            }
        }
    }
    assert!(checked > 500, "{checked} observations checked");
}

#[test]
fn the_checker_is_not_vacuous() {
    let c = catalog();
    let schemas = &c.envs[0].schemas;
    let mut s = session();
    let obs = reply(&mut s, &reset(1, "classic", "warmup"))["data"]["observation"].clone();
    assert!(problems(&schemas.observation, &obs).is_empty());
    for (path, bad) in [
        ("/uptime", json!("high")),
        ("/services/0/state", json!("sleeping")),
        ("/alerts/0/event/severity", json!("loud")),
        ("/info/action_mask/wait", json!(false)),
        ("/info/events", json!([{"kind": "x"}])),
        ("/prompt", json!(null)),
    ] {
        let mut o = obs.clone();
        *o.pointer_mut(path).unwrap() = bad.clone();
        assert!(
            !problems(&schemas.observation, &o).is_empty(),
            "{path} = {bad} passed"
        );
    }
    let mut o = obs.clone();
    o.as_object_mut().unwrap().remove("cost");
    assert!(!problems(&schemas.observation, &o).is_empty());
    for bad in [
        json!({"tool": "teleport"}),
        json!({"tool": "isolate_node"}),
        json!({"tool": "wait", "node": "x"}),
        json!({"tool": "file_ticket", "node": "a", "action": "delete", "justification": "x"}),
    ] {
        assert!(!problems(&schemas.action, &bad).is_empty(), "{bad} passed");
    }
}

#[test]
fn reset_data_and_tools_follow_the_types() {
    let c = catalog();
    let e = &c.envs[0];
    for ok in [
        json!({}),
        json!({"seed": 3, "scenario": "enterprise", "level": "expert", "curriculum": true}),
        json!({"env": "sre", "task": "classic", "episode_id": "run-1", "seed": null}),
    ] {
        assert!(problems(&e.schemas.reset, &ok).is_empty(), "{ok}");
    }
    // scenario and task are one field: both given is refused, by the schema as by the session.
    let both = json!({"scenario": "classic", "task": "classic"});
    assert!(!problems(&e.schemas.reset, &both).is_empty());
    for bad in [
        json!({"seed": -1}),
        json!({"scenario": "nowhere"}),
        json!({"level": "godlike"}),
        json!({"colour": "red"}),
    ] {
        assert!(!problems(&e.schemas.reset, &bad).is_empty(), "{bad}");
    }
    let names: Vec<&str> = e
        .tools
        .list
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "query_siem_logs",
            "file_ticket",
            "check_approval",
            "isolate_node",
            "restore_node",
            "patch_node",
            "wait"
        ]
    );
    assert_eq!(e.tools.tag.as_deref(), Some("tool"));
    for t in &e.tools.list {
        assert!(!t["description"].as_str().unwrap().is_empty(), "{t}");
        assert_eq!(t["inputSchema"]["type"], "object");
        assert!(t["inputSchema"]["properties"].get("tool").is_none());
    }
    let args = json!({"node": "payment", "action": "isolate", "justification": "because"});
    let ticket = &e.tools.list[1];
    assert!(problems(&ticket["inputSchema"], &args).is_empty());
    let action = e
        .tools
        .action("file_ticket", args.as_object().unwrap().clone())
        .unwrap();
    assert_eq!(action["tool"], "file_ticket");
    assert!(problems(&e.schemas.action, &action).is_empty());
    assert!(e.tools.action("teleport", Default::default()).is_none());
}

#[test]
fn an_action_without_a_tag_is_one_tool() {
    let action = json!({"type": "object", "title": "Decision", "properties": {"decision": {"enum": ["allow", "block"]}}, "required": ["decision"]});
    let t = ztgym_server::catalog::tools(&action);
    assert_eq!(t.tag, None);
    assert_eq!(t.list.len(), 1);
    assert_eq!(t.list[0]["name"], "step");
    let a = t
        .action(
            "step",
            json!({"decision": "block"}).as_object().unwrap().clone(),
        )
        .unwrap();
    assert_eq!(a, json!({"decision": "block"}));
}

#[test]
fn the_triage_action_schema_bounds_what_the_environment_checks() {
    let c = catalog();
    let triage = &c.envs[c.find("triage").unwrap()].schemas.action;
    let reasoning = &triage["properties"]["reasoning"];
    assert_eq!(
        reasoning["maxLength"],
        ztgym::triage::Rules::builtin().reasoning.max_chars,
        "the schema's bound is the rules' own"
    );
    assert_eq!(reasoning["minLength"], 1);
    assert_eq!(triage["properties"]["confidence"]["maximum"], 1.0);
    let ok = json!({"decision": "warn", "confidence": 0.5, "reasoning": "a lookalike domain"});
    assert!(problems(triage, &ok).is_empty());
    for bad in [
        json!({"decision": "warn", "confidence": 1.5, "reasoning": "x"}),
        json!({"decision": "warn", "confidence": 0.5, "reasoning": ""}),
    ] {
        assert!(!problems(triage, &bad).is_empty(), "{bad} passed");
    }
}
