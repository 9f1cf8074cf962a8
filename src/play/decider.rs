//! Who acts in a page's run: a person, one of the environment's built-in agents by name, or the
//! tab's policy (trained in the page or loaded from a file); and the Agent select that picks
//! one. Each environment says its agents ([`Agents`]).

use leptos::prelude::*;

/// An environment's agents as its Agent select offers them.
pub struct Agents {
    /// Its built-in agents: the name links and files use, and the label.
    pub builtin: &'static [(&'static str, &'static str)],
    /// The label of the tab's policy.
    pub policy_label: &'static str,
}

impl Agents {
    /// The agents that can play, in words: `Random, SOP operator or a policy`.
    pub fn said(&self) -> String {
        let labels: Vec<&str> = self.builtin.iter().map(|(_, label)| *label).collect();
        format!("{} or a policy", labels.join(", "))
    }

    /// The built-in agents' names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.builtin.iter().map(|(name, _)| *name).collect()
    }
}

/// Who acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decider {
    Human,
    /// A built-in agent, by name.
    Agent(&'static str),
    /// The tab's policy, playing frozen. A link can name it but not carry it: the page
    /// restores the tab's last policy from local storage.
    Policy,
}

impl Decider {
    /// One of three things said by who acts: the tab's policy, the person, a built-in agent.
    pub fn pick<T>(self, policy: T, person: T, agent: T) -> T {
        match self {
            Decider::Policy => policy,
            Decider::Human => person,
            Decider::Agent(_) => agent,
        }
    }

    /// Every choice of `agents`, the person first, the tab's policy last.
    pub fn all(agents: &'static Agents) -> impl Iterator<Item = Decider> {
        std::iter::once(Decider::Human)
            .chain(agents.builtin.iter().map(|(name, _)| Decider::Agent(name)))
            .chain(std::iter::once(Decider::Policy))
    }

    /// Its name in links and file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Decider::Human => "human",
            Decider::Agent(name) => name,
            Decider::Policy => "policy",
        }
    }

    /// Its label in the Agent select.
    pub fn label(self, agents: &Agents) -> &'static str {
        match self {
            Decider::Human => "Human (you)",
            Decider::Policy => agents.policy_label,
            Decider::Agent(name) => agents
                .builtin
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(name, |(_, label)| label),
        }
    }

    /// The choice of `agents` named `s`.
    pub fn parse(s: &str, agents: &'static Agents) -> Option<Decider> {
        Decider::all(agents).find(|d| d.as_str() == s)
    }
}

/// The Agent select of the run controls.
#[component]
pub fn AgentSelect(
    agents: &'static Agents,
    /// The choice in force.
    #[prop(into)]
    value: Signal<Decider>,
    /// Called with a new choice.
    #[prop(into)]
    on_choose: Callback<Decider>,
    /// Whether the tab's policy cannot play now (its choice is shown disabled).
    #[prop(optional, into)]
    policy_unavailable: Signal<bool>,
) -> impl IntoView {
    view! {
        <label>
            "Agent"
            <select
                data-testid="agent-select"
                prop:value=move || value.get().as_str()
                on:change=move |ev| {
                    if let Some(a) = Decider::parse(&event_target_value(&ev), agents) {
                        on_choose.run(a);
                    }
                }
            >
                {Decider::all(agents)
                    .map(|a| {
                        let unavailable = move || a == Decider::Policy && policy_unavailable.get();
                        view! {
                            <option value=a.as_str() disabled=unavailable>
                                {a.label(agents)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
