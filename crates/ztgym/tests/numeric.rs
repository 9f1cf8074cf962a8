//! Every environment of the table as a neural-network trainer plays it (`EnvSpec::numeric`,
//! what the Python package steps): fixed sizes, masks, refusals, copies and determinism.

use ztgym::core::learn::numeric::NumericEnv;
use ztgym::core::spec::NumericRequest;
use ztgym::registry::ENVS;

fn make(id: &str, scenario: Option<&str>) -> Box<dyn NumericEnv> {
    let spec = ztgym::registry::spec(id).unwrap();
    let request = NumericRequest {
        scenario,
        ..NumericRequest::default()
    };
    spec.numeric(&request).unwrap()
}

/// Plays `steps` steps choosing `(step * 5 + 3) % n`, resetting at each end; the trace.
fn play(env: &mut dyn NumericEnv, seed: u64, steps: usize) -> Vec<(Vec<f32>, Vec<u8>, f64, f64)> {
    let (mut obs, mut mask) = (
        vec![0.0; env.observation_len()],
        vec![0; env.actions().len()],
    );
    env.reset(seed, &mut obs, &mut mask);
    let mut trace = vec![(obs.clone(), mask.clone(), 0.0, 0.0)];
    for k in 0..steps {
        if env.ended() {
            env.reset(seed + k as u64, &mut obs, &mut mask);
        }
        let out = env
            .step((k * 5 + 3) % env.actions().len(), &mut obs, &mut mask)
            .unwrap();
        trace.push((obs.clone(), mask.clone(), out.reward, out.cost));
    }
    trace
}

#[test]
fn every_scenario_has_its_environments_sizes_and_values_in_range() {
    for spec in ENVS {
        let first = make(spec.id(), None);
        assert_eq!(first.observation_names().len(), first.observation_len());
        for scenario in spec.scenarios() {
            let mut env = make(spec.id(), Some(scenario));
            assert_eq!(env.observation_len(), first.observation_len(), "{scenario}");
            // The actions are the scenario's (harden's use cases differ); the vector is not.
            assert!(!env.actions().is_empty(), "{scenario}");
            for (obs, mask, reward, cost) in play(env.as_mut(), 3, 60) {
                assert!(obs.iter().all(|x| (-1.0..=1.0).contains(x)), "{scenario}");
                assert!(mask.iter().all(|m| *m <= 1));
                assert!(reward.is_finite() && cost >= 0.0);
            }
        }
    }
}

#[test]
fn same_seed_same_trace_and_copies_play_on_alike() {
    for spec in ENVS {
        let a = play(make(spec.id(), None).as_mut(), 9, 80);
        let b = play(make(spec.id(), None).as_mut(), 9, 80);
        assert_eq!(a, b, "{}", spec.id());
        let mut env = make(spec.id(), None);
        play(env.as_mut(), 9, 5);
        let mut copy = env.clone_box();
        let (mut o1, mut m1) = (
            vec![0.0; env.observation_len()],
            vec![0; env.actions().len()],
        );
        let (mut o2, mut m2) = (o1.clone(), m1.clone());
        if !env.ended() {
            let x = env.step(0, &mut o1, &mut m1).unwrap();
            let y = copy.step(0, &mut o2, &mut m2).unwrap();
            assert_eq!((x, o1, m1), (y, o2, m2), "{}", spec.id());
            assert_eq!(env.action_json(), copy.action_json());
        }
    }
}

#[test]
fn refused_steps_name_why_and_change_nothing() {
    for spec in ENVS {
        let mut env = make(spec.id(), None);
        let n = env.actions().len();
        let (mut obs, mut mask) = (vec![0.0; env.observation_len()], vec![0; n]);
        let err = env.step(0, &mut obs, &mut mask).unwrap_err();
        assert_eq!(err, "step before reset");
        env.reset(1, &mut obs, &mut mask);
        let before = env.observation_json();
        let err = env.step(n, &mut obs, &mut mask).unwrap_err();
        assert!(err.contains("out of range"), "{err}");
        assert_eq!(env.observation_json(), before);
        while !env.ended() {
            env.step(n - 1, &mut obs, &mut mask).unwrap();
        }
        let err = env.step(0, &mut obs, &mut mask).unwrap_err();
        assert!(err.contains("after the episode ended"), "{err}");
        assert!(!env.prompt().is_empty());
    }
}

#[test]
fn unknown_names_are_errors_naming_them() {
    let sre = ztgym::registry::spec("sre").unwrap();
    let bad_level = NumericRequest {
        level: Some("godlike"),
        ..NumericRequest::default()
    };
    let err = sre.numeric(&bad_level).err().unwrap();
    assert!(
        err.starts_with("level: unknown level \"godlike\" (known: warmup"),
        "{err}"
    );
    let triage = ztgym::registry::spec("triage").unwrap();
    let gate = NumericRequest {
        gate: Some("x.rego"),
        ..NumericRequest::default()
    };
    assert_eq!(
        triage.numeric(&gate).err().unwrap(),
        "gate: triage has no gate to replace"
    );
}
