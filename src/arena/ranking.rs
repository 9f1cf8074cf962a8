//! The arena's table: every agent's figures over the same seeds, each with its 95% interval
//! ([`super::stats`]), ranked, and the seeds on which the agents' returns differ most.

use super::stats::{mean_estimate, rate_estimate, Estimate};
use serde::{Deserialize, Serialize};

/// How many seeds "where they differ most" lists.
pub const DIFFER_SEEDS: usize = 5;

/// One episode of one agent, as the arena counts it (the figures `ztgym eval` averages). It
/// travels from the worker as its figures' bits ([`ExactEpisode`]): serde_json reads a decimal
/// float to within one unit in the last place, not always exactly, and the table must show the
/// very figures `ztgym eval` prints.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "ExactEpisode", from = "ExactEpisode")]
pub struct EpisodeFigures {
    pub seed: u64,
    pub episode_return: f64,
    pub cost: f64,
    /// The environment's idea of success (a triage task passed).
    pub success: bool,
    /// The environment's score (a grader's), where it has one.
    pub score: Option<f64>,
    pub steps: u32,
}

/// [`EpisodeFigures`] on the wire: each `f64` as its IEEE 754 bits (a JSON integer, read
/// exactly).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExactEpisode {
    seed: u64,
    episode_return: u64,
    cost: u64,
    success: bool,
    score: Option<u64>,
    steps: u32,
}

impl From<EpisodeFigures> for ExactEpisode {
    fn from(e: EpisodeFigures) -> ExactEpisode {
        ExactEpisode {
            seed: e.seed,
            episode_return: e.episode_return.to_bits(),
            cost: e.cost.to_bits(),
            success: e.success,
            score: e.score.map(f64::to_bits),
            steps: e.steps,
        }
    }
}

impl From<ExactEpisode> for EpisodeFigures {
    fn from(e: ExactEpisode) -> EpisodeFigures {
        EpisodeFigures {
            seed: e.seed,
            episode_return: f64::from_bits(e.episode_return),
            cost: f64::from_bits(e.cost),
            success: e.success,
            score: e.score.map(f64::from_bits),
            steps: e.steps,
        }
    }
}

/// What an arena played: every agent's episodes, one per seed in order, in request order.
/// The worker sends it; the page ranks it ([`ArenaResult::ranking`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArenaResult {
    pub env: String,
    pub scenario: String,
    pub seeds: Vec<u64>,
    /// Each agent's label and episodes.
    pub agents: Vec<(String, Vec<EpisodeFigures>)>,
}

impl ArenaResult {
    /// The ranked table.
    pub fn ranking(&self) -> Ranking {
        Ranking::new(&self.env, &self.scenario, &self.seeds, &self.agents)
    }
}

/// One agent's row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// 1 for the best.
    pub rank: usize,
    /// The agent's place in the request (what the page watches it by).
    pub agent: usize,
    pub label: String,
    pub episodes: usize,
    pub mean_return: Estimate,
    pub mean_cost: Estimate,
    pub success_rate: Estimate,
    /// `None` for an environment without a score.
    pub mean_score: Option<Estimate>,
}

/// A seed on which the agents' returns are far apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    pub seed: u64,
    /// The best return on the seed minus the worst.
    pub spread: f64,
    /// Each agent's return on the seed, in the order of the rows.
    pub returns: Vec<f64>,
}

/// The ranked table of an arena.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub env: String,
    pub scenario: String,
    pub seeds: Vec<u64>,
    /// Whether the environment has a score (and rows are ranked by it).
    pub scored: bool,
    pub rows: Vec<Row>,
    pub differ: Vec<Disagreement>,
}

impl Ranking {
    /// Ranks agents (label and episodes, one per seed in `seeds`' order, in request order):
    /// by mean score where the environment has one, else by mean return, then by lower mean
    /// cost, then in request order.
    pub fn new(
        env: &str,
        scenario: &str,
        seeds: &[u64],
        agents: &[(String, Vec<EpisodeFigures>)],
    ) -> Ranking {
        let scored = agents
            .iter()
            .flat_map(|(_, e)| e.iter())
            .any(|e| e.score.is_some());
        let mut rows: Vec<Row> = agents
            .iter()
            .enumerate()
            .map(|(agent, (label, episodes))| row(agent, label, episodes, scored))
            .collect();
        let key = |r: &Row| r.mean_score.map_or(r.mean_return.value, |s| s.value);
        rows.sort_by(|a, b| {
            key(b)
                .total_cmp(&key(a))
                .then(a.mean_cost.value.total_cmp(&b.mean_cost.value))
                .then(a.agent.cmp(&b.agent))
        });
        for (i, r) in rows.iter_mut().enumerate() {
            r.rank = i + 1;
        }
        let differ = differ_most(seeds, agents, &rows);
        Ranking {
            env: env.to_string(),
            scenario: scenario.to_string(),
            seeds: seeds.to_vec(),
            scored,
            rows,
            differ,
        }
    }
}

fn row(agent: usize, label: &str, episodes: &[EpisodeFigures], scored: bool) -> Row {
    let of =
        |f: fn(&EpisodeFigures) -> f64| mean_estimate(&episodes.iter().map(f).collect::<Vec<_>>());
    Row {
        rank: 0,
        agent,
        label: label.to_string(),
        episodes: episodes.len(),
        mean_return: of(|e| e.episode_return),
        mean_cost: of(|e| e.cost),
        success_rate: rate_estimate(
            episodes.iter().filter(|e| e.success).count(),
            episodes.len(),
        ),
        mean_score: scored.then(|| of(|e| e.score.unwrap_or(0.0))),
    }
}

