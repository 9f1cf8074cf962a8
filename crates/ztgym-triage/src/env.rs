//! The triage POMDP: a message on screen, a decision with a confidence and a reasoning, the
//! user's trust and alert fatigue, the grader, and the L3 adversary.

use crate::adversary::Adversary;
use crate::catalog::{Catalog, Entry};
use crate::message::Cues;
use crate::rules::{Rules, Task};
use crate::task::TaskId;
use std::borrow::Cow;
use std::sync::Arc;
use ztgym_core::Rng;

mod contract;

pub use crate::types::{
    Action, Components, Counts, Decision, Grade, Info, Observation, Outcome, Recent, ResetOptions,
    State, Step, StepError,
};

/// The environment.
#[derive(Clone, Debug)]
pub struct Env {
    rules: &'static Rules,
    task: &'static Task,
    task_id: TaskId,
    catalog: &'static Catalog,
    rng: Rng,
    seed: u64,
    current: Arc<Entry>,
    step: u32,
    trust: f64,
    fatigue: f64,
    recent: Recent,
    counts: Counts,
    episode_return: f64,
    episode_cost: f64,
    started: bool,
    done: bool,
    passed: bool,
    adversary: Adversary,
    /// The last reasoning read and the cues it names: agents often repeat themselves, and
    /// reading a reasoning is most of a step's work.
    named: [(Cow<'static, str>, Cues); 4],
    named_next: usize,
}

fn q6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl Env {
    /// An environment on a task.
    pub fn new(task: TaskId) -> Env {
        let rules = Rules::builtin();
        let catalog = Catalog::get();
        let t = rules
            .task(task.as_str())
            .expect("every TaskId is in the rules");
        Env {
            rules,
            task: t,
            task_id: task,
            catalog,
            rng: Rng::new(0),
            seed: 0,
            current: catalog.safe[0][0].clone(),
            step: 0,
            trust: rules.trust.start,
            fatigue: rules.fatigue.start,
            recent: Recent::default(),
            counts: Counts::default(),
            episode_return: 0.0,
            episode_cost: 0.0,
            started: false,
            done: false,
            passed: false,
            adversary: Adversary::default(),
            named: Default::default(),
            named_next: 0,
        }
    }

    pub fn task(&self) -> TaskId {
        self.task_id
    }

    pub fn rules(&self) -> &'static Rules {
        self.rules
    }

    /// The catalog entry on screen (hidden class included): for tests and tools.
    pub fn current(&self) -> &Entry {
        &self.current
    }

    /// Puts `message` on screen in place of the one drawn (for tests and tools: a hand-made
    /// message, a replay). Its risk is the catalog scorer's on its visible part.
    pub fn show(&mut self, message: crate::message::Message) -> Observation {
        let risk = self.catalog.scorer.risk(&message.visible);
        self.current = Arc::new(Entry { message, risk });
        self.observation()
    }

    /// Starts an episode.
    pub fn reset(&mut self, seed: u64, _options: ResetOptions) -> (Observation, Info) {
        self.rng = Rng::new(seed);
        self.seed = seed;
        self.step = 0;
        self.trust = self.rules.trust.start;
        self.fatigue = self.rules.fatigue.start;
        self.recent = Recent::default();
        self.counts = Counts::default();
        self.episode_return = 0.0;
        self.episode_cost = 0.0;
        self.started = true;
        self.done = false;
        self.passed = false;
        self.adversary = Adversary::default();
        self.draw();
        let info = Info {
            action_mask: Decision::ALL,
            last: None,
            adversary: self.task.drift_enabled.then_some(self.adversary.mode),
            grade: None,
        };
        (self.observation(), info)
    }

    fn observation(&self) -> Observation {
        Observation {
            message_id: self.step,
            message: self.current.message.visible.clone(),
            risk_score: self.current.risk,
            user_trust: self.trust,
            alert_fatigue: self.fatigue,
            recent_decisions: self.recent,
            step: self.step,
            max_steps: self.task.max_steps,
            task: self.task_id,
        }
    }

    /// Draws the next message: class by the phase's mix (as the adversary changes it), channel
    /// uniformly, then a message of that kind.
    fn draw(&mut self) {
        let phase = &self.task.phases[self.task.phase(self.step)];
        let mut weights = self.task.class_weights[self.task.phase(self.step)];
        let mut safe_ratio = phase.safe_ratio;
        let mut hard_share = phase.hard_negative_share;
        if self.task.drift_enabled && self.step >= self.task.drift_start_step {
            self.adversary.observe(
                &self.counts,
                self.task.adaptation_threshold,
                &self.rules.adversary,
            );
            self.adversary.shape(
                &self.rules.adversary,
                &mut weights,
                &mut safe_ratio,
                &mut hard_share,
            );
        }
        let channel = self.rng.below(3);
        let bucket = if self.rng.chance(safe_ratio) {
            if self.rng.chance(hard_share) {
                &self.catalog.hard[channel]
            } else {
                &self.catalog.safe[channel]
            }
        } else {
            let c = self.rng.weighted(&weights[..4]);
            &self.catalog.threats[c][channel]
        };
        self.current = self.rng.pick(bucket).clone();
    }

    fn check(&self, action: &Action) -> Result<(), StepError> {
        if !self.started {
            return Err(StepError::NotStarted);
        }
        if self.done {
            return Err(StepError::EpisodeOver);
        }
        match action.problem(self.rules.reasoning.max_chars) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Advances one step.
    pub fn step(&mut self, action: &Action) -> Result<Step, StepError> {
        self.check(action)?;
        let r = self.rules;
        let entry = self.current.clone();
        let m = &entry.message;
        let d = action.decision;
        let threat = m.class.is_threat();
        let sec = &r.security;
        let security = match (threat, d) {
            (true, Decision::Block) => sec.threat_block,
            (true, Decision::Investigate) => sec.threat_investigate,
            (true, Decision::Warn) => sec.threat_warn,
            (true, Decision::Allow) => sec.threat_allow,
            (false, Decision::Allow) => sec.safe_allow,
            (false, Decision::Warn) => sec.safe_warn,
            (false, Decision::Investigate) => sec.safe_investigate,
            (false, Decision::Block) => sec.safe_block,
        };
        let friction = match (threat, d) {
            (_, Decision::Warn) => r.friction.warn,
            (_, Decision::Investigate) => r.friction.investigate,
            (false, Decision::Block) => r.friction.safe_block,
            _ => 0.0,
        };
        let delay = if d == Decision::Investigate {
            r.delay.investigate
        } else {
            0.0
        };
        let named = match self.named.iter().find(|(r, _)| *r == action.reasoning) {
            Some((_, cues)) => *cues,
            None => {
                let cues = Cues::named_in(&action.reasoning);
                self.named[self.named_next] = (action.reasoning.clone(), cues);
                self.named_next = (self.named_next + 1) % self.named.len();
                cues
            }
        };
        let reasoning = score_named(m.cues, named);
        let w = &r.reward;
        let reward = q6((w.w_security * security
            + w.w_friction * friction
            + w.w_delay * delay
            + w.w_reasoning * reasoning)
            * (w.confidence_base + w.confidence_scale * action.confidence));
        let blocked_safe = !threat && d == Decision::Block;
        let cost = if blocked_safe { 1.0 } else { 0.0 };

        // Trust and fatigue.
        let t = &r.trust;
        let dt = match (threat, d) {
            (true, Decision::Block) => t.block_threat,
            (true, Decision::Warn) => t.warn_threat,
            (true, Decision::Allow) => t.allow_threat,
            (false, Decision::Allow) => t.allow_safe,
            (false, Decision::Block) => t.block_safe * self.task.trust_penalty_multiplier,
            _ => 0.0,
        };
        self.trust = q6((self.trust + dt).clamp(0.0, t.max));
        let f = &r.fatigue;
        let df = match (threat, d) {
            (_, Decision::Warn) => f.warn,
            (_, Decision::Investigate) => f.investigate,
            (false, Decision::Allow) => f.allow_safe,
            _ => 0.0,
        };
        self.fatigue = q6((self.fatigue + df).clamp(0.0, f.max));

        // Counters.
        let c = &mut self.counts;
        c.decisions += 1;
        c.reasoning_sum = q6(c.reasoning_sum + reasoning);
        let stopped = d != Decision::Allow;
        if threat {
            c.threats_seen += 1;
            c.class_seen[m.class.index()] += 1;
            if stopped {
                c.threats_stopped += 1;
                c.class_stopped[m.class.index()] += 1;
            }
            if d == Decision::Block {
                c.threats_blocked += 1;
            }
            let g = &r.grader;
            c.threat_credit = q6(c.threat_credit
                + match d {
                    Decision::Block => g.credit_block,
                    Decision::Investigate => g.credit_investigate,
                    Decision::Warn => g.credit_warn,
                    Decision::Allow => 0.0,
                });
        } else {
            c.safe_seen += 1;
            if d == Decision::Block {
                c.false_positives += 1;
            } else if stopped {
                c.safe_flagged += 1;
            }
        }
        self.recent.push(d, r.observation.recent_decisions);
        self.episode_return = q6(self.episode_return + reward);
        self.episode_cost += cost;
        self.step += 1;

        let terminated = self.trust <= 0.0 || self.fatigue >= f.max;
        let truncated = !terminated && self.step >= self.task.max_steps;
        self.done = terminated || truncated;
        let outcome = Outcome {
            class: m.class,
            hard_negative: m.hard_negative,
            decision: d,
            correct: threat == stopped,
            components: Components {
                security,
                user_friction: friction,
                delay,
                reasoning_quality: reasoning,
            },
            cues: m.cues,
        };
        let grade = if self.done {
            let g = self.grade();
            self.passed = g.passed;
            Some(g)
        } else {
            self.draw();
            None
        };
        Ok(Step {
            observation: self.observation(),
            reward,
            cost,
            terminated,
            truncated,
            info: Info {
                action_mask: Decision::ALL,
                last: Some(outcome),
                adversary: self.task.drift_enabled.then_some(self.adversary.mode),
                grade,
            },
        })
    }

    /// The grader's verdict on the episode so far.
    pub fn grade(&self) -> Grade {
        let g = &self.rules.grader;
        let c = &self.counts;
        let ratio = |a: f64, b: u32| if b == 0 { 1.0 } else { a / f64::from(b) };
        let security_efficiency = ratio(c.threat_credit, c.threats_seen);
        let user_retention =
            self.trust / 100.0 * (1.0 - g.retention_fatigue_weight * self.fatigue / 100.0);
        let false_alarms =
            f64::from(c.false_positives) + g.flag_safe_weight * f64::from(c.safe_flagged);
        let precision = 1.0 - ratio(false_alarms, c.safe_seen);
        let reasoning_quality = if c.decisions == 0 {
            0.0
        } else {
            c.reasoning_sum / f64::from(c.decisions)
        };
        let completion = (f64::from(self.step) / f64::from(self.task.max_steps)).min(1.0);
        let raw = g.w_security * security_efficiency
            + g.w_retention * user_retention
            + g.w_precision * precision
            + g.w_reasoning * reasoning_quality;
        let score = q6(raw * completion);
        Grade {
            letter: self.rules.letter(score).to_string(),
            passed: score >= self.task.threshold,
            threshold: self.task.threshold,
            score,
            security_efficiency: q6(security_efficiency),
            user_retention: q6(user_retention),
            precision: q6(precision),
            reasoning_quality: q6(reasoning_quality),
            detection_rate: q6(ratio(f64::from(c.threats_stopped), c.threats_seen)),
            false_positive_rate: q6(ratio(f64::from(c.false_positives), c.safe_seen)),
            completion: q6(completion),
        }
    }

    /// The hidden state.
    pub fn state(&self) -> State {
        State {
            task: self.task_id,
            seed: self.seed,
            step: self.step,
            user_trust: self.trust,
            alert_fatigue: self.fatigue,
            current_class: self.current.message.class,
            current_hard_negative: self.current.message.hard_negative,
            current_source: self.current.message.source.to_string(),
            counts: self.counts,
            episode_return: self.episode_return,
            episode_cost: self.episode_cost,
            done: self.done,
            adversary: self.task.drift_enabled.then_some(self.adversary.mode),
        }
    }

    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    pub(crate) fn totals_parts(&self) -> (f64, f64, u32, bool) {
        (
            self.episode_return,
            self.episode_cost,
            self.step,
            self.passed,
        )
    }
}

/// The reasoning score: F1 of the cues named against the cues the message shows. A message
/// with no cue scores 1 for a reasoning naming none, 0 otherwise.
pub fn reasoning_score(cues: Cues, reasoning: &str) -> f64 {
    score_named(cues, Cues::named_in(reasoning))
}

fn score_named(cues: Cues, named: Cues) -> f64 {
    if cues.is_empty() {
        return if named.is_empty() { 1.0 } else { 0.0 };
    }
    let hit = Cues(cues.0 & named.0).len();
    if hit == 0 {
        return 0.0;
    }
    let p = f64::from(hit) / f64::from(named.len());
    let r = f64::from(hit) / f64::from(cues.len());
    q6(2.0 * p * r / (p + r))
}
