//! Message triage's answers to the command line's `eval`, `run`, `train`, `bench` and `pairs`
//! (the CLI parses the options, writes the files and prints).

use crate::eval::evaluate;
use crate::{builtin_agent, Env, ResetOptions, TaskId, Triage};
use serde_json::json;
use std::time::Instant;
use ztgym_core::command::pairs::PairsRequest;
use ztgym_core::command::{
    self, apply_sets, episodes_to_train, inputs, read, required, Args, Options, Reply,
    MAX_BENCH_STEPS, MAX_EPISODES,
};
use ztgym_core::eval::{episode_seed, play_episode};
use ztgym_core::learn::{TrainConfig, Trainer};
use ztgym_core::policy::{Policy, PolicyAgent};
use ztgym_core::trajectory;
use ztgym_core::{Agent, Environment};

/// The options each command takes.
pub fn options(command: &str) -> Option<Options> {
    let valued: &'static [&'static str] = match command {
        "eval" => &["task", "scenario", "agent", "policy", "episodes", "seed"],
        "run" => &["task", "scenario", "agent", "policy", "seed", "trajectory"],
        "train" => &[
            "task", "scenario", "agent", "episodes", "seed", "out", "set",
        ],
        "bench" => &["task", "scenario", "agent", "steps", "seed"],
        "scenarios" => &[],
        _ => return None,
    };
    Some(Options {
        valued,
        switches: &["json"],
    })
}

/// Answers `command` (its options listed by [`options`]).
pub fn answer(command: &str, args: &Args) -> Result<Reply, String> {
    match command {
        "eval" => eval(args),
        "run" => run(args),
        "train" => train(args),
        "bench" => bench(args),
        other => Err(ztgym_core::spec::not_available(other, "triage")),
    }
}

/// What `--task` names, or `--scenario`, its other spelling: one of them, never both (two
/// names, equal or not, would leave one silently unused).
fn task_word<'a>(command: &str, args: &'a Args) -> Result<Option<&'a str>, String> {
    match (args.get("task"), args.get("scenario")) {
        (Some(t), Some(s)) => Err(format!(
            "{command}: --task {} and --scenario {} name the same thing; give one of them",
            ztgym_core::text::shorten(t, 80),
            ztgym_core::text::shorten(s, 80)
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
            let text = read(path, ztgym_core::fileio::Kind::Policy)?;
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

/// `eval`.
fn eval(args: &Args) -> Result<Reply, String> {
    let (t, mut agent) = task_and_agent("eval", args)?;
    let episodes: u64 = args.count("eval", "episodes", 200, MAX_EPISODES)?;
    let seed: u64 = args.number("eval", "seed", 0)?;
    let r = evaluate(t, agent.as_mut(), episodes, seed);
    let value = serde_json::to_value(&r).map_err(|e| e.to_string())?;
    let human = format!(
        "{} on {} ({}), {} episodes\n  mean score     {:>8.3} ({}, threshold {:.2})\n  pass rate      {:>8.3}\n  mean return    {:>8.2}\n  mean cost      {:>8.2} (legitimate messages blocked)\n  detection      {:>8.3}\n  false positive {:>8.3}",
        r.agent, r.task, r.task_name, r.episodes, r.mean_score, r.letter, r.threshold,
        r.pass_rate, r.mean_return, r.mean_cost, r.detection_rate, r.false_positive_rate
    );
    Ok(Reply::new(value, human))
}

/// `run`.
fn run(args: &Args) -> Result<Reply, String> {
    let (t, mut agent) = task_and_agent("run", args)?;
    let seed: u64 = args.number("run", "seed", 0)?;
    let path = required("run", args, "trajectory")?;
    let mut files = inputs(args, command::names_a_file);
    files.output("--trajectory", path);
    files.check().map_err(|e| format!("run: {e}"))?;
    let mut env = Env::new(t);
    let shaping = command::shaping_inputs(args, command::names_a_file);
    let text = trajectory::record(
        "triage",
        &mut env,
        agent.as_mut(),
        seed,
        &ResetOptions::default(),
        &shaping,
    );
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
    let human = format!(
        "{} steps, return {:.2}, cost {}, score {:.3} ({}); trajectory written to {path}",
        totals.steps, totals.episode_return, totals.episode_cost, grade.score, grade.letter
    );
    Ok(Reply::new(value, human).write(path, text))
}

/// `train`.
fn train(args: &Args) -> Result<Reply, String> {
    let t = task("train", args)?;
    let kind = command::learner(required("train", args, "agent")?)?;
    let out = required("train", args, "out")?;
    let mut files = inputs(args, command::names_a_file);
    files.output("--out", out);
    files.check().map_err(|e| format!("train: {e}"))?;
    let mut config = TrainConfig::<TaskId>::new(kind);
    config.episodes = episodes_to_train(args, TrainConfig::<TaskId>::DEFAULT_EPISODES)?;
    config.seed = args.number("train", "seed", 0)?;
    apply_sets(args, &mut config.hyperparameters)?;
    let mut trainer = Trainer::<Triage>::new(t, config).map_err(|e| format!("train: {e}"))?;
    let start = Instant::now();
    while !trainer.is_finished() {
        trainer.run(1000);
    }
    let seconds = start.elapsed().as_secs_f64();
    let policy = Policy::from_trainer(&trainer);
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
    let human = format!(
        "{} on {}: {episodes} episodes in {seconds:.2} s; last {} episodes: mean return {:.2}, \
         mean cost {:.2}, pass {:.3}\npolicy written to {out}",
        kind.as_str(),
        t.as_str(),
        metrics.window,
        metrics.mean_return,
        metrics.mean_cost,
        metrics.success_rate
    );
    Ok(Reply::new(value, human).write(out, policy.to_json()))
}

/// `bench`.
fn bench(args: &Args) -> Result<Reply, String> {
    let t = task("bench", args)?;
    let name = required("bench", args, "agent")?;
    let mut agent = builtin_agent(name).map_err(|e| format!("bench: {e}"))?;
    let target: u64 = args.count("bench", "steps", 1_000_000, MAX_BENCH_STEPS)?;
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
    let played = json!({"env": "triage", "task": t.as_str(), "agent": agent.name()});
    Ok(command::bench_reply(played, steps, episodes, seconds))
}

/// `pairs`: preference pairs from episodes of `--task`.
pub fn pairs(request: &PairsRequest) -> Result<Reply, String> {
    let t = task("pairs", request.args)?;
    let mut agent = builtin_agent(request.agent).map_err(|e| format!("pairs: {e}"))?;
    let list = ztgym_core::pairs::collect::<Triage>(
        &t,
        agent.as_mut(),
        request.episodes,
        request.seed,
        &ResetOptions::default(),
        request.config,
    );
    Ok(command::pairs::reply(request, "triage", t.as_str(), &list))
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
