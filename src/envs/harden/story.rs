//! A cycle in words, stage by stage (telemetry -> proposal -> gate -> forecast -> executed or
//! not -> reward), and a proposal as a person reads it. Plain Rust, tested natively; the
//! pipeline view draws it.

use crate::shell::numbers::signed;
use serde_json::{Map, Value};
use ztgym::harden::env::Cycle;
use ztgym::harden::scenario::Event;
use ztgym::harden::Action;

/// A stage's outcome, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Bad,
    /// Neither (telemetry, a proposal).
    Info,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Bad => "bad",
            Verdict::Info => "info",
        }
    }
}

/// One stage of a cycle.
#[derive(Clone, Debug, PartialEq)]
pub struct PipeStage {
    /// `telemetry`, `proposal`, `gate`, `forecast`, `execution`, `reward`.
    pub key: &'static str,
    pub title: &'static str,
    pub verdict: Verdict,
    /// The stage's answer in a few words (the gate's: `Allowed` or `Denied`).
    pub head: String,
    /// Its figures, one a line (the gate's: every reason).
    pub lines: Vec<String>,
}

/// A parameter value as text (strings without quotes).
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Parameters as `key=value, ...`.
pub fn params_text(params: &Map<String, Value>) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={}", value_text(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A proposal in one line: `tighten_inbound_rule (service=checkout-api, new_cidr=10.0.0.0/8)`.
pub fn action_text(a: &Action) -> String {
    if a.params.is_empty() {
        a.id.clone()
    } else {
        format!("{} ({})", a.id, params_text(&a.params))
    }
}

fn event_text(e: &Event) -> String {
    if e.payload.is_empty() {
        format!("{}/{}", e.source, e.kind)
    } else {
        format!("{}/{}: {}", e.source, e.kind, params_text(&e.payload))
    }
}

/// The six stages of a cycle; `budget` is the environment's breakage budget.
pub fn pipeline(c: &Cycle, budget: f64) -> Vec<PipeStage> {
    let f = &c.features;
    let mut telemetry: Vec<String> = c.telemetry.iter().map(event_text).collect();
    if telemetry.is_empty() {
        telemetry.push("no new events this cycle".into());
    }
    telemetry.push(format!(
        "failed auth {} · anomaly {:.2} · open ports {} · privilege entropy {:.2} · public exposure {:.2}",
        f.failed_auth_rate_5m,
        f.anomaly_score,
        f.open_inbound_ports_count,
        f.privilege_entropy_score,
        f.public_exposure_score
    ));
    let mut proposal = vec![action_text(&c.proposal)];
    match c.proposal.accepted {
        Some(true) => proposal.push("recommendation accepted".into()),
        Some(false) => proposal.push("recommendation rejected: nothing runs".into()),
        None => {}
    }
    let s = &c.simulation;
    let mut forecast = vec![
        format!(
            "risk {:.1} → {:.1} ({})",
            s.before_risk,
            s.after_risk,
            signed(s.risk_delta, 1)
        ),
        format!("breakage {:.2} (budget {budget:.2})", s.breakage_risk),
    ];
    forecast.extend(s.notes.iter().cloned());
    forecast.extend(
        s.broken_flows
            .iter()
            .map(|f| format!("breaks critical flow: {f}")),
    );
    let e = &c.execution;
    let mut execution = Vec::new();
    if !e.applied_changes.is_empty() {
        execution.push(params_text(&e.applied_changes));
    }
    if !e.executed {
        execution.push(
            if !c.decision.allowed {
                "the gate denied it"
            } else if !s.pass {
                "the twin's forecast failed it"
            } else {
                "not accepted"
            }
            .into(),
        );
    }
    if let Some(b) = &e.breakage {
        execution.push(b.clone());
    }
    let r = &c.reward;
    vec![
        PipeStage {
            key: "telemetry",
            title: "Telemetry",
            verdict: Verdict::Info,
            head: format!("{} event(s), risk {:.1}", c.telemetry.len(), c.risk_score),
            lines: telemetry,
        },
        PipeStage {
            key: "proposal",
            title: "Proposal",
            verdict: Verdict::Info,
            head: c.proposal.id.clone(),
            lines: proposal,
        },
        PipeStage {
            key: "gate",
            title: "Gate",
            verdict: if c.decision.allowed {
                Verdict::Ok
            } else {
                Verdict::Bad
            },
            head: if c.decision.allowed {
                "Allowed".into()
            } else {
                "Denied".into()
            },
            lines: if c.decision.allowed {
                vec![c.decision.reason.clone()]
            } else {
                c.decision.reasons.clone()
            },
        },
        PipeStage {
            key: "forecast",
            title: "Forecast",
            verdict: if s.pass { Verdict::Ok } else { Verdict::Bad },
            head: if s.pass {
                "Passes".into()
            } else {
                "Fails".into()
            },
            lines: forecast,
        },
        PipeStage {
            key: "execution",
            title: "Executed",
            verdict: if e.breakage.is_some() || !e.executed {
                Verdict::Bad
            } else {
                Verdict::Ok
            },
            head: if e.executed {
                "Applied".into()
            } else {
                "Skipped".into()
            },
            lines: execution,
        },
        PipeStage {
            key: "reward",
            title: "Reward",
            verdict: if r.reward >= 0.0 {
                Verdict::Ok
            } else {
                Verdict::Bad
            },
            head: signed(r.reward, 2),
            lines: vec![
                format!("risk cut {}", signed(r.risk_reduction, 2)),
                format!("breakage −2 × {:.2}", r.breakage_risk),
                format!("denied −{}", r.policy_penalty),
                format!("not executed −0.5 × {}", r.exec_penalty),
                format!("risk after {:.1}", c.after_risk),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ztgym::core::Environment;
    use ztgym::harden::{HardenEnv, Options, Scenario, Stage};

    #[test]
    fn a_denied_cycle_names_every_reason_and_skips() {
        let mut env = HardenEnv::new(Scenario::load("seed001").unwrap()).unwrap();
        let (o, _) = env.reset(
            1,
            Options {
                environment: Stage::Prod,
                recommend_only: false,
            },
        );
        let q = o
            .best_of_kind("quarantine_workload")
            .unwrap()
            .action
            .clone();
        let step = env.step(&q).unwrap();
        let c = step.info.cycle.unwrap();
        let stages = pipeline(&c, 0.3);
        let keys: Vec<&str> = stages.iter().map(|s| s.key).collect();
        assert_eq!(
            keys,
            [
                "telemetry",
                "proposal",
                "gate",
                "forecast",
                "execution",
                "reward"
            ]
        );
        assert_eq!(stages[2].head, "Denied");
        assert_eq!(stages[2].lines, c.decision.reasons);
        assert!(!stages[2].lines.is_empty());
        assert_eq!(stages[4].head, "Skipped");
        assert!(stages[4].lines.contains(&"the gate denied it".to_string()));
        assert_eq!(stages[5].head, signed(c.reward.reward, 2));
        assert!(stages[1].lines[0].starts_with("quarantine_workload ("));
    }

    #[test]
    fn params_read_as_text() {
        let a = Action {
            id: "tighten_inbound_rule".into(),
            params: serde_json::from_str(r#"{"service":"checkout-api","port":443}"#).unwrap(),
            accepted: None,
        };
        assert_eq!(
            action_text(&a),
            "tighten_inbound_rule (port=443, service=checkout-api)"
        );
    }
}
