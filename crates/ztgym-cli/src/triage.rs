//! The commands with `--env triage` (message triage, seed 003): `eval`, `run`, `train`,
//! `bench`; and `pairs` for every environment with a learners' adapter (`triage`, `sre`).

use crate::args::Args;
use serde_json::json;
use std::time::Instant;
use ztgym::core::eval::{episode_seed, play_episode, trajectory_jsonl};
use ztgym::core::learn::{Kind, TrainConfig, Trainer};
use ztgym::core::pairs::{self, PairConfig};
use ztgym::core::policy::{Policy, PolicyAgent};
use ztgym::core::{Agent, Environment};
use ztgym::triage::eval::evaluate;
use ztgym::triage::{builtin_agent, Env, ResetOptions, TaskId, Triage};

/// The usage lines of the triage commands (shown in `ztgym help`).
pub const USAGE: &str = "\
  ztgym eval --env triage --task T --agent A|--policy FILE [--episodes N] [--seed S] [--json]
  ztgym run --env triage --task T --agent A|--policy FILE [--seed S] --trajectory FILE [--json]
  ztgym train --env triage --task T --agent q|q-lagrangian|bandit --out FILE [--episodes N] [--seed S] [--set name=value,...] [--json]
  ztgym bench --env triage --task T --agent A [--steps N] [--seed S] [--json]
  ztgym pairs --env triage|sre --task T|--scenario S --agent A [--episodes N] [--seed S] [--cost-weight X] [--min-margin X] --out FILE [--json]
(triage: T is L1, L2, L3 or basic_security, trust_management, adversarial_drift; A is always-allow,
always-block, random or rule-based)";

/// Runs a triage command; `None` when `command` has no triage form.
pub fn dispatch(command: &str, words: &[String]) -> Option<Result<(), String>> {
    Some(match command {
        "eval" => eval(words),
        "run" => run(words),
        "train" => train(words),
        "bench" => bench(words),
        _ => return None,
    })
}

/// What `--task` names, or `--scenario`, its other spelling: one of them, never both (two
/// names, equal or not, would leave one silently unused).
fn task_word<'a>(command: &str, args: &'a Args) -> Result<Option<&'a str>, String> {
    match (args.get("task"), args.get("scenario")) {
        (Some(t), Some(s)) => Err(format!(
            "{command}: --task {} and --scenario {} name the same thing; give one of them",
            ztgym::core::text::shorten(t, 80),
            ztgym::core::text::shorten(s, 80)
        )),
        (t, s) => Ok(t.or(s)),
    }
}

fn task(command: &str, args: &Args) -> Result<TaskId, String> {
    let t = task_word(command, args)?
        .ok_or_else(|| format!("{command}: --task is required (L1, L2 or L3)"))?;
    TaskId::parse(t).map_err(|e| format!("{command}: {e}"))
}

/// The task and agent of a command taking `--agent A` or `--policy FILE`.
fn task_and_agent(command: &str, args: &Args) -> Result<(TaskId, Box<dyn Agent<Env>>), String> {
    match (args.get("agent"), args.get("policy")) {
        (Some(_), Some(_)) => Err(format!("{command}: give --agent or --policy, not both")),
        (None, None) => Err(format!("{command}: --agent or --policy is required")),
        (Some(name), None) => {
            let t = task(command, args)?;
            Ok((
                t,
                builtin_agent(name).map_err(|e| format!("{command}: {e}"))?,
            ))
        }
        (None, Some(path)) => {
            let text = crate::read(path, ztgym::core::fileio::Kind::Policy)?;
            let given = task_word(command, args)?;
            let given = given.map(TaskId::parse).transpose()?;
            let policy = Policy::<Triage>::parse(path, &text, given.map(|t| t.as_str()))
                .map_err(|e| e.to_string())?;
            let t = TaskId::parse(&policy.scenario)?;
            let agent = PolicyAgent::<Triage>::new(&policy, &t)?;
            Ok((t, Box::new(agent)))
        }
    }
}

fn eval(words: &[String]) -> Result<(), String> {
    let args = Args::parse(
        "eval",
        words,
        &["task", "scenario", "agent", "policy", "episodes", "seed"],
        &["json"],
    )?;
    let (t, mut agent) = task_and_agent("eval", &args)?;
    let episodes: u64 = args.count("eval", "episodes", 200, crate::MAX_EPISODES)?;
    let seed: u64 = args.number("eval", "seed", 0)?;
    let r = evaluate(t, agent.as_mut(), episodes, seed);
    let value = serde_json::to_value(&r).map_err(|e| e.to_string())?;
    crate::print(args.has("json"), &value, || {
        format!(
            "{} on {} ({}), {} episodes\n  mean score     {:>8.3} ({}, threshold {:.2})\n  pass rate      {:>8.3}\n  mean return    {:>8.2}\n  mean cost      {:>8.2} (legitimate messages blocked)\n  detection      {:>8.3}\n  false positive {:>8.3}",
            r.agent, r.task, r.task_name, r.episodes, r.mean_score, r.letter, r.threshold,
            r.pass_rate, r.mean_return, r.mean_cost, r.detection_rate, r.false_positive_rate
        )
    })?;
    Ok(())
}

