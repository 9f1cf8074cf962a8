//! The registry's JSON environments play exactly as the typed ones.

use serde_json::{json, Value};
use ztgym::registry::{self, ENVS, INFOS};
use ztgym::{builtin_agent, Env, ResetOptions, Scenario};

#[test]
fn every_registered_environment_is_made_with_its_scenarios() {
    for e in ENVS {
        let scenarios = registry::scenarios(e.id()).unwrap();
        assert!(!scenarios.is_empty(), "{}", e.id());
        for s in scenarios {
            let env = registry::make(e.id(), Some(s)).unwrap();
            assert_eq!((env.id(), env.scenario()), (e.id(), s));
        }
    }
    let e = registry::make("chess", None).err().unwrap();
    // Every environment of this build is named (sre alone without the `harden` feature).
    let known: Vec<&str> = ENVS.iter().map(|e| e.id()).collect();
    assert_eq!(known[0], "sre");
    assert_eq!(
        e,
        format!(
            "env: unknown environment \"chess\" (known: {})",
            known.join(", ")
        )
    );
    assert!(registry::make("sre", Some("nowhere")).is_err());
}

#[test]
fn the_ids_and_names_alone_are_the_specs_own() {
    assert_eq!(INFOS.to_vec(), registry::infos(ENVS));
}

#[test]
fn json_steps_give_the_typed_trajectory() {
    let scenario = Scenario::builtin("enterprise").unwrap();
    let mut typed = Env::new(scenario.clone());
    let mut agent = builtin_agent("sop", &scenario).unwrap();
    let mut json_env = registry::make("sre", Some("enterprise")).unwrap();
    let options = json!({"level": "advanced"});
    let reset_options = ResetOptions {
        level: Some(ztgym::Level::Advanced),
        curriculum: false,
    };
    let (mut obs, mut info) = typed.reset(7, reset_options);
    agent.reset(7);
    let first = json_env.reset(7, &options).unwrap();
    assert_eq!(first["observation"], serde_json::to_value(&obs).unwrap());
    assert_eq!(first["prompt"], Value::from(obs.to_prompt()));
    loop {
        let action = agent.act(&obs, &info);
        let step = typed.step(&action).unwrap();
        let via_json = json_env
            .step(&serde_json::to_value(&action).unwrap())
            .unwrap();
        let mut expected = serde_json::to_value(&step).unwrap();
        expected["prompt"] = step.observation.to_prompt().into();
        assert_eq!(via_json, expected);
        if step.terminated || step.truncated {
            break;
        }
        (obs, info) = (step.observation, step.info);
    }
    assert_eq!(
        json_env.state(),
        serde_json::to_value(typed.state()).unwrap()
    );
}

#[test]
fn bad_json_is_refused_and_changes_nothing() {
    let mut env = registry::make("sre", None).unwrap();
    let e = env.reset(1, &json!({"level": "godlike"})).unwrap_err();
    assert!(e.starts_with("reset.options: "), "{e}");
    env.reset(1, &Value::Null).unwrap();
    let before = env.state();
    let e = env.step(&json!({"tool": "teleport"})).unwrap_err();
    assert!(e.starts_with("step.action: "), "{e}");
    let e = env
        .step(&json!({"tool": "isolate_node", "node": "mars"}))
        .unwrap_err();
    assert!(e.contains("unknown service \"mars\""), "{e}");
    assert_eq!(env.state(), before);
    // A malformed action and a refused step are told apart.
    use ztgym::registry::StepFailure;
    let e = env
        .try_step(&json!({"tool": "wait", "node": "x"}))
        .unwrap_err();
    assert_eq!(
        e,
        StepFailure::Action("step.action: unknown field `node` for `{\"tool\":\"wait\"}`".into())
    );
    let e = env.try_step(&json!({"tool": "restore_node", "node": "mars"}));
    assert!(matches!(e, Err(StepFailure::Refused(_))), "{e:?}");
    assert_eq!(env.state(), before);
    assert_eq!(env.totals().steps, 0);
}
