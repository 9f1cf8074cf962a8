//! The arena's figures are `ztgym eval`'s: for each environment, three agents on seeds 0-19
//! ranked by the arena, and each agent evaluated by the command line's own function (the
//! environment's spec answering `eval --episodes 20 --seed 0`, what the binary prints with
//! `--json`). The SRE gym and the hardening loop sum the same totals in the same order (equal
//! to the bit); triage's command rounds its means to 6 decimals, so the arena's are compared
//! after the same rounding.

use super::job::{start, AgentSpec, ArenaRequest};
use super::ranking::Ranking;
use crate::envs::arenas;
use serde_json::Value;
use ztgym::core::command::Args;

const SEEDS: u64 = 20;

/// `ztgym eval --env ENV ... --episodes 20 --seed 0 --json`'s value.
fn cli_eval(env: &str, words: &[&str]) -> Value {
    let spec = ztgym::registry::spec(env).unwrap();
    let options = spec.options("eval").unwrap();
    let mut words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    words.extend([
        "--episodes".into(),
        SEEDS.to_string(),
        "--seed".into(),
        "0".into(),
    ]);
    let args = Args::parse("eval", &words, options.valued, options.switches).unwrap();
    spec.command("eval", &args).unwrap().value
}

fn arena(env: &str, scenario: &str, agents: Vec<AgentSpec>) -> Ranking {
    let request = ArenaRequest {
        env: env.into(),
        scenario: scenario.into(),
        agents,
        seeds: (0..SEEDS).collect(),
    };
    let mut job = start(&arenas(), &request).unwrap();
    while !job.run(7) {}
    assert_eq!(job.progress(), (3 * SEEDS as usize, 3 * SEEDS as usize));
    // Through the worker's message, as the page receives it.
    let sent = serde_json::to_string(&job.result()).unwrap();
    serde_json::from_str::<super::ranking::ArenaResult>(&sent)
        .unwrap()
        .ranking()
}

fn builtin(name: &str) -> AgentSpec {
    AgentSpec::Builtin { name: name.into() }
}

/// The row of the agent labelled `label`.
fn row<'a>(r: &'a Ranking, label: &str) -> &'a super::ranking::Row {
    r.rows.iter().find(|row| row.label == label).unwrap()
}

fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[test]
fn sre_figures_equal_ztgym_eval() {
    let policy = crate::envs::sre::bundled_policies::find("classic-q")
        .unwrap()
        .1;
    let path = std::env::temp_dir().join(format!("arena-classic-q-{}.json", std::process::id()));
    std::fs::write(&path, policy).unwrap();
    let r = arena(
        "sre",
        "classic",
        vec![
            builtin("random"),
            builtin("sop"),
            AgentSpec::Policy {
                label: "classic-q.json".into(),
                text: policy.into(),
            },
        ],
    );
    let shown = path.to_string_lossy().to_string();
    for (label, words) in [
        ("random", vec!["--scenario", "classic", "--agent", "random"]),
        ("sop", vec!["--scenario", "classic", "--agent", "sop"]),
        ("classic-q.json", vec!["--policy", shown.as_str()]),
    ] {
        let cli = cli_eval("sre", &words);
        let row = row(&r, label);
        assert_eq!(row.episodes, SEEDS as usize);
        assert_eq!(
            row.mean_return.value,
            cli["mean_return"].as_f64().unwrap(),
            "{label}"
        );
        assert_eq!(
            row.mean_cost.value,
            cli["mean_cost"].as_f64().unwrap(),
            "{label}"
        );
        assert_eq!(
            row.success_rate.value,
            cli["success_rate"].as_f64().unwrap(),
            "{label}"
        );
        assert!(row.mean_score.is_none());
    }
    std::fs::remove_file(path).ok();
}

#[test]
fn harden_figures_equal_ztgym_eval() {
    let names = ["random", "bandit", "greedy"];
    let r = arena(
        "harden",
        "seed001",
        names.iter().map(|n| builtin(n)).collect(),
    );
    for name in names {
        let cli = cli_eval("harden", &["--scenario", "seed001", "--agent", name]);
        let row = row(&r, name);
        assert_eq!(
            row.mean_return.value,
            cli["mean_return"].as_f64().unwrap(),
            "{name}"
        );
        assert_eq!(
            row.mean_cost.value,
            cli["mean_cost"].as_f64().unwrap(),
            "{name}"
        );
        assert_eq!(
            row.success_rate.value,
            cli["success_rate"].as_f64().unwrap(),
            "{name}"
        );
    }
}

#[test]
fn triage_figures_equal_ztgym_eval_to_its_six_decimals() {
    let names = ["always-allow", "random", "rule-based"];
    let r = arena("triage", "L1", names.iter().map(|n| builtin(n)).collect());
    assert!(r.scored);
    for name in names {
        let cli = cli_eval("triage", &["--task", "L1", "--agent", name]);
        let row = row(&r, name);
        let score = row.mean_score.unwrap().value;
        assert_eq!(
            r6(row.mean_return.value),
            cli["mean_return"].as_f64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r6(row.mean_cost.value),
            cli["mean_cost"].as_f64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r6(row.success_rate.value),
            cli["pass_rate"].as_f64().unwrap(),
            "{name}"
        );
        assert_eq!(r6(score), cli["mean_score"].as_f64().unwrap(), "{name}");
    }
}

#[test]
fn a_policy_of_another_environment_or_malformed_is_refused_briefly() {
    let sre_policy = crate::envs::sre::bundled_policies::find("classic-q")
        .unwrap()
        .1;
    let request = |env: &str, scenario: &str, text: &str| ArenaRequest {
        env: env.into(),
        scenario: scenario.into(),
        agents: vec![
            builtin("random"),
            AgentSpec::Policy {
                label: "<b>x</b>.json".into(),
                text: text.into(),
            },
        ],
        seeds: vec![0, 1],
    };
    for (env, scenario, text) in [
        ("triage", "L1", sre_policy),
        ("harden", "seed001", sre_policy),
        ("sre", "classic", "{not json"),
        ("sre", "enterprise", sre_policy),
    ] {
        let e = start(&arenas(), &request(env, scenario, text))
            .err()
            .unwrap();
        assert!(e.starts_with("<b>x</b>.json: "), "{env}: {e}");
        assert!(
            e.len() < 400 && !e.contains('\n'),
            "{env}: {} chars: {e}",
            e.len()
        );
    }
    let mut r = request("mars", "x", sre_policy);
    assert!(start(&arenas(), &r).err().unwrap().contains("not \"mars\""));
    r.env = "sre".into();
    r.scenario = "classic".into();
    r.agents.truncate(1);
    assert!(start(&arenas(), &r).err().unwrap().contains("at least two"));
    r.agents = vec![builtin("random"); 7];
    assert!(start(&arenas(), &r).err().unwrap().contains("at most 6"));
    r.agents.truncate(2);
    r.seeds = (0..201).collect();
    assert!(start(&arenas(), &r).err().unwrap().contains("1 to 200"));
    r.seeds = vec![1];
    r.agents[1] = builtin("nobody");
    assert!(start(&arenas(), &r).err().unwrap().starts_with("nobody: "));
}