/// The seeds whose returns are furthest apart across the agents, widest first (ties: the
/// seeds' order), at most [`DIFFER_SEEDS`], none where every agent scored the same.
fn differ_most(
    seeds: &[u64],
    agents: &[(String, Vec<EpisodeFigures>)],
    rows: &[Row],
) -> Vec<Disagreement> {
    if agents.len() < 2 {
        return Vec::new();
    }
    let mut all: Vec<Disagreement> = seeds
        .iter()
        .enumerate()
        .filter_map(|(i, &seed)| {
            let returns: Vec<f64> = rows
                .iter()
                .map(|r| agents[r.agent].1.get(i).map(|e| e.episode_return))
                .collect::<Option<_>>()?;
            let max = returns.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let min = returns.iter().copied().fold(f64::INFINITY, f64::min);
            Some(Disagreement {
                seed,
                spread: max - min,
                returns,
            })
        })
        .filter(|d| d.spread > 0.0)
        .collect();
    all.sort_by(|a, b| b.spread.total_cmp(&a.spread));
    all.truncate(DIFFER_SEEDS);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn episodes(returns: &[f64], successes: &[bool]) -> Vec<EpisodeFigures> {
        returns
            .iter()
            .zip(successes)
            .enumerate()
            .map(|(i, (&r, &s))| EpisodeFigures {
                seed: i as u64,
                episode_return: r,
                cost: if s { 0.0 } else { 1.0 },
                success: s,
                score: None,
                steps: 3,
            })
            .collect()
    }

    #[test]
    fn agents_are_ranked_by_return_then_cost_and_the_widest_seeds_listed() {
        let agents = vec![
            (
                "low".to_string(),
                episodes(&[1.0, 1.0, 1.0], &[false, true, false]),
            ),
            (
                "high".to_string(),
                episodes(&[5.0, 1.0, 9.0], &[true, true, true]),
            ),
            (
                "mid".to_string(),
                episodes(&[2.0, 1.0, 3.0], &[true, false, true]),
            ),
        ];
        let r = Ranking::new("sre", "classic", &[0, 1, 2], &agents);
        assert!(!r.scored);
        let labels: Vec<&str> = r.rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["high", "mid", "low"]);
        assert_eq!(r.rows[0].rank, 1);
        assert_eq!(r.rows[0].agent, 1);
        assert_eq!(r.rows[0].mean_return.value, 5.0);
        assert_eq!(r.rows[0].success_rate.value, 1.0);
        assert!(r.rows[0].mean_score.is_none());
        // Seed 2 differs by 8, seed 0 by 4, seed 1 not at all (left out).
        let seeds: Vec<u64> = r.differ.iter().map(|d| d.seed).collect();
        assert_eq!(seeds, [2, 0]);
        assert_eq!(r.differ[0].returns, [9.0, 3.0, 1.0]);
        assert_eq!(r.differ[0].spread, 8.0);
    }

    #[test]
    fn episodes_travel_exactly() {
        // serde_json reads -31.685000000000002 back as -31.685 (one unit in the last place off).
        let awkward = -31.685_000_000_000_002_f64;
        let e = EpisodeFigures {
            seed: u64::MAX,
            episode_return: awkward,
            cost: 0.1 + 0.2,
            success: true,
            score: Some(-0.0),
            steps: 7,
        };
        let result = ArenaResult {
            env: "sre".into(),
            scenario: "classic".into(),
            seeds: vec![u64::MAX],
            agents: vec![("a".into(), vec![e])],
        };
        let text = serde_json::to_string(&result).unwrap();
        let back: ArenaResult = serde_json::from_str(&text).unwrap();
        assert_eq!(back, result);
        let got = back.agents[0].1[0];
        assert_eq!(got.episode_return.to_bits(), awkward.to_bits());
        assert_eq!(got.score.unwrap().to_bits(), (-0.0f64).to_bits());
        assert_eq!(back.ranking(), result.ranking());
    }

    #[test]
    fn a_scored_environment_ranks_by_score_and_ties_go_to_lower_cost() {
        let mut a = episodes(&[1.0, 1.0], &[true, true]);
        let mut b = episodes(&[9.0, 9.0], &[false, false]);
        a.iter_mut().for_each(|e| e.score = Some(0.9));
        b.iter_mut().for_each(|e| e.score = Some(0.5));
        let r = Ranking::new(
            "triage",
            "L1",
            &[0, 1],
            &[("a".into(), a.clone()), ("b".into(), b)],
        );
        assert!(r.scored);
        assert_eq!(r.rows[0].label, "a");
        assert_eq!(r.rows[0].mean_score.unwrap().value, 0.9);
        let mut c = a.clone();
        c.iter_mut().for_each(|e| e.cost = 5.0);
        let r = Ranking::new("triage", "L1", &[0, 1], &[("c".into(), c), ("a".into(), a)]);
        assert_eq!(r.rows[0].label, "a", "same score, lower cost first");
        assert!(r.differ.is_empty(), "same returns everywhere");
    }
}