fn run(words: &[String]) -> Result<(), String> {
    let args = Args::parse(
        "run",
        words,
        &["task", "scenario", "agent", "policy", "seed", "trajectory"],
        &["json"],
    )?;
    let (t, mut agent) = task_and_agent("run", &args)?;
    let seed: u64 = args.number("run", "seed", 0)?;
    let path = crate::required("run", &args, "trajectory")?;
    let mut files = crate::inputs(&args);
    files.output("--trajectory", path);
    files.check().map_err(|e| format!("run: {e}"))?;
    let mut env = Env::new(t);
    let text = trajectory_jsonl(&mut env, agent.as_mut(), seed, &ResetOptions::default());
    crate::write(path, &text)?;
    let grade = env.grade();
    let totals = env.totals();
    let value = json!({
        "trajectory": path,
        "task": t.as_str(),
        "steps": totals.steps,
        "return": totals.episode_return,
        "cost": totals.episode_cost,
        "grade": grade,
    });
    crate::print(args.has("json"), &value, || {
        format!(
            "{} steps, return {:.2}, cost {}, score {:.3} ({}); trajectory written to {path}",
            totals.steps, totals.episode_return, totals.episode_cost, grade.score, grade.letter
        )
    })?;
    Ok(())
}

fn train(words: &[String]) -> Result<(), String> {
    let args = Args::parse(
        "train",
        words,
        &[
            "task", "scenario", "agent", "episodes", "seed", "out", "set",
        ],
        &["json"],
    )?;
    let t = task("train", &args)?;
    let name = crate::required("train", &args, "agent")?;
    let kind = Kind::parse(name).ok_or_else(|| {
        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        format!(
            "train: --agent {name:?} is not a learner (known: {})",
            known.join(", ")
        )
    })?;
    let out = crate::required("train", &args, "out")?;
    let mut files = crate::inputs(&args);
    files.output("--out", out);
    files.check().map_err(|e| format!("train: {e}"))?;
    let mut config = TrainConfig::<TaskId>::new(kind);
    config.episodes =
        crate::learned::episodes_to_train(&args, TrainConfig::<TaskId>::DEFAULT_EPISODES)?;
    config.seed = args.number("train", "seed", 0)?;
    crate::learned::apply_sets(&args, &mut config.hyperparameters)?;
    let mut trainer = Trainer::<Triage>::new(t, config).map_err(|e| format!("train: {e}"))?;
    let start = Instant::now();
    while !trainer.is_finished() {
        trainer.run(1000);
    }
    let seconds = start.elapsed().as_secs_f64();
    let policy = Policy::from_trainer(&trainer);
    crate::write(out, &policy.to_json())?;
    let episodes = trainer.state().episodes_done;
    let metrics = trainer.metrics();
    let value = json!({
        "env": "triage",
        "task": t.as_str(),
        "agent": kind.as_str(),
        "algorithm": kind.algorithm(),
        "episodes": episodes,
        "seed": policy.training.seed,
        "out": out,
        "final_metrics": metrics,
        "seconds": seconds,
    });
    crate::print(args.has("json"), &value, || {
        format!(
            "{} on {}: {episodes} episodes in {seconds:.2} s; last {} episodes: mean return {:.2}, \
             mean cost {:.2}, pass {:.3}\npolicy written to {out}",
            kind.as_str(),
            t.as_str(),
            metrics.window,
            metrics.mean_return,
            metrics.mean_cost,
            metrics.success_rate
        )
    })?;
    Ok(())
}

