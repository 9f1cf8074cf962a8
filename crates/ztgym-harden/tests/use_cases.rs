//! Each use case's dynamics: what its family of changes cuts, what the twin forecasts and what
//! breaks when a change runs, the greedy baseline reaching the target, and bad data refused by
//! name.

use ztgym_core::Environment;
use ztgym_harden::agents::builtin;
use ztgym_harden::{HardenEnv, Options, Scenario, Stage};

#[test]
fn a_broken_flow_is_forecast_and_costs_when_it_runs() {
    let mut env = HardenEnv::new(Scenario::load("uc01-network-exposure").unwrap()).unwrap();
    let (o, _) = env.reset(1, Options::default());
    let storefront = o
        .of_kind("tighten_inbound_rule")
        .find(|c| c.action.params["service"] == "storefront")
        .unwrap();
    assert_eq!(
        storefront.forecast.broken_flows,
        ["customers reach the storefront"]
    );
    assert!(
        storefront.allowed && storefront.forecast.pass,
        "sandbox tolerates 0.4"
    );
    let step = env.step(&storefront.action.clone()).unwrap();
    assert_eq!(step.cost, 1.0);
    // The admin portal is tightened to its approved range: nobody is cut off.
    let admin = step
        .observation
        .of_kind("tighten_inbound_rule")
        .find(|c| c.action.params["service"] == "admin-portal")
        .unwrap();
    assert_eq!(admin.action.params["new_cidr"], "198.51.100.0/24");
    assert!(admin.forecast.broken_flows.is_empty() && admin.allowed);
    // In prod the same storefront change fails the twin.
    let (o, _) = env.reset(
        1,
        Options {
            environment: Stage::Prod,
            ..Options::default()
        },
    );
    let c = o.of_kind("tighten_inbound_rule").next().unwrap();
    assert!(!c.forecast.pass);
}

#[test]
fn recommend_only_ranks_with_rollback_hints_and_runs_only_what_a_person_accepts() {
    let mut env = HardenEnv::new(Scenario::load("seed001").unwrap()).unwrap();
    let options = Options {
        recommend_only: true,
        ..Options::default()
    };
    let (o, _) = env.reset(2, options.clone());
    // Ranked: what may run first, the largest forecast risk cut first among them.
    let runnable: Vec<bool> = o
        .candidates
        .iter()
        .map(|c| c.allowed && c.forecast.pass)
        .collect();
    assert!(runnable.windows(2).all(|w| w[0] >= w[1]), "{runnable:?}");
    assert_eq!(o.candidates[0].action.id, "remove_iam_permission");
    assert_eq!(
        o.candidates[0].rollback.as_deref(),
        Some("grant *:* back to app-role")
    );
    assert!(o.candidates.iter().all(|c| c.rollback.is_some()));
    let top = o.candidates[0].action.clone();
    // Not answered: recommended only, nothing runs.
    let step = env.step(&top).unwrap();
    let c = step.info.cycle.as_ref().unwrap();
    assert!(c.decision.allowed && c.simulation.pass && !c.execution.executed);
    // Accepted: it runs.
    env.reset(2, options);
    let mut accepted = top.clone();
    accepted.accepted = Some(true);
    let step = env.step(&accepted).unwrap();
    assert!(step.info.cycle.as_ref().unwrap().execution.executed);
    // Outside the mode, the same action runs without an answer.
    env.reset(2, Options::default());
    assert!(
        env.step(&top)
            .unwrap()
            .info
            .cycle
            .unwrap()
            .execution
            .executed
    );
}

