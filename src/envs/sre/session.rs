//! The playground's run of the simulator: one environment, who acts in it, and the record of
//! the current episode. Plain Rust, tested natively; the components only read it.

use super::gate_choice::{self, Recorder};
use super::settings::{Decider, RunSettings, RANDOM, SOP};
use crate::play::run::{Run, Scored};
use ztgym::agents::{Agent, RandomAgent, SopAgent};
use ztgym::eval::alerts_ndjson;
use ztgym::gate::Proposal;
use ztgym::judge::OfflineJudge;
use ztgym::observation::Event;
use ztgym::policy::{Inspection, Policy, PolicyAgent};
use ztgym::siem::Alert;
use ztgym::{Action, CveCatalog, Env, Outcome, ResetOptions, Scenario};

/// An SRE episode scores its return.
impl Scored for Env {
    const ID: &'static str = super::id::ENV;
}

/// One playground run.
pub struct Session {
    settings: RunSettings,
    scenario: Scenario,
    run: Run<Env>,
    /// The policy loaded for this scenario, if any: the `Policy` agent plays it, and
    /// [`Session::inspect`] explains it whoever acts.
    policy: Option<Policy>,
    /// The last proposal the gate judged.
    recorder: Recorder,
}

impl Session {
    /// Starts a run with the tab's policy (ignored unless it was trained on this scenario).
    /// Fails for a scenario that is not built in, or for the `Policy` agent without a policy
    /// for the scenario.
    pub fn new(settings: RunSettings, policy: Option<&Policy>) -> Result<Session, String> {
        Session::recorded(settings, policy, &Recorder::default())
    }

    /// As [`Session::new`], with the gate the settings choose recording the proposals it
    /// judges into `recorder` (which the page keeps from one session to the next). Fails
    /// also for a Rego policy that does not load.
    pub fn recorded(
        settings: RunSettings,
        policy: Option<&Policy>,
        recorder: &Recorder,
    ) -> Result<Session, String> {
        let scenario = Scenario::builtin(&settings.scenario).map_err(|e| e.to_string())?;
        let policy = policy.filter(|p| p.scenario == scenario.name()).cloned();
        if settings.agent == Decider::Policy && policy.is_none() {
            return Err(format!(
                "agent \"policy\": no policy for scenario {:?} is loaded in this tab and none is \
                 bundled with the page; load a policy file in the Learned policy panel or train one in \
                 the Training panel",
                settings.scenario
            ));
        }
        let gate = gate_choice::build(settings.gate, settings.rego.as_ref(), recorder)
            .map_err(|e| format!("gate: {e}"))?;
        let env = Env::with_parts(
            scenario.clone(),
            CveCatalog::builtin(),
            Box::new(OfflineJudge),
            Box::new(gate),
        )?;
        let agent = make_agent(settings.agent, &scenario, policy.as_ref());
        let run = Run::new(env, agent, settings.seed, options(&settings), None);
        Ok(Session {
            scenario,
            run,
            settings,
            policy,
            recorder: recorder.clone(),
        })
    }

    /// The last proposal the gate judged (in this session or an earlier one of the page).
    pub fn last_proposal(&self) -> Option<Proposal> {
        self.recorder.last()
    }

    /// The policy loaded for this scenario.
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }

    /// Makes `policy` the one [`Session::inspect`] explains, for a person who keeps playing
    /// while the tab's policy changes (a training finished, "Keep playing"): ignored unless it
    /// was trained on this scenario. The `Policy` agent keeps the policy it plays, so the
    /// explanation stays the one of the steps it takes; returns whether it changed.
    pub fn explain(&mut self, policy: Option<&Policy>) -> bool {
        let policy = policy.filter(|p| p.scenario == self.scenario.name());
        if self.settings.agent == Decider::Policy || policy.is_none() {
            return false;
        }
        self.policy = policy.cloned();
        true
    }

    /// What the loaded policy would do after `k` steps of the episode (`None`: now), and why.
    /// It replays the episode's earlier observations into a fresh copy, so it explains any
    /// step whoever played it.
    pub fn inspect(&self, k: Option<usize>) -> Option<Inspection> {
        let policy = self.policy.as_ref()?;
        let mut agent = PolicyAgent::new(policy, &self.scenario).ok()?;
        agent.reset(self.settings.seed);
        let steps = &self.log().steps;
        let k = k.unwrap_or(steps.len()).min(steps.len());
        for recorded in &steps[..k] {
            agent.observe(&recorded.observation);
        }
        Some(agent.inspect(self.observation_at(k)))
    }

    /// The settings of this run (the seed is the current episode's).
    pub fn settings(&self) -> &RunSettings {
        &self.settings
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// A person's action. A refused action (unknown node, finished episode) changes nothing.
    pub fn act(&mut self, action: &Action) -> Result<(), String> {
        self.run.act(action.clone())
    }

    /// Every alert of the current episode, oldest first.
    pub fn alerts(&self) -> &[Alert] {
        self.run.env().alerts()
    }

    /// `running`, or how the episode ended.
    pub fn status(&self) -> &'static str {
        self.info().outcome.map_or("running", Outcome::as_str)
    }

    /// What the last step did, with the reward and cost of each part.
    pub fn last_events(&self) -> &[Event] {
        &self.info().events
    }

    /// The last step's reward and cost.
    pub fn last_reward_cost(&self) -> Option<(f64, f64)> {
        self.log()
            .steps
            .last()
            .map(|r| (r.step.reward, r.step.cost))
    }

    /// The episode's alerts as ECS-style NDJSON.
    pub fn alerts_ndjson(&self) -> String {
        alerts_ndjson(self.alerts())
    }
}

