//! The triage environment's wire types: the decision and action, the observation, the grade
//! and info, the reset options, step errors, the counts, the adversary's mode and the hidden
//! state.

use crate::message::{Class, Cues, Visible};
use crate::rules::Rules;
use crate::task::TaskId;
use serde::ser::SerializeSeq;
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

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
    pub(crate) fn problem(&self, max: usize) -> Option<StepError> {
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
    pub(crate) fn push(&mut self, d: Decision, keep: usize) {
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

/// What the adversary is doing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Sending the task's mix while it watches.
    #[default]
    Probing,
    /// The agent blocks safe messages: more safe messages, most of them urgent-looking.
    HardNegatives,
    /// The agent stops phishing but not social engineering: social engineering surges.
    SocialEngineeringSurge,
    /// The agent lets threats through: malware and phishing surge.
    ThreatSurge,
}
