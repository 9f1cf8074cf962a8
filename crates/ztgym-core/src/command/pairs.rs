//! `ztgym pairs`: counterfactual preference pairs as JSONL, for every environment with a
//! learners' adapter. The options are read here once; the environment collects the pairs.

use super::{required, Args, Options, Reply, MAX_EPISODES};
use crate::pairs::{Pair, PairConfig};
use serde_json::json;

/// The options `pairs` takes in every environment.
pub const OPTIONS: Options = Options {
    valued: &[
        "task",
        "scenario",
        "agent",
        "episodes",
        "seed",
        "out",
        "cost-weight",
        "min-margin",
    ],
    switches: &["json"],
};

/// What `pairs` asks of an environment, its options read and its output file checked.
#[derive(Debug)]
pub struct PairsRequest<'a> {
    pub args: &'a Args,
    pub episodes: u64,
    pub seed: u64,
    pub config: PairConfig,
    /// The built-in agent's name.
    pub agent: &'a str,
    /// `--out`.
    pub out: &'a str,
}

/// Reads `pairs`' options; `is_scenario_file` tells whether `--scenario` names an input file.
pub fn request<'a>(
    args: &'a Args,
    is_scenario_file: impl Fn(&str) -> bool,
) -> Result<PairsRequest<'a>, String> {
    let out = required("pairs", args, "out")?;
    let mut files = super::inputs(args, is_scenario_file);
    files.output("--out", out);
    files.check().map_err(|e| format!("pairs: {e}"))?;
    let episodes: u64 = args.count("pairs", "episodes", 10, MAX_EPISODES)?;
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
    let agent = required("pairs", args, "agent")?;
    Ok(PairsRequest {
        args,
        episodes,
        seed,
        config,
        agent,
        out,
    })
}

/// The reply for `list` collected in environment `env` on `scenario`.
pub fn reply(request: &PairsRequest, env: &str, scenario: &str, list: &[Pair]) -> Reply {
    let (episodes, out) = (request.episodes, request.out);
    let value = json!({
        "env": env,
        "scenario": scenario,
        "episodes": episodes,
        "pairs": list.len(),
        "out": out,
    });
    let human = format!(
        "{} preference pairs from {episodes} episodes of {env} {scenario} written to {out}",
        list.len()
    );
    Reply::new(value, human).write(out, crate::pairs::to_jsonl(list))
}
