//! Every field of a scenario file is checked as it loads: each bad value below is refused with
//! the file, the field's path and the value (escaped) in the message; and the forecast's
//! shortcuts (a risk total swapped one term at a time, only the flows naming the touched
//! resource checked again) agree with the twin summed and every flow checked from scratch.

use ztgym_harden::index::Index;
use ztgym_harden::Scenario;

const SEED: &str = include_str!("../scenarios/seed001/scenario.toml");
const POLICY: &str = include_str!("../scenarios/seed001/policy.rego");

fn err(text: &str) -> String {
    match Scenario::parse("s/scenario.toml", text, |_| Ok(POLICY.into())) {
        Ok(_) => panic!("loaded:\n{text}"),
        Err(e) => e.to_string(),
    }
}

fn replaced(old: &str, new: &str) -> String {
    assert!(SEED.contains(old), "seed001 has {old:?}");
    SEED.replacen(old, new, 1)
}

/// (what, the scenario text, what the message must say).
fn cases() -> Vec<(&'static str, String, &'static str)> {
    let flow = |body: &str| format!("{SEED}\n[[flows]]\nname = \"f\"\n{body}\n");
    vec![
        (
            "target_risk NaN",
            replaced("target_risk = 60.0", "target_risk = nan"),
            "target_risk: NaN is not in 0..=100",
        ),
        (
            "target_risk +inf",
            replaced("target_risk = 60.0", "target_risk = inf"),
            "target_risk: inf is not in 0..=100",
        ),
        (
            "target_risk -inf",
            replaced("target_risk = 60.0", "target_risk = -inf"),
            "target_risk: -inf is not in 0..=100",
        ),
        (
            "target_risk -1",
            replaced("target_risk = 60.0", "target_risk = -1"),
            "target_risk: -1.0 is not in 0..=100",
        ),
        (
            "target_risk 1e308",
            replaced("target_risk = 60.0", "target_risk = 1e308"),
            "target_risk: 1e308 is not in 0..=100",
        ),
        (
            "a CIDR out of range",
            replaced("cidrs = [\"0.0.0.0/0\"]", "cidrs = [\"999.1.1.1/99\"]"),
            "services[0].cidrs[0]: \"999.1.1.1/99\" is not an IPv4 address or range",
        ),
        (
            "not a CIDR",
            replaced("cidrs = [\"0.0.0.0/0\"]", "cidrs = [\"not a cidr\"]"),
            "services[0].cidrs[0]: \"not a cidr\" is not an IPv4",
        ),
        (
            "a service named twice",
            replaced("name = \"auth\"", "name = \"checkout-api\""),
            "services[1].name: \"checkout-api\" is named twice (first at services[0])",
        ),
        (
            "params naming an unknown service",
            replaced(
                "[params.apply_segmentation]\nservice = \"checkout-api\"",
                "[params.apply_segmentation]\nservice = \"nowhere\"",
            ),
            "params.apply_segmentation.service: \"nowhere\" names no service of the twin",
        ),
        (
            "params naming an unknown principal",
            replaced(
                "[params.enforce_mfa]\nprincipal = \"app-role\"",
                "[params.enforce_mfa]\nprincipal = \"ghost\"",
            ),
            "params.enforce_mfa.principal: \"ghost\" names no principal",
        ),
        (
            "params with a bad CIDR",
            replaced("new_cidr = \"10.0.0.0/8\"", "new_cidr = \"10.0.0.0/33\""),
            "params.tighten_inbound_rule.new_cidr: \"10.0.0.0/33\" is not an IPv4",
        ),
        (
            "new_ttl_mins NaN",
            replaced("new_ttl_mins = 15", "new_ttl_mins = nan"),
            "params.reduce_token_ttl.new_ttl_mins: is not a finite number",
        ),
        (
            "new_ttl_mins -5",
            replaced("new_ttl_mins = 15", "new_ttl_mins = -5"),
            "new_ttl_mins: the number -5 is not a whole number of minutes in 1..=525600",
        ),
        (
            "count_5m NaN",
            replaced("count_5m = 42", "count_5m = nan"),
            "telemetry[0].payload.count_5m: is not a finite number",
        ),
        (
            "count_5m a word",
            replaced("count_5m = 42", "count_5m = \"many\""),
            "telemetry[0].payload.count_5m: expected a number, found \"many\"",
        ),
        (
            "score infinite",
            replaced("score = 0.78", "score = inf"),
            "telemetry[2].payload.score: is not a finite number",
        ),
        (
            "score over 1",
            replaced("score = 0.78", "score = 7.8"),
            "telemetry[2].payload.score: 7.8 is not in 0..=1",
        ),
        (
            "an unknown telemetry type",
            replaced("type = \"anomaly\"", "type = \"quantum_flux\""),
            "telemetry[2].type: \"quantum_flux\" is not a telemetry type the twin knows",
        ),
        (
            "a flow to an unknown service",
            flow("service = \"nowhere\""),
            "flows[0].service: \"nowhere\" names no service",
        ),
        (
            "a flow as an unknown principal",
            flow("principal = \"ghost\"\npermission = \"s3:GetObject\""),
            "flows[0].principal: \"ghost\" names no principal",
        ),
        (
            "a flow with no target",
            flow(""),
            "flows[0]: names no target",
        ),
        (
            "a flow from a bad range",
            flow("service = \"auth\"\nfrom = \"10.0.0.300\""),
            "flows[0].from: \"10.0.0.300\" is not an IPv4",
        ),
        (
            "a principal's flow without its permission",
            flow("principal = \"app-role\""),
            "flows[0]: a principal and its permission go together",
        ),
        (
            "an escape sequence in the name",
            replaced("name = \"seed001\"", "name = \"x\\u001b]0;pwned\\u0007\""),
            "name: \"x\\u{1b}]0;pwned\\u{7}\" holds a control character",
        ),
        (
            "an unknown environment",
            format!("{SEED}\n[environments.qa]\nbreakage_budget = 0.2\n"),
            "environments.qa: not one of sandbox, stage, prod",
        ),
        (
            "port 0",
            replaced("ports = [443]", "ports = [0]"),
            "services[0].ports[0]: 0 is not a port",
        ),
    ]
}

