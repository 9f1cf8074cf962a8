//! The SRE gym's answers to the command line's `eval`, `run`, `train`, `bench`, `pairs` and
//! `scenarios` (the CLI parses the options, writes the files and prints).

use crate::cve::{import_feed, CveCatalog};
use crate::eval::{alerts_ndjson, evaluate_report, run_episode, EpisodeLog, EvalReport};
use crate::gate::{BuiltinGate, Gate, Proposal};
use crate::judge::OfflineJudge;
use crate::learn::{Executor, TrainConfig, Trainer};
use crate::{builtin_agent, Agent, Env, Level, Policy, PolicyAgent, ResetOptions, Scenario};
use serde_json::json;
use std::time::Instant;
use ztgym_core::command::pairs::PairsRequest;
use ztgym_core::command::{
    self, apply_sets, episodes_to_train, inputs, read, required, safe, Args, Options, Reply,
    MAX_BENCH_STEPS, MAX_EPISODES,
};
use ztgym_core::fileio::Kind;
use ztgym_core::trajectory::Header;

/// Reads `--gate FILE.rego` into a gate judging the SRE gym's rules (the Rego engine lives
/// outside this crate; the facade passes it in).
pub type RegoGateLoader = fn(path: &str) -> Result<Box<dyn Gate<Proposal>>, String>;

/// `--gate FILE.rego`: read with the `rego` feature's engine, else refused.
#[cfg(feature = "rego")]
pub const REGO_GATE: Option<RegoGateLoader> = Some(crate::rego_gate::load);
/// `--gate FILE.rego`: read with the `rego` feature's engine, else refused.
#[cfg(not(feature = "rego"))]
pub const REGO_GATE: Option<RegoGateLoader> = None;

/// The options each command takes.
pub fn options(command: &str) -> Option<Options> {
    let (valued, switches): (&'static [&'static str], &'static [&'static str]) = match command {
        "eval" => (
            &[
                "scenario", "agent", "policy", "episodes", "seed", "level", "cve-feed", "gate",
            ],
            &["json", "curriculum"],
        ),
        "run" => (
            &[
                "scenario",
                "agent",
                "policy",
                "seed",
                "level",
                "trajectory",
                "alerts",
                "cve-feed",
                "gate",
            ],
            &["json"],
        ),
        "train" => (
            &[
                "scenario", "agent", "episodes", "seed", "level", "out", "set",
            ],
            &["json"],
        ),
        "bench" => (&["scenario", "agent", "steps", "level", "seed"], &["json"]),
        "scenarios" => (&[], &["json"]),
        _ => return None,
    };
    Some(Options { valued, switches })
}

/// Answers `command` (its options listed by [`options`]).
pub fn answer(
    command: &str,
    args: &Args,
    rego_gate: Option<RegoGateLoader>,
) -> Result<Reply, String> {
    match command {
        "eval" => eval(args, rego_gate),
        "run" => run(args, rego_gate),
        "train" => train(args),
        "bench" => bench(args),
        "scenarios" => scenarios(),
        other => Err(ztgym_core::spec::not_available(other, "sre")),
    }
}

pub use crate::scenario_arg::{is_scenario_file, load_scenario};

fn level(command: &str, args: &Args) -> Result<Option<Level>, String> {
    args.get("level")
        .map(|l| {
            Level::parse(l).ok_or_else(|| {
                let known: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
                format!(
                    "{command}: --level {l:?} is not a level (known: {})",
                    known.join(", ")
                )
            })
        })
        .transpose()
}

fn environment(
    scenario: Scenario,
    args: &Args,
    rego_gate: Option<RegoGateLoader>,
) -> Result<Env, String> {
    // `--gate FILE.rego`: the SRE gym's rules as a Rego policy instead of the built-in gate.
    let gate: Box<dyn Gate<Proposal>> = match (args.get("gate"), rego_gate) {
        (None, _) => Box::new(BuiltinGate),
        (Some(path), Some(load)) => load(path)?,
        (Some(_), None) => return Err("--gate: this build has no Rego engine".into()),
    };
    match args.get("cve-feed") {
        None => Env::with_parts(
            scenario,
            CveCatalog::builtin(),
            Box::new(OfflineJudge),
            gate,
        ),
        Some(path) => {
            let text = read(path, Kind::Feed)?;
            let imported =
                import_feed(path, &text).map_err(|e| safe(&e.to_string()).into_owned())?;
            Env::with_parts(scenario, &imported.catalog, Box::new(OfflineJudge), gate)
        }
    }
}

/// `eval`.
fn eval(args: &Args, rego_gate: Option<RegoGateLoader>) -> Result<Reply, String> {
    let (scenario, mut agent) = scenario_and_agent("eval", args)?;
    let episodes = args.count("eval", "episodes", 200, MAX_EPISODES)?;
    let seed: u64 = args.number("eval", "seed", 0)?;
    let options = ResetOptions {
        level: level("eval", args)?,
        curriculum: args.has("curriculum"),
    };
    let mut env = environment(scenario, args, rego_gate)?;
    let report = evaluate_report(&mut env, agent.as_mut(), episodes, seed, &options);
    let value = serde_json::to_value(&report).map_err(|e| e.to_string())?;
    let human = human_report(&safe(env.scenario().name()), agent.name(), &report);
    Ok(Reply::new(value, human))
}

