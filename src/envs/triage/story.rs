//! The triage run in words, for the caption and the adversary panel: plain Rust, tested
//! natively.

use super::session::{Session, NO_REASONING};
use super::settings::Decider;
use crate::shell::numbers::signed;
use ztgym::triage::adversary::Mode;
use ztgym::triage::{Class, Decision};

/// The last step told.
#[derive(Clone, Debug, PartialEq)]
pub struct Told {
    /// `Step 3: Block, 90% sure`.
    pub head: String,
    /// `reward +0.42, cost 0`.
    pub score: String,
    /// Whether the decision was right about the message.
    pub correct: bool,
    pub lines: Vec<String>,
}

/// The decision's button label.
pub fn decision_label(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "Allow",
        Decision::Block => "Block",
        Decision::Warn => "Warn",
        Decision::Investigate => "Investigate",
    }
}

/// A class as a person reads it.
pub fn class_label(c: Class) -> &'static str {
    match c {
        Class::Phishing => "phishing",
        Class::Malware => "malware",
        Class::Spam => "spam",
        Class::SocialEngineering => "social engineering",
        Class::Safe => "safe",
    }
}

/// Text from a message inside a sentence, isolated (FSI ... PDI), so a right-to-left
/// override it carries cannot reorder the rest of the sentence.
pub fn isolate(text: &str) -> String {
    format!("\u{2068}{text}\u{2069}")
}

/// The last step: who decided what, the reward and cost, and what the message turned out to
/// be (as the user learns it, after the decision). `None` before the first step.
pub fn caption(s: &Session) -> Option<Told> {
    let k = s.log().steps.len();
    let r = s.log().steps.last()?;
    let who = match s.settings().agent {
        Decider::Human => "You".to_string(),
        Decider::Policy => "The policy".to_string(),
        agent => format!(
            "The {} agent",
            agent.label(&super::settings::DECIDERS).to_lowercase()
        ),
    };
    let outcome = r.step.info.last.as_ref()?;
    let before = &r.observation;
    let after = &r.step.observation;
    let what = if outcome.class.is_threat() {
        format!("It was {}", class_label(outcome.class))
    } else if outcome.hard_negative {
        "It was safe, though made to look urgent".to_string()
    } else {
        "It was safe".to_string()
    };
    let verdict = match (outcome.class.is_threat(), outcome.decision) {
        (true, Decision::Allow) => "it reached the user.",
        (true, _) => "stopped.",
        (false, Decision::Block) => "blocked by mistake: the user lost it (cost 1).",
        (false, Decision::Allow) => "delivered.",
        (false, _) => "delivered with friction.",
    };
    let mut lines = vec![
        format!(
            "{who} chose {} for the {} from {}.",
            decision_label(outcome.decision),
            before.message.channel.as_str(),
            isolate(&before.message.sender)
        ),
        format!("{what}: {verdict}"),
        format!(
            "Trust {:.0} → {:.0}, fatigue {:.0} → {:.0}.",
            before.user_trust, after.user_trust, before.alert_fatigue, after.alert_fatigue
        ),
        format!(
            "Reasoning quality {:.2}{}",
            outcome.components.reasoning_quality,
            if r.action.reasoning == NO_REASONING {
                " (no reasoning given).".to_string()
            } else {
                ".".to_string()
            }
        ),
    ];
    if r.step.terminated {
        lines.push(if after.user_trust <= 0.0 {
            "The user stopped trusting the assistant: the episode ends.".to_string()
        } else {
            "The user is worn out by alerts: the episode ends.".to_string()
        });
    }
    Some(Told {
        head: format!(
            "Step {k}: {}, {:.0}% sure",
            decision_label(outcome.decision),
            r.action.confidence * 100.0
        ),
        score: format!("reward {}, cost {}", signed(r.step.reward, 2), r.step.cost),
        correct: outcome.correct,
        lines,
    })
}

/// What the L3 adversary is doing, in words.
pub fn adversary_text(mode: Mode) -> &'static str {
    match mode {
        Mode::Probing => "Probing: sending the task's usual mix while it watches your decisions.",
        Mode::HardNegatives => {
            "Hard negatives: you block safe messages, so it sends more safe ones made to look urgent."
        }
        Mode::SocialEngineeringSurge => {
            "Social-engineering surge: you stop phishing but not manipulation, so manipulation surges."
        }
        Mode::ThreatSurge => {
            "Threat surge: you let threats through, so malware and phishing surge."
        }
    }
}

/// The mode's short name, for the panel's badge and tests.
pub fn adversary_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Probing => "probing",
        Mode::HardNegatives => "hard-negatives",
        Mode::SocialEngineeringSurge => "social-engineering-surge",
        Mode::ThreatSurge => "threat-surge",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::triage::settings::{Decider, TriageSettings};
    use crate::play::page_session::PageSession;
    use ztgym::triage::TaskId;

    #[test]
    fn the_caption_tells_the_decision_and_what_the_message_was() {
        let mut s = Session::new(TriageSettings::default()).unwrap();
        assert_eq!(caption(&s), None);
        let class_of_first = |s: &Session| s.log().steps[0].step.info.last.as_ref().unwrap().class;
        s.decide(Decision::Block, 0.9, "lookalike sender").unwrap();
        let told = caption(&s).unwrap();
        assert_eq!(told.head, "Step 1: Block, 90% sure");
        assert!(told.lines[0].starts_with("You chose Block"));
        assert!(told.lines[1].contains(if class_of_first(&s).is_threat() {
            class_label(class_of_first(&s))
        } else {
            "safe"
        }));
        assert!(told.score.starts_with("reward "));
        let sender = &s.log().steps[0].observation.message.sender;
        assert!(told.lines[0].contains(&format!("\u{2068}{sender}\u{2069}")));
    }

    #[test]
    fn an_agent_is_named_and_the_end_is_told() {
        let mut s = Session::new(TriageSettings {
            agent: Decider::Agent("always-block"),
            task: TaskId::L2,
            ..TriageSettings::default()
        })
        .unwrap();
        s.play(10_000, false);
        let told = caption(&s).unwrap();
        assert!(told.lines[0].starts_with("The always block agent chose Block"));
        if s.log().steps.last().unwrap().step.terminated {
            assert!(told.lines.last().unwrap().contains("episode ends"));
        }
    }
}
