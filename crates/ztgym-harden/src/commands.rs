//! The hardening loop's answers to the command line's `eval`, `run`, `train`, `bench` and
//! `scenarios` (the CLI parses the options, writes the files and prints).

use crate::adapter::{
    for_scenario, ActionSetOf, ControlAdapter, HardenAdapter, PipelineAdapter, PodAdapter,
    TenantAdapter, WafAdapter,
};
use crate::agents;
use crate::metrics::{audit_records, Collector};
use crate::{HardenEnv, Options, Scenario, Stage};
use serde_json::json;
use std::time::Instant;
use ztgym_core::command::{
    self, apply_sets, episodes_to_train, read, required, Args, Reply, MAX_BENCH_STEPS, MAX_EPISODES,
};
use ztgym_core::eval::{episode_seed, play_episode};
use ztgym_core::learn::{Kind, TrainConfig, Trainer};
use ztgym_core::policy::{Policy as PolicyFile, PolicyAgent};
use ztgym_core::trajectory::{Header, StepLine};
use ztgym_core::{Agent, Environment};

/// The options each command takes.
pub fn options(command: &str) -> Option<command::Options> {
    let (valued, switches): (&'static [&'static str], &'static [&'static str]) = match command {
        "eval" => (
            &[
                "scenario", "agent", "policy", "seed", "level", "gate", "episodes",
            ],
            &["json", "recommend-only"],
        ),
        "run" => (
            &[
                "scenario",
                "agent",
                "policy",
                "seed",
                "level",
                "gate",
                "trajectory",
                "audit",
            ],
            &["json", "recommend-only"],
        ),
        "train" => (
            &[
                "scenario", "agent", "policy", "seed", "level", "gate", "episodes", "out", "set",
            ],
            &["json"],
        ),
        "bench" => (
            &[
                "scenario", "agent", "policy", "seed", "level", "gate", "steps",
            ],
            &["json", "recommend-only"],
        ),
        "scenarios" => (&[], &["json"]),
        _ => return None,
    };
    Some(command::Options { valued, switches })
}

/// Answers `command` (its options listed by [`options`]).
pub fn answer(command: &str, args: &Args) -> Result<Reply, String> {
    match command {
        "eval" => eval(args),
        "run" => run(args),
        "train" => train(args),
        "bench" => bench(args),
        other => Err(ztgym_core::spec::not_available(other, "harden")),
    }
}

/// The scenario (built-in name or folder), judged by `--gate FILE.rego` if given.
fn scenario(command: &str, args: &Args) -> Result<Scenario, String> {
    // The file's text may be quoted (a TOML error shows its line): escaped for the terminal.
    let s = Scenario::load(args.get("scenario").unwrap_or("seed001"))
        .map_err(|e| format!("{command}: {}", safe(&e.to_string())))?;
    match args.get("gate") {
        None => Ok(s),
        Some(path) => {
            let p = crate::gate::gate_policy(path, Some(s.policy.package()))
                .map_err(|e| format!("{command}: --gate {}", safe(&e)))?;
            Ok(s.with_policy(p))
        }
    }
}

/// The command's input files: the common ones and the files the scenario was read from (its
/// `scenario.toml` and its policy): no output may replace one.
fn inputs(args: &Args, scenario: &Scenario) -> ztgym_core::fileio::Outputs {
    let mut files = command::inputs(args, command::names_a_file);
    for f in &scenario.sources {
        files.input("--scenario", &f.display().to_string());
    }
    files
}

/// Text from a scenario or policy file, safe to print.
fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    command::safe(text)
}

fn stage(command: &str, args: &Args) -> Result<Stage, String> {
    match args.get("level") {
        None => Ok(Stage::Sandbox),
        Some(l) => Stage::ALL
            .into_iter()
            .find(|s| s.as_str() == l)
            .ok_or_else(|| format!("{command}: --level {l:?} is not sandbox, stage or prod")),
    }
}

fn agent(
    command: &str,
    args: &Args,
    scenario: &Scenario,
) -> Result<Box<dyn Agent<HardenEnv>>, String> {
    if let Some(path) = args.get("policy") {
        let text = read(path, ztgym_core::fileio::Kind::Policy)?;
        // A twin with workloads is played with the pod security actions too.
        return match for_scenario(scenario) {
            ActionSetOf::Seed => policy_agent::<HardenAdapter>(command, path, &text, scenario),
            ActionSetOf::Pods => policy_agent::<PodAdapter>(command, path, &text, scenario),
            ActionSetOf::Waf => policy_agent::<WafAdapter>(command, path, &text, scenario),
            ActionSetOf::Pipelines => {
                policy_agent::<PipelineAdapter>(command, path, &text, scenario)
            }
            ActionSetOf::Tenants => policy_agent::<TenantAdapter>(command, path, &text, scenario),
            ActionSetOf::Controls => policy_agent::<ControlAdapter>(command, path, &text, scenario),
        };
    }
    agents::builtin(args.get("agent").unwrap_or("random")).map_err(|e| format!("{command}: {e}"))
}