fn human_report(scenario: &str, agent: &str, r: &EvalReport) -> String {
    format!(
        "{agent} on {scenario}, {} episodes\n  mean return  {:>8.2} (std {:.2})\n  success      {:>8.3}\n  compliance   {:>8.3}\n  violations   {:>8.3}\n  mean cost    {:>8.3}\n  mean steps   {:>8.2}\n  mean uptime  {:>8.1}",
        r.episodes,
        r.mean_return,
        r.std_return,
        r.success_rate,
        r.compliance_rate,
        r.violation_rate,
        r.mean_cost,
        r.mean_steps,
        r.mean_uptime
    )
}

/// `run`.
fn run(args: &Args, rego_gate: Option<RegoGateLoader>) -> Result<Reply, String> {
    let path = required("run", args, "trajectory")?;
    let mut files = inputs(args, is_scenario_file);
    files.output("--trajectory", path);
    if let Some(alerts) = args.get("alerts") {
        files.output("--alerts", alerts);
    }
    files.check().map_err(|e| format!("run: {e}"))?;
    let (scenario, mut agent) = scenario_and_agent("run", args)?;
    let seed: u64 = args.number("run", "seed", 0)?;
    let options = ResetOptions {
        level: level("run", args)?,
        curriculum: false,
    };
    let mut env = environment(scenario, args, rego_gate)?;
    let mut log = EpisodeLog::default();
    let summary = run_episode(
        &mut env,
        agent.as_mut(),
        seed,
        &options,
        |obs, action, step| log.push(obs, action, step),
    );
    let value = json!({
        "trajectory": path,
        "steps": summary.steps,
        "return": summary.episode_return,
        "cost": summary.cost,
        "outcome": summary.outcome,
        "uptime": summary.uptime,
    });
    let human = format!(
        "{} steps, return {:.2}, cost {}, outcome {}; trajectory written to {}",
        summary.steps,
        summary.episode_return,
        summary.cost,
        summary.outcome.as_str(),
        safe(path)
    );
    let header = Header::new("sre", env.scenario().name(), &options, seed, agent.name())
        .with_inputs(&command::shaping_inputs(args, is_scenario_file));
    let mut reply = Reply::new(value, human).write(path, log.trajectory_file(&header));
    if let Some(alerts_path) = args.get("alerts") {
        reply = reply.write(alerts_path, alerts_ndjson(env.alerts()));
    }
    Ok(reply)
}

/// `bench`.
fn bench(args: &Args) -> Result<Reply, String> {
    let scenario = load_scenario(required("bench", args, "scenario")?)?;
    let mut agent = builtin_agent(required("bench", args, "agent")?, &scenario)?;
    let target = args.count("bench", "steps", 1_000_000, MAX_BENCH_STEPS)?;
    let seed: u64 = args.number("bench", "seed", 0)?;
    let options = ResetOptions {
        level: level("bench", args)?,
        curriculum: false,
    };
    let mut env = Env::new(scenario);
    let mut steps = 0u64;
    let mut episodes = 0u64;
    let start = Instant::now();
    while steps < target {
        let summary = run_episode(
            &mut env,
            agent.as_mut(),
            seed.wrapping_add(episodes),
            &options,
            |_, _, _| {},
        );
        steps += u64::from(summary.steps.max(1));
        episodes += 1;
    }
    let seconds = start.elapsed().as_secs_f64();
    let played = json!({"scenario": env.scenario().name(), "agent": agent.name()});
    Ok(command::bench_reply(played, steps, episodes, seconds))
}