#[test]
fn pod_security_cuts_posture_risk_spares_the_exceptions_and_forecasts_startup_failures() {
    let mut env = HardenEnv::new(Scenario::load("uc02-pod-security").unwrap()).unwrap();
    let (o, _) = env.reset(1, Options::default());
    // 2 for the ingress port; workloads 6 + 13 + 11 + 18 + 18 + 18 (privileged 10, host
    // network 5, host path 5, 3 per capability, 3 without limits).
    assert_eq!(o.risk_score, 86.0);
    let on = |id: &str, w: &str| {
        o.of_kind(id)
            .find(|c| c.action.params["workload"] == w)
            .unwrap_or_else(|| panic!("no {id} on {w}"))
            .clone()
    };
    let payments = on("apply_pod_security", "payments");
    assert!(payments.allowed && payments.forecast.pass);
    assert_eq!(payments.forecast.risk_delta, -10.0);
    assert_eq!(payments.forecast.breakage_risk, 0.05);
    // The exception list: the gate denies, whatever the twin says.
    let cni = on("drop_capabilities", "cni-node");
    assert!(!cni.allowed);
    assert_eq!(
        cni.reasons,
        ["kube-system/cni-node is on the exception list for system components"]
    );
    // Limits evict the batch job that needs to run unlimited: a scheduling failure, its flow
    // broken, over the sandbox's budget.
    let batch = on("enforce_resource_limits", "legacy-batch");
    assert!(batch.allowed && !batch.forecast.pass);
    assert_eq!(batch.forecast.broken_flows, ["nightly batch report"]);
    assert_eq!(batch.forecast.breakage_risk, 0.85);
    // Search needs NET_ADMIN: dropping it fails its startup; the profile alone is safe.
    let search = on("drop_capabilities", "search");
    assert_eq!(search.forecast.broken_flows, ["search answers queries"]);
    assert!(on("apply_pod_security", "search").forecast.pass);
    // Run the payments change: the twin's workload is restricted and the risk drops.
    let step = env.step(&payments.action).unwrap();
    assert_eq!(step.cost, 0.0);
    let w = env.twin().workload("payments").unwrap();
    assert!(!w.privileged && w.ready);
    assert_eq!(step.observation.risk_score, 76.0);
    // Outside the sandbox the profile needs its canary rollout.
    let mut bare = payments.action.clone();
    bare.params.remove("rollout");
    let stage = Options {
        environment: Stage::Stage,
        ..Options::default()
    };
    env.reset(1, stage);
    let d = env.decide(&bare, 86.0);
    assert!(!d.allowed);
    assert_eq!(
        d.reasons,
        ["outside the sandbox a restrictive profile rolls out as a canary first"]
    );
}

#[test]
fn greedy_reaches_the_pod_security_target_without_breaking_a_workload() {
    let mut env = HardenEnv::new(Scenario::load("uc02-pod-security").unwrap()).unwrap();
    let mut greedy = builtin("greedy").unwrap();
    greedy.reset(5);
    let (mut o, mut info) = env.reset(5, Options::default());
    let mut executed = 0;
    loop {
        let step = env.step(&greedy.act(&o, &info)).unwrap();
        let c = step.info.cycle.as_ref().unwrap();
        if c.execution.executed {
            executed += 1;
            // Cost comes only from the rollouts' own drawn breakage, never a failed start.
            assert!(c.simulation.broken_flows.is_empty(), "{:?}", c.simulation);
        }
        if step.terminated || step.truncated {
            break;
        }
        (o, info) = (step.observation, step.info);
    }
    assert!(executed >= 5, "{executed}");
    assert!(env.totals().success, "risk {}", env.twin().risk());
    assert!(env.twin().workloads.iter().all(|w| w.ready));
}

#[test]
fn waf_tuning_cuts_attack_risk_within_the_tier_caps_and_replays_traffic() {
    let mut env = HardenEnv::new(Scenario::load("uc04-waf-tuning").unwrap()).unwrap();
    let (o, _) = env.reset(1, Options::default());
    // 2 for the storefront's port; routes 20 + 12 + 12 + 14 (2 x the attack left through the
    // rule, +4 without a rate limit).
    assert_eq!(o.risk_score, 60.0);
    let on = |id: &str, route: &str| {
        o.of_kind(id)
            .find(|c| c.action.params["route"] == route)
            .unwrap_or_else(|| panic!("no {id} on {route}"))
            .clone()
    };
    let login = on("raise_waf_strictness", "/login");
    assert!(login.allowed && login.forecast.pass);
    assert_eq!(login.forecast.breakage_risk, 0.05);
    assert!((login.forecast.risk_delta + 16.0 / 3.0).abs() < 1e-9);
    // The search route's peak is over the limit: the replay throttles it, its flow breaks.
    let search = on("add_rate_limit", "/search");
    assert!(search.allowed && !search.forecast.pass);
    assert_eq!(search.forecast.broken_flows, ["customers search"]);
    assert_eq!(search.forecast.breakage_risk, 0.85);
    // The partner's route: the gate denies a block, and the twin would see the partner cut.
    let partner = on("block_attack_pattern", "/partner/orders");
    assert!(!partner.allowed);
    assert_eq!(
        partner.reasons,
        ["never block the partner's allowlisted route /partner/orders"]
    );
    assert_eq!(partner.forecast.broken_flows, ["the partner places orders"]);
    // Checkout's legitimate traffic trips strictness 2: one level passes, the next does not.
    let step = env
        .step(&on("raise_waf_strictness", "/checkout").action)
        .unwrap();
    assert_eq!(step.cost, 0.0);
    assert_eq!(env.twin().waf_rule("/checkout").unwrap().strictness, 1);
    let again = step
        .observation
        .of_kind("raise_waf_strictness")
        .find(|c| c.action.params["route"] == "/checkout")
        .unwrap();
    assert_eq!(again.action.params["to_strictness"], 2);
    assert_eq!(again.forecast.broken_flows, ["customers pay"]);
    // The critical tier's cap: /login may reach 2, never 3.
    let mut at3 = login.action.clone();
    at3.params.insert("to_strictness".into(), 3.into());
    let d = env.decide(&at3, 60.0);
    assert_eq!(d.reasons, ["strictness above 2 on a critical route"]);
}

