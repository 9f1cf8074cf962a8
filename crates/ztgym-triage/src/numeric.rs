//! Message triage as a neural-network trainer plays it (the core's [`Numeric`]): the abstract
//! decisions, their mask, and the observation vector.
//!
//! The vector has [`OBSERVATION_LEN`] entries for every task, in four groups:
//!
//! 1. [`Entry`]: the episode (step as a share of the budget, steps left, the task one-hot),
//!    the user (trust, alert fatigue), the message (risk score, channel one-hot, sender kind
//!    one-hot: address, site or number, subject, text length, links, attachments), the number
//!    of cues, and the share of each decision among the recent ones.
//! 2. `cue.*`: the cues the adapter's reader sees in the message ([`Cue::ALL`] order).
//! 3. `recent<k>.*`: the agent's own decisions one-hot, most recent first (`recent0`),
//!    [`RECENT_SLOTS`] slots, zero where there is none yet.
//! 4. `learner.*`: the learners' features one-hot ([`crate::adapter::FEATURES`], no bias).
//!
//! Every entry is in `[0, 1]`; counts and lengths are divided by a scale and clamped.

use crate::adapter::FEATURES;
use crate::env::{Decision, Observation};
use crate::message::{Channel, Cue};
use crate::{Env, TaskId, Triage};
use ztgym_core::learn::numeric::{
    flag, one_hot_len, share, unit, write_one_hot, Numeric, NumericEnv, NumericOf,
};
use ztgym_core::learn::Adapter;
use ztgym_core::observation_block;
use ztgym_core::spec::NumericRequest;

/// The recent decisions shown: as many as the observation can hold (its `Recent` keeps 8; the
/// built-in rules show 5).
pub const RECENT_SLOTS: usize = 8;
/// The steps left are divided by this (the longest task, L3, has 100).
const STEPS_SCALE: f64 = 100.0;
/// The text's length in bytes is divided by this.
const TEXT_SCALE: f64 = 1000.0;
/// Links and attachments are divided by this (the reader keeps at most 5 links).
const ITEM_SCALE: usize = 5;

observation_block! {
    /// The entries read once per observation, first in the vector.
    pub enum Entry {
        StepFraction = "episode.step_fraction",
        StepsLeft = "episode.steps_left",
        L1 = "task.L1",
        L2 = "task.L2",
        L3 = "task.L3",
        Trust = "user.trust",
        Fatigue = "user.alert_fatigue",
        Risk = "message.risk_score",
        Sms = "message.channel.sms",
        Email = "message.channel.email",
        Web = "message.channel.web",
        SenderAddress = "message.sender.address",
        SenderSite = "message.sender.site",
        SenderNumber = "message.sender.number",
        Subject = "message.has_subject",
        TextLength = "message.text_length",
        Links = "message.links",
        Attachments = "message.attachments",
        CueCount = "message.cues",
        RecentAllow = "recent.share.allow",
        RecentBlock = "recent.share.block",
        RecentWarn = "recent.share.warn",
        RecentInvestigate = "recent.share.investigate",
    }
}

/// Where the cues start.
const CUES_AT: usize = Entry::LEN;
/// Where the recent decisions start.
const RECENT_AT: usize = CUES_AT + Cue::ALL.len();
/// Where the learners' one-hot features start.
const LEARNER_AT: usize = RECENT_AT + RECENT_SLOTS * Decision::ALL.len();
/// The observation vector's length, the same for every task.
pub const OBSERVATION_LEN: usize = LEARNER_AT + one_hot_len(&FEATURES);

impl Numeric for Triage {
    fn observation_names() -> Vec<String> {
        let mut names: Vec<String> = Entry::NAMES.iter().map(|n| n.to_string()).collect();
        names.extend(Cue::ALL.iter().map(|c| format!("cue.{}", c.as_str())));
        for k in 0..RECENT_SLOTS {
            names.extend(
                Decision::ALL
                    .iter()
                    .map(|d| format!("recent{k}.{}", d.as_str())),
            );
        }
        names.extend(
            FEATURES
                .iter()
                .flat_map(|f| f.values.iter().map(|v| format!("learner.{}={v}", f.name))),
        );
        names
    }

