//! Verifying a trajectory: every recorded action played again from the recorded seed and
//! options, and each step's reward, cost, end flags and observation digest compared with what
//! the simulator gives. One loop over a step function, so the command line (any environment
//! through JSON) and the page (its typed environment, whose record it replays) agree.

use super::read::{line_of_step, parse, Limits, Trajectory};
use super::StepLine;
use crate::episode::EpisodeLog;
use crate::spec::{find, parse_action, EnvSpec, JsonEnv, StepFailure};
use crate::text::shorten;
use crate::Environment;
use serde::Serialize;
use serde_json::Value;

/// One field of a step where the file and the simulator disagree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// `reward`, `cost`, `terminated`, `truncated`, `observation_digest`, or `step` (the file
    /// goes on after the simulated episode ended).
    pub field: &'static str,
    pub recorded: String,
    pub simulated: String,
}

/// A recorded step whose figures differ from the simulator's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mismatch {
    /// The step's `t`.
    pub step: usize,
    pub differences: Vec<Difference>,
}

/// What verifying a trajectory found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub env: String,
    pub scenario: String,
    pub seed: u64,
    pub agent: String,
    /// The steps in the file.
    pub steps: usize,
    /// No step differs.
    pub verified: bool,
    /// The file reaches the end of the episode (else it stops early: a partial run).
    pub complete: bool,
    /// The steps that differ, in order.
    pub mismatches: Vec<Mismatch>,
}

/// How two rewards or costs are compared: equal up to the last bits a float's decimal text
/// may lose when read back.
fn same(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

impl Verdict {
    /// The first step that differs.
    pub fn first_mismatch(&self) -> Option<usize> {
        self.mismatches.first().map(|m| m.step)
    }

    /// What differs at step `t`, if anything.
    pub fn mismatch_at(&self, t: usize) -> Option<&Mismatch> {
        self.mismatches.iter().find(|m| m.step == t)
    }

    /// Step `t` in words: `verified`, or `differs: recorded reward 1.0, simulated 0.5`.
    pub fn step_text(&self, t: usize) -> String {
        match self.mismatch_at(t) {
            None => "verified".into(),
            Some(m) => {
                let parts: Vec<String> = m
                    .differences
                    .iter()
                    .map(|d| {
                        format!(
                            "recorded {} {}, simulated {}",
                            d.field, d.recorded, d.simulated
                        )
                    })
                    .collect();
                format!("differs: {}", parts.join("; "))
            }
        }
    }

    /// The verdict in one line, the file's text shortened and escaped.
    pub fn summary(&self) -> String {
        let run = format!(
            "{} on {}, seed {}, agent {}",
            shorten(&self.env, 40),
            shorten(&self.scenario, 60),
            self.seed,
            shorten(&self.agent, 60)
        );
        let partial = if self.complete {
            ""
        } else {
            " (the file stops before the episode ends)"
        };
        match self.first_mismatch() {
            None => format!("{run}: all {} steps verified{partial}", self.steps),
            Some(t) => format!(
                "{run}: step {t} (line {}) {}; {} of {} steps differ{partial}",
                line_of_step(t),
                self.step_text(t),
                self.mismatches.len(),
                self.steps
            ),
        }
    }
}

/// Compares the file's step with the simulator's.
fn compare(recorded: &StepLine, simulated: &StepLine) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut differ = |field: &'static str, r: String, s: String| {
        out.push(Difference {
            field,
            recorded: r,
            simulated: s,
        });
    };
    if !same(recorded.reward, simulated.reward) {
        differ("reward", number(recorded.reward), number(simulated.reward));
    }
    if !same(recorded.cost, simulated.cost) {
        differ("cost", number(recorded.cost), number(simulated.cost));
    }
    if recorded.terminated != simulated.terminated {
        differ(
            "terminated",
            recorded.terminated.to_string(),
            simulated.terminated.to_string(),
        );
    }
    if recorded.truncated != simulated.truncated {
        differ(
            "truncated",
            recorded.truncated.to_string(),
            simulated.truncated.to_string(),
        );
    }
    if recorded.observation_digest != simulated.observation_digest {
        differ(
            "observation_digest",
            shorten(&recorded.observation_digest, 20),
            simulated.observation_digest.clone(),
        );
    }
    out
}

/// A reward or cost as the messages show it: `1.0`, `-0.5`.
fn number(x: f64) -> String {
    let s = Value::from(x).to_string();
    if s.contains(['.', 'e', 'E']) || s == "null" {
        s
    } else {
        format!("{s}.0")
    }
}

