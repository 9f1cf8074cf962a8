//! The test environment (`common/counter.rs`) plugs into the registry by one line: the table
//! with it added.

#[path = "common/counter.rs"]
mod counter;

use counter::COUNTER;
use serde_json::json;
use ztgym::core::spec::{self, EnvSpec};
use ztgym::registry::ENVS;

fn table() -> Vec<&'static dyn EnvSpec> {
    [ENVS, &[&COUNTER as &dyn EnvSpec]].concat()
}

#[test]
fn the_counter_is_found_made_and_played_through_json() {
    let envs = table();
    let spec = spec::find(&envs, "counter").unwrap();
    let mut env = spec::make(spec, None).unwrap();
    assert_eq!((env.id(), env.scenario()), ("counter", "to10"));
    let r = env.reset(0, &json!({"start": 7})).unwrap();
    assert_eq!(r["prompt"], "count 7 of 10");
    let s = env.step(&json!({"by": 2})).unwrap();
    assert_eq!(
        (s["reward"].clone(), s["terminated"].clone()),
        (json!(0.0), json!(false))
    );
    let s = env.step(&json!({"by": 2})).unwrap();
    assert_eq!(
        (s["cost"].clone(), s["terminated"].clone()),
        (json!(1.0), json!(true))
    );
    assert!(env.step(&json!({"by": 1, "twice": true})).is_err());
    assert_eq!(env.state(), json!({"count": 11, "target": 10}));
    let e = spec::make(spec, Some("to99")).err().unwrap();
    assert!(
        e.starts_with("scenario: unknown scenario \"to99\" for counter (known: to10, to20)"),
        "{e}"
    );
    let e = spec::find(&envs, "chess").err().unwrap();
    assert!(
        e.ends_with("(known: sre, harden, triage, counter)")
            || e.ends_with("(known: sre, triage, counter)"),
        "{e}"
    );
    assert!(spec.schemas().unwrap().action["properties"]["by"].is_object());
}