#[test]
fn every_bad_field_is_refused_naming_file_field_and_value() {
    for (what, text, expected) in cases() {
        let e = err(&text);
        assert!(e.starts_with("s/scenario.toml: "), "{what}: {e}");
        assert!(e.contains(expected), "{what}: {e}");
        assert!(!e.contains('\u{1b}'), "{what}: a raw escape in {e}");
    }
}

#[test]
fn pipeline_needs_naming_other_pipelines_are_refused() {
    let uc07 = include_str!("../scenarios/uc07-supply-chain/scenario.toml");
    let policy = include_str!("../scenarios/uc07-supply-chain/policy.rego");
    let text = uc07.replacen("needs = [\"unsigned\"]", "needs = [\"web-build\"]", 1);
    assert_ne!(text, uc07);
    let e = Scenario::parse("uc07/scenario.toml", &text, |_| Ok(policy.into()))
        .expect_err("refused")
        .to_string();
    assert!(
        e.contains(".needs[0]: \"web-build\" is not one of unsigned, floating_dependencies"),
        "{e}"
    );
}

#[test]
fn several_problems_are_counted() {
    let text = replaced("target_risk = 60.0", "target_risk = nan").replacen(
        "count_5m = 42",
        "count_5m = -1",
        1,
    );
    let e = err(&text);
    assert!(
        e.contains("target_risk") && e.contains("(and 1 more problems)"),
        "{e}"
    );
}

#[test]
fn a_hostile_file_name_is_shown_escaped() {
    let e = Scenario::parse("\u{1b}[2Jevil.toml", "name = 1", |_| Ok(POLICY.into()))
        .expect_err("refused")
        .to_string();
    assert!(e.starts_with("\\u{1b}[2Jevil.toml: "), "{e}");
}

/// The forecast of every candidate of every built-in scenario, at each cycle of an episode,
/// against the twin after the change summed again and every flow checked again.
#[test]
fn forecasts_agree_with_the_twin_recomputed() {
    use ztgym_core::Environment;
    use ztgym_harden::{HardenEnv, Options};
    let mut checked = 0;
    for name in Scenario::builtin_names() {
        let scenario = Scenario::load(name).unwrap();
        let flows = scenario.flows.clone();
        let mut env = HardenEnv::new(scenario).unwrap();
        let mut agent = ztgym_harden::agents::builtin("random").unwrap();
        let (mut obs, mut info) = env.reset(7, Options::default());
        agent.reset(7);
        loop {
            let twin = env.twin().clone();
            let at = Index::new(&twin, &flows);
            for c in &obs.candidates {
                let (f, next) = twin.simulate(&c.action.id, &c.action.params, 1.0, &flows, None);
                assert_eq!(f.before_risk, twin.risk(), "{name} {:?}", c.action);
                assert_eq!(f.after_risk, next.risk(), "{name} {:?}", c.action);
                assert_eq!(f.after_risk, c.forecast.after_risk, "{name} {:?}", c.action);
                let every: Vec<String> = flows
                    .iter()
                    .filter(|fl| fl.holds(&twin, &at) && !fl.holds(&next, &at))
                    .map(|fl| fl.name.clone())
                    .collect();
                assert_eq!(f.broken_flows, every, "{name} {:?}", c.action);
                assert_eq!(c.forecast.broken_flows, every, "{name} {:?}", c.action);
                checked += 1;
            }
            let step = env.step(&agent.act(&obs, &info)).unwrap();
            if step.done() {
                break;
            }
            (obs, info) = (step.observation, step.info);
        }
    }
    assert!(checked > 1000, "{checked}");
}

/// What a command must not write over: the files a scenario was read from.
#[test]
fn a_folder_scenario_names_the_files_it_was_read_from() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/seed001"));
    let files = [dir.join("scenario.toml"), dir.join("policy.rego")];
    let by_folder = Scenario::load(dir.to_str().unwrap()).unwrap();
    assert_eq!(by_folder.sources, files);
    let by_file = Scenario::load(files[0].to_str().unwrap()).unwrap();
    assert_eq!(by_file.sources, files);
    assert!(Scenario::load("seed001").unwrap().sources.is_empty());
}
