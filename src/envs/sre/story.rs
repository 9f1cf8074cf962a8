//! What the stage tells about one step of the episode: the caption (who acted, the action, what
//! happened and why, the reward and cost, the broken rule), the gate's answer and each ticket's
//! life drawn on the nodes, the HUD's figures, and the steps the summary lists. Plain Rust over
//! the session, tested natively; one timeline position (`replay`: `None` for now) drives it all.

use super::session::Session;
use super::settings::{Decider, RANDOM, SOP};
use ztgym::eval::Recorded;
use ztgym::observation::{EventKind, TicketStatus};
use ztgym::{Action, Observation};

/// The step on screen: `Some(k)` replays the state after `k` steps, `None` shows the latest.
/// The recorded step that led to it, if any.
pub fn shown_record(s: &Session, replay: Option<usize>) -> Option<&Recorded> {
    let steps = &s.log().steps;
    match replay {
        Some(0) => None,
        Some(k) => steps.get(k - 1),
        None => steps.last(),
    }
}

/// The step whose decision the policy panel explains: the state on screen, except at the end
/// of an episode, where no decision follows: there it is the last one taken.
pub fn decision_step(s: &Session, replay: Option<usize>) -> Option<usize> {
    let n = s.log().steps.len();
    match replay {
        None if s.done() && n > 0 => Some(n - 1),
        k => k,
    }
}

/// Who acts in this session, as the caption names them.
pub fn actor(agent: Decider) -> &'static str {
    match agent {
        Decider::Human => "You",
        RANDOM => "The random agent",
        SOP => "The SOP operator",
        Decider::Agent(_) => "The agent",
        Decider::Policy => "The policy",
    }
}

/// The caption of a step: its head line, the reasons, and the rule it broke, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Caption {
    /// `Step 3 of 15 · You: isolate_node(frontend)`.
    pub head: String,
    /// `reward -20.3 · cost 1`.
    pub score: String,
    /// What happened and why, one line per event (the step's own cost left out unless it is
    /// all that happened).
    pub lines: Vec<String>,
    /// The zero-trust rule broken, in words.
    pub rule: Option<String>,
}

/// The caption of the step on screen; `None` before the first step.
pub fn caption(s: &Session, replay: Option<usize>) -> Option<Caption> {
    let r = shown_record(s, replay)?;
    let events = &r.step.info.events;
    let meaningful: Vec<String> = events
        .iter()
        .filter(|e| !matches!(e.kind, EventKind::StepCost))
        .map(|e| e.to_string())
        .collect();
    let lines = if meaningful.is_empty() {
        events.iter().map(|e| e.to_string()).collect()
    } else {
        meaningful
    };
    let rule = events.iter().find_map(|e| match &e.kind {
        EventKind::Violation {
            rule,
            node,
            blocked,
            ..
        } => Some(format!(
            "Rule broken on {node}: {} ({}){}",
            rule.explain(),
            rule.as_str(),
            if *blocked {
                ", the gate blocked it"
            } else {
                ""
            }
        )),
        _ => None,
    });
    let o = &r.step.observation;
    Some(Caption {
        head: format!(
            "Step {} of {} · {}: {}",
            o.step,
            o.max_steps,
            actor(s.settings().agent),
            r.action
        ),
        score: format!("reward {:+.1} · cost {}", r.step.reward, r.step.cost),
        lines,
        rule,
    })
}

/// The HUD's figures for the step on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub step: u32,
    pub max_steps: u32,
    pub uptime: f64,
    pub reward: Option<f64>,
    pub episode_return: f64,
    pub episode_cost: f64,
    pub status: &'static str,
}

/// The HUD's figures after `replay` steps (`None`: now).
pub fn figures(s: &Session, replay: Option<usize>) -> Figures {
    let o = match replay {
        Some(k) => s.observation_at(k),
        None => s.observation(),
    };
    let record = shown_record(s, replay);
    let info = record.map(|r| &r.step.info);
    Figures {
        step: o.step,
        max_steps: o.max_steps,
        uptime: o.uptime,
        reward: record.map(|r| r.step.reward),
        episode_return: info.map_or(0.0, |i| i.episode_return),
        episode_cost: info.map_or(0.0, |i| i.episode_cost),
        status: info
            .and_then(|i| i.outcome)
            .map_or("running", ztgym::Outcome::as_str),
    }
}