#[test]
fn greedy_mostly_reaches_the_waf_target_without_breaking_a_route() {
    let mut env = HardenEnv::new(Scenario::load("uc04-waf-tuning").unwrap()).unwrap();
    let mut greedy = builtin("greedy").unwrap();
    let mut successes = 0;
    for seed in 0..10 {
        greedy.reset(seed);
        let (mut o, mut info) = env.reset(seed, Options::default());
        loop {
            let step = env.step(&greedy.act(&o, &info)).unwrap();
            let c = step.info.cycle.as_ref().unwrap();
            if c.execution.executed {
                assert!(c.simulation.broken_flows.is_empty(), "{:?}", c.simulation);
            }
            if step.terminated || step.truncated {
                break;
            }
            (o, info) = (step.observation, step.info);
        }
        assert!(env.twin().waf.iter().all(|r| r.serving), "seed {seed}");
        successes += usize::from(env.totals().success);
    }
    // Attack bursts and rising signatures keep some episodes over the target.
    assert!(successes >= 6, "{successes} of 10");
}

#[test]
fn bad_waf_and_workload_data_is_refused_by_name() {
    let toml = include_str!("../scenarios/uc04-waf-tuning/scenario.toml");
    let policy = |_: &str| Ok(include_str!("../scenarios/uc04-waf-tuning/policy.rego").into());
    let err = |text: &str| match Scenario::parse("uc04/scenario.toml", text, policy) {
        Ok(_) => panic!("loaded"),
        Err(e) => e.to_string(),
    };
    let e = err(&toml.replacen("strictness = 0", "strictness = 7", 1));
    assert!(e.contains("waf[0]: strictness 7 must be at most 3"), "{e}");
    let e = err(&toml.replacen("route = \"/search\"", "route = \"/login\"", 1));
    assert!(
        e.contains("waf[1].route: \"/login\" is named twice (first at waf[0])"),
        "{e}"
    );
    let e = err(&toml.replacen("route = \"/checkout\"\n\n", "route = \"/nowhere\"\n\n", 1));
    assert!(
        e.contains(".route: \"/nowhere\" names no WAF rule's route"),
        "{e}"
    );
    let both = format!(
        "{toml}\n[[workloads]]\nname = \"w\"\nnamespace = \"n\"\nprivileged = true\nhost_network = false\nhost_path = false\ncapabilities = []\nlimits = false\n"
    );
    assert!(err(&both).contains("one kind only (found workloads and waf)"));
    // A pod security action's parameters need a twin with workloads.
    let e = err(&format!(
        "{toml}\n[params.drop_capabilities]\nrollout = \"canary\"\n"
    ));
    assert!(
        e.contains("params.drop_capabilities: not one of the actions"),
        "{e}"
    );
}