/// Verifies `trajectory` with `step`, which plays an action (JSON) on an environment already
/// reset to the recorded seed and options and gives the simulated step. A refused action is
/// an error naming its line; a step the simulator ends before the file does flags the steps
/// after it.
pub fn verify_with(
    trajectory: &Trajectory,
    mut step: impl FnMut(usize, &Value) -> Result<StepLine, StepFailure>,
) -> Result<Verdict, String> {
    let h = &trajectory.header;
    let mut mismatches = Vec::new();
    let mut ended = false;
    for (t, recorded) in trajectory.steps.iter().enumerate() {
        if ended {
            mismatches.push(Mismatch {
                step: t,
                differences: vec![Difference {
                    field: "step",
                    recorded: "taken".into(),
                    simulated: "none (the episode had ended)".into(),
                }],
            });
            continue;
        }
        let simulated = step(t, &recorded.action).map_err(|e| {
            let why = match e {
                StepFailure::Action(m) => format!("not an action of {}: {m}", shorten(&h.env, 40)),
                StepFailure::Refused(m) => format!("the environment refused it: {m}"),
            };
            format!(
                "line {}: field action: {}",
                line_of_step(t),
                shorten(&why, 300)
            )
        })?;
        ended = simulated.done();
        let differences = compare(recorded, &simulated);
        if !differences.is_empty() {
            mismatches.push(Mismatch {
                step: t,
                differences,
            });
        }
    }
    Ok(Verdict {
        env: h.env.clone(),
        scenario: h.scenario.clone(),
        seed: h.seed,
        agent: h.agent.clone(),
        steps: trajectory.steps.len(),
        verified: mismatches.is_empty(),
        complete: ended,
        mismatches,
    })
}

/// The files a run read that a replay cannot have: verifying needs the built-in scenario and
/// gate, so a run on a file is refused naming it.
fn built_in_only(trajectory: &Trajectory) -> Result<(), String> {
    match trajectory.header.inputs.iter().next() {
        None => Ok(()),
        Some((option, path)) => Err(format!(
            "line 1: field inputs: the run read --{} {}; only runs on built-in scenarios and gates can be replayed",
            shorten(option, 40),
            shorten(path, 80)
        )),
    }
}

/// Verifies `trajectory` on `env` (a fresh environment on the recorded scenario), through
/// JSON: what the command line does for any environment.
pub fn verify_json(env: &mut dyn JsonEnv, trajectory: &Trajectory) -> Result<Verdict, String> {
    built_in_only(trajectory)?;
    let h = &trajectory.header;
    env.reset(h.seed, &h.options)
        .map_err(|e| format!("line 1: field options: {}", shorten(&e, 300)))?;
    verify_with(trajectory, |t, action| {
        let step = env.try_step(action)?;
        Ok(StepLine::from_json(t as u64, action, &step))
    })
}

/// Verifies `trajectory` on `env` (of the recorded environment, on its scenario), keeping the
/// replayed episode's record: what the page shows on its stage. Gives the verdict, the
/// record, and the last observation and info.
#[allow(clippy::type_complexity)]
pub fn verify_typed<E: Environment>(
    env: &mut E,
    trajectory: &Trajectory,
) -> Result<(Verdict, EpisodeLog<E>, E::Observation, E::Info), String> {
    built_in_only(trajectory)?;
    let h = &trajectory.header;
    if env.scenario_name() != h.scenario {
        return Err(format!(
            "line 1: field scenario: the run was played on \"{}\", this page plays \"{}\"; choose it in the settings, then load the file again",
            shorten(&h.scenario, 60),
            shorten(env.scenario_name(), 60)
        ));
    }
    let options: E::Options = if h.options.is_null() {
        E::Options::default()
    } else {
        serde_json::from_value(h.options.clone())
            .map_err(|e| format!("line 1: field options: {}", shorten(&e.to_string(), 200)))?
    };
    let (mut observation, mut info) = env.reset(h.seed, options);
    let mut log = EpisodeLog::default();
    let verdict = verify_with(trajectory, |t, action| {
        let action: E::Action = parse_action::<E>(action)?;
        let step = env
            .step(&action)
            .map_err(|e| StepFailure::Refused(e.to_string()))?;
        let line = StepLine::of(t as u64, &action, &step);
        log.push(&observation, &action, &step);
        observation = step.observation;
        info = step.info;
        Ok(line)
    })?;
    Ok((verdict, log, observation, info))
}

/// Reads `text` within `limits` and verifies it on a fresh environment of the recorded id
/// (among `envs`) and built-in scenario: what `ztgym verify` and the Python package do.
pub fn verify_text(envs: &[&dyn EnvSpec], text: &str, limits: &Limits) -> Result<Verdict, String> {
    let trajectory = parse(text, limits)?;
    let h = &trajectory.header;
    let spec = find(envs, &h.env).map_err(|e| format!("line 1: field {e}"))?;
    let name = spec.builtin_scenario(&h.scenario).ok_or_else(|| {
        format!(
            "line 1: field scenario: \"{}\" is not a built-in scenario of {} (known: {})",
            shorten(&h.scenario, 60),
            spec.id(),
            spec.scenarios().join(", ")
        )
    })?;
    let mut env = spec.make_builtin(name)?;
    verify_json(env.as_mut(), &trajectory)
}
