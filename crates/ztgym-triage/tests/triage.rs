//! The environment's promises: trivial agents fail, the scorer alone cannot pass L2 or L3, a
//! trained learner beats the rule-based agent, the observation never tells the class, the L3
//! adversary punishes lazy strategies, refused steps change nothing, clones replay exactly.

use ztgym_core::learn::{Kind, TrainConfig, Trainer};
use ztgym_core::pairs::{self, PairConfig};
use ztgym_core::policy::{Policy, PolicyAgent};
use ztgym_core::{Agent, Environment};
use ztgym_triage::adversary::Mode;
use ztgym_triage::agents::{builtin_agent, RuleBased, Threshold};
use ztgym_triage::catalog::generated;
use ztgym_triage::eval::{evaluate, Report};
use ztgym_triage::{Action, Class, Decision, Env, ResetOptions, TaskId, Triage};

fn eval_builtin(task: TaskId, name: &str, episodes: u64) -> Report {
    let mut a = builtin_agent(name).unwrap();
    evaluate(task, a.as_mut(), episodes, 500_000)
}

#[test]
fn trivial_agents_fail_every_task_and_the_rule_based_agent_lands_above_them() {
    for t in TaskId::ALL {
        let allow = eval_builtin(t, "always-allow", 40);
        let block = eval_builtin(t, "always-block", 40);
        let rule = eval_builtin(t, "rule-based", 40);
        assert!(
            allow.mean_score < allow.threshold && allow.pass_rate == 0.0,
            "{allow:?}"
        );
        assert!(
            allow.mean_return < 0.0,
            "a missed threat must cost: {allow:?}"
        );
        assert!(
            block.mean_score < block.threshold && block.pass_rate == 0.0,
            "{block:?}"
        );
        assert!(block.mean_cost > 10.0, "{block:?}");
        assert!(
            rule.mean_score > allow.mean_score && rule.mean_score > block.mean_score,
            "{t:?}: {rule:?} vs {block:?}"
        );
    }
}

#[test]
fn no_threshold_on_the_risk_score_alone_passes_l2_or_l3() {
    for t in [TaskId::L2, TaskId::L3] {
        for decision in [Decision::Block, Decision::Warn, Decision::Investigate] {
            for k in 0..=20 {
                let mut agent = Threshold {
                    threshold: f64::from(k) * 0.05,
                    decision,
                };
                let r = evaluate(t, &mut agent, 30, 700_000);
                assert!(
                    r.mean_score < r.threshold && r.pass_rate < 0.5,
                    "{t:?}: {decision:?} at risk >= {:.2} passes: {r:?}",
                    agent.threshold
                );
            }
        }
    }
}

fn trained(t: TaskId, kind: Kind) -> PolicyAgent<Triage> {
    let mut cfg = TrainConfig::new(kind);
    cfg.episodes = 2000;
    cfg.seed = 11;
    let mut tr = Trainer::<Triage>::new(t, cfg).unwrap();
    tr.run(2000);
    PolicyAgent::new(&Policy::from_trainer(&tr), &t).unwrap()
}

#[test]
fn a_trained_learner_passes_l1_and_beats_the_rule_based_agent_on_unseen_seeds() {
    // Evaluation seeds from 9,000,000: never a training episode's (the trainer mixes its own).
    for t in TaskId::ALL {
        let rule = evaluate(t, &mut RuleBased, 100, 9_000_000);
        let mut learner = trained(t, Kind::QLagrangian);
        let r = evaluate(t, &mut learner, 100, 9_000_000);
        assert!(
            r.mean_score > rule.mean_score + 0.05,
            "{t:?}: {r:?} vs {rule:?}"
        );
        if t == TaskId::L1 {
            assert!(r.mean_score >= r.threshold && r.pass_rate >= 0.9, "{r:?}");
        }
    }
}

