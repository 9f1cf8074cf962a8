//! The hardening loop as an environment: one step is one cycle. Telemetry has arrived and
//! updated the twin; the agent proposes an action; the Rego gate answers with every reason; the
//! twin forecasts; the change executes only if allowed and passing; the reward is seed 001's,
//! and the cost is breakage that happened. Then drift brings the next cycle's telemetry.

use crate::gate::{GateDecision, RegoGate};
use crate::index::Index;
use crate::rego::RegoError;
use crate::scenario::{Event, Scenario};
use crate::twin::{Forecast, Twin, ANYWHERE, WILDCARD};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ztgym_core::{Environment, Rng, Step, Totals};

/// A proposal: an action id (any text: unknown ones are the gate's to deny) and parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: String,
    #[serde(default, deserialize_with = "params_within_64_bits")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "std::collections::BTreeMap<String, ParamValue>")
    )]
    pub params: Map<String, Value>,
    /// Recommend-only mode: a person's answer to this recommendation (accepted runs it,
    /// if the gate allows it and the twin passes it; rejected or absent never runs).
    /// On the wire a boolean or absent (`null` is not written back, so it is not taken).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "bool"))]
    pub accepted: Option<bool>,
}

/// The largest magnitude of a number in a proposal's parameters: 10^19, exact as a float and
/// as an integer. JSON readers keep a larger integer only as a rounded float, so
/// 18446744073709551617 would reach the gate equal to 18446744073709551616 (OPA keeps it
/// exact; here it is refused, and the schema says so).
pub const MAX_PARAM_MAGNITUDE: f64 = 1e19;

/// A proposal's parameters, refusing a number past [`MAX_PARAM_MAGNITUDE`] at any depth.
fn params_within_64_bits<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Map<String, Value>, D::Error> {
    const MAX_INT: u64 = MAX_PARAM_MAGNITUDE as u64;
    fn check(v: &Value, path: &str) -> Result<(), String> {
        match v {
            Value::Number(n) => {
                // Integers compare exactly, floats as floats.
                let too_big = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                    (Some(u), _, _) => u > MAX_INT,
                    (None, Some(_), _) => false, // |i64| < 10^19
                    (None, None, Some(f)) => f.abs() > MAX_PARAM_MAGNITUDE,
                    _ => true,
                };
                if too_big {
                    return Err(format!(
                        "params{path}: {n} is larger than 10^19 in magnitude (write it as a string)"
                    ));
                }
                Ok(())
            }
            Value::Array(a) => a
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| check(v, &format!("{path}[{i}]"))),
            Value::Object(o) => o
                .iter()
                .try_for_each(|(k, v)| check(v, &format!("{path}.{k}"))),
            _ => Ok(()),
        }
    }
    let params = Map::<String, Value>::deserialize(d)?;
    for (k, v) in &params {
        check(v, &format!(".{k}")).map_err(serde::de::Error::custom)?;
    }
    Ok(params)
}

/// What a parameter may be, for the schema only: any JSON value whose numbers are at most 10^19
/// in magnitude.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum ParamValue {
    Text(String),
    Number(#[schemars(range(min = -1e19, max = 1e19))] f64),
    Flag(bool),
    Nothing(()),
    List(Vec<ParamValue>),
    Table(std::collections::BTreeMap<String, ParamValue>),
}

/// The environment the changes run in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    #[default]
    Sandbox,
    Stage,
    Prod,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Sandbox, Stage::Stage, Stage::Prod];
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Sandbox => "sandbox",
            Stage::Stage => "stage",
            Stage::Prod => "prod",
        }
    }
}

impl ztgym_core::learn::Variant for Stage {
    const ALL: &'static [Stage] = &Stage::ALL;
    fn as_str(self) -> &'static str {
        Stage::as_str(self)
    }
}

/// How `reset` sets up an episode.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// sandbox (default), stage or prod.
    #[serde(default)]
    pub environment: Stage,
    /// Use case 10: the agent recommends (the candidates come ranked, each with a rollback
    /// hint) and a person accepts or rejects; nothing runs unaccepted.
    #[serde(default)]
    pub recommend_only: bool,
}

/// Seed 001's state features.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Features {
    pub failed_auth_rate_5m: f64,
    pub anomaly_score: f64,
    pub open_inbound_ports_count: f64,
    pub privilege_entropy_score: f64,
    pub public_exposure_score: f64,
}

