//! Random action sequences, well-formed or not, never panic and keep the invariants.

use proptest::prelude::*;
use ztgym_sre::{Action, Env, Level, Privileged, ResetOptions, Scenario, StepError};

fn node_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "api_gateway",
            "auth_service",
            "frontend",
            "payment",
            "hr_db",
            "orders_db",
            "sso",
            "tenant_a_api",
            "ingress",
            "",
            "nope",
            "PAYMENT",
        ])
        .prop_map(String::from),
        "[a-z_]{0,12}",
    ]
}

fn action() -> impl Strategy<Value = Action> {
    let privileged = prop::sample::select(Privileged::ALL.to_vec());
    prop_oneof![
        node_name().prop_map(|node| Action::QuerySiemLogs { node }),
        (node_name(), privileged, ".{0,80}").prop_map(|(node, action, justification)| {
            Action::FileTicket {
                node,
                action,
                justification,
            }
        }),
        (0u32..5).prop_map(|i| Action::CheckApproval {
            ticket: format!("INC-{i:04}")
        }),
        node_name().prop_map(|node| Action::IsolateNode { node }),
        node_name().prop_map(|node| Action::RestoreNode { node }),
        (
            node_name(),
            prop::sample::select(vec!["CVE-2021-44228", "CVE-2014-0160", "", "x"])
        )
            .prop_map(|(node, cve)| Action::PatchNode {
                node,
                cve: cve.into()
            }),
        Just(Action::Wait),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_sequences_keep_the_invariants(
        scenario in prop::sample::select(vec!["classic", "enterprise", "multitenant"]),
        level in prop::sample::select(Level::ALL.to_vec()),
        seed in any::<u64>(),
        actions in prop::collection::vec(action(), 0..40),
    ) {
        let mut env = Env::new(Scenario::builtin(scenario).unwrap());
        let (obs, info) = env.reset(seed, ResetOptions { level: Some(level), curriculum: false });
        prop_assert_eq!(obs.step, 0);
        prop_assert_eq!(info.episode_cost, 0.0);
        let mut done = false;
        let mut total_cost = 0.0;
        let mut total_return = 0.0;
        for a in &actions {
            let before = env.state();
            match env.step(a) {
                Ok(s) => {
                    prop_assert!(!done, "a step after the end");
                    prop_assert!((0.0..=100.0).contains(&s.observation.uptime));
                    prop_assert!(s.cost >= 0.0);
                    prop_assert!(s.reward.is_finite());
                    prop_assert!((s.cost - s.info.cost_breakdown.total()).abs() < 1e-12);
                    prop_assert!(s.observation.step <= s.observation.max_steps);
                    prop_assert!(!(s.terminated && s.truncated));
                    total_cost += s.cost;
                    total_return += s.reward;
                    prop_assert!((s.info.episode_cost - total_cost).abs() < 1e-9);
                    prop_assert!((s.info.episode_return - total_return).abs() < 1e-9);
                    let events: f64 = s.info.events.iter().map(|e| e.reward).sum();
                    prop_assert!((events - s.reward).abs() < 1e-9, "events explain the whole reward");
                    done = s.terminated || s.truncated;
                    prop_assert_eq!(done, s.info.outcome.is_some());
                    let json = serde_json::to_string(&s).unwrap();
                    prop_assert!(json.starts_with("{\"observation"), "steps serialize as JSON objects");
                }
                Err(StepError::EpisodeOver { .. }) => prop_assert!(done),
                Err(_) => prop_assert_eq!(env.state(), before, "a refused action changes nothing"),
            }
        }
    }
}
