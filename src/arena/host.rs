//! The Arena panel's view of the environment on screen, its types erased so the panel is one
//! copy for every environment: the agents it offers, how a policy file is checked for the
//! scenario on screen, and how an agent is shown playing a seed on the stage.

use super::job::AgentSpec;
use super::link::LinkAgent;
use crate::learning::bundled::bundled_for;
use crate::learning::host::LearningHost;
use crate::learning::policy_store::LoadedPolicyOf;
use crate::play::decider::Decider;
use crate::play::link_settings::LinkSettings;
use crate::play::page_session::LinkedSession;
use crate::play::playable::Playable;
use crate::play::player::use_player;
use crate::play::state::PageState;
use leptos::prelude::*;

/// An agent the panel offers: its key (checkbox and order), label, what the worker plays and
/// how a link names it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Entry {
    pub(super) key: String,
    pub(super) label: String,
    pub(super) spec: AgentSpec,
    pub(super) link: LinkAgent,
}

/// The panel's view of the environment on screen, its types erased (one copy of the panel for
/// every environment).
#[derive(Clone, Copy)]
pub(super) struct ArenaHost {
    pub(super) env: &'static str,
    pub(super) scenario: Memo<String>,
    pub(super) builtin: &'static [(&'static str, &'static str)],
    pub(super) bundled: &'static [(&'static str, &'static str)],
    /// The tab's policy (trained here or loaded in the Policy panel) if it plays the scenario
    /// on screen: its source and text.
    pub(super) tab_policy: Signal<Option<(String, String)>>,
    /// Reads a policy file for the scenario on screen; the error says why not.
    pub(super) check: Callback<(String, String), Result<(), String>>,
    /// Shows agent `spec` playing `seed` on the stage, under the settings the arena ranked on
    /// (the scenario's defaults: a level, stage, gate or policy edit on screen is set aside).
    pub(super) watch: Callback<(AgentSpec, u64), Result<(), String>>,
}

impl ArenaHost {
    pub(super) fn of<H: LearningHost, S: LinkedSession>(host: H, state: PageState<S>) -> ArenaHost {
        let scenario = Memo::new(move |_| host.scenario());
        let tab = host.tab_policy();
        let deciders = <S::Settings as LinkSettings>::DECIDERS;
        let player = use_player();
        ArenaHost {
            env: H::ENV,
            scenario,
            builtin: deciders.builtin,
            bundled: H::BUNDLED,
            tab_policy: Signal::derive(move || {
                let on_screen = scenario.get();
                tab.with(|p| {
                    p.filter(|l| l.policy.scenario == on_screen)
                        .map(|l| (l.source.clone(), l.text.clone()))
                })
            }),
            check: Callback::new(move |(name, text): (String, String)| {
                LoadedPolicyOf::<H::Adapter>::from_file(&name, &text, &scenario.get_untracked())
                    .map(|_| ())
            }),
            watch: Callback::new(move |(spec, seed): (AgentSpec, u64)| {
                match spec {
                    AgentSpec::Builtin { name } => {
                        let agent = Decider::parse(&name, deciders)
                            .ok_or_else(|| format!("{name:?} is not an agent of this tab"))?;
                        state.update(|s| {
                            *s = s.ranked();
                            s.set_agent(agent);
                            s.set_seed(seed);
                        });
                    }
                    AgentSpec::Policy { label, text } => {
                        let loaded = LoadedPolicyOf::<H::Adapter>::from_file(
                            &label,
                            &text,
                            &scenario.get_untracked(),
                        )?;
                        host.use_policy(loaded);
                        state.update(|s| {
                            *s = s.ranked();
                            s.set_seed(seed);
                        });
                    }
                }
                // From its first step, even when that seed is on screen and finished (Play
                // would move on to the next).
                Playable::set_seed(&state, seed);
                player.play(state);
                if let Some(stage) = document().get_element_by_id("main") {
                    stage.scroll_into_view();
                }
                Ok(())
            }),
        }
    }

    /// Every agent on offer: built-in, bundled for the scenario, the tab's policy, files.
    pub(super) fn entries(&self, files: &[(String, String)]) -> Vec<Entry> {
        let mut all: Vec<Entry> = self
            .builtin
            .iter()
            .map(|(name, label)| Entry {
                key: format!("builtin:{name}"),
                label: format!("{label} ({name})"),
                spec: AgentSpec::Builtin {
                    name: name.to_string(),
                },
                link: LinkAgent::Builtin(name.to_string()),
            })
            .collect();
        for file in bundled_for(self.bundled, &self.scenario.get()) {
            let text = self
                .bundled
                .iter()
                .find(|(f, _)| *f == file)
                .map(|(_, t)| *t);
            let name = file.strip_suffix(".json").unwrap_or(file);
            all.push(Entry {
                key: format!("bundled:{name}"),
                label: format!("bundled {file}"),
                spec: AgentSpec::Policy {
                    label: format!("bundled {file}"),
                    text: text.unwrap_or_default().to_string(),
                },
                link: LinkAgent::Bundled(name.to_string()),
            });
        }
        if let Some((source, text)) = self.tab_policy.get() {
            let label = format!("this tab's policy ({source})");
            all.push(Entry {
                key: "tab".into(),
                label: label.clone(),
                spec: AgentSpec::Policy {
                    label: label.clone(),
                    text: text.clone(),
                },
                link: LinkAgent::Policy { label, text },
            });
        }
        for (i, (name, text)) in files.iter().enumerate() {
            all.push(Entry {
                key: format!("file:{i}"),
                label: name.clone(),
                spec: AgentSpec::Policy {
                    label: name.clone(),
                    text: text.clone(),
                },
                link: LinkAgent::Policy {
                    label: name.clone(),
                    text: text.clone(),
                },
            });
        }
        all
    }
}
