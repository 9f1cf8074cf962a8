//! Built-in hardening agents: random, seed 001's epsilon-greedy contextual bandit (learning
//! online, as the seed's RL engine does), and the greedy "biggest risk cut the gate allows".

use crate::env::{HardenEnv, Info, Observation};
use crate::{Action, Options, Scenario};
use ztgym_core::{Agent, Rng};

/// The names `builtin` knows.
pub const NAMES: [&str; 3] = ["random", "bandit", "greedy"];

/// A built-in agent by name.
pub fn builtin(name: &str) -> Result<Box<dyn Agent<HardenEnv>>, String> {
    match name {
        "random" => Ok(Box::new(RandomAgent { rng: Rng::new(0) })),
        "bandit" => Ok(Box::new(SeedBandit::new())),
        "greedy" => Ok(Box::new(Greedy)),
        other => Err(format!(
            "agent: unknown agent {other:?} for harden (known: {}, or q, q-lagrangian via train)",
            NAMES.join(", ")
        )),
    }
}

/// The most breakage the scripted reviewer accepts (as `ztgym run --recommend-only`).
pub const REVIEWER_MAX_BREAKAGE: f64 = 0.1;

/// One episode of a built-in agent on a built-in scenario, as a trajectory (JSONL, the core's
/// lines); in recommend-only mode its proposals go to the scripted [`Reviewer`]. The same text
/// natively and in the browser's wasm.
pub fn builtin_trajectory(
    scenario: &str,
    agent: &str,
    seed: u64,
    options: &Options,
) -> Result<String, String> {
    let scenario = Scenario::load(scenario).map_err(|e| e.to_string())?;
    let mut env = HardenEnv::new(scenario).map_err(|e| e.to_string())?;
    let mut agent = builtin(agent)?;
    if options.recommend_only {
        agent = Box::new(Reviewer::new(agent, REVIEWER_MAX_BREAKAGE));
    }
    Ok(ztgym_core::eval::trajectory_jsonl(
        &mut env,
        agent.as_mut(),
        seed,
        options,
    ))
}

/// Picks one of the candidates uniformly.
pub struct RandomAgent {
    rng: Rng,
}

impl Agent<HardenEnv> for RandomAgent {
    fn name(&self) -> &str {
        "random"
    }
    fn reset(&mut self, seed: u64) {
        self.rng = Rng::new(seed ^ 0x5EED_0001);
    }
    fn act(&mut self, o: &Observation, _: &Info) -> Action {
        self.rng.pick(&o.candidates).action.clone()
    }
}

/// The candidate with the largest forecast risk cut among those the gate allows and the twin
/// passes, the least breakage on ties; the safest allowed one when nothing cuts risk.
pub struct Greedy;

impl Agent<HardenEnv> for Greedy {
    fn name(&self) -> &str {
        "greedy"
    }
    fn reset(&mut self, _: u64) {}
    fn act(&mut self, o: &Observation, _: &Info) -> Action {
        crate::env::best(o.candidates.iter())
            .map(|c| c.action.clone())
            .unwrap_or_else(|| o.candidates[0].action.clone())
    }
}

/// Seed 001's RL engine: one linear weight vector per action over the raw features (sorted by
/// name), epsilon 0.2, score w.x, update w += 0.05 x reward x x after each cycle. No baseline or
/// target: as the seed. It learns from the reward the next info reports.
pub struct SeedBandit {
    rng: Rng,
    epsilon: f64,
    lr: f64,
    weights: Vec<[f64; 6]>,
    last: Option<(usize, [f64; 6])>,
}

impl SeedBandit {
    pub fn new() -> SeedBandit {
        SeedBandit {
            rng: Rng::new(0),
            epsilon: 0.2,
            lr: 0.05,
            weights: vec![[0.0; 6]; 7],
            last: None,
        }
    }

    /// The features sorted by name, as the seed's `_feature_items` (risk_score is not one).
    fn x(o: &Observation) -> [f64; 6] {
        let f = &o.features;
        [
            f.anomaly_score,
            f.failed_auth_rate_5m,
            f.open_inbound_ports_count,
            f.privilege_entropy_score,
            f.public_exposure_score,
            // The seed's features are five; a bias keeps the scores apart when all are zero.
            0.0,
        ]
    }
}