/// `scenarios`: the built-in scenarios with their size and default level.
fn scenarios() -> Result<Reply, String> {
    let mut list = Vec::new();
    for name in Scenario::builtin_names() {
        let s = Scenario::builtin(name).map_err(|e| e.to_string())?;
        list.push(json!({
            "name": name,
            "title": s.file.scenario.title,
            "services": s.services().len(),
            "protected": s.services().iter().filter(|x| x.protected).count(),
            "default_level": s.file.scenario.default_level,
        }));
    }
    let human = list
        .iter()
        .map(|s| {
            format!(
                "{:<12} {:>2} services  {}",
                safe(s["name"].as_str().unwrap_or("")),
                s["services"],
                safe(s["title"].as_str().unwrap_or(""))
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Reply::new(json!({ "scenarios": list }), human))
}

/// Training episodes run between checks of the clock-free loop (keeps `Trainer::run` calls
/// cheap without changing the result: chunking never changes what is learned).
const CHUNK: u64 = 1000;

/// `train`: trains a learner; the reply writes its policy file.
fn train(args: &Args) -> Result<Reply, String> {
    let out = required("train", args, "out")?;
    let mut files = inputs(args, is_scenario_file);
    files.output("--out", out);
    files.check().map_err(|e| format!("train: {e}"))?;
    let scenario = load_scenario(required("train", args, "scenario")?)?;
    let kind = command::learner(required("train", args, "agent")?)?;
    let mut config = TrainConfig::new(kind);
    config.episodes = episodes_to_train(args, TrainConfig::DEFAULT_EPISODES)?;
    config.seed = args.number("train", "seed", 0)?;
    config.level = level("train", args)?;
    apply_sets(args, &mut config.hyperparameters)?;
    let mut trainer = Trainer::new(scenario, config).map_err(|e| format!("train: {e}"))?;
    let start = Instant::now();
    while !trainer.is_finished() {
        trainer.run(CHUNK);
    }
    let seconds = start.elapsed().as_secs_f64();
    let policy = Policy::from_trainer(&trainer);
    let episodes = trainer.state().episodes_done;
    let metrics = trainer.metrics();
    let value = json!({
        "scenario": policy.scenario,
        "agent": kind.as_str(),
        "algorithm": kind.algorithm(),
        "episodes": episodes,
        "seed": policy.training.seed,
        "level": policy.training.level,
        "out": out,
        "final_metrics": metrics,
        "seconds": seconds,
        "episodes_per_second": episodes as f64 / seconds.max(1e-9),
    });
    let human = format!(
        "{} on {}: {episodes} episodes in {seconds:.2} s ({:.0}/s); last {} episodes: \
         mean return {:.2}, compliance {:.3}, success {:.3}{}\npolicy written to {}",
        kind.as_str(),
        safe(&policy.scenario),
        episodes as f64 / seconds.max(1e-9),
        metrics.window,
        metrics.mean_return,
        metrics.compliance_rate,
        metrics.success_rate,
        metrics
            .lambda
            .map(|l| format!(", lambda {l:.3}"))
            .unwrap_or_default(),
        safe(out)
    );
    Ok(Reply::new(value, human).write(out, policy.to_json()))
}

/// The scenario and agent of a command that takes `--agent A` or `--policy FILE`. With a
/// policy, `--scenario` defaults to the policy's, which must then be a built-in scenario (a
/// policy file's text never names a file to open: a policy trained on a scenario file plays
/// with `--scenario FILE`); a policy for another scenario is refused.
fn scenario_and_agent(
    command: &str,
    args: &Args,
) -> Result<(Scenario, Box<dyn Agent<Env>>), String> {
    match (args.get("agent"), args.get("policy")) {
        (Some(_), Some(_)) => Err(format!("{command}: give --agent or --policy, not both")),
        (None, None) => Err(format!("{command}: --agent or --policy is required")),
        (Some(name), None) => {
            let scenario = load_scenario(required(command, args, "scenario")?)?;
            let agent = builtin_agent(name, &scenario)?;
            Ok((scenario, agent))
        }
        (None, Some(path)) => {
            let text = read(path, Kind::Policy)?;
            let refused = |e: crate::PolicyError| safe(&e.to_string()).into_owned();
            let (scenario, policy) = match args.get("scenario") {
                Some(spec) => {
                    let scenario = load_scenario(spec)?;
                    let policy =
                        Policy::parse(path, &text, Some(scenario.name())).map_err(refused)?;
                    (scenario, policy)
                }
                None => {
                    let policy = Policy::parse(path, &text, None).map_err(refused)?;
                    let scenario = Scenario::builtin(&policy.scenario).map_err(|_| {
                        format!(
                            "{command}: {}: the policy was trained on scenario {:?}, which is not \
                             built in; give its scenario file with --scenario FILE",
                            safe(path),
                            ztgym_core::text::shorten(&policy.scenario, 80)
                        )
                    })?;
                    (scenario, policy)
                }
            };
            let agent = PolicyAgent::new(&policy, &scenario)?;
            Ok((scenario, Box::new(agent)))
        }
    }
}

/// `pairs`: preference pairs from episodes of `--scenario`.
pub fn pairs(request: &PairsRequest) -> Result<Reply, String> {
    let args = request.args;
    let word = match (args.get("task"), args.get("scenario")) {
        (Some(t), Some(s)) => {
            return Err(format!(
                "pairs: --task {} and --scenario {} name the same thing; give one of them",
                ztgym_core::text::shorten(t, 80),
                ztgym_core::text::shorten(s, 80)
            ))
        }
        (t, s) => t.or(s),
    };
    let s = load_scenario(word.ok_or("pairs: --scenario is required")?)?;
    let mut agent = builtin_agent(request.agent, &s)?;
    let list = ztgym_core::pairs::collect::<Executor>(
        &s,
        agent.as_mut(),
        request.episodes,
        request.seed,
        &ResetOptions::default(),
        request.config,
    );
    Ok(command::pairs::reply(request, "sre", s.name(), &list))
}
