//! `ztgym train`, and loading policy files for `eval --policy` and `run --policy`.

use crate::args::Args;
use serde_json::json;
use std::time::Instant;
use ztgym::learn::{Kind, TrainConfig, Trainer};
use ztgym::{Agent, Env, Policy, PolicyAgent, Scenario};

/// Training episodes run between checks of the clock-free loop (keeps `Trainer::run` calls
/// cheap without changing the result: chunking never changes what is learned).
const CHUNK: u64 = 1000;

/// `ztgym train`: trains a learner and writes its policy file.
pub fn train(words: &[String]) -> Result<(), String> {
    let args = Args::parse(
        "train",
        words,
        &[
            "scenario", "agent", "episodes", "seed", "level", "out", "set",
        ],
        &["json"],
    )?;
    let out = crate::required("train", &args, "out")?;
    let mut files = crate::inputs(&args);
    files.output("--out", out);
    files.check().map_err(|e| format!("train: {e}"))?;
    let scenario = crate::load_scenario(crate::required("train", &args, "scenario")?)?;
    let name = crate::required("train", &args, "agent")?;
    let kind = Kind::parse(name).ok_or_else(|| {
        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        format!(
            "train: --agent {name:?} is not a learner (known: {})",
            known.join(", ")
        )
    })?;
    let mut config = TrainConfig::new(kind);
    config.episodes = episodes_to_train(&args, TrainConfig::DEFAULT_EPISODES)?;
    config.seed = args.number("train", "seed", 0)?;
    config.level = crate::level("train", &args)?;
    apply_sets(&args, &mut config.hyperparameters)?;
    let mut trainer = Trainer::new(scenario, config).map_err(|e| format!("train: {e}"))?;
    let start = Instant::now();
    while !trainer.is_finished() {
        trainer.run(CHUNK);
    }
    let seconds = start.elapsed().as_secs_f64();
    let policy = Policy::from_trainer(&trainer);
    crate::write(out, &policy.to_json())?;
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
    crate::print(args.has("json"), &value, || {
        format!(
            "{} on {}: {episodes} episodes in {seconds:.2} s ({:.0}/s); last {} episodes: \
             mean return {:.2}, compliance {:.3}, success {:.3}{}\npolicy written to {}",
            kind.as_str(),
            crate::output::safe(&policy.scenario),
            episodes as f64 / seconds.max(1e-9),
            metrics.window,
            metrics.mean_return,
            metrics.compliance_rate,
            metrics.success_rate,
            metrics
                .lambda
                .map(|l| format!(", lambda {l:.3}"))
                .unwrap_or_default(),
            crate::output::safe(out)
        )
    })
}

/// The scenario and agent of a command that takes `--agent A` or `--policy FILE`. With a
/// policy, `--scenario` defaults to the policy's, which must then be a built-in scenario (a
/// policy file's text never names a file to open: a policy trained on a scenario file plays
/// with `--scenario FILE`); a policy for another scenario is refused.
pub fn scenario_and_agent(
    command: &str,
    args: &Args,
) -> Result<(Scenario, Box<dyn Agent<Env>>), String> {
    match (args.get("agent"), args.get("policy")) {
        (Some(_), Some(_)) => Err(format!("{command}: give --agent or --policy, not both")),
        (None, None) => Err(format!("{command}: --agent or --policy is required")),
        (Some(name), None) => {
            let scenario = crate::load_scenario(crate::required(command, args, "scenario")?)?;
            let agent = ztgym::builtin_agent(name, &scenario)?;
            Ok((scenario, agent))
        }
        (None, Some(path)) => {
            let text = crate::read(path, ztgym::core::fileio::Kind::Policy)?;
            let refused = |e: ztgym::PolicyError| crate::output::safe(&e.to_string()).into_owned();
            let (scenario, policy) = match args.get("scenario") {
                Some(spec) => {
                    let scenario = crate::load_scenario(spec)?;
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
                            crate::output::safe(path),
                            ztgym::core::text::shorten(&policy.scenario, 80)
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

/// `train --episodes`: 0 is allowed (an untrained policy, the baseline a trained one is compared
/// with), more than [`crate::MAX_EPISODES`] is not.
pub fn episodes_to_train(args: &Args, default: u64) -> Result<u64, String> {
    let episodes = args.number("train", "episodes", default)?;
    if episodes > crate::MAX_EPISODES {
        return Err(format!(
            "train: --episodes must be at most {}, found {episodes}",
            crate::MAX_EPISODES
        ));
    }
    Ok(episodes)
}

/// `train --set name=value,...`: the hyperparameters named, each checked by the core.
pub fn apply_sets(
    args: &Args,
    hyperparameters: &mut ztgym::core::learn::Hyperparameters,
) -> Result<(), String> {
    let Some(list) = args.get("set") else {
        return Ok(());
    };
    let mut given: Vec<&str> = Vec::new();
    for pair in list.split(',').filter(|p| !p.trim().is_empty()) {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("train: --set expects name=value pairs, found {pair:?}"))?;
        // A name given twice would keep the last value silently.
        if given.contains(&k.trim()) {
            return Err(format!(
                "train: --set names {} twice; give each hyperparameter once",
                ztgym::core::text::shorten(k.trim(), 80)
            ));
        }
        given.push(k.trim());
        hyperparameters
            .set(k.trim(), v.trim())
            .map_err(|e| format!("train: --set {e}"))?;
    }
    Ok(())
}
