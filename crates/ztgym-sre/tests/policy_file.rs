//! Policy files: they round-trip exactly, broken files are refused with every problem named
//! by its JSON path, and the bundled policies load, play, and are what the CLI trains.

use serde_json::Value;
use ztgym_sre::learn::{Kind, TrainConfig, Trainer};
use ztgym_sre::{Policy, PolicyError, Scenario};

fn small_policy(kind: Kind) -> Policy {
    let config = TrainConfig {
        episodes: 50,
        ..TrainConfig::new(kind)
    };
    let mut t = Trainer::new(Scenario::builtin("classic").unwrap(), config).unwrap();
    t.run(50);
    Policy::from_trainer(&t)
}

fn refuse(text: &str, scenario: Option<&str>) -> PolicyError {
    Policy::parse("policy.json", text, scenario).expect_err("the file should be refused")
}

/// The file with `edit` applied to its JSON.
fn edited(policy: &Policy, edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(&policy.to_json()).unwrap();
    edit(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

fn paths(e: &PolicyError) -> Vec<&str> {
    e.problems.iter().map(|p| p.path.as_str()).collect()
}

#[test]
fn every_kind_round_trips_exactly() {
    for kind in Kind::ALL {
        let p = small_policy(kind);
        let text = p.to_json();
        assert!(text.ends_with("}\n"));
        let back = Policy::parse("p.json", &text, Some("classic")).unwrap();
        assert_eq!(back, p, "{kind:?}");
        assert_eq!(back.to_json(), text, "{kind:?}: the same bytes again");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["format"], "ztgym-policy");
        assert_eq!(v["version"], 1);
        assert_eq!(v["env"], "zero-trust-sre-gym");
        assert_eq!(v["kind"], kind.as_str());
        assert_eq!(v["training"]["algorithm"], kind.algorithm());
        assert_eq!(v["training"]["episodes"], 50);
    }
}

#[test]
fn truncated_json_is_refused_as_truncated() {
    let text = small_policy(Kind::Q).to_json();
    let e = refuse(&text[..text.len() / 2], None);
    assert_eq!(e.problems.len(), 1);
    let msg = e.to_string();
    assert!(
        msg.starts_with("policy.json: the JSON ends too early"),
        "{msg}"
    );
    assert!(msg.contains("line"), "{msg}");
    let e = refuse("{\"format\": ztgym}", None);
    assert!(e.to_string().contains("not valid JSON"), "{e}");
}

#[test]
fn nan_weights_are_named_by_their_path() {
    let p = small_policy(Kind::Q);
    // A bare NaN token, as some tools write it, and a null, as serde_json writes NaN.
    let text = p.to_json();
    let marker = "\"q\": [\n      [";
    let at = text.find(marker).unwrap() + marker.len();
    let end = at + text[at..].find(',').unwrap();
    let bare = format!("{}NaN{}", &text[..at], &text[end..]);
    let e = refuse(&bare, None);
    assert_eq!(
        e.to_string(),
        "policy.json: parameters.q[0][0]: NaN is not a number"
    );

    let nulls = edited(&p, |v| {
        v["parameters"]["q"][3][1] = Value::Null;
        v["parameters"]["q"][7][6] = Value::String("Infinity".into());
    });
    let e = refuse(&nulls, None);
    assert_eq!(paths(&e), ["parameters.q[3][1]", "parameters.q[7][6]"]);
    assert!(
        e.problems[0].message.starts_with("null is not a number"),
        "{e}"
    );
    assert!(e.problems[1].message.contains("expected a number"), "{e}");

    let b = small_policy(Kind::Bandit);
    let text = b.to_json().replacen(
        "\"weights\": [\n      [",
        "\"weights\": [\n      [-Infinity, ",
        1,
    );
    let e = refuse(&text, None);
    assert!(
        e.to_string()
            .contains("parameters.weights[0][0]: -Infinity is not a number"),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("parameters.weights[0]: expected 19 numbers, found 20"),
        "{e}"
    );
}

#[test]
fn missing_fields_are_all_reported() {
    let p = small_policy(Kind::QLagrangian);
    let text = edited(&p, |v| {
        let o = v.as_object_mut().unwrap();
        o.remove("env");
        o.remove("features");
        o["parameters"].as_object_mut().unwrap().remove("lambda");
        o["parameters"].as_object_mut().unwrap().remove("q_cost");
        o["training"].as_object_mut().unwrap().remove("seed");
        o["training"]["final_metrics"]
            .as_object_mut()
            .unwrap()
            .remove("success_rate");
    });
    let e = refuse(&text, None);
    assert_eq!(
        paths(&e),
        [
            "env",
            "features",
            "parameters.lambda",
            "parameters.q_cost",
            "training.seed",
            "training.final_metrics.success_rate"
        ],
        "{e}"
    );
    assert!(e.problems.iter().all(|p| p.message == "missing"), "{e}");
    assert!(e
        .to_string()
        .contains("policy.json: training.seed: missing"));
}

#[test]
fn foreign_versions_formats_scenarios_and_kinds_are_refused_clearly() {
    let p = small_policy(Kind::Q);
    let e = refuse(&edited(&p, |v| v["version"] = 2.into()), None);
    assert_eq!(
        e.to_string(),
        "policy.json: version: version 2 is not supported: this build reads version 1"
    );
    let e = refuse(&edited(&p, |v| v["format"] = "onnx".into()), None);
    assert!(
        e.to_string().contains("format: must be \"ztgym-policy\""),
        "{e}"
    );

    let e = refuse(&p.to_json(), Some("enterprise"));
    assert_eq!(
        e.to_string(),
        "policy.json: scenario: the policy was trained on \"classic\"; it cannot play \"enterprise\""
    );
    let s = Scenario::builtin("enterprise").unwrap();
    assert!(ztgym_sre::PolicyAgent::new(&p, &s).is_err());

    let e = refuse(&edited(&p, |v| v["kind"] = "dqn".into()), None);
    assert_eq!(
        paths(&e),
        ["kind"],
        "parameters are not judged against an unknown kind: {e}"
    );
    assert!(e
        .to_string()
        .contains("unknown kind \"dqn\" (known: q, q-lagrangian, bandit)"));
}

#[test]
fn wrong_shapes_names_and_unknown_fields_are_reported_together() {
    let p = small_policy(Kind::Q);
    let text = edited(&p, |v| {
        v["parameters"]["q"].as_array_mut().unwrap().pop();
        v["parameters"]["visits"][2] = (-1).into();
        v["actions"][0] = "scan".into();
        v["comment"] = "hi".into();
        v["training"]["hyperparameters"]["alpha"] = 2.into();
        v["training"]["hyperparameters"]["lambda_lr"] = 0.1.into();
        v["training"]["level"] = "legendary".into();
    });
    let e = refuse(&text, None);
    assert_eq!(
        paths(&e),
        [
            "comment",
            "actions",
            "parameters.q",
            "parameters.visits[2]",
            "training.hyperparameters.lambda_lr",
            "training.hyperparameters.alpha",
            "training.level"
        ],
        "{e}"
    );
    assert!(e.problems[2]
        .message
        .contains("expected 336 rows, found 335"));
}

#[test]
fn bundled_policies_load_play_and_are_what_the_cli_trains() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/policies");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        seen += 1;
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let p = Policy::parse(&name, &text, None).unwrap_or_else(|e| panic!("{e}"));
        let scenario = Scenario::builtin(&p.scenario).unwrap();
        // Retrain with the recorded settings: the same bytes, or the simulator's behaviour
        // changed and the bundled files must be regenerated (docs/src/policies.md, Policy files).
        let config = TrainConfig {
            kind: p.kind(),
            episodes: p.training.episodes,
            seed: p.training.seed,
            level: Some(p.training.level),
            hyperparameters: p.training.hyperparameters.clone(),
        };
        let mut t = Trainer::new(scenario, config).unwrap();
        t.run(u64::MAX);
        assert!(
            Policy::from_trainer(&t).to_json() == text,
            "{name} is not what `ztgym train` gives today: regenerate it (docs/src/policies.md, Policy files)"
        );
    }
    assert!(seen >= 1, "no policy under assets/policies");
}
