//! An environment as a neural-network trainer plays it (Gymnasium's view): a fixed-size vector
//! of numbers for each observation, the adapter's abstract actions as a discrete action space,
//! and a mask of the abstract actions that break no rule now.
//!
//! Abstract actions rather than a flat enumeration of concrete ones: their number is fixed for
//! an environment whatever the scenario (a flat SRE enumeration grows with nodes x tools x
//! CVEs), every one of them is always well-formed (the adapter fills in the target from what
//! the agent has seen), and their mask is exactly the gate's judgement. The concrete action
//! each choice became is kept ([`NumericEnv::action_json`]), so an episode can be replayed
//! anywhere that takes concrete actions (the CLI, the page, the server).

use super::adapter::{allowed, ActionSet, Adapter, FeatureSpec};
use crate::env::{Environment, Totals};
use serde_json::Value;

/// An adapter that also writes what a network reads: a fixed number of `f32`s per observation
/// in [-1, 1], the same length for every scenario of the environment. By default that is the one-hot
/// vector of the learners' features ([`one_hot_features`]).
pub trait Numeric: Adapter {
    /// The observation vector's entries, named, in order (its length is fixed).
    fn observation_names() -> Vec<String> {
        one_hot_names::<Self>()
    }
    /// Writes the observation last observed into `out`, whose length is that of
    /// [`Numeric::observation_names`]; `state` is what [`Adapter::observe`] returned for it.
    fn encode(
        &self,
        state: usize,
        observation: &<Self::Env as Environment>::Observation,
        out: &mut [f32],
    ) {
        let _ = observation;
        one_hot_features::<Self>(state, out);
    }
    /// The abstract actions that break no rule now, as `env`'s own gate judges them (the
    /// mask). By default the adapter's [`Adapter::breaks_rule`] for each action.
    fn allowed_now(
        &self,
        env: &Self::Env,
        observation: &<Self::Env as Environment>::Observation,
    ) -> ActionSet {
        let _ = env;
        allowed(self, true, observation)
    }
}

/// What one step gave, beside the observation written in place.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Outcome {
    pub reward: f64,
    pub cost: f64,
    pub terminated: bool,
    pub truncated: bool,
}

/// Any [`Numeric`] environment, object-safe, for a host that knows none of their types (the
/// Python package).
pub trait NumericEnv: Send {
    /// The environment's id.
    fn id(&self) -> &'static str;
    /// The scenario (or task) played.
    fn scenario(&self) -> &str;
    /// The abstract actions' names: the discrete action space, in order.
    fn actions(&self) -> &'static [&'static str];
    /// The observation vector's entries, named.
    fn observation_names(&self) -> Vec<String>;
    /// The observation vector's length.
    fn observation_len(&self) -> usize;
    /// Starts an episode; writes its first observation and the action mask (1: the action
    /// breaks no rule now).
    fn reset(&mut self, seed: u64, observation: &mut [f32], mask: &mut [u8]);
    /// Plays abstract action `choice`; writes the next observation and mask. Refused (nothing
    /// changes) before `reset`, after the episode ended, or for a choice out of range.
    fn step(
        &mut self,
        choice: usize,
        observation: &mut [f32],
        mask: &mut [u8],
    ) -> Result<Outcome, String>;
    /// Whether the episode has ended (or not begun).
    fn ended(&self) -> bool;
    /// The last observation as text for a language model.
    fn prompt(&self) -> String;
    /// The last observation as JSON.
    fn observation_json(&self) -> Value;
    /// The last info as JSON.
    fn info_json(&self) -> Value;
    /// The concrete action the last step sent, as JSON (`null` before the first step).
    fn action_json(&self) -> Value;
    /// The episode's figures so far.
    fn totals(&self) -> Totals;
    /// A copy, in the same state.
    fn clone_box(&self) -> Box<dyn NumericEnv>;
}

/// A [`Numeric`] adapter and its environment as a [`NumericEnv`].
#[derive(Clone)]
pub struct NumericOf<A: Numeric> {
    id: &'static str,
    env: A::Env,
    adapter: A,
    options: <A::Env as Environment>::Options,
    last: Option<Last<A::Env>>,
    ended: bool,
    observation_len: usize,
}

#[derive(Clone)]
struct Last<E: Environment> {
    state: usize,
    observation: E::Observation,
    info: E::Info,
    action: Option<E::Action>,
}

