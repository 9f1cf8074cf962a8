//! The SRE gym's state on the page: its session, the person's target and justification, and
//! what changes them. Shared with the SRE gym's panels through context; the player and the
//! learning panels drive it through [`Playable`](crate::play::playable::Playable) and [`LearningHost`].

use super::adapter::{LoadedPolicy, TabPolicy};
use super::bundled_policies::{self, BUNDLED};
use super::evidence;
use super::gate_choice::{self, GateChoice, Recorder};
use super::id::ENV;
use super::policy_to_load;
use super::session::Session;
use super::settings::{Decider, RunSettings};
use crate::learning::bundled::{show_bundled, stood_in_notice};
use crate::learning::host::LearningHost;
use crate::learning::policy_store::now_acts;
use crate::play::state::PageState;
use crate::rego::bundle::RegoBundle;
use crate::shell::notices::{link_notice, Notices};
use crate::shell::result_view::bring_result_into_view;
use crate::shell::url_hash::UrlHash;
use leptos::prelude::*;
use ztgym::{Action, Level};

/// The SRE gym's state. All fields are cheap handles.
#[derive(Clone, Copy)]
pub struct SreGym {
    /// The session, the player, the notices and the link (what every page keeps).
    pub state: PageState<Session>,
    /// Bumped when the scenario (and so the graph's shape) changes.
    pub scenario_version: RwSignal<u64>,
    /// The node the next action targets.
    pub target: RwSignal<Option<String>>,
    pub justification: RwSignal<String>,
    /// The policy loaded or trained last for the SRE gym.
    pub policy: TabPolicy,
    /// A trained policy waiting for the person's answer (they were mid-episode), and its
    /// summary while the question shows.
    offered: StoredValue<Option<LoadedPolicy>, LocalStorage>,
    pub offer: RwSignal<Option<String>>,
    /// The last proposal the gate judged, kept across sessions of the same scenario.
    recorder: StoredValue<Recorder>,
    /// The Rego gate's text in force (the shipped one until edited), for the Rego panel.
    pub rego: RwSignal<RegoBundle>,
}

impl SreGym {
    /// Starts from the URL hash, reporting any problem in it.
    pub fn new(hash: UrlHash, notices: Notices) -> SreGym {
        let (settings, mut problems) = RunSettings::from_hash(&hash.last());
        let (policy, problem) = TabPolicy::restore(ENV);
        problems.extend(problem);
        let bundled_note = load_bundled(policy, &settings);
        let tab_policy = policy.get_untracked();
        let recorder = Recorder::default();
        let rego = gate_choice::rego_bundle(settings.rego.as_ref());
        let session = Session::recorded(settings.clone(), tab_policy.as_ref(), &recorder)
            .unwrap_or_else(|e| {
                problems.push(e);
                let human = RunSettings {
                    agent: Decider::Human,
                    ..settings.clone()
                };
                Session::recorded(human, tab_policy.as_ref(), &recorder).unwrap_or_else(|_| {
                    Session::recorded(RunSettings::default(), None, &recorder)
                        .expect("the default is built in")
                })
            });
        notices.set(link_notice(&problems));
        if let (true, Some(note)) = (problems.is_empty(), bundled_note) {
            notices.info(note);
        }
        // A bundled policy goes in the link, so the link plays it in any browser.
        let state = PageState::new(session, settings.speed, notices, hash).link_amended(
            Callback::new(move |mut s: RunSettings| {
                s.policy = policy
                    .source_and_scenario()
                    .filter(|(_, scenario)| *scenario == s.scenario)
                    .and_then(|(source, _)| {
                        bundled_policies::from_source(&source).map(str::to_string)
                    });
                s
            }),
        );
        SreGym {
            state,
            scenario_version: RwSignal::new(0),
            target: RwSignal::new(None),
            justification: RwSignal::new(String::new()),
            policy,
            offered: StoredValue::new_local(None),
            offer: RwSignal::new(None),
            recorder: StoredValue::new(recorder),
            rego: RwSignal::new(rego),
        }
    }

    /// The person's answer to the trained policy's offer: let it play now, or keep playing
    /// (the policy is kept in the tab, and plays when the person chooses it as the agent).
    pub fn answer_offer(&self, take_over: bool) {
        let Some(loaded) = self.offered.try_update_value(Option::take).flatten() else {
            return;
        };
        self.offer.set(None);
        if take_over {
            self.use_policy(loaded);
        } else {
            // The Policy panel explains the policy the tab now holds, on the person's episode.
            self.policy.keep_explained(
                loaded,
                |p| self.change(|s| _ = s.explain(Some(p))),
                self.notices,
            );
        }
    }

    /// Reads the observation on screen: the replayed one, or the current one.
    pub fn shown<T>(&self, f: impl FnOnce(&ztgym::Observation) -> T) -> T {
        let replay = self.player.replay.get();
        self.read(|s| match replay {
            Some(k) => f(s.observation_at(k)),
            None => f(s.observation()),
        })
    }

    /// The scenario's service ids, tracking only a change of scenario.
    pub fn service_names(&self) -> Vec<String> {
        self.scenario_version.track();
        self.peek(|s| s.scenario().names.iter().map(|n| n.to_string()).collect())
    }

    /// Applies new settings: a new session unless only the speed changed.
    pub fn apply(&self, settings: RunSettings) {
        self.start(settings, false);
    }

    /// Starts a new session with `settings`, even if they are the current ones (a lesson
    /// starts from its beginning).
    pub fn start_fresh(&self, settings: RunSettings) {
        self.start(settings, true);
    }