#[test]
fn supply_chain_hardening_cuts_risk_with_approvals_and_simulated_builds() {
    let mut env = HardenEnv::new(Scenario::load("uc07-supply-chain").unwrap()).unwrap();
    let (o, _) = env.reset(1, Options::default());
    // 2 for the registry's port; pipelines 24 + 14 + 28 + 24 (+8 unsigned, +6 unpinned, +6 a
    // privileged runner, +4 stale secrets, +10 scanning off).
    assert_eq!(o.risk_score, 92.0);
    let on = |id: &str, p: &str| {
        o.of_kind(id)
            .find(|c| c.action.params["pipeline"] == p)
            .unwrap_or_else(|| panic!("no {id} on {p}"))
            .clone()
    };
    let sign = on("sign_artifacts", "web-build");
    assert!(sign.allowed && sign.forecast.pass);
    assert_eq!(sign.forecast.risk_delta, -8.0);
    assert_eq!(sign.forecast.breakage_risk, 0.05);
    // The release build runs docker-in-docker: restricting its runner fails the build.
    let release = on("restrict_runner", "release");
    assert!(
        release.allowed,
        "the scenario's default carries the approval"
    );
    assert!(!release.forecast.pass);
    assert_eq!(release.forecast.broken_flows, ["releases ship"]);
    assert_eq!(release.forecast.breakage_risk, 0.85);
    // Signing the mobile app's artifacts before its consumers verify fails its build too.
    assert_eq!(
        on("sign_artifacts", "mobile-app").forecast.broken_flows,
        ["the mobile app ships"]
    );
    // Without the approval a runner change is denied.
    let mut bare = on("restrict_runner", "web-build").action;
    bare.params.remove("approval");
    assert_eq!(
        env.decide(&bare, 92.0).reasons,
        ["a pipeline permission change needs an approval"]
    );
    let step = env.step(&sign.action).unwrap();
    assert_eq!(step.cost, 0.0);
    assert!(env.twin().pipeline("web-build").unwrap().signed);
    assert_eq!(step.observation.risk_score, 84.0);
}

#[test]
fn greedy_mostly_reaches_the_supply_chain_target_without_failing_a_build() {
    let mut env = HardenEnv::new(Scenario::load("uc07-supply-chain").unwrap()).unwrap();
    let mut greedy = builtin("greedy").unwrap();
    let mut successes = 0;
    for seed in 0..10 {
        greedy.reset(seed);
        let (mut o, mut info) = env.reset(seed, Options::default());
        loop {
            let step = env.step(&greedy.act(&o, &info)).unwrap();
            let c = step.info.cycle.as_ref().unwrap();
            if c.execution.executed {
                assert!(c.simulation.broken_flows.is_empty(), "{:?}", c.simulation);
            }
            if step.terminated || step.truncated {
                break;
            }
            (o, info) = (step.observation, step.info);
        }
        assert!(env.twin().pipelines.iter().all(|p| p.builds), "seed {seed}");
        successes += usize::from(env.totals().success);
    }
    assert!(successes >= 6, "{successes} of 10");
}

#[test]
fn bad_pipeline_data_is_refused_by_name() {
    let toml = include_str!("../scenarios/uc07-supply-chain/scenario.toml");
    let policy = |_: &str| Ok(include_str!("../scenarios/uc07-supply-chain/policy.rego").into());
    let err = |text: &str| match Scenario::parse("uc07/scenario.toml", text, policy) {
        Ok(_) => panic!("loaded"),
        Err(e) => e.to_string(),
    };
    let e = err(&toml.replacen("name = \"release\"", "name = \"web-build\"", 1));
    assert!(
        e.contains("pipelines[1].name: \"web-build\" is named twice"),
        "{e}"
    );
    let e = err(&toml.replacen("pipeline = \"release\"", "pipeline = \"nightly\"", 1));
    assert!(
        e.contains(".pipeline: \"nightly\" names no pipeline"),
        "{e}"
    );
    let both = format!(
        "{toml}\n[[workloads]]\nname = \"w\"\nnamespace = \"n\"\nprivileged = true\nhost_network = false\nhost_path = false\ncapabilities = []\nlimits = false\n"
    );
    assert!(err(&both).contains("one kind only"));
}