impl<A> NumericOf<A>
where
    A: Numeric + 'static,
    NumericOf<A>: Send,
{
    /// `env` played through `adapter` under id `id`, each episode reset with `options`.
    pub fn boxed(
        id: &'static str,
        env: A::Env,
        adapter: A,
        options: <A::Env as Environment>::Options,
    ) -> Box<dyn NumericEnv> {
        Box::new(NumericOf {
            id,
            env,
            adapter,
            options,
            last: None,
            ended: true,
            observation_len: A::observation_names().len(),
        })
    }

    fn write(&self, observation: &mut [f32], mask: &mut [u8]) {
        let Some(last) = &self.last else { return };
        self.adapter
            .encode(last.state, &last.observation, observation);
        let set = self.adapter.allowed_now(&self.env, &last.observation);
        for (a, m) in mask.iter_mut().enumerate() {
            *m = u8::from(set.allows(a));
        }
    }
}

impl<A> NumericEnv for NumericOf<A>
where
    A: Numeric + 'static,
    NumericOf<A>: Send,
{
    fn id(&self) -> &'static str {
        self.id
    }

    fn scenario(&self) -> &str {
        self.env.scenario_name()
    }

    fn actions(&self) -> &'static [&'static str] {
        A::ACTIONS
    }

    fn observation_names(&self) -> Vec<String> {
        A::observation_names()
    }

    fn observation_len(&self) -> usize {
        self.observation_len
    }

    fn reset(&mut self, seed: u64, observation: &mut [f32], mask: &mut [u8]) {
        self.adapter.reset();
        let (obs, info) = self.env.reset(seed, self.options.clone());
        let state = self.adapter.observe(&obs);
        self.last = Some(Last {
            state,
            observation: obs,
            info,
            action: None,
        });
        self.ended = false;
        self.write(observation, mask);
    }

    fn step(
        &mut self,
        choice: usize,
        observation: &mut [f32],
        mask: &mut [u8],
    ) -> Result<Outcome, String> {
        if choice >= A::ACTIONS.len() {
            return Err(format!(
                "action {choice} is out of range: {} has {} actions (0..{})",
                self.id,
                A::ACTIONS.len(),
                A::ACTIONS.len()
            ));
        }
        let last = match (&self.last, self.ended) {
            (Some(last), false) => last,
            (None, _) => return Err("step before reset".into()),
            (Some(_), true) => return Err("step after the episode ended: reset first".into()),
        };
        let action = self.adapter.action(choice, &last.observation);
        let step = self.env.step(&action).map_err(|e| e.to_string())?;
        let state = self.adapter.observe(&step.observation);
        self.ended = step.done();
        let outcome = Outcome {
            reward: step.reward,
            cost: step.cost,
            terminated: step.terminated,
            truncated: step.truncated,
        };
        self.last = Some(Last {
            state,
            observation: step.observation,
            info: step.info,
            action: Some(action),
        });
        self.write(observation, mask);
        Ok(outcome)
    }

    fn ended(&self) -> bool {
        self.ended
    }

    fn prompt(&self) -> String {
        self.last
            .as_ref()
            .map(|l| A::Env::prompt(&l.observation))
            .unwrap_or_default()
    }

    fn observation_json(&self) -> Value {
        self.last
            .as_ref()
            .and_then(|l| serde_json::to_value(&l.observation).ok())
            .unwrap_or(Value::Null)
    }

    fn info_json(&self) -> Value {
        self.last
            .as_ref()
            .and_then(|l| serde_json::to_value(&l.info).ok())
            .unwrap_or(Value::Null)
    }

    fn action_json(&self) -> Value {
        self.last
            .as_ref()
            .and_then(|l| l.action.as_ref())
            .and_then(|a| serde_json::to_value(a).ok())
            .unwrap_or(Value::Null)
    }

    fn totals(&self) -> Totals {
        self.env.totals()
    }

    fn clone_box(&self) -> Box<dyn NumericEnv> {
        Box::new(self.clone())
    }
}

/// The observation of an adapter whose features are all it has: the one-hot vector of its
/// state (see [`super::adapter::vector`]), without the bias.
pub fn one_hot_features<A: Adapter>(state: usize, out: &mut [f32]) {
    write_one_hot(A::FEATURES, state, out);
}

/// The length of the one-hot vector of `features` without the bias: every feature value.
pub const fn one_hot_len(features: &[FeatureSpec]) -> usize {
    let mut n = 0;
    let mut k = 0;
    while k < features.len() {
        n += features[k].values.len();
        k += 1;
    }
    n
}

