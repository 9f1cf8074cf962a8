//! The SRE gym's rules in Rego decide exactly as the built-in gate: on every combination of a
//! proposal's fields, and on every proposal met in many random episodes.

use std::sync::{Arc, Mutex};
use ztgym_core::eval::play_episode;
use ztgym_rego::recursion::recursive_rule;
use ztgym_rego::Policy;
use ztgym_sre::action::Privileged;
use ztgym_sre::agents::builtin_agent;
use ztgym_sre::cve::CveCatalog;
use ztgym_sre::env::{Env, ResetOptions};
use ztgym_sre::gate::{BuiltinGate, Decision, Gate, Proposal};
use ztgym_sre::judge::OfflineJudge;
use ztgym_sre::rego_gate::{RegoSreGate, SRE_GATE};
use ztgym_sre::Scenario;

#[test]
fn the_shipped_policy_passes_its_tests() {
    let p = Policy::load("sre_gate.rego", SRE_GATE).unwrap();
    let r = p.run_tests();
    assert_eq!(r.len(), 4);
    assert!(r.iter().all(|t| t.status.as_str() == "PASS"), "{r:?}");
}

#[test]
fn the_shipped_policy_is_not_recursive() {
    assert_eq!(recursive_rule(SRE_GATE), None);
}

#[test]
fn every_combination_of_fields() {
    let rego = RegoSreGate::shipped();
    let mut n = 0;
    for action in Privileged::ALL {
        for bits in 0..8u8 {
            for isolated in 0..4 {
                for max in 0..3 {
                    let p = Proposal {
                        action,
                        node: "n".into(),
                        protected: bits & 1 != 0,
                        approved_ticket: bits & 2 != 0,
                        isolated_count: isolated,
                        max_concurrent_isolations: max,
                        investigated: bits & 4 != 0,
                    };
                    assert_eq!(rego.check(&p), BuiltinGate.check(&p), "{p:?}");
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 288);
}

/// The built-in gate, recording what it is asked.
struct Recorder(Arc<Mutex<Vec<(Proposal, Decision)>>>);

impl Gate<Proposal> for Recorder {
    fn name(&self) -> &str {
        "recorder"
    }
    fn check(&self, p: &Proposal) -> Decision {
        let d = BuiltinGate.check(p);
        self.0.lock().unwrap().push((p.clone(), d.clone()));
        d
    }
}

#[test]
fn every_proposal_met_in_random_episodes() {
    let rego = RegoSreGate::shipped();
    let met = Arc::new(Mutex::new(Vec::new()));
    let mut allowed_and_denied = (0, 0);
    for scenario in Scenario::builtin_names() {
        let s = Scenario::builtin(scenario).unwrap();
        let mut env = Env::with_parts(
            s.clone(),
            CveCatalog::builtin(),
            Box::new(OfflineJudge),
            Box::new(Recorder(met.clone())),
        )
        .unwrap();
        for agent in ["random", "sop"] {
            let mut a: Box<dyn ztgym_sre::Agent<Env>> = builtin_agent(agent, &s).unwrap();
            for seed in 0..100 {
                play_episode(
                    &mut env,
                    a.as_mut(),
                    seed,
                    &ResetOptions::default(),
                    |_, _, _| {},
                );
            }
        }
    }
    let met = met.lock().unwrap();
    assert!(met.len() > 500, "only {} proposals met", met.len());
    for (p, d) in met.iter() {
        assert_eq!(&rego.check(p), d, "{p:?}");
        if d.allowed() {
            allowed_and_denied.0 += 1;
        } else {
            allowed_and_denied.1 += 1;
        }
    }
    assert!(
        allowed_and_denied.0 > 0 && allowed_and_denied.1 > 0,
        "{allowed_and_denied:?}"
    );
}

#[test]
fn a_gate_naming_a_rule_the_gym_does_not_know_is_refused_at_load() {
    let text =
        "package g\nimport rego.v1\nbroken := [{\"id\": \"custom\", \"reason\": \"deny\"}]\n";
    let e = RegoSreGate::new(Policy::load("g.rego", text).unwrap())
        .err()
        .expect("refused");
    assert!(e.message.contains("\"custom\""), "{e}");
}

#[test]
fn an_unknown_rule_met_only_in_play_denies() {
    // The load-time probes use the node "probe": this id shows only on another node.
    let text = "package g\nimport rego.v1\nbroken := [{\"id\": \"custom\", \"reason\": \"x\"} | input.node == \"payment\"]\n";
    let gate = RegoSreGate::new(Policy::load("g.rego", text).unwrap()).unwrap();
    let p = Proposal {
        action: Privileged::Isolate,
        node: "payment".into(),
        protected: false,
        approved_ticket: true,
        isolated_count: 0,
        max_concurrent_isolations: 2,
        investigated: true,
    };
    let d = gate.check(&p);
    assert_eq!(d.broken.len(), 1, "{d:?}");
    assert!(d.broken[0].reason.contains("\"custom\""), "{d:?}");
}

/// The shipped rules as a bundle: the gate's module, a library in another directory, and
/// the rules' order and reasons as data.
fn bundle_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ztgym-sre-gate-bundle-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(
        dir.join("gate.rego"),
        "package ztgym.sre\n\nimport data.lib.sre.fires\n\n\
         broken := [{\"id\": id, \"reason\": data.sre.reason[id]} | some id in data.sre.order; fires[id]]\n\n\
         default allow := false\n\nallow if count(broken) == 0\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("lib/fires.rego"),
        "package lib.sre\n\n\
         fires contains \"no_approved_ticket\" if not input.approved_ticket\n\n\
         fires contains \"protected_node\" if input.protected\n\n\
         fires contains \"concurrent_isolations\" if {\n\tinput.action == \"isolate\"\n\t\
         input.isolated_count >= input.max_concurrent_isolations\n}\n\n\
         fires contains \"not_investigated\" if not input.investigated\n",
    )
    .unwrap();
    let reasons: serde_json::Map<String, serde_json::Value> = ztgym_sre::gate::Rule::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), r.explain().into()))
        .collect();
    let order: Vec<&str> = ztgym_sre::gate::Rule::ALL
        .iter()
        .map(|r| r.as_str())
        .collect();
    let data = serde_json::json!({"sre": {"order": order, "reason": reasons}});
    std::fs::write(dir.join("data.json"), data.to_string()).unwrap();
    dir
}

#[test]
fn a_bundle_directory_is_a_gate_that_decides_as_the_built_in_one() {
    let dir = bundle_dir();
    let gate = ztgym_sre::rego_gate::load(dir.to_str().unwrap());
    let empty = std::env::temp_dir().join(format!("ztgym-sre-gate-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("x.rego"), "package other\n\nx := 1\n").unwrap();
    let missing = ztgym_sre::rego_gate::load(empty.to_str().unwrap())
        .err()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&empty).unwrap();
    let gate = gate.unwrap();
    for action in Privileged::ALL {
        for bits in 0..8u8 {
            for isolated in 0..3 {
                let p = Proposal {
                    action,
                    node: "n".into(),
                    protected: bits & 1 != 0,
                    approved_ticket: bits & 2 != 0,
                    isolated_count: isolated,
                    max_concurrent_isolations: 1,
                    investigated: bits & 4 != 0,
                };
                assert_eq!(gate.check(&p), BuiltinGate.check(&p), "{p:?}");
            }
        }
    }
    assert!(
        missing.contains("no module of package ztgym.sre"),
        "{missing}"
    );
}