/// One candidate proposal, judged and forecast (what an action mask is to other gyms).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Candidate {
    pub action: Action,
    pub allowed: bool,
    pub reasons: Vec<String>,
    pub forecast: Forecast,
    /// Recommend-only mode: how to undo the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback: Option<String>,
}

impl Observation {
    /// The candidates proposing action `id`, in order.
    pub fn of_kind<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Candidate> + 'a {
        self.candidates.iter().filter(move |c| c.action.id == id)
    }

    /// The best candidate of action `id`: allowed and passing first, then the largest risk
    /// cut, then the least breakage, then the first.
    pub fn best_of_kind(&self, id: &str) -> Option<&Candidate> {
        best(self.candidates.iter().filter(|c| c.action.id == id))
    }
}

/// The best of some candidates (see [`Observation::best_of_kind`]).
pub fn best<'a>(candidates: impl Iterator<Item = &'a Candidate>) -> Option<&'a Candidate> {
    let key = |c: &Candidate| {
        (
            c.allowed && c.forecast.pass,
            -c.forecast.risk_delta,
            -c.forecast.breakage_risk,
        )
    };
    candidates.fold(None, |acc: Option<&Candidate>, c| match acc {
        Some(b) if key(b) >= key(c) => Some(b),
        _ => Some(c),
    })
}

/// What the agent sees.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Observation {
    pub cycle: u32,
    pub environment: Stage,
    pub features: Features,
    pub risk_score: f64,
    /// The candidate proposals now (every action on every resource that needs it), each
    /// judged and forecast.
    pub candidates: Vec<Candidate>,
}

/// What happened to a change.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Execution {
    pub executed: bool,
    /// `applied` or `skipped` (seed 001's statuses).
    pub status: &'static str,
    pub applied_changes: Map<String, Value>,
    /// Breakage that happened (an outage the change caused), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakage: Option<String>,
}

/// Seed 001's reward and its parts.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reward {
    pub reward: f64,
    pub risk_reduction: f64,
    pub breakage_risk: f64,
    pub policy_penalty: f64,
    pub exec_penalty: f64,
}

/// Every stage of a cycle.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cycle {
    pub cycle: u32,
    pub environment: Stage,
    /// The telemetry the state was computed from.
    pub telemetry: Vec<Event>,
    pub features: Features,
    pub risk_score: f64,
    pub proposal: Action,
    /// The input the gate saw.
    pub gate_input: Value,
    pub decision: GateDecision,
    pub simulation: Forecast,
    pub execution: Execution,
    pub after_risk: f64,
    pub reward: Reward,
    /// Telemetry that arrived after the cycle (drift), for the next one.
    pub drift: Vec<Event>,
}

/// Beside each observation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Info {
    /// The cycle just played (absent after `reset`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle: Option<Box<Cycle>>,
    /// The candidates' ids the gate allows and the twin passes now.
    pub action_mask: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub totals: Totals,
}

/// The hidden state.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct State {
    pub scenario: String,
    pub environment: Stage,
    pub cycle: u32,
    pub twin: Twin,
    pub telemetry: Vec<(u32, Event)>,
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub totals: Totals,
}

/// Why a step was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    NotStarted,
    Finished,
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StepError::NotStarted => "step before reset",
            StepError::Finished => "the episode is over: reset to play again",
        })
    }
}

/// The most gate answers kept (then forgotten all at once), or twice the candidates of a
/// cycle if more: a large twin's candidates are then judged once, not every cycle.
const DECISIONS_KEPT: usize = 1 << 14;

/// The hardening environment.
#[derive(Clone, Debug)]
pub struct HardenEnv {
    scenario: Scenario,
    /// The scenario twin's layout (every episode's twin has it): resources by name, flows by
    /// what they name.
    index: Index,
    gate: RegoGate,
    rng: Rng,
    /// The gate's answers by input (see [`HardenEnv::judge`]).
    decisions: std::collections::HashMap<String, GateDecision>,
    /// How many answers are kept (see [`DECISIONS_KEPT`]).
    decisions_kept: usize,
    environment: Stage,
    recommend_only: bool,
    twin: Twin,
    /// Telemetry events with the cycle they arrived in.
    telemetry: Vec<(u32, Event)>,
    cycle: u32,
    started: bool,
    done: bool,
    totals: Totals,
}