/// Writes the one-hot vector of `state` over `features` (a 1 for each feature's value, no
/// bias) into the first entries of `out`, one per feature value, without allocating: the
/// encoders call it every step.
pub fn write_one_hot(features: &[FeatureSpec], mut state: usize, out: &mut [f32]) {
    let mut end: usize = features.iter().map(|f| f.values.len()).sum();
    // The state is mixed radix with the first feature most significant: peel from the last.
    for spec in features.iter().rev() {
        let n = spec.values.len();
        end -= n;
        let value = state % n;
        if let Some(block) = out.get_mut(end..end + n) {
            block.fill(0.0);
            block[value] = 1.0;
        }
        state /= n;
    }
}

/// The range of an observation entry by its name: `[-1, 1]` for a signed figure (a name
/// ending in `_delta` or `_margin`), `[0, 1]` for every other. The encoders keep to it, so a
/// host can build its observation space from the names alone.
pub fn bounds(name: &str) -> (f32, f32) {
    if name.ends_with("_delta") || name.ends_with("_margin") {
        (-1.0, 1.0)
    } else {
        (0.0, 1.0)
    }
}

/// `x` clamped to `[0, 1]` as an observation entry (NaN reads 0). Inlined: the environment
/// crates call these for every entry of every step.
#[inline]
pub fn unit(x: f64) -> f32 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0) as f32
    }
}

/// `x` clamped to `[-1, 1]` as an observation entry (NaN reads 0).
#[inline]
pub fn signed(x: f64) -> f32 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(-1.0, 1.0) as f32
    }
}

/// `n / of` clamped to `[0, 1]`: a count as a share of its scale (0 when the scale is 0).
#[inline]
pub fn share(n: usize, of: usize) -> f32 {
    if of == 0 {
        0.0
    } else {
        unit(n as f64 / of as f64)
    }
}

/// `1.0` or `0.0`.
#[inline]
pub fn flag(b: bool) -> f32 {
    f32::from(u8::from(b))
}

/// A block of named observation entries: an enum whose variants are the entries, in order,
/// with `NAMES` (their names), `LEN` and `at()` (a variant's position), so the names and the
/// encoder cannot fall out of step.
#[macro_export]
macro_rules! observation_block {
    ($(#[$meta:meta])* $vis:vis enum $block:ident { $($(#[$vmeta:meta])* $field:ident = $name:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(usize)]
        $vis enum $block {
            $($(#[$vmeta])* $field),*
        }

        impl $block {
            /// Every entry's name, in order.
            $vis const NAMES: &'static [&'static str] = &[$($name),*];
            /// The number of entries.
            $vis const LEN: usize = Self::NAMES.len();
            /// The entry's position in the block.
            $vis const fn at(self) -> usize {
                self as usize
            }
        }
    };
}

/// The names of [`one_hot_features`]' entries: `feature=value`.
pub fn one_hot_names<A: Adapter>() -> Vec<String> {
    A::FEATURES
        .iter()
        .flat_map(|f| f.values.iter().map(move |v| format!("{}={v}", f.name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: [FeatureSpec; 2] = [
        FeatureSpec {
            name: "a",
            values: &["no", "yes"],
        },
        FeatureSpec {
            name: "b",
            values: &["x", "y", "z"],
        },
    ];

    #[test]
    fn one_hot_without_allocating_matches_the_learners_vector() {
        for state in 0..6 {
            let v = super::super::adapter::vector(&SPECS, state);
            let mut out = [9.0; 6];
            write_one_hot(&SPECS, state, &mut out);
            let expected: Vec<f32> = v[..5].iter().map(|x| *x as f32).collect();
            assert_eq!(&out[..5], &expected[..], "state {state}");
            assert_eq!(out[5], 9.0, "nothing written past the features");
        }
    }

    #[test]
    fn entries_are_clamped_and_named_ranges_hold() {
        assert_eq!(unit(f64::NAN), 0.0);
        assert_eq!(unit(f64::INFINITY), 1.0);
        assert_eq!(signed(-3.0), -1.0);
        assert_eq!(share(3, 0), 0.0);
        assert_eq!(share(3, 2), 1.0);
        assert_eq!(bounds("kind.x.best_risk_delta"), (-1.0, 1.0));
        assert_eq!(bounds("global.uptime_margin"), (-1.0, 1.0));
        assert_eq!(bounds("node0.read"), (0.0, 1.0));
    }

    crate::observation_block! {
        enum Block { First = "first", Second = "second" }
    }

    #[test]
    fn a_block_names_its_entries_in_order() {
        assert_eq!(Block::NAMES, ["first", "second"]);
        assert_eq!(Block::LEN, 2);
        assert_eq!(Block::Second.at(), 1);
        assert_ne!(Block::First, Block::Second);
    }
}
