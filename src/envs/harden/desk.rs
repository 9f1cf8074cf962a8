//! The hardening page's state: its session, the candidate a person has picked, and what
//! changes them. Shared with the hardening panels through context; the player drives it
//! through [`Playable`](crate::play::playable::Playable). It also holds what the Rego panel needs: the policy in force
//! ([`HardenDesk::policy_bundle`], [`HardenDesk::set_policy`]) and the gate's input for the
//! current proposal ([`HardenDesk::gate_input`]).

use super::policies::HardenPolicies;
use super::session::Session;
use super::settings::{Decider, HardenSettings};
use crate::play::state::PageState;
use crate::rego::bundle::RegoBundle;
use crate::shell::notices::{link_notice, Notices};
use crate::shell::result_view::bring_result_into_view;
use crate::shell::url_hash::UrlHash;
use leptos::prelude::*;
use serde_json::Value;

/// The hardening page's state. All fields are cheap handles.
#[derive(Clone, Copy)]
pub struct HardenDesk {
    /// The session, the player, the notices and the link (what every page keeps).
    pub state: PageState<Session>,
    /// The candidate a person picked (index into the candidates on screen).
    pub picked: RwSignal<usize>,
    /// The gate's input for the current proposal (the picked candidate; for an agent, the
    /// one it proposed last), for the Rego panel.
    pub gate_input: Memo<Option<Value>>,
    /// The tab's trained or loaded policies, one per action set (`policies.rs`).
    pub policies: HardenPolicies,
}

crate::page_state_deref!(HardenDesk, Session);

impl HardenDesk {
    /// Starts from the URL hash, reporting any problem in it.
    pub fn new(hash: UrlHash, notices: Notices) -> HardenDesk {
        let (settings, mut problems) = HardenSettings::from_hash(&hash.last());
        let (policies, problem) = HardenPolicies::restore();
        problems.extend(problem);
        let stood_in = policies.stand_in(&settings);
        let agent = policies.agent_for(&settings);
        let session = Session::with_policy_agent(settings.clone(), agent).unwrap_or_else(|e| {
            problems.push(e);
            Session::new(HardenSettings {
                agent: Decider::Human,
                hostile: false,
                ..settings.clone()
            })
            .or_else(|_| Session::new(HardenSettings::default()))
            .expect("the built-in scenario plays")
        });
        notices.set(link_notice(&problems));
        if let (Some(notice), true) = (stood_in, problems.is_empty()) {
            notices.info(notice);
        }
        let picked = RwSignal::new(0usize);
        // A new episode (or session) shows new candidates: the pick goes back to the first.
        let state = PageState::new(session, settings.speed, notices, hash)
            .on_change(Callback::new(move |()| picked.set(0)));
        let gate_input = Memo::new(move |_| {
            let k = picked.get();
            state.read(|s| {
                if s.automated() {
                    s.log()
                        .steps
                        .last()
                        .and_then(|r| r.step.info.cycle.as_ref().map(|c| c.gate_input.clone()))
                } else {
                    s.gate_input(k)
                }
            })
        });
        HardenDesk {
            state,
            picked,
            gate_input,
            policies,
        }
    }

    /// Applies new settings: a new session unless only the speed changed. A policy put in
    /// force by hand (`rego`) stays in force while the scenario stays the same.
    pub fn apply(&self, settings: HardenSettings) {
        self.start(settings, false);
    }

    /// Applies settings; with `fresh`, starts a new session even if they are unchanged (a new
    /// learned policy plays).
    pub fn start(&self, mut settings: HardenSettings, fresh: bool) {
        self.player.speed.set(settings.speed);
        let stood_in = self.policies.stand_in(&settings);
        let agent = self.policies.agent_for(&settings);
        if settings.agent == Decider::Policy && agent.is_none() {
            settings.agent = Decider::Human;
            self.notices.info(format!(
                "There is no policy for scenario {}: you propose. Train or load one in the Learned policy panel.",
                settings.scenario
            ));
        } else if let Some(notice) = stood_in {
            self.notices.info(notice);
        }
        let current = self.settings();
        if settings.scenario != current.scenario || settings.hostile {
            settings.rego = None;
        }
        if fresh || settings != current {
            match Session::with_policy_agent(settings, agent) {
                Ok(session) => self.replace(session),
                Err(e) => self.notices.error(e),
            }
        }
        self.write_hash();
    }

    /// The policy in force, as the Rego panel edits it (tracked).
    pub fn policy_bundle(&self) -> RegoBundle {
        self.read(|s| RegoBundle::from_policy(s.policy()))
    }

    /// Puts a policy in force from the next decision on, re-judging the proposals on screen.
    /// On an error nothing changes and the error is returned.
    pub fn set_policy(&self, bundle: RegoBundle) -> Result<(), String> {
        let mut result = Ok(());
        // The pick stays: the same candidates, judged again.
        self.adjust(|s| result = s.set_policy(&bundle));
        if result.is_ok() {
            self.write_hash();
        }
        result
    }

    fn person(&self, f: impl FnOnce(&mut Session) -> Result<(), String>) {
        let mut result = Ok(());
        self.change(|s| result = f(s));
        match result {
            Ok(()) => {
                self.notices.clear();
                bring_result_into_view();
            }
            Err(text) => self.notices.error(text),
        }
    }

    /// A person proposes candidate `index`.
    pub fn propose(&self, index: usize) {
        self.person(|s| s.propose(index));
    }

    /// Recommend-only mode: a person accepts or rejects recommendation `index`.
    pub fn answer(&self, index: usize, accepted: bool) {
        self.person(|s| s.answer(index, accepted));
    }
}

/// The hardening desk from context.
pub fn use_desk() -> HardenDesk {
    expect_context::<HardenDesk>()
}