#[test]
fn tenant_isolation_cuts_cross_tenant_risk_and_simulates_tenant_workflows() {
    let mut env = HardenEnv::new(Scenario::load("uc09-tenant-isolation").unwrap()).unwrap();
    let (o, _) = env.reset(1, Options::default());
    // 2 for the gateway's port; tenants 28 + 20 + 14 + 14 + 16 (+8 a flat network, +8
    // unscoped identities, +4 per shared resource, the attempts while a boundary is open).
    assert_eq!(o.risk_score, 94.0);
    let on = |id: &str, t: &str| {
        o.of_kind(id)
            .find(|c| c.action.params["tenant"] == t)
            .unwrap_or_else(|| panic!("no {id} on {t}"))
            .clone()
    };
    let acme = on("isolate_tenant_network", "acme");
    assert!(acme.allowed && acme.forecast.pass);
    assert_eq!(acme.forecast.risk_delta, -8.0);
    // The reseller's job acts across its customers: scoping its identities breaks it.
    let reseller = on("scope_tenant_identity", "reseller");
    assert!(reseller.allowed && !reseller.forecast.pass);
    assert_eq!(
        reseller.forecast.broken_flows,
        ["the reseller manages its customers"]
    );
    // The platform's own tenant: the gate denies.
    let platform = on("dedicate_shared_resources", "shared-services");
    assert_eq!(
        platform.reasons,
        ["shared-services is the platform's own tenant"]
    );
    // A cross-tenant grant is denied whatever the action.
    let mut grant = on("scope_tenant_identity", "acme").action;
    grant.params.insert("grant_to".into(), "globex".into());
    assert_eq!(
        env.decide(&grant, 94.0).reasons,
        ["deny cross-tenant access: acme to globex"]
    );
    // Isolating acme's network closes nothing else yet: its identities are still open, so
    // its attempts still count.
    let step = env.step(&acme.action).unwrap();
    assert_eq!(step.cost, 0.0);
    assert_eq!(step.observation.risk_score, 86.0);
    let step = env
        .step(&on("scope_tenant_identity", "acme").action)
        .unwrap();
    // Both boundaries closed: -8 for the identities and -4 for the attempts.
    assert!(env.twin().tenant("acme").unwrap().identity_scoped);
    assert!(step.observation.risk_score <= 74.0);
}

#[test]
fn greedy_never_breaks_a_tenant_workflow() {
    let mut env = HardenEnv::new(Scenario::load("uc09-tenant-isolation").unwrap()).unwrap();
    let mut greedy = builtin("greedy").unwrap();
    let mut successes = 0;
    for seed in 0..10 {
        greedy.reset(seed);
        let (mut o, mut info) = env.reset(seed, Options::default());
        loop {
            let step = env.step(&greedy.act(&o, &info)).unwrap();
            let c = step.info.cycle.as_ref().unwrap();
            if c.execution.executed {
                assert!(c.simulation.broken_flows.is_empty(), "{:?}", c.simulation);
            }
            if step.terminated || step.truncated {
                break;
            }
            (o, info) = (step.observation, step.info);
        }
        assert!(env.twin().tenants.iter().all(|t| t.working), "seed {seed}");
        successes += usize::from(env.totals().success);
    }
    // Cross-tenant attempts keep arriving on the tenants that cannot be closed yet: the
    // target is reached in some episodes only.
    assert!(successes >= 1, "{successes} of 10");
}

#[test]
fn bad_tenant_data_is_refused_by_name() {
    let toml = include_str!("../scenarios/uc09-tenant-isolation/scenario.toml");
    let policy =
        |_: &str| Ok(include_str!("../scenarios/uc09-tenant-isolation/policy.rego").into());
    let err = |text: &str| match Scenario::parse("uc09/scenario.toml", text, policy) {
        Ok(_) => panic!("loaded"),
        Err(e) => e.to_string(),
    };
    let e = err(&toml.replacen("name = \"globex\"", "name = \"acme\"", 1));
    assert!(
        e.contains("tenants[1].name: \"acme\" is named twice"),
        "{e}"
    );
    let e = err(&toml.replacen(
        "cross_tenant_attempts = 4.0",
        "cross_tenant_attempts = -1.0",
        1,
    ));
    assert!(
        e.contains("tenants[0].cross_tenant_attempts: -1.0 is not a count"),
        "{e}"
    );
    let e = err(&toml.replacen("tenant = \"globex\"", "tenant = \"hooli\"", 1));
    assert!(e.contains(".tenant: \"hooli\" names no tenant"), "{e}");
    let both = format!("{toml}\n[[pipelines]]\nname = \"p\"\nsigned = false\npinned = false\nprivileged_runner = false\nsecrets_age_days = 1\nscanning = true\n");
    assert!(err(&both).contains("one kind only"));
}