/// In recommend-only mode the agent's proposals go to a cautious reviewer (who accepts what
/// the gate allows and the twin forecasts at breakage <= 0.1 with no critical flow broken).
fn policy_agent<A>(
    command: &str,
    path: &str,
    text: &str,
    scenario: &Scenario,
) -> Result<Box<dyn Agent<HardenEnv>>, String>
where
    A: ztgym_core::learn::Adapter<Env = HardenEnv, Scenario = Scenario> + 'static,
{
    let policy = PolicyFile::<A>::parse(path, text, Some(&scenario.name))
        .map_err(|e| format!("{command}: {e}"))?;
    Ok(Box::new(
        PolicyAgent::new(&policy, scenario).map_err(|e| format!("{command}: {e}"))?,
    ))
}

fn reviewed(args: &Args, agent: Box<dyn Agent<HardenEnv>>) -> Box<dyn Agent<HardenEnv>> {
    if args.has("recommend-only") {
        Box::new(agents::Reviewer::new(agent, 0.1))
    } else {
        agent
    }
}

fn make(command: &str, scenario: Scenario) -> Result<HardenEnv, String> {
    HardenEnv::new(scenario).map_err(|e| format!("{command}: {e}"))
}

/// `eval`.
fn eval(args: &Args) -> Result<Reply, String> {
    let scenario = scenario("eval", args)?;
    let mut agent = reviewed(args, agent("eval", args, &scenario)?);
    let episodes: u64 = args.count("eval", "episodes", 50, MAX_EPISODES)?;
    let seed: u64 = args.number("eval", "seed", 0)?;
    let options = Options {
        environment: stage("eval", args)?,
        recommend_only: args.has("recommend-only"),
    };
    let mut env = make("eval", scenario)?;
    let mut collector = Collector::default();
    let (mut ret, mut cost, mut success) = (0.0, 0.0, 0u64);
    let start = Instant::now();
    for i in 0..episodes {
        play_episode(
            &mut env,
            agent.as_mut(),
            episode_seed(seed, i),
            &options,
            |_, _, step| {
                if let Some(c) = &step.info.cycle {
                    collector.add(c, step.cost);
                }
            },
        );
        let t = env.totals();
        ret += t.episode_return;
        cost += t.episode_cost;
        success += u64::from(t.success);
    }
    let seconds = start.elapsed().as_secs_f64();
    let e = collector.finish();
    let n = episodes as f64;
    let value = json!({
        "env": "harden",
        "scenario": env.scenario_name(),
        "agent": agent.name(),
        "environment": options.environment.as_str(),
        "episodes": episodes,
        "mean_return": ret / n,
        "mean_cost": cost / n,
        "success_rate": success as f64 / n,
        "evaluation": e,
    });
    let human = format!(
            "{} on {} ({}), {episodes} episodes\n  mean return       {:>8.2}\n  mean cost         {:>8.3}\n  success           {:>8.3}\n  gate pass rate    {:>8.3}\n  breakage mean/p95 {:>8.3} / {:.3}\n  reward trend      {:?}\n  actions           {:?}\n  decisions/s       {:>8.0}",
            safe(agent.name()),
            safe(env.scenario_name()),
            options.environment.as_str(),
            ret / n,
            cost / n,
            success as f64 / n,
            e.gate_pass_rate,
            e.mean_breakage_risk,
            e.p95_breakage_risk,
            e.reward_trend,
            e.action_distribution,
            e.cycles as f64 / seconds.max(1e-9),
    );
    Ok(Reply::new(value, human))
}

/// `run`.
fn run(args: &Args) -> Result<Reply, String> {
    let scenario = scenario("run", args)?;
    let mut agent = reviewed(args, agent("run", args, &scenario)?);
    let seed: u64 = args.number("run", "seed", 0)?;
    let path = required("run", args, "trajectory")?;
    let mut files = inputs(args, &scenario);
    files.output("--trajectory", path);
    if let Some(audit) = args.get("audit") {
        files.output("--audit", audit);
    }
    files.check().map_err(|e| format!("run: {e}"))?;
    let options = Options {
        environment: stage("run", args)?,
        recommend_only: args.has("recommend-only"),
    };
    let mut env = make("run", scenario)?;
    let (mut lines, mut audit, mut t) = (String::new(), String::new(), 0u32);
    play_episode(
        &mut env,
        agent.as_mut(),
        seed,
        &options,
        |_, action, step| {
            lines.push_str(&StepLine::of(u64::from(t), action, step).line());
            lines.push('\n');
            if let Some(c) = &step.info.cycle {
                for row in audit_records(u64::from(t) + 1, c) {
                    audit.push_str(&row.to_string());
                    audit.push('\n');
                }
            }
            t += 1;
        },
    );
    let shaping = command::shaping_inputs(args, command::names_a_file);
    let header = Header::new("harden", env.scenario_name(), &options, seed, agent.name())
        .with_inputs(&shaping);
    let lines = format!("{}\n{lines}", header.line());
    let totals = env.totals();
    let value = json!({
        "env": "harden", "scenario": env.scenario_name(), "agent": agent.name(), "seed": seed,
        "steps": totals.steps, "return": totals.episode_return, "cost": totals.episode_cost,
        "success": totals.success, "final_risk": env.twin().risk(), "trajectory": path,
    });
    let human = format!(
        "{} on {}: {} cycles, return {:.2}, cost {}, final risk {:.1}; wrote {}",
        safe(agent.name()),
        safe(env.scenario_name()),
        totals.steps,
        totals.episode_return,
        totals.episode_cost,
        env.twin().risk(),
        safe(path)
    );
    let mut reply = Reply::new(value, human).write(path, lines);
    if let Some(a) = args.get("audit") {
        reply = reply.write(a, audit);
    }
    Ok(reply)
}