impl Default for SeedBandit {
    fn default() -> Self {
        Self::new()
    }
}

impl Agent<HardenEnv> for SeedBandit {
    fn name(&self) -> &str {
        "bandit"
    }
    fn reset(&mut self, seed: u64) {
        // Weights persist across episodes (the seed's policy_state.json); the stream restarts.
        self.rng = Rng::new(seed ^ 0x00BA_4D17);
        self.last = None;
    }
    fn act(&mut self, o: &Observation, info: &Info) -> Action {
        if let (Some((a, x)), Some(c)) = (self.last.take(), &info.cycle) {
            let r = c.reward.reward;
            for (w, v) in self.weights[a].iter_mut().zip(x) {
                *w = ztgym_core::learn::quantize(*w + self.lr * r * v);
            }
        }
        let x = Self::x(o);
        // One arm per action the scenario proposes: seed 001's seven, and the pod security
        // ones when the twin has workloads (their candidates are there).
        let mut kinds: Vec<&str> = crate::scenario::ACTIONS.to_vec();
        let pods = crate::twin::POD_ACTIONS;
        if o.candidates
            .iter()
            .any(|c| pods.contains(&c.action.id.as_str()))
        {
            kinds.extend(pods);
        }
        let waf = crate::waf::WAF_ACTIONS;
        if o.candidates
            .iter()
            .any(|c| waf.contains(&c.action.id.as_str()))
        {
            kinds.extend(waf);
        }
        let pipes = crate::pipeline::PIPELINE_ACTIONS;
        if o.candidates
            .iter()
            .any(|c| pipes.contains(&c.action.id.as_str()))
        {
            kinds.extend(pipes);
        }
        let tenants = crate::tenant::TENANT_ACTIONS;
        if o.candidates
            .iter()
            .any(|c| tenants.contains(&c.action.id.as_str()))
        {
            kinds.extend(tenants);
        }
        let controls = crate::compliance::CONTROL_ACTIONS;
        if o.candidates
            .iter()
            .any(|c| controls.contains(&c.action.id.as_str()))
        {
            kinds.extend(controls);
        }
        if kinds.len() > self.weights.len() {
            self.weights.resize(kinds.len(), [0.0; 6]);
        }
        let n = self.weights.len();
        let a = if self.rng.chance(self.epsilon) {
            self.rng.below(n)
        } else {
            let score =
                |a: usize| -> f64 { self.weights[a].iter().zip(&x).map(|(w, v)| w * v).sum() };
            // Python's max over a dict keeps the first of equal scores.
            (0..n).fold(0, |best, a| if score(a) > score(best) { a } else { best })
        };
        self.last = Some((a, x));
        // The seed sends each action with its default parameters: the first candidate.
        let id = kinds[a.min(kinds.len() - 1)];
        o.of_kind(id)
            .next()
            .map(|c| c.action.clone())
            .unwrap_or_else(|| Action {
                id: id.to_string(),
                params: Default::default(),
                accepted: None,
            })
    }
}

/// Use case 10's person, scripted: passes each proposal of an agent on as a recommendation and
/// accepts it when the gate allows it and the twin forecasts it passing, at breakage at most
/// `max_breakage`, with no critical flow broken; rejects it otherwise.
pub struct Reviewer {
    inner: Box<dyn Agent<HardenEnv>>,
    max_breakage: f64,
    name: String,
}

impl Reviewer {
    pub fn new(inner: Box<dyn Agent<HardenEnv>>, max_breakage: f64) -> Reviewer {
        let name = format!("{}+reviewer", inner.name());
        Reviewer {
            inner,
            max_breakage,
            name,
        }
    }
}

impl Agent<HardenEnv> for Reviewer {
    fn name(&self) -> &str {
        &self.name
    }
    fn reset(&mut self, seed: u64) {
        self.inner.reset(seed);
    }
    fn act(&mut self, o: &Observation, info: &Info) -> Action {
        let mut a = self.inner.act(o, info);
        let same = |c: &&crate::env::Candidate| c.action.id == a.id && c.action.params == a.params;
        let ok = o.candidates.iter().find(same).is_some_and(|c| {
            c.allowed
                && c.forecast.pass
                && c.forecast.breakage_risk <= self.max_breakage
                && c.forecast.broken_flows.is_empty()
        });
        a.accepted = Some(ok);
        a
    }
}