/// The gate's answer to the step on screen, drawn on the node it acted on.
#[derive(Clone, Debug, PartialEq)]
pub enum GateMark {
    /// A privileged action the gate let through.
    Allowed,
    /// A broken rule (its id): the node flashes it.
    Broke(&'static str),
}

/// The node the step on screen acted on, and the gate's answer if it was privileged.
pub fn gate_mark(s: &Session, replay: Option<usize>) -> Option<(String, GateMark)> {
    let r = shown_record(s, replay)?;
    let broke = r.step.info.events.iter().find_map(|e| match &e.kind {
        EventKind::Violation { rule, node, .. } => Some((node.to_string(), rule.as_str())),
        _ => None,
    });
    if let Some((node, rule)) = broke {
        return Some((node, GateMark::Broke(rule)));
    }
    match &r.action {
        Action::IsolateNode { node }
        | Action::RestoreNode { node }
        | Action::PatchNode { node, .. } => Some((node.clone(), GateMark::Allowed)),
        _ => None,
    }
}

/// A ticket's life as drawn on its node: `filed` on the step it was filed, then `pending`,
/// `approved` or `denied` once checked, `used` once spent.
pub fn ticket_stage(o: &Observation, status: TicketStatus, filed_at: u32) -> &'static str {
    match status {
        TicketStatus::Pending if filed_at == o.step => "filed",
        TicketStatus::Pending => "pending",
        TicketStatus::Approved => "approved",
        TicketStatus::Denied => "denied",
        TicketStatus::Used => "used",
    }
}

/// Whether a step changed something: anything but the time it cost, a review still running,
/// nothing new on a ticket, or an action without effect (unless it cost something).
pub fn changed_something(r: &Recorded) -> bool {
    r.step.cost > 0.0
        || r.step.info.events.iter().any(|e| {
            !matches!(
                e.kind,
                EventKind::StepCost
                    | EventKind::StillUnderReview { .. }
                    | EventKind::NothingNewOnTicket { .. }
                    | EventKind::DuplicateApproval { .. }
                    | EventKind::NoEffect { .. }
            )
        })
}