fn bench(words: &[String]) -> Result<(), String> {
    let args = Args::parse(
        "bench",
        words,
        &["task", "scenario", "agent", "steps", "seed"],
        &["json"],
    )?;
    let t = task("bench", &args)?;
    let name = crate::required("bench", &args, "agent")?;
    let mut agent = builtin_agent(name).map_err(|e| format!("bench: {e}"))?;
    let target: u64 = args.count("bench", "steps", 1_000_000, crate::MAX_BENCH_STEPS)?;
    let seed: u64 = args.number("bench", "seed", 0)?;
    let mut env = Env::new(t);
    // The catalog is built once per process, before the clock starts.
    env.reset(seed, ResetOptions::default());
    let (mut steps, mut episodes) = (0u64, 0u64);
    let start = Instant::now();
    while steps < target {
        play_episode(
            &mut env,
            agent.as_mut(),
            episode_seed(seed, episodes),
            &ResetOptions::default(),
            |_, _, _| {},
        );
        steps += u64::from(env.totals().steps.max(1));
        episodes += 1;
    }
    let seconds = start.elapsed().as_secs_f64();
    let value = json!({
        "env": "triage",
        "task": t.as_str(),
        "agent": agent.name(),
        "steps": steps,
        "episodes": episodes,
        "seconds": seconds,
        "steps_per_second": steps as f64 / seconds,
    });
    crate::print(args.has("json"), &value, || {
        format!(
            "{steps} steps ({episodes} episodes) in {seconds:.3} s: {:.0} steps/s",
            steps as f64 / seconds
        )
    })?;
    Ok(())
}

/// `ztgym pairs`: counterfactual preference pairs as JSONL.
pub fn pairs(env: &str, words: &[String]) -> Result<(), String> {
    let args = Args::parse(
        "pairs",
        words,
        &[
            "task",
            "scenario",
            "agent",
            "episodes",
            "seed",
            "out",
            "cost-weight",
            "min-margin",
        ],
        &["json"],
    )?;
    let out = crate::required("pairs", &args, "out")?;
    let mut files = crate::inputs(&args);
    files.output("--out", out);
    files.check().map_err(|e| format!("pairs: {e}"))?;
    let episodes: u64 = args.count("pairs", "episodes", 10, crate::MAX_EPISODES)?;
    let seed: u64 = args.number("pairs", "seed", 0)?;
    let float = |name: &str, default: f64| -> Result<f64, String> {
        match args.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| format!("pairs: --{name} expects a number >= 0, found {v:?}")),
        }
    };
    let config = PairConfig {
        cost_weight: float("cost-weight", PairConfig::default().cost_weight)?,
        min_margin: float("min-margin", PairConfig::default().min_margin)?,
    };
    let agent_name = crate::required("pairs", &args, "agent")?;
    let (list, scenario) = match env {
        "triage" => {
            let t = task("pairs", &args)?;
            let mut agent = builtin_agent(agent_name).map_err(|e| format!("pairs: {e}"))?;
            let p = pairs::collect::<Triage>(
                &t,
                agent.as_mut(),
                episodes,
                seed,
                &ResetOptions::default(),
                config,
            );
            (p, t.as_str().to_string())
        }
        "sre" => {
            let s = crate::load_scenario(
                task_word("pairs", &args)?.ok_or("pairs: --scenario is required")?,
            )?;
            let mut agent = ztgym::builtin_agent(agent_name, &s)?;
            let p = pairs::collect::<ztgym::learn::Executor>(
                &s,
                agent.as_mut(),
                episodes,
                seed,
                &ztgym::ResetOptions::default(),
                config,
            );
            (p, s.name().to_string())
        }
        other => return Err(format!("pairs: no preference pairs for --env {other}")),
    };
    crate::write(out, &pairs::to_jsonl(&list))?;
    let value = json!({
        "env": env,
        "scenario": scenario,
        "episodes": episodes,
        "pairs": list.len(),
        "out": out,
    });
    crate::print(args.has("json"), &value, || {
        format!(
            "{} preference pairs from {episodes} episodes of {env} {scenario} written to {out}",
            list.len()
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_read_by_id_or_seed_name_with_clear_errors() {
        let a = Args::parse(
            "eval",
            &["--task".into(), "trust_management".into()],
            &["task"],
            &[],
        )
        .unwrap();
        assert_eq!(task("eval", &a), Ok(TaskId::L2));
        let a = Args::parse("eval", &["--task".into(), "L7".into()], &["task"], &[]).unwrap();
        assert!(task("eval", &a)
            .unwrap_err()
            .starts_with("eval: task: unknown task \"L7\""));
        let _ = Environment::scenario_name(&Env::new(TaskId::L1));
        let words = |w: &str| w.split_whitespace().map(String::from).collect::<Vec<_>>();
        for both in ["--task L1 --scenario L2", "--task L1 --scenario L1"] {
            let a = Args::parse("eval", &words(both), &["task", "scenario"], &[]).unwrap();
            let e = task("eval", &a).unwrap_err();
            assert!(e.contains("name the same thing; give one of them"), "{e}");
        }
        let a = Args::parse("eval", &words("--scenario L2"), &["task", "scenario"], &[]).unwrap();
        assert_eq!(task("eval", &a), Ok(TaskId::L2));
    }
}
