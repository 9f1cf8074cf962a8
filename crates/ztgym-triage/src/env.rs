//! The triage POMDP: a message on screen, a decision with a confidence and a reasoning, the
//! user's trust and alert fatigue, the grader, and the L3 adversary.

use crate::adversary::{Adversary, Mode};
use crate::catalog::{Catalog, Entry};
use crate::message::{Class, Cues, Visible};
use crate::rules::{Rules, Task};
use crate::task::TaskId;
use serde::ser::SerializeSeq;
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use ztgym_core::Rng;

/// What the assistant does with a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allow,
    Block,
    Warn,
    Investigate,
}

impl Decision {
    pub const ALL: [Decision; 4] = [
        Decision::Allow,
        Decision::Block,
        Decision::Warn,
        Decision::Investigate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Block => "block",
            Decision::Warn => "warn",
            Decision::Investigate => "investigate",
        }
    }

    pub fn parse(name: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.as_str() == name)
    }
}

/// The agent's action. Read from JSON, its confidence and reasoning are checked as it is read
/// (a bad one is the action's shape, not a step the environment refused).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub decision: Decision,
    /// In [0, 1].
    #[cfg_attr(feature = "schema", schemars(range(min = 0.0, max = 1.0)))]
    pub confidence: f64,
    /// Why, for the user: not blank, at most the rules' `reasoning.max_chars` characters (the
    /// schema says the built-in rules' 2,000).
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = 2000), regex(pattern = r"\S"))
    )]
    pub reasoning: Cow<'static, str>,
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Action, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Fields {
            decision: Decision,
            confidence: f64,
            reasoning: String,
        }
        let f = Fields::deserialize(d)?;
        let action = Action {
            decision: f.decision,
            confidence: f.confidence,
            reasoning: Cow::Owned(f.reasoning),
        };
        match action.problem(Rules::builtin().reasoning.max_chars) {
            None => Ok(action),
            Some(e) => Err(serde::de::Error::custom(
                e.to_string().trim_start_matches("step.action.").to_string(),
            )),
        }
    }
}

impl Action {
    /// What is wrong with the action's confidence or reasoning (reasoning at most `max`
    /// characters), if anything.
    fn problem(&self, max: usize) -> Option<StepError> {
        if !(0.0..=1.0).contains(&self.confidence) {
            return Some(StepError::Confidence(format!(
                "step.action.confidence: must be in [0, 1], found {}",
                self.confidence
            )));
        }
        if self.reasoning.trim().is_empty() {
            return Some(StepError::Reasoning(
                "step.action.reasoning: must not be empty".into(),
            ));
        }
        if self.reasoning.len() > max && self.reasoning.chars().count() > max {
            return Some(StepError::Reasoning(format!(
                "step.action.reasoning: at most {max} characters"
            )));
        }
        None
    }

    /// An action with a fixed reasoning.
    pub fn new(decision: Decision, confidence: f64, reasoning: &'static str) -> Action {
        Action {
            decision,
            confidence,
            reasoning: Cow::Borrowed(reasoning),
        }
    }
}

/// The agent's last decisions, oldest first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Recent {
    buf: [Option<Decision>; 8],
}

impl Recent {
    fn push(&mut self, d: Decision, keep: usize) {
        let keep = keep.clamp(1, 8);
        self.buf.copy_within(1..keep, 0);
        self.buf[keep - 1] = Some(d);
    }

    pub fn iter(&self) -> impl Iterator<Item = Decision> + '_ {
        self.buf.iter().flatten().copied()
    }
}

impl Serialize for Recent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for d in self.iter() {
            seq.serialize_element(&d)?;
        }
        seq.end()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Recent {
    fn schema_name() -> Cow<'static, str> {
        "RecentDecisions".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<Decision>>::json_schema(g)
    }
}

/// What the agent sees: the message on screen and the user's state, never the message's class.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Observation {
    /// The message's number in the episode (0-based).
    pub message_id: u32,
    pub message: Arc<Visible>,
    /// The scorer's risk in [0, 1], rounded to 0.01.
    pub risk_score: f64,
    /// 0-100.
    pub user_trust: f64,
    /// 0-100.
    pub alert_fatigue: f64,
    /// The agent's own last decisions, oldest first.
    pub recent_decisions: Recent,
    pub step: u32,
    pub max_steps: u32,
    pub task: TaskId,
}