    /// Applies settings; with `fresh`, starts a new session even if they are unchanged.
    fn start(&self, settings: RunSettings, fresh: bool) {
        self.player.speed.set(settings.speed);
        let current = self.settings();
        let same_run = RunSettings {
            speed: settings.speed,
            ..current.clone()
        } == settings;
        if fresh || !same_run {
            let scenario_changed = current.scenario != settings.scenario;
            if let Some(note) = load_bundled(self.policy, &settings) {
                self.notices.info(note);
            }
            let rego = gate_choice::rego_bundle(settings.rego.as_ref());
            if scenario_changed {
                self.recorder.with_value(Recorder::clear);
            }
            let recorder = self.recorder.get_value();
            match Session::recorded(settings, self.policy.get_untracked().as_ref(), &recorder) {
                Ok(session) => {
                    if self.rego.get_untracked() != rego {
                        self.rego.set(rego);
                    }
                    self.replace(session);
                    if scenario_changed {
                        self.target.set(None);
                        self.scenario_version.update(|v| *v += 1);
                    }
                }
                Err(e) => self.notices.error(e),
            }
        }
        self.write_hash();
    }

    /// The JSON input the gate saw last (a proposal), tracking every change to the session.
    pub fn gate_input(&self) -> Option<serde_json::Value> {
        self.read(|s| s.last_proposal())
            .and_then(|p| serde_json::to_value(p).ok())
    }

    /// Puts a Rego text in force as the gate (choosing the Rego gate): a new episode, same
    /// seed. A text that does not load, or whose `broken` is not a list of rules, changes
    /// nothing and is returned as the error.
    pub fn apply_rego(&self, bundle: RegoBundle) -> Result<(), String> {
        gate_choice::rego_gate(&bundle)?;
        let mut settings = self.settings();
        settings.gate = GateChoice::Rego;
        settings.rego = gate_choice::edited(&bundle);
        self.player.pause(self.state);
        self.start(settings, true);
        Ok(())
    }

    /// A person's action; a refused one is reported and changes nothing.
    pub fn act(&self, action: Action) {
        if self.player.replay.get_untracked().is_some() {
            self.player.replay.set(None);
        }
        let mut result = Ok(());
        self.change(|s| result = s.act(&action));
        match result {
            Ok(()) => {
                self.notices.clear();
                bring_result_into_view();
            }
            Err(text) => self.notices.error(text),
        }
    }

    /// Adds a citation to the justification.
    pub fn cite(&self, citation: &str) {
        self.justification
            .update(|j| *j = evidence::append(j, citation));
    }
}

crate::page_state_deref!(SreGym, Session);

impl LearningHost for SreGym {
    type Adapter = ztgym::learn::Executor;
    const BUNDLED: &'static [(&'static str, &'static str)] = &BUNDLED;
    const LEARNED_HINT: &'static str = "The states training visited, most visited first, and the action the policy picks in each. To see why a trained agent waits for approval before isolating, follow the ticket column: in a good policy, isolate is the greedy action only where the ticket is isolate_approved.";

    fn tab_policy(&self) -> TabPolicy {
        self.policy
    }

    fn scenario(&self) -> String {
        self.scenario_version.track();
        self.peek(|s| s.settings().scenario.clone())
    }

    fn training_ground(&self) -> (String, Option<Level>) {
        let s = self.settings();
        (s.scenario, Some(s.level))
    }

    /// Asks first if a person is mid-episode; otherwise the policy plays at once.
    fn offer_trained(&self, loaded: LoadedPolicy) {
        if self.person_mid_episode() {
            self.offer.set(Some(loaded.summary()));
            self.offered.set_value(Some(loaded));
        } else {
            self.use_policy(loaded);
        }
    }

    /// Makes `loaded` the tab's policy, keeps it for the next visit, and lets it play: the
    /// run switches to the policy's scenario if needed, with the Policy agent, same seed.
    fn use_policy(&self, loaded: LoadedPolicy) {
        let summary = loaded.summary();
        let scenario = loaded.policy.scenario.clone();
        let level = loaded.policy.training.level;
        let saved = self.policy.keep(loaded);
        let mut settings = self.settings();
        if settings.scenario != scenario {
            settings.scenario = scenario;
            settings.level = level;
        }
        settings.agent = Decider::Policy;
        self.player.pause(self.state);
        // A new session even if the settings are unchanged: the agent is a new policy.
        self.start(settings, true);
        self.notices.info(now_acts(&summary, "plays", saved));
    }
}

/// Loads the bundled policy the settings need (see [`policy_to_load::to_load`]) as the tab's
/// policy for this visit. Returns what to tell the person when it stands in for a policy the
/// link did not name.
fn load_bundled(tab: TabPolicy, settings: &RunSettings) -> Option<String> {
    let current = tab.source_and_scenario();
    let current = current.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
    let (file, text) = policy_to_load::to_load(settings, current)?;
    show_bundled(tab, (file, text), &settings.scenario)?;
    (settings.policy.is_none()).then(|| stood_in_notice(&settings.scenario, file))
}

/// Asks a person who is mid-episode before a policy training just produced takes over.
#[component]
pub fn TakeOverPrompt() -> impl IntoView {
    let gym = use_gym();
    view! {
        {move || {
            gym.offer
                .get()
                .map(|summary| {
                    view! {
                        <div class="take-over" role="alert" data-testid="take-over">
                            <p>
                                {format!("Training finished: the trained policy ({summary}) is ready. Let it take over? Your episode ends.")}
                            </p>
                            <div class="control-row">
                                <button class="primary" on:click=move |_| gym.answer_offer(true)>
                                    "Let it play"
                                </button>
                                <button on:click=move |_| gym.answer_offer(false)>"Keep playing"</button>
                            </div>
                        </div>
                    }
                })
        }}
    }
}

/// The SRE gym from context.
pub fn use_gym() -> SreGym {
    expect_context::<SreGym>()
}