    fn encode(&self, state: usize, obs: &Observation, out: &mut [f32]) {
        out.fill(0.0);
        let Some(out) = out.get_mut(..OBSERVATION_LEN) else {
            return;
        };
        let m = &obs.message;
        let mut put = |field: Entry, value: f32| out[field.at()] = value;
        let max_steps = f64::from(obs.max_steps.max(1));
        put(Entry::StepFraction, unit(f64::from(obs.step) / max_steps));
        put(
            Entry::StepsLeft,
            unit(f64::from(obs.max_steps.saturating_sub(obs.step)) / STEPS_SCALE),
        );
        let task = match obs.task {
            TaskId::L1 => Entry::L1,
            TaskId::L2 => Entry::L2,
            TaskId::L3 => Entry::L3,
        };
        put(task, 1.0);
        put(Entry::Trust, unit(obs.user_trust / 100.0));
        put(Entry::Fatigue, unit(obs.alert_fatigue / 100.0));
        put(Entry::Risk, unit(obs.risk_score));
        let channel = match m.channel {
            Channel::Sms => Entry::Sms,
            Channel::Email => Entry::Email,
            Channel::Web => Entry::Web,
        };
        put(channel, 1.0);
        let sender = if m.sender.contains('@') {
            Entry::SenderAddress
        } else if m.sender.contains("://") {
            Entry::SenderSite
        } else {
            Entry::SenderNumber
        };
        put(sender, 1.0);
        put(Entry::Subject, flag(m.subject.is_some()));
        put(Entry::TextLength, unit(m.text.len() as f64 / TEXT_SCALE));
        put(Entry::Links, share(m.links.len(), ITEM_SCALE));
        put(Entry::Attachments, share(m.attachments.len(), ITEM_SCALE));
        let cues = self.cues();
        put(Entry::CueCount, share(cues.len() as usize, Cue::ALL.len()));

        let shown = obs.recent_decisions.iter().count();
        let mut counts = [0; 4];
        for (k, d) in obs.recent_decisions.iter().enumerate() {
            counts[d as usize] += 1;
            // Oldest first in the observation; most recent first in the vector.
            let slot = shown - 1 - k;
            if slot < RECENT_SLOTS {
                out[RECENT_AT + slot * Decision::ALL.len() + d as usize] = 1.0;
            }
        }
        for (field, n) in [
            Entry::RecentAllow,
            Entry::RecentBlock,
            Entry::RecentWarn,
            Entry::RecentInvestigate,
        ]
        .into_iter()
        .zip(counts)
        {
            out[field.at()] = share(n, shown);
        }
        for (o, c) in out[CUES_AT..RECENT_AT].iter_mut().zip(Cue::ALL) {
            *o = flag(cues.has(c));
        }
        write_one_hot(&FEATURES, state, &mut out[LEARNER_AT..]);
    }
}

/// The environment a request names: its task (`scenario` or `level`: L1, L2, L3). Triage has
/// no gate file.
pub fn make(id: &'static str, request: &NumericRequest) -> Result<Box<dyn NumericEnv>, String> {
    if request.gate.is_some() {
        return Err("gate: triage has no gate to replace".into());
    }
    let task = match (request.scenario, request.level) {
        (Some(s), Some(l)) if TaskId::parse(s)? != TaskId::parse(l)? => {
            return Err(format!(
                "task: scenario {s:?} and level {l:?} name different tasks"
            ))
        }
        (Some(name), _) | (None, Some(name)) => TaskId::parse(name)?,
        (None, None) => TaskId::L1,
    };
    Ok(NumericOf::boxed(
        id,
        Env::new(task),
        Triage::new(&task),
        <Triage as Adapter>::options(None),
    ))
}