#[test]
fn the_observation_json_is_the_same_whatever_the_hidden_class() {
    let mut env = Env::new(TaskId::L2);
    env.reset(3, ResetOptions::default());
    let messages = generated(77, 4);
    assert!(messages.len() > 50);
    for m in &messages {
        let mut shown = Vec::new();
        for class in Class::ALL {
            for hard_negative in [false, true] {
                let mut copy = m.clone();
                copy.class = class;
                copy.hard_negative = hard_negative;
                copy.source = "elsewhere".into();
                let obs = env.show(copy);
                shown.push(serde_json::to_string(&obs).unwrap());
            }
        }
        assert!(shown.iter().all(|s| *s == shown[0]), "{:?}", shown);
        for word in ["\"class\"", "hard_negative", "\"source\"", "\"cues\""] {
            assert!(!shown[0].contains(word), "{word} in {}", shown[0]);
        }
    }
    // And the prompt a language model reads says no more than the observation.
    let obs = env.show(messages[0].clone());
    assert!(
        !Env::prompt(&obs).contains(messages[0].class.as_str())
            || messages[0]
                .visible
                .text
                .contains(messages[0].class.as_str())
    );
}

#[test]
fn the_adversary_answers_over_blocking_with_hard_negatives_and_phishing_only_with_social_engineering(
) {
    // Always-block: after the drift starts, more safe messages, mostly hard negatives.
    let mut env = Env::new(TaskId::L3);
    let (mut hard_before, mut hard_after, mut modes) = (0, 0, Vec::new());
    for seed in 0..20 {
        env.reset(seed, ResetOptions::default());
        loop {
            let st = env.state();
            if st.current_hard_negative {
                if st.step < 20 {
                    hard_before += 1
                } else {
                    hard_after += 1
                }
            }
            let s = env
                .step(&Action::new(Decision::Block, 1.0, "Blocked."))
                .unwrap();
            modes.push(s.info.adversary.unwrap());
            if s.done() {
                break;
            }
        }
    }
    assert!(modes.contains(&Mode::HardNegatives));
    // Hard negatives per step rise (20 steps before, the rest after; episodes end early as
    // trust runs out, so compare rates).
    let steps_after = modes.len() - 20 * 20;
    assert!(
        f64::from(hard_after) / steps_after as f64 > 1.5 * f64::from(hard_before) / 400.0,
        "{hard_before} in 400 steps, {hard_after} in {steps_after}"
    );

    // Stops phishing, lets social engineering through: social engineering surges.
    let (mut se_before, mut se_after, mut n_after, mut surged) = (0, 0, 0, false);
    for seed in 0..20 {
        env.reset(seed, ResetOptions::default());
        loop {
            let st = env.state();
            let c = st.current_class;
            if c == Class::SocialEngineering {
                if st.step < 20 {
                    se_before += 1
                } else {
                    se_after += 1
                }
            }
            n_after += usize::from(st.step >= 20);
            let d = if c == Class::Phishing || c == Class::Malware || c == Class::Spam {
                Decision::Block
            } else {
                Decision::Allow
            };
            let s = env.step(&Action::new(d, 1.0, "Decided.")).unwrap();
            surged |= s.info.adversary == Some(Mode::SocialEngineeringSurge);
            if s.done() {
                break;
            }
        }
    }
    assert!(surged);
    assert!(
        f64::from(se_after) / n_after as f64 > 1.5 * f64::from(se_before) / 400.0,
        "{se_before} in 400 steps, {se_after} in {n_after}"
    );
}

#[test]
fn refused_steps_change_nothing_and_name_the_problem() {
    let mut env = Env::new(TaskId::L1);
    let a = Action::new(Decision::Allow, 0.5, "Fine.");
    assert_eq!(
        env.step(&a).unwrap_err().to_string(),
        "step: call reset first"
    );
    env.reset(1, ResetOptions::default());
    let before = serde_json::to_string(&env.state()).unwrap();
    let e = env
        .step(&Action::new(Decision::Block, 1.5, "x"))
        .unwrap_err();
    assert!(e.to_string().contains("confidence"), "{e}");
    let e = env
        .step(&Action::new(Decision::Block, 0.5, "   "))
        .unwrap_err();
    assert!(e.to_string().contains("reasoning"), "{e}");
    let long = Action {
        reasoning: "a".repeat(5000).into(),
        ..a.clone()
    };
    assert!(env.step(&long).unwrap_err().to_string().contains("at most"));
    let nan = Action {
        confidence: f64::NAN,
        ..a.clone()
    };
    assert!(env.step(&nan).is_err());
    assert_eq!(serde_json::to_string(&env.state()).unwrap(), before);
    while !env.step(&a).unwrap().done() {}
    assert!(env.step(&a).unwrap_err().to_string().contains("over"));
}