#[test]
fn compliance_controls_raise_the_posture_without_breaking_clients() {
    let mut env = HardenEnv::new(Scenario::load("uc06-compliance").unwrap()).unwrap();
    let (o, _) = env.reset(1, Options::default());
    // 2 for the gateway's port; resources 18 + 10 + 20 + 18 (+8 unencrypted, +6 TLS below
    // 1.2, +6 logging off, +4 off the baseline).
    assert_eq!(o.risk_score, 68.0);
    let on = |id: &str, r: &str| {
        o.of_kind(id)
            .find(|c| c.action.params["resource"] == r)
            .unwrap_or_else(|| panic!("no {id} on {r}"))
            .clone()
    };
    let orders = on("enforce_encryption", "orders-db");
    assert!(orders.allowed && orders.forecast.pass);
    assert_eq!(orders.forecast.risk_delta, -8.0);
    // The card terminals speak TLS 1.0: enforcing 1.2 stops them.
    let pos = on("enforce_tls", "legacy-pos");
    assert_eq!(pos.forecast.broken_flows, ["stores take card payments"]);
    assert!(!pos.forecast.pass);
    // Logging never breaks a client.
    assert!(on("enable_logging", "legacy-pos").forecast.pass);
    // The backup tool reads raw disks: encrypting the vault breaks restores.
    assert_eq!(
        on("enforce_encryption", "backup-vault")
            .forecast
            .broken_flows,
        ["nightly backups restore"]
    );
    // Weakening is denied by name; in prod encryption needs its window.
    let weaken = ztgym_harden::Action {
        id: "disable_logging".into(),
        params: Default::default(),
        accepted: None,
    };
    assert_eq!(
        env.decide(&weaken, 68.0).reasons,
        ["disable_logging weakens the compliance baseline"]
    );
    let step = env.step(&orders.action).unwrap();
    assert_eq!(step.cost, 0.0);
    assert!(env.twin().control("orders-db").unwrap().encrypted);
    assert_eq!(step.observation.risk_score, 60.0);
    let prod = Options {
        environment: Stage::Prod,
        ..Options::default()
    };
    env.reset(1, prod);
    let mut bare = orders.action.clone();
    bare.params.remove("maintenance_window");
    assert_eq!(
        env.decide(&bare, 68.0).reasons,
        ["encryption in prod needs a maintenance window"]
    );
}

#[test]
fn greedy_mostly_reaches_compliance_without_breaking_a_client() {
    let mut env = HardenEnv::new(Scenario::load("uc06-compliance").unwrap()).unwrap();
    let mut greedy = builtin("greedy").unwrap();
    let mut successes = 0;
    for seed in 0..10 {
        greedy.reset(seed);
        let (mut o, mut info) = env.reset(seed, Options::default());
        loop {
            let step = env.step(&greedy.act(&o, &info)).unwrap();
            let c = step.info.cycle.as_ref().unwrap();
            if c.execution.executed {
                assert!(c.simulation.broken_flows.is_empty(), "{:?}", c.simulation);
            }
            if step.terminated || step.truncated {
                break;
            }
            (o, info) = (step.observation, step.info);
        }
        assert!(
            env.twin().controls.iter().all(|c| c.compatible),
            "seed {seed}"
        );
        successes += usize::from(env.totals().success);
    }
    assert!(successes >= 6, "{successes} of 10");
}

#[test]
fn bad_control_data_is_refused_by_name() {
    let toml = include_str!("../scenarios/uc06-compliance/scenario.toml");
    let policy = |_: &str| Ok(include_str!("../scenarios/uc06-compliance/policy.rego").into());
    let err = |text: &str| match Scenario::parse("uc06/scenario.toml", text, policy) {
        Ok(_) => panic!("loaded"),
        Err(e) => e.to_string(),
    };
    let e = err(&toml.replacen("name = \"api-edge\"", "name = \"orders-db\"", 1));
    assert!(
        e.contains("controls[1].name: \"orders-db\" is named twice"),
        "{e}"
    );
    let e = err(&toml.replacen("tls_min = 0", "tls_min = 9", 1));
    assert!(
        e.contains("controls[1].tls_min: 1.9 is not a TLS version"),
        "{e}"
    );
    let e = err(&toml.replacen("control = \"backup-vault\"", "control = \"tape\"", 1));
    assert!(
        e.contains(".control: \"tape\" names no controlled resource"),
        "{e}"
    );
    let both = format!("{toml}\n[[tenants]]\nname = \"t\"\nnetwork_isolated = true\nidentity_scoped = true\nshared = []\ncross_tenant_attempts = 0.0\n");
    assert!(err(&both).contains("one kind only"));
}