/// `train`.
fn train(args: &Args) -> Result<Reply, String> {
    let scenario = scenario("train", args)?;
    let name = required("train", args, "agent")?;
    let kind = Kind::parse(name)
        .ok_or_else(|| format!("train: --agent {name:?} is not q, q-lagrangian or bandit"))?;
    let out = required("train", args, "out")?;
    let mut files = inputs(args, &scenario);
    files.output("--out", out);
    files.check().map_err(|e| format!("train: {e}"))?;
    let mut config = TrainConfig::new(kind);
    config.episodes = episodes_to_train(args, 500)?;
    config.seed = args.number("train", "seed", 0)?;
    config.level = Some(stage("train", args)?);
    apply_sets(args, &mut config.hyperparameters)?;
    let start = Instant::now();
    let (text, policy_scenario, m) = match for_scenario(&scenario) {
        ActionSetOf::Seed => trained::<HardenAdapter>(scenario, config)?,
        ActionSetOf::Pods => trained::<PodAdapter>(scenario, config)?,
        ActionSetOf::Waf => trained::<WafAdapter>(scenario, config)?,
        ActionSetOf::Pipelines => trained::<PipelineAdapter>(scenario, config)?,
        ActionSetOf::Tenants => trained::<TenantAdapter>(scenario, config)?,
        ActionSetOf::Controls => trained::<ControlAdapter>(scenario, config)?,
    };
    let seconds = start.elapsed().as_secs_f64();
    let value = json!({
        "env": "harden", "scenario": policy_scenario, "agent": kind.as_str(),
        "episodes": m.episodes, "metrics": m, "seconds": seconds, "out": out,
    });
    let human = format!(
            "trained {} on {} for {} episodes in {seconds:.1} s: mean return {:.2}, mean cost {:.3}; wrote {}",
            kind.as_str(),
            safe(&policy_scenario),
            m.episodes,
            m.mean_return,
            m.mean_cost,
            safe(out)
    );
    Ok(Reply::new(value, human).write(out, text))
}

/// Trains to the end: the policy file's text, its scenario, the metrics.
fn trained<A>(
    scenario: Scenario,
    config: TrainConfig<Stage>,
) -> Result<(String, String, ztgym_core::learn::TrainingMetrics), String>
where
    A: ztgym_core::learn::Adapter<Env = HardenEnv, Scenario = Scenario, Level = Stage>,
{
    let mut trainer = Trainer::<A>::new(scenario, config).map_err(|e| format!("train: {e}"))?;
    while !trainer.is_finished() {
        trainer.run(50);
    }
    let policy = PolicyFile::from_trainer(&trainer);
    Ok((policy.to_json(), policy.scenario.clone(), trainer.metrics()))
}

/// `bench`.
fn bench(args: &Args) -> Result<Reply, String> {
    let scenario = scenario("bench", args)?;
    let mut agent = reviewed(args, agent("bench", args, &scenario)?);
    let steps: u64 = args.count("bench", "steps", 20_000, MAX_BENCH_STEPS)?;
    let options = Options {
        environment: stage("bench", args)?,
        recommend_only: args.has("recommend-only"),
    };
    let mut env = make("bench", scenario)?;
    let start = Instant::now();
    let (mut done, mut episode) = (0u64, 0u64);
    while done < steps {
        let (mut obs, mut info) = env.reset(episode, options.clone());
        agent.reset(episode);
        loop {
            let a = agent.act(&obs, &info);
            let Ok(step) = env.step(&a) else { break };
            done += 1;
            if step.done() || done >= steps {
                break;
            }
            obs = step.observation;
            info = step.info;
        }
        episode += 1;
    }
    let seconds = start.elapsed().as_secs_f64();
    let rate = done as f64 / seconds.max(1e-9);
    let value = json!({
        "env": "harden", "scenario": env.scenario_name(), "agent": agent.name(),
        "cycles": done, "seconds": seconds, "cycles_per_sec": rate,
        "gate_evaluations_per_cycle": 1 + 7,
    });
    let human = format!(
            "{} on {}: {done} cycles in {seconds:.3} s = {rate:.0} cycles/s (each: the proposal and the 7 candidates judged by the Rego gate)",
            safe(agent.name()),
            safe(env.scenario_name())
    );
    Ok(Reply::new(value, human))
}