/// The summary's lines: every step that changed something, in order, with what it changed.
pub fn summary_lines(s: &Session) -> Vec<String> {
    s.log()
        .steps
        .iter()
        .enumerate()
        .filter(|(_, r)| changed_something(r))
        .map(|(k, r)| {
            let why: Vec<String> = r
                .step
                .info
                .events
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::StepCost))
                .map(|e| e.to_string())
                .collect();
            format!("Step {}: {}: {}", k + 1, r.action, why.join("; "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::sre::settings::RunSettings;
    use crate::play::page_session::PageSession;
    use crate::play::speed::Speed;
    use crate::play::test_asserts::assert_some_line_has;

    fn session(agent: Decider, seed: u64) -> Session {
        Session::new(
            RunSettings {
                scenario: "classic".into(),
                level: ztgym::Level::Warmup,
                seed,
                agent,
                speed: Speed::Normal,
                policy: None,
                ..RunSettings::default()
            },
            None,
        )
        .unwrap()
    }

    #[test]
    fn the_summary_lists_the_ticket_filed_and_every_step_that_changed_something() {
        // A step that changed nothing is left out.
        let mut quiet = session(Decider::Human, 1);
        quiet.act(&Action::Wait).unwrap();
        assert!(!changed_something(&quiet.log().steps[0]));
        assert!(summary_lines(&quiet).is_empty());

        let mut s = session(SOP, 4);
        s.play(100, false);
        assert_eq!(s.status(), "success");
        let lines = summary_lines(&s);
        assert_some_line_has(&lines, "file_ticket(");
        assert_some_line_has(&lines, "query_siem_logs(");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("isolate_node(") || l.contains("patch_node(")),
            "{lines:#?}"
        );
        // Waiting for the review changes nothing and is left out.
        let changed = s
            .log()
            .steps
            .iter()
            .filter(|r| changed_something(r))
            .count();
        assert_eq!(lines.len(), changed);
    }

    #[test]
    fn a_violation_is_captioned_with_its_rule_and_marked_on_its_node() {
        let mut s = session(Decider::Human, 2);
        assert_eq!(
            caption(&s, None),
            None,
            "nothing to caption before the first step"
        );
        let target = s.observation().alerts[0].host.to_string();
        s.act(&Action::IsolateNode {
            node: target.clone(),
        })
        .unwrap();
        let c = caption(&s, None).unwrap();
        assert!(
            c.head.starts_with("Step 1 of ") && c.head.contains("You: isolate_node("),
            "{c:?}"
        );
        assert!(c.score.contains("-20"), "{c:?}");
        assert!(
            c.rule.as_deref().unwrap().contains("no_approved_ticket"),
            "{c:?}"
        );
        assert_eq!(
            gate_mark(&s, None),
            Some((target, GateMark::Broke("no_approved_ticket")))
        );
        let f = figures(&s, None);
        assert_eq!((f.status, f.step), ("violation", 1));
        // At step 0 of the timeline, the HUD says what it said then.
        let f0 = figures(&s, Some(0));
        assert_eq!(
            (f0.status, f0.step, f0.reward, f0.episode_cost),
            ("running", 0, None, 0.0)
        );
        assert_eq!(gate_mark(&s, Some(0)), None);
    }

    #[test]
    fn the_timeline_moves_caption_and_figures_together() {
        let mut s = session(SOP, 6);
        s.play(100, false);
        let n = s.log().steps.len();
        for k in 1..=n {
            let f = figures(&s, Some(k));
            assert_eq!(f.step as usize, k);
            let r = &s.log().steps[k - 1];
            assert_eq!(f.episode_return, r.step.info.episode_return);
            assert!(caption(&s, Some(k))
                .unwrap()
                .head
                .starts_with(&format!("Step {k} of ")));
        }
        assert_eq!(figures(&s, Some(n)), figures(&s, None));
    }

    #[test]
    fn at_the_end_the_policy_explains_the_last_decision_not_a_state_never_decided_in() {
        let mut s = session(SOP, 3);
        assert_eq!(decision_step(&s, None), None, "now, at the start");
        s.play(100, false);
        let n = s.log().steps.len();
        assert_eq!(decision_step(&s, None), Some(n - 1));
        assert_eq!(
            decision_step(&s, Some(2)),
            Some(2),
            "the timeline's step otherwise"
        );
    }

    #[test]
    fn tickets_live_through_filed_pending_approved_used() {
        // A person files, waits out the review, checks and isolates: every stage shows.
        let mut s = session(Decider::Human, 1);
        let host = s.observation().alerts[0].host.to_string();
        s.act(&Action::QuerySiemLogs { node: host.clone() })
            .unwrap();
        s.act(&Action::FileTicket {
            node: host.clone(),
            action: ztgym::Privileged::Isolate,
            justification: format!(
                "Isolate {host}: its logs show a compromise. Blast radius: its dependents go \
                 offline for the change window. Rollback plan: restore {host} from a clean image."
            ),
        })
        .unwrap();
        let stage = |s: &Session| {
            let o = s.observation();
            o.tickets
                .last()
                .map(|t| ticket_stage(o, t.status, t.filed_at))
        };
        assert_eq!(stage(&s), Some("filed"));
        s.act(&Action::Wait).unwrap();
        assert_eq!(stage(&s), Some("pending"));

        let mut s = session(SOP, 4);
        let mut seen = Vec::new();
        while !s.done() {
            s.agent_step();
            let o = s.observation();
            for t in &o.tickets {
                let stage = ticket_stage(o, t.status, t.filed_at);
                if seen.last() != Some(&stage) {
                    seen.push(stage);
                }
            }
        }
        // `pending` shows only if the review outlasts the step after filing.
        let life = ["filed", "pending", "approved", "used"];
        let in_order: Vec<&str> = life.into_iter().filter(|s| seen.contains(s)).collect();
        assert_eq!(seen, in_order, "{seen:?}");
        for s in ["filed", "approved", "used"] {
            assert!(seen.contains(&s), "{seen:?}");
        }
    }
}