/// Read from JSON (as the server and trajectory files read it), a bad confidence or reasoning
/// is the action's shape: it does not read as an action at all.
#[test]
fn a_bad_confidence_or_reasoning_does_not_read_as_an_action() {
    let read =
        |v: serde_json::Value| serde_json::from_value::<Action>(v).map_err(|e| e.to_string());
    let ok = serde_json::json!({"decision": "block", "confidence": 0.5, "reasoning": "Phishing."});
    assert_eq!(
        read(ok).unwrap(),
        Action::new(Decision::Block, 0.5, "Phishing.")
    );
    let e = read(serde_json::json!({"decision": "block", "confidence": 1.5, "reasoning": "x"}));
    assert_eq!(e.unwrap_err(), "confidence: must be in [0, 1], found 1.5");
    let e = read(serde_json::json!({"decision": "block", "confidence": 0.5, "reasoning": " "}));
    assert_eq!(e.unwrap_err(), "reasoning: must not be empty");
    let long = "a".repeat(5000);
    let e = read(serde_json::json!({"decision": "warn", "confidence": 0.5, "reasoning": long}));
    assert!(e.unwrap_err().starts_with("reasoning: at most"));
    let e = read(
        serde_json::json!({"decision": "warn", "confidence": 0.5, "reasoning": "x", "extra": 1}),
    );
    assert!(e.unwrap_err().contains("unknown field `extra`"));
}

#[test]
fn keyword_stuffing_does_not_win_the_reasoning_score() {
    let mut env = Env::new(TaskId::L1);
    let stuffed =
        "lookalike shortened suspicious link attachment urgent authority password gift card prize";
    let (mut honest, mut stuffing) = (0.0, 0.0);
    for seed in 0..10 {
        let (mut obs, _) = env.reset(seed, ResetOptions::default());
        let mut adapter = <Triage as ztgym_core::learn::Adapter>::new(&TaskId::L1);
        loop {
            use ztgym_core::learn::Adapter;
            adapter.observe(&obs);
            let good = adapter.action(1, &obs);
            let mut branch = env.clone();
            let bad = Action {
                reasoning: stuffed.into(),
                ..good.clone()
            };
            let b = branch.step(&bad).unwrap();
            let s = env.step(&good).unwrap();
            honest += s.info.last.as_ref().unwrap().components.reasoning_quality;
            stuffing += b.info.last.as_ref().unwrap().components.reasoning_quality;
            if s.done() {
                break;
            }
            obs = s.observation;
        }
    }
    assert!(
        honest > 2.0 * stuffing,
        "honest {honest}, stuffed {stuffing}"
    );
}

#[test]
fn a_clone_replays_exactly_and_pairs_prefer_the_better_outcome() {
    let mut env = Env::new(TaskId::L2);
    env.reset(5, ResetOptions::default());
    let a = Action::new(Decision::Warn, 0.7, "urgency");
    for _ in 0..10 {
        env.step(&a).unwrap();
    }
    let mut twin = env.clone();
    for _ in 0..30 {
        let x = env.step(&a).unwrap();
        let y = twin.step(&a).unwrap();
        assert_eq!(
            serde_json::to_string(&x).unwrap(),
            serde_json::to_string(&y).unwrap()
        );
    }
    let mut agent = RuleBased;
    let list = pairs::collect::<Triage>(
        &TaskId::L2,
        &mut agent as &mut dyn Agent<Env>,
        3,
        1,
        &ResetOptions::default(),
        PairConfig::default(),
    );
    assert!(list.len() > 100, "{}", list.len());
    for p in &list {
        assert!(p.margin >= 0.05 && p.chosen != p.rejected, "{p:?}");
        assert!(p.chosen_reward - p.chosen_cost > p.rejected_reward - p.rejected_cost);
        assert!(p.prompt.starts_with("Task L2 step "));
        let chosen: Action = serde_json::from_str(&p.chosen).unwrap();
        let _: Action = serde_json::from_str(&p.rejected).unwrap();
        assert!(!chosen.reasoning.is_empty());
    }
    let jsonl = pairs::to_jsonl(&list);
    assert_eq!(jsonl.lines().count(), list.len());
}