impl HardenEnv {
    /// An environment on a scenario; fails if its policy has no `allow` the VM can compile.
    pub fn new(scenario: Scenario) -> Result<HardenEnv, RegoError> {
        let gate = RegoGate::new(scenario.policy.clone())?;
        Ok(HardenEnv {
            twin: scenario.twin.clone(),
            index: Index::new(&scenario.twin, &scenario.flows),
            scenario,
            gate,
            rng: Rng::new(0),
            decisions: Default::default(),
            decisions_kept: DECISIONS_KEPT,
            environment: Stage::Sandbox,
            recommend_only: false,
            telemetry: Vec::new(),
            cycle: 0,
            started: false,
            done: false,
            totals: Totals::default(),
        })
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn twin(&self) -> &Twin {
        &self.twin
    }

    /// The policy in force.
    pub fn policy(&self) -> &crate::rego::Policy {
        &self.scenario.policy
    }

    /// Replaces the gate's policy from the next decision on. A policy without an `allow` the
    /// VM can compile is refused and nothing changes. The answers kept for the old policy are
    /// forgotten; the episode (twin, telemetry, stream) goes on as it was.
    pub fn set_policy(&mut self, policy: crate::rego::Policy) -> Result<(), RegoError> {
        let policy = std::sync::Arc::new(policy);
        let gate = RegoGate::new(policy.clone())?;
        self.gate = gate;
        self.scenario.policy = policy;
        self.decisions.clear();
        Ok(())
    }

    /// The observation now, judged by the policy in force (after [`HardenEnv::set_policy`]),
    /// and its info without a cycle. Draws nothing: the episode's stream is untouched.
    pub fn look(&mut self) -> (Observation, Info) {
        let obs = self.observe();
        let info = self.info(&obs, None);
        (obs, info)
    }

    fn budget(&self) -> f64 {
        self.scenario.budget(self.environment.as_str())
    }

    /// Seed 001's gate input for a proposal in the current state.
    pub fn gate_input(&self, action: &Action, risk_score: f64) -> Value {
        let text = |k: &str| {
            action
                .params
                .get(k)
                .cloned()
                .unwrap_or_else(|| Value::from("n/a"))
        };
        json!({
            "action": {"id": action.id, "params": action.params},
            "context": {
                "environment": self.environment.as_str(),
                "actor": {"type": "system", "name": "autonomous-hardener"},
                "resource": {"service": text("service"), "principal": text("principal")},
                "state": {"risk_score": risk_score},
            }
        })
    }

    /// The gate's decision on a proposal now (a policy error denies, with the error).
    ///
    /// A policy's answer depends on its input alone (no clock, randomness or network), so
    /// answers are kept by input and a proposal met again is not evaluated again.
    pub fn judge(&mut self, action: &Action, risk_score: f64) -> (Value, GateDecision) {
        let decision = self.decide(action, risk_score);
        (self.gate_input(action, risk_score), decision)
    }

    /// [`HardenEnv::judge`]'s decision alone.
    pub fn decide(&mut self, action: &Action, risk_score: f64) -> GateDecision {
        let mut key = String::with_capacity(96);
        key.push_str(&action.id);
        key.push('\u{0}');
        key.push_str(&serde_json::to_string(&action.params).unwrap_or_default());
        key.push('\u{0}');
        key.push_str(self.environment.as_str());
        key.push_str(&risk_score.to_bits().to_string());
        if let Some(d) = self.decisions.get(&key) {
            return d.clone();
        }
        let input = self.gate_input(action, risk_score);
        let decision = self
            .gate
            .decide(crate::rego::to_rego(&input))
            .unwrap_or_else(|e| GateDecision::failed(&e));
        if self.decisions.len() >= self.decisions_kept {
            self.decisions.clear();
        }
        self.decisions.insert(key, decision.clone());
        decision
    }

    /// The candidate proposals now: for each of the seven actions, one per resource that
    /// still needs it (a service open to 0.0.0.0/0 to tighten, an unsegmented one, a
    /// principal holding `*:*`, without MFA, with a long-lived token), in the twin's order;
    /// an action with no such resource is proposed once with the scenario's default
    /// parameters (seed 001's `chooseDefaultParams`, which always aimed at checkout-api and
    /// app-role). A service's `tighten_to` range replaces the default `new_cidr`.
    pub fn proposals(&self) -> Vec<Action> {
        let tw = &self.twin;
        let mut out = Vec::new();
        for id in self.scenario.actions() {
            let defaults = self.scenario.params.get(id).cloned().unwrap_or_default();
            let services: Vec<&crate::twin::Service> = match id {
                "tighten_inbound_rule" => tw
                    .services
                    .iter()
                    .filter(|s| s.cidrs.iter().any(|c| c == ANYWHERE))
                    .collect(),
                "apply_segmentation" => tw.services.iter().filter(|s| !s.segmented).collect(),
                _ => Vec::new(),
            };
            let principals: Vec<&crate::twin::Principal> = match id {
                "remove_iam_permission" => tw
                    .principals
                    .iter()
                    .filter(|p| p.permissions.iter().any(|x| x == WILDCARD))
                    .collect(),
                "enforce_mfa" => tw.principals.iter().filter(|p| !p.mfa).collect(),
                "reduce_token_ttl" => tw.principals.iter().filter(|p| p.ttl_mins > 60).collect(),
                _ => Vec::new(),
            };
            let before = out.len();
            for w in tw.workloads.iter().filter(|w| w.needs_action(id)) {
                let mut params = defaults.clone();
                params.insert("workload".into(), w.name.clone().into());
                params.insert("namespace".into(), w.namespace.clone().into());
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for c in tw.controls.iter().filter(|c| c.needs_action(id)) {
                let mut params = defaults.clone();
                params.insert("resource".into(), c.name.clone().into());
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for t in tw.tenants.iter().filter(|t| t.needs_action(id)) {
                let mut params = defaults.clone();
                params.insert("tenant".into(), t.name.clone().into());
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for p in tw.pipelines.iter().filter(|p| p.needs_action(id)) {
                let mut params = defaults.clone();
                params.insert("pipeline".into(), p.name.clone().into());
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for r in tw.waf.iter().filter(|r| r.needs_action(id)) {
                let mut params = defaults.clone();
                params.insert("route".into(), r.route.clone().into());
                params.insert("service".into(), r.service.clone().into());
                params.insert("tier".into(), r.tier.clone().into());
                if id == "raise_waf_strictness" {
                    params.insert("to_strictness".into(), (r.strictness + 1).into());
                }
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for s in services {
                let mut params = defaults.clone();
                params.insert("service".into(), s.name.clone().into());
                if let (Some(to), true) = (&s.tighten_to, id == "tighten_inbound_rule") {
                    params.insert("new_cidr".into(), to.clone().into());
                }
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for p in principals {
                let mut params = defaults.clone();
                params.insert("principal".into(), p.name.clone().into());
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            if out.len() == before {
                out.push(Action {
                    id: id.to_string(),
                    params: defaults,
                    accepted: None,
                });
            }
        }
        out
    }

    /// Seed 001's features from the telemetry of the window, and the twin's hints updated.
    fn sense(&mut self) -> (Vec<Event>, Features) {
        let from = self
            .cycle
            .saturating_sub(self.scenario.telemetry_window.saturating_sub(1));
        let mut events = Vec::new();
        let (mut failed, mut anomaly, mut exposure) = (0.0, 0.0, 0.0);
        for (c, ev) in &self.telemetry {
            if *c < from {
                continue;
            }
            let p = &ev.payload;
            if ev.kind == "failed_auth" || p.get("count_5m").is_some_and(|v| !v.is_null()) {
                failed += p.get("count_5m").and_then(Value::as_f64).unwrap_or(1.0);
            }
            if ev.kind == "anomaly" || p.get("score").is_some_and(|v| !v.is_null()) {
                anomaly += p.get("score").and_then(Value::as_f64).unwrap_or(1.0);
            }
            if ev.kind == "public_exposure"
                || p.get("cidr").and_then(Value::as_str) == Some(ANYWHERE)
            {
                exposure += 1.0;
            }
            if *c == self.cycle {
                events.push(ev.clone());
            }
        }
        self.twin.hints.failed_auth_rate_5m = failed;
        self.twin.hints.anomaly_score = anomaly;
        let features = Features {
            failed_auth_rate_5m: failed,
            anomaly_score: anomaly,
            open_inbound_ports_count: exposure,
            privilege_entropy_score: self.twin.privilege_entropy(),
            public_exposure_score: self.twin.public_exposure(),
        };
        (events, features)
    }

    fn observe(&mut self) -> Observation {
        let (_, features) = self.sense();
        let risk = self.twin.risk();
        let budget = self.budget();
        let proposals = self.proposals();
        self.decisions_kept = DECISIONS_KEPT.max(2 * proposals.len());
        let decisions: Vec<GateDecision> = proposals.iter().map(|a| self.decide(a, risk)).collect();
        // Each candidate is forecast on one copy of the twin, changed and put back in turn.
        let total = self.twin.total();
        let mut scratch = self.twin.clone();
        let mut candidates: Vec<Candidate> = proposals
            .into_iter()
            .zip(decisions)
            .map(|(action, d)| {
                let (forecast, saved) = scratch.apply(
                    &self.index,
                    &total,
                    &action.id,
                    &action.params,
                    budget,
                    &self.scenario.flows,
                    self.scenario.breakage.get(&action.id).copied(),
                );
                scratch.restore(saved);
                let rollback = self
                    .recommend_only
                    .then(|| rollback_hint(&self.twin, &self.index, &action));
                Candidate {
                    action,
                    allowed: d.allowed,
                    reasons: d.reasons,
                    forecast,
                    rollback,
                }
            })
            .collect();
        if self.recommend_only {
            // Ranked: what may run first, then the largest risk cut, the least breakage.
            candidates.sort_by(|a, b| {
                let key = |c: &Candidate| {
                    (
                        !(c.allowed && c.forecast.pass),
                        c.forecast.risk_delta,
                        c.forecast.breakage_risk,
                    )
                };
                key(a)
                    .partial_cmp(&key(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        Observation {
            cycle: self.cycle,
            environment: self.environment,
            features,
            risk_score: risk,
            candidates,
        }
    }

    fn info(&self, o: &Observation, cycle: Option<Box<Cycle>>) -> Info {
        let mut action_mask: Vec<String> = Vec::new();
        for c in o.candidates.iter().filter(|c| c.allowed && c.forecast.pass) {
            if !action_mask.contains(&c.action.id) {
                action_mask.push(c.action.id.clone());
            }
        }
        Info {
            cycle,
            action_mask,
            totals: self.totals,
        }
    }

    /// Drift: the world keeps creating work (new exposures, attacks, permissions creeping
    /// back), as telemetry of the next cycle.
    fn drift(&mut self) -> Vec<Event> {
        let next = self.cycle + 1;
        let d = self.scenario.drift.clone();
        let mut events = Vec::new();
        if self.rng.chance(d.exposure) {
            let i = self.rng.below(self.twin.services.len());
            let s = &mut self.twin.services[i];
            if !s.cidrs.iter().any(|c| c == ANYWHERE) {
                s.cidrs.push(ANYWHERE.to_string());
            }
            let port = s.ports.first().copied().unwrap_or(443);
            events.push(Event {
                source: "net".into(),
                kind: "public_exposure".into(),
                payload: json_map(json!({"service": s.name, "cidr": ANYWHERE, "port": port})),
            });
        }
        if self.rng.chance(d.attack) {
            let count = 5 + self.rng.below(46) as u64;
            let score = (30 + self.rng.below(60)) as f64 / 100.0;
            let i = self.rng.below(self.twin.principals.len());
            let who = self.twin.principals[i].name.clone();
            events.push(Event {
                source: "auth".into(),
                kind: "failed_auth".into(),
                payload: json_map(json!({"count_5m": count, "principal": who})),
            });
            events.push(Event {
                source: "sec".into(),
                kind: "anomaly".into(),
                payload: json_map(json!({"score": score, "reason": "spike in unusual geo logins"})),
            });
        }
        if self.rng.chance(d.creep) {
            let i = self.rng.below(self.twin.principals.len());
            let p = &mut self.twin.principals[i];
            if !p.permissions.iter().any(|x| x == WILDCARD) {
                p.permissions.push(WILDCARD.to_string());
            }
            events.push(Event {
                source: "iam".into(),
                kind: "broad_permission".into(),
                payload: json_map(json!({"principal": p.name, "permission": WILDCARD})),
            });
        }
        // Use case 2: a workload redeployed from an old manifest (drawn only when the twin
        // has workloads, so the other scenarios' streams are untouched).
        if !self.twin.workloads.is_empty() && self.rng.chance(d.posture) {
            let i = self.rng.below(self.twin.workloads.len());
            let w = &mut self.twin.workloads[i];
            w.privileged = true;
            events.push(Event {
                source: "k8s".into(),
                kind: "privileged_pod".into(),
                payload: json_map(json!({"workload": w.name, "namespace": w.namespace})),
            });
        }
        // Use case 4: attack signatures rise on a route (drawn only when the twin has WAF
        // rules).
        if !self.twin.waf.is_empty() && self.rng.chance(d.signatures) {
            let i = self.rng.below(self.twin.waf.len());
            let rise = (2 + self.rng.below(5)) as f64;
            let r = &mut self.twin.waf[i];
            r.attack = (r.attack + rise).min(10.0);
            events.push(Event {
                source: "waf".into(),
                kind: "attack_signatures".into(),
                payload: json_map(json!({"route": r.route, "attack": r.attack})),
            });
        }
        // Use case 7: a secret scan finds a leaked build secret (drawn only when the twin has
        // pipelines).
        if !self.twin.pipelines.is_empty() && self.rng.chance(d.leak) {
            let i = self.rng.below(self.twin.pipelines.len());
            let p = &mut self.twin.pipelines[i];
            p.secrets_age_days = 365;
            events.push(Event {
                source: "ci".into(),
                kind: "secret_scan_hit".into(),
                payload: json_map(json!({"pipeline": p.name})),
            });
        }
        // Use case 9: cross-tenant access attempts on a tenant (drawn only when the twin has
        // tenants).
        if !self.twin.tenants.is_empty() && self.rng.chance(d.probe) {
            let i = self.rng.below(self.twin.tenants.len());
            let count = (2 + self.rng.below(7)) as f64;
            let t = &mut self.twin.tenants[i];
            t.cross_tenant_attempts = (t.cross_tenant_attempts + count).min(10.0);
            events.push(Event {
                source: "platform".into(),
                kind: "cross_tenant_access".into(),
                payload: json_map(json!({"tenant": t.name, "attempts": count})),
            });
        }
        // Use case 6: a controlled resource drifts from its baseline (drawn only when the twin
        // has controls).
        if !self.twin.controls.is_empty() && self.rng.chance(d.config) {
            let i = self.rng.below(self.twin.controls.len());
            let c = &mut self.twin.controls[i];
            c.baseline = false;
            c.logging = false;
            events.push(Event {
                source: "config".into(),
                kind: "noncompliant_config".into(),
                payload: json_map(json!({"resource": c.name, "logging": false})),
            });
        }
        self.telemetry
            .extend(events.iter().map(|e| (next, e.clone())));
        let keep_from = next.saturating_sub(self.scenario.telemetry_window);
        self.telemetry.retain(|(c, _)| *c >= keep_from);
        events
    }
}

/// How to undo a change on `twin` (for a person reviewing a recommendation).
fn rollback_hint(twin: &Twin, at: &Index, action: &Action) -> String {
    let p = |k: &str| action.params.get(k).and_then(Value::as_str).unwrap_or("");
    match action.id.as_str() {
        "tighten_inbound_rule" => match at.service(twin, p("service")) {
            Some(s) => format!("restore {} allowedCidrs to {}", s.name, s.cidrs.join(", ")),
            None => "nothing to undo (unknown service)".into(),
        },
        "apply_segmentation" => format!("remove the segmentation policy of {}", p("service")),
        "remove_iam_permission" => {
            format!("grant {} back to {}", p("permission"), p("principal"))
        }
        "enforce_mfa" => format!("disable the MFA requirement of {}", p("principal")),
        "reduce_token_ttl" => match at.principal(twin, p("principal")) {
            Some(pr) => format!("set the token TTL of {} back to {}m", pr.name, pr.ttl_mins),
            None => "nothing to undo (unknown principal)".into(),
        },
        "rotate_key" => "re-issue the previous key from the vault (kept 24 h)".into(),
        "quarantine_workload" => format!("release {} from quarantine", p("service")),
        "apply_pod_security" | "drop_capabilities" | "enforce_resource_limits" => {
            match at.workload(twin, p("workload")) {
                Some(w) => format!(
                    "re-apply {}'s previous manifest (privileged={}, hostNetwork={}, hostPath={}, capabilities=[{}], limits={})",
                    w.name,
                    w.privileged,
                    w.host_network,
                    w.host_path,
                    w.capabilities.join(", "),
                    w.limits
                ),
                None => "nothing to undo (unknown workload)".into(),
            }
        }
        "sign_artifacts" | "pin_dependencies" | "restrict_runner" | "rotate_build_secrets" => {
            match at.pipeline(twin, p("pipeline")) {
                Some(pl) => format!(
                    "revert {}'s pipeline definition (signed {}, pinned {}, privileged runner {}; rotated secrets cannot be un-rotated)",
                    pl.name, pl.signed, pl.pinned, pl.privileged_runner
                ),
                None => "nothing to undo (unknown pipeline)".into(),
            }
        }
        "enforce_encryption" | "enforce_tls" | "enable_logging" | "apply_config_baseline" => {
            match at.control(twin, p("resource")) {
                Some(c) => format!(
                    "restore {}'s configuration (TLS 1.{} minimum, logging {}, baseline {}; data encrypted at rest stays encrypted)",
                    c.name, c.tls_min, c.logging, c.baseline
                ),
                None => "nothing to undo (unknown resource)".into(),
            }
        }
        "isolate_tenant_network" | "scope_tenant_identity" | "dedicate_shared_resources" => {
            match at.tenant(twin, p("tenant")) {
                Some(t) => format!(
                    "restore {}'s boundaries (network isolated {}, identity scoped {}, shared [{}])",
                    t.name,
                    t.network_isolated,
                    t.identity_scoped,
                    t.shared.join(", ")
                ),
                None => "nothing to undo (unknown tenant)".into(),
            }
        }
        "raise_waf_strictness" | "add_rate_limit" | "block_attack_pattern" => {
            match at.waf_rule(twin, p("route")) {
                Some(r) => format!(
                    "restore the WAF rule of {} (strictness {}, rate limit {}, pattern blocked {})",
                    r.route, r.strictness, r.rate_limited, r.pattern_blocked
                ),
                None => "nothing to undo (unknown route)".into(),
            }
        }
        _ => "nothing to undo".into(),
    }
}

fn json_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

impl Environment for HardenEnv {
    type Action = Action;
    type Observation = Observation;
    type Info = Info;
    type Options = Options;
    type State = State;
    type Error = StepError;

    fn reset(&mut self, seed: u64, options: Options) -> (Observation, Info) {
        self.rng = Rng::new(seed);
        self.environment = options.environment;
        self.recommend_only = options.recommend_only;
        self.twin = self.scenario.twin.clone();
        self.telemetry = self
            .scenario
            .telemetry
            .iter()
            .map(|e| (0, e.clone()))
            .collect();
        self.cycle = 0;
        self.started = true;
        self.done = false;
        self.totals = Totals::default();
        let obs = self.observe();
        let info = self.info(&obs, None);
        (obs, info)
    }

    fn step(&mut self, action: &Action) -> Result<Step<Observation, Info>, StepError> {
        if !self.started {
            return Err(StepError::NotStarted);
        }
        if self.done {
            return Err(StepError::Finished);
        }
        let (telemetry, features) = self.sense();
        let before = self.twin.risk();
        let (gate_input, decision) = self.judge(action, before);
        let mut next = self.twin.clone();
        let (simulation, _) = next.apply(
            &self.index,
            &self.twin.total(),
            &action.id,
            &action.params,
            self.budget(),
            &self.scenario.flows,
            self.scenario.breakage.get(&action.id).copied(),
        );
        let run = decision.allowed
            && simulation.pass
            && (!self.recommend_only || action.accepted == Some(true));
        let mut cost = 0.0;
        let mut breakage = None;
        if run {
            self.twin = next;
            // Breakage that happens: every critical flow the change breaks, for sure; else
            // the forecast's breakage risk, drawn.
            if !simulation.broken_flows.is_empty() {
                cost = simulation.broken_flows.len() as f64;
                breakage = Some(format!(
                    "{} broke critical flow(s): {}",
                    action.id,
                    simulation.broken_flows.join(", ")
                ));
            } else if self.rng.chance(simulation.breakage_risk) {
                cost = 1.0;
                breakage = Some(format!(
                    "{} broke a dependency: an outage or a critical flow denied",
                    action.id
                ));
            }
        }
        let after = self.twin.risk();
        let risk_reduction = (before - after).max(0.0);
        let policy_penalty = if decision.allowed { 0.0 } else { 1.0 };
        let exec_penalty = if run { 0.0 } else { 1.0 };
        let reward =
            risk_reduction - 2.0 * simulation.breakage_risk - policy_penalty - 0.5 * exec_penalty;
        let reward = (reward * 1e9).round() / 1e9;
        let execution = Execution {
            executed: run,
            status: if run { "applied" } else { "skipped" },
            applied_changes: if run {
                simulation.applied_changes.clone()
            } else {
                Map::new()
            },
            breakage,
        };
        let drift = self.drift();
        let cycle = Box::new(Cycle {
            cycle: self.cycle,
            environment: self.environment,
            telemetry,
            features,
            risk_score: before,
            proposal: action.clone(),
            gate_input,
            decision,
            simulation: simulation.clone(),
            execution,
            after_risk: after,
            reward: Reward {
                reward,
                risk_reduction,
                breakage_risk: simulation.breakage_risk,
                policy_penalty,
                exec_penalty,
            },
            drift,
        });
        self.cycle += 1;
        self.totals.steps += 1;
        self.totals.episode_return += reward;
        self.totals.episode_cost += cost;
        let truncated = self.cycle >= self.scenario.max_cycles;
        self.done = truncated;
        let obs = self.observe();
        if truncated {
            self.totals.success = obs.risk_score <= self.scenario.target_risk;
        }
        let info = self.info(&obs, Some(cycle));
        Ok(Step {
            observation: obs,
            reward,
            cost,
            terminated: false,
            truncated,
            info,
        })
    }

    fn state(&self) -> State {
        State {
            scenario: self.scenario.name.clone(),
            environment: self.environment,
            cycle: self.cycle,
            twin: self.twin.clone(),
            telemetry: self.telemetry.clone(),
            totals: self.totals,
        }
    }

    fn totals(&self) -> Totals {
        self.totals
    }

    fn scenario_name(&self) -> &str {
        &self.scenario.name
    }

    fn action_mask(info: &Info) -> Value {
        Value::from(info.action_mask.clone())
    }

    fn prompt(o: &Observation) -> String {
        let mut s = format!(
            "Hardening cycle {} in {}: risk {:.1}/100. Features: failed_auth_rate_5m {}, \
             anomaly_score {}, open_inbound_ports_count {}, privilege_entropy_score {:.2}, \
             public_exposure_score {:.2}.\nCandidates (send {{\"id\", \"params\"}}):\n",
            o.cycle,
            o.environment.as_str(),
            o.risk_score,
            o.features.failed_auth_rate_5m,
            o.features.anomaly_score,
            o.features.open_inbound_ports_count,
            o.features.privilege_entropy_score,
            o.features.public_exposure_score,
        );
        for c in &o.candidates {
            s.push_str(&format!(
                "- {} {}: gate {}, risk {} -> {}, breakage {}{}\n",
                c.action.id,
                Value::Object(c.action.params.clone()),
                if c.allowed { "allows" } else { "denies" },
                c.forecast.before_risk,
                c.forecast.after_risk,
                c.forecast.breakage_risk,
                if c.reasons.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.reasons.join("; "))
                }
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rego::Policy;

    fn seed001_in_prod() -> (HardenEnv, Observation) {
        let mut env = HardenEnv::new(Scenario::load("seed001").unwrap()).unwrap();
        let options = Options {
            environment: Stage::Prod,
            recommend_only: false,
        };
        let (obs, _) = env.reset(3, options);
        (env, obs)
    }

    #[test]
    fn set_policy_replaces_the_gate_from_the_next_decision_on() {
        let (mut env, obs) = seed001_in_prod();
        let quarantine = obs.best_of_kind("quarantine_workload").unwrap().clone();
        assert!(!quarantine.allowed, "seed 001 denies quarantine in prod");
        assert!(!quarantine.reasons.is_empty());

        let open = Policy::load("open.rego", "package open\n\ndefault allow := true\n").unwrap();
        env.set_policy(open).unwrap();
        assert_eq!(env.policy().name(), "open.rego");
        let (again, info) = env.look();
        assert_eq!(again.cycle, obs.cycle);
        assert_eq!(again.risk_score, obs.risk_score);
        assert!(info.cycle.is_none());
        assert!(again
            .candidates
            .iter()
            .all(|c| c.allowed && c.reasons.is_empty()));
        let step = env.step(&quarantine.action).unwrap();
        let cycle = step.info.cycle.unwrap();
        assert!(cycle.decision.allowed, "{:?}", cycle.decision);
    }

    #[test]
    fn a_policy_without_allow_is_refused_and_nothing_changes() {
        let (mut env, obs) = seed001_in_prod();
        let before = env.policy().text().to_string();
        let no_allow =
            Policy::load("x.rego", "package x\n\ndeny contains \"no\" if true\n").unwrap();
        assert!(env.set_policy(no_allow).is_err());
        assert_eq!(env.policy().text(), before);
        assert_eq!(env.look().0, obs, "the same policy judges");
    }

    #[test]
    fn look_draws_nothing() {
        let (mut a, _) = seed001_in_prod();
        let (mut b, _) = seed001_in_prod();
        for _ in 0..3 {
            a.look();
        }
        let act = |e: &mut HardenEnv| {
            let (o, _) = e.look();
            let action = o.candidates[0].action.clone();
            serde_json::to_string(&e.step(&action).unwrap().observation).unwrap()
        };
        for _ in 0..5 {
            assert_eq!(act(&mut a), act(&mut b));
        }
    }
}