impl Observation {
    /// The observation as text for a language model (links and text shown as plain text).
    pub fn to_prompt(&self) -> String {
        let m = &self.message;
        let mut s = format!(
            "Task {} step {}/{}. User trust {:.1}/100, alert fatigue {:.1}/100, risk score {:.2}.\n\
             Channel: {}\nFrom: {}\n",
            self.task.as_str(),
            self.step,
            self.max_steps,
            self.user_trust,
            self.alert_fatigue,
            self.risk_score,
            m.channel.as_str(),
            m.sender
        );
        if let Some(subject) = &m.subject {
            s.push_str(&format!("Subject: {subject}\n"));
        }
        s.push_str(&format!("Text: {}\n", m.text));
        if !m.links.is_empty() {
            s.push_str(&format!("Links: {}\n", m.links.join(" ")));
        }
        if !m.attachments.is_empty() {
            s.push_str(&format!("Attachments: {}\n", m.attachments.join(", ")));
        }
        let recent: Vec<&str> = self.recent_decisions.iter().map(Decision::as_str).collect();
        if !recent.is_empty() {
            s.push_str(&format!("Your last decisions: {}\n", recent.join(", ")));
        }
        s.push_str(
            "Decide: allow, block, warn or investigate, with a confidence in [0, 1] and your reasoning.",
        );
        s
    }
}

/// The parts of a step's reward.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Components {
    pub security: f64,
    pub user_friction: f64,
    pub delay: f64,
    pub reasoning_quality: f64,
}

/// What the message just decided was, as the user learns it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Outcome {
    pub class: Class,
    pub hard_negative: bool,
    pub decision: Decision,
    /// A threat stopped (block, warn, investigate) or a safe message allowed.
    pub correct: bool,
    pub components: Components,
    /// The cues the message really showed.
    pub cues: Cues,
}

/// The grader's verdict on an episode (so far).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Grade {
    pub score: f64,
    pub letter: String,
    pub passed: bool,
    pub threshold: f64,
    pub security_efficiency: f64,
    pub user_retention: f64,
    pub precision: f64,
    pub reasoning_quality: f64,
    /// Threats stopped (block, warn or investigate) over threats seen.
    pub detection_rate: f64,
    /// Safe messages blocked over safe messages seen.
    pub false_positive_rate: f64,
    /// Share of the task's steps played (below 1 when the episode was cut short).
    pub completion: f64,
}

/// Beside each observation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Info {
    /// Every decision is always available.
    pub action_mask: [Decision; 4],
    /// The message just decided (absent after reset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<Outcome>,
    /// What the L3 adversary is doing (absent on tasks without drift).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adversary: Option<Mode>,
    /// The grade, once the episode is over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
}

/// One step.
pub type Step = ztgym_core::Step<Observation, Info>;

/// Why a step was refused (nothing changed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    NotStarted,
    EpisodeOver,
    Confidence(String),
    Reasoning(String),
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::NotStarted => f.write_str("step: call reset first"),
            StepError::EpisodeOver => f.write_str("step: the episode is over; call reset"),
            StepError::Confidence(m) | StepError::Reasoning(m) => f.write_str(m),
        }
    }
}

/// Options of `reset`: none yet (the task is chosen when the environment is made, as the
/// server's `scenario`/`task` reset keys do); unknown fields are refused.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ResetOptions {}

/// Counters the grader and the adversary read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Counts {
    pub threats_seen: u32,
    pub threats_blocked: u32,
    /// Blocked, warned or investigated.
    pub threats_stopped: u32,
    pub threat_credit: f64,
    pub safe_seen: u32,
    /// Safe messages blocked.
    pub false_positives: u32,
    /// Safe messages warned about or investigated.
    pub safe_flagged: u32,
    pub reasoning_sum: f64,
    pub decisions: u32,
    /// Per threat class (phishing, malware, spam, social engineering): seen and stopped.
    pub class_seen: [u32; 4],
    pub class_stopped: [u32; 4],
}

/// The hidden state.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct State {
    pub task: TaskId,
    pub seed: u64,
    pub step: u32,
    pub user_trust: f64,
    pub alert_fatigue: f64,
    /// The class of the message on screen.
    pub current_class: Class,
    pub current_hard_negative: bool,
    pub current_source: String,
    pub counts: Counts,
    pub episode_return: f64,
    pub episode_cost: f64,
    pub done: bool,
    pub adversary: Option<Mode>,
}

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