/// The agent of `choice` on `scenario` (`None`: a person; the `Policy` agent plays `policy`).
fn make_agent(
    choice: Decider,
    scenario: &Scenario,
    policy: Option<&Policy>,
) -> Option<Box<dyn Agent<Env>>> {
    match choice {
        Decider::Human => None,
        RANDOM => Some(Box::new(RandomAgent::new())),
        SOP => Some(Box::new(SopAgent::new(scenario))),
        // The settings read only the names of DECIDERS.
        Decider::Agent(_) => None,
        Decider::Policy => policy.and_then(|p| {
            let agent = PolicyAgent::new(p, scenario).ok()?;
            Some(Box::new(agent) as Box<dyn Agent<Env>>)
        }),
    }
}

crate::page_session!(Session, Env, RunSettings);

fn options(settings: &RunSettings) -> ResetOptions {
    ResetOptions {
        level: Some(settings.level),
        curriculum: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::page_session::PageSession;
    use crate::play::speed::Speed;
    use ztgym::agents::builtin_agent;
    use ztgym::eval::trajectory_jsonl;

    fn settings(agent: Decider, seed: u64) -> RunSettings {
        RunSettings {
            scenario: "classic".into(),
            level: ztgym::Level::Warmup,
            seed,
            agent,
            speed: Speed::Max,
            policy: None,
            gate: super::super::gate_choice::GateChoice::Builtin,
            rego: None,
        }
    }

    #[test]
    fn the_rego_gate_plays_exactly_as_the_built_in_one_and_shows_its_input() {
        use super::super::gate_choice::GateChoice;
        for seed in [1, 42] {
            let mut builtin = Session::new(settings(RANDOM, seed), None).unwrap();
            let rego_settings = RunSettings {
                gate: GateChoice::Rego,
                ..settings(RANDOM, seed)
            };
            let mut rego = Session::new(rego_settings, None).unwrap();
            builtin.play(1000, false);
            rego.play(1000, false);
            assert_eq!(builtin.trajectory_jsonl(), rego.trajectory_jsonl());
            assert_eq!(builtin.last_proposal(), rego.last_proposal());
        }
        let mut sop = Session::new(settings(SOP, 42), None).unwrap();
        assert!(sop.last_proposal().is_none());
        sop.play(1000, false);
        let seen = sop
            .last_proposal()
            .expect("the SOP operator isolates or patches");
        assert!(seen.approved_ticket && seen.investigated, "{seen:?}");
    }

    #[test]
    fn a_rego_policy_that_does_not_load_is_refused_by_name() {
        use super::super::gate_choice::GateChoice;
        let broken = RunSettings {
            gate: GateChoice::Rego,
            rego: Some(crate::rego::bundle::RegoBundle::single(
                super::gate_choice::FILE_NAME,
                "package ztgym.sre\n\nbroken := [\n",
            )),
            ..settings(Decider::Human, 1)
        };
        let err = Session::new(broken, None).err().unwrap();
        assert!(err.starts_with("gate: sre_gate.rego:"), "{err}");
    }

    #[test]
    fn an_automated_episode_exports_the_same_bytes_as_the_cli() {
        for (choice, name) in [(SOP, "sop"), (RANDOM, "random")] {
            let mut s = Session::new(settings(choice, 42), None).unwrap();
            s.play(1000, false);
            assert!(s.done());
            let scenario = Scenario::builtin("classic").unwrap();
            let mut agent = builtin_agent(name, &scenario).unwrap();
            let cli = trajectory_jsonl(
                &mut Env::new(scenario),
                agent.as_mut(),
                42,
                &ResetOptions {
                    level: Some(ztgym::Level::Warmup),
                    curriculum: false,
                },
            );
            assert_eq!(s.trajectory_jsonl(), cli, "{name}");
        }
    }

    #[test]
    fn a_person_can_break_the_rules_and_a_refused_action_changes_nothing() {
        let mut s = Session::new(settings(Decider::Human, 3), None).unwrap();
        assert!(!s.agent_step(), "no agent acts for a person");
        let err = s
            .act(&Action::QuerySiemLogs {
                node: "mainframe".into(),
            })
            .unwrap_err();
        assert!(err.contains("unknown service"));
        assert_eq!(s.log().steps.len(), 0);
        let target = s.observation().alerts[0].host.to_string();
        s.act(&Action::IsolateNode { node: target }).unwrap();
        assert_eq!(s.status(), "violation");
        assert!(s
            .act(&Action::Wait)
            .unwrap_err()
            .contains("episode is over"));
        s.restart();
        assert_eq!(s.status(), "running");
        assert!(s.log().steps.is_empty());
    }

    #[test]
    fn keep_going_plays_episode_after_episode_with_the_next_seeds() {
        let mut s = Session::new(settings(SOP, 10), None).unwrap();
        let steps = s.play(100, true);
        assert_eq!(steps, 100);
        let stats = s.stats();
        assert!(stats.episodes >= 15, "{stats:?}");
        assert_eq!(stats.successes, stats.episodes);
        assert_eq!(s.settings().seed, 10 + stats.episodes);
        assert!(s.log().steps.len() < 16, "only the current episode is kept");
    }

    #[test]
    fn replay_walks_the_recorded_observations() {
        let mut s = Session::new(settings(SOP, 5), None).unwrap();
        let first = s.observation().clone();
        s.play(100, false);
        let n = s.log().steps.len();
        assert_eq!(s.observation_at(0), &first);
        assert_eq!(s.observation_at(n), s.observation());
        assert_eq!(s.observation_at(1).step, 1);
    }

    fn bundled(name: &str) -> Policy {
        let (file, text) = super::super::bundled_policies::BUNDLED
            .iter()
            .find(|(file, _)| *file == name)
            .unwrap();
        Policy::parse(file, text, None).unwrap()
    }

    #[test]
    fn a_loaded_policy_plays_exactly_as_the_cli_plays_it() {
        let policy = bundled("classic-q-lagrangian.json");
        let mut s = Session::new(settings(Decider::Policy, 42), Some(&policy)).unwrap();
        s.play(1000, false);
        assert_eq!(s.status(), "success");
        let scenario = Scenario::builtin("classic").unwrap();
        let mut agent = PolicyAgent::new(&policy, &scenario).unwrap();
        let cli = trajectory_jsonl(
            &mut Env::new(scenario),
            &mut agent,
            42,
            &ResetOptions {
                level: Some(ztgym::Level::Warmup),
                curriculum: false,
            },
        );
        assert_eq!(s.trajectory_jsonl(), cli);
    }

    #[test]
    fn inspection_foretells_each_action_the_policy_takes() {
        let policy = bundled("classic-q-lagrangian.json");
        let mut s = Session::new(settings(Decider::Policy, 7), Some(&policy)).unwrap();
        while !s.done() {
            let told = s.inspect(None).unwrap();
            assert!(s.agent_step());
            assert_eq!(s.log().steps.last().unwrap().action, told.action);
        }
        // After the fact, every step can still be explained, e.g. the first one.
        let first = s.inspect(Some(0)).unwrap();
        assert_eq!(s.log().steps[0].action, first.action);
    }

    #[test]
    fn a_person_playing_on_gets_the_new_policy_explained() {
        let classic = bundled("classic-q-lagrangian.json");
        let mut s = Session::new(settings(Decider::Human, 7), None).unwrap();
        assert!(s.inspect(None).is_none());
        assert!(s.act(&ztgym::Action::Wait).is_ok());
        assert!(
            !s.explain(Some(&bundled("enterprise-q-lagrangian.json"))),
            "a policy for another scenario is not explained here"
        );
        assert!(s.explain(Some(&classic)));
        assert!(s.policy().is_some());
        let told = s.inspect(None).expect("the new policy is explained");
        let mut agent = PolicyAgent::new(&classic, s.scenario()).unwrap();
        agent.reset(7);
        agent.observe(&s.log().steps[0].observation);
        assert_eq!(told.action, agent.inspect(s.observation()).action);
        assert_eq!(s.log().steps.len(), 1, "the person's episode goes on");
        let mut played = Session::new(settings(Decider::Policy, 7), Some(&classic)).unwrap();
        assert!(
            !played.explain(Some(&classic)),
            "the agent's own policy stays explained"
        );
    }

    #[test]
    fn the_policy_agent_needs_a_policy_for_the_scenario() {
        let err = Session::new(settings(Decider::Policy, 1), None)
            .err()
            .unwrap();
        assert!(
            err.contains("agent \"policy\"") && err.contains("classic"),
            "{err}"
        );
        let enterprise = bundled("enterprise-q-lagrangian.json");
        assert!(Session::new(settings(Decider::Policy, 1), Some(&enterprise)).is_err());
        let human = Session::new(settings(Decider::Human, 1), Some(&enterprise)).unwrap();
        assert!(
            human.policy().is_none(),
            "a policy for another scenario is set aside"
        );
        assert!(human.inspect(None).is_none());
    }
}
