//! The environment tabs in the header: one per environment the app hands the shell, the one on
//! screen selected.

use super::lessons::Lesson;
use leptos::prelude::*;

/// One environment's tab: what the shell knows of an environment. Each environment's folder
/// says its own (`TAB`); `src/envs/mod.rs` lists them and the app hands the list to the shell.
pub struct EnvTab {
    /// Its id in links (`env=sre`), storage keys and the training worker's messages.
    pub id: &'static str,
    /// The tab's label.
    pub name: &'static str,
    /// Mounts its page.
    pub page: fn() -> AnyView,
    /// Its lessons, in the order its lesson box offers them (the course orders them across
    /// the tabs).
    pub lessons: &'static [Lesson],
}

impl EnvTab {
    pub const fn new(
        id: &'static str,
        name: &'static str,
        page: fn() -> AnyView,
        lessons: &'static [Lesson],
    ) -> EnvTab {
        EnvTab {
            id,
            name,
            page,
            lessons,
        }
    }
}

/// The tab of `id` among `tabs`.
pub fn find<'a>(tabs: &'a [EnvTab], id: &str) -> Option<&'a EnvTab> {
    tabs.iter().find(|t| t.id == id)
}

#[component]
pub fn EnvTabs(
    /// Every environment's tab, in order.
    tabs: &'static [EnvTab],
    /// The environment on screen.
    #[prop(into)]
    current: Signal<&'static str>,
    /// Called with the id of a built environment's tab when it is chosen.
    #[prop(into)]
    on_choose: Callback<&'static str>,
) -> impl IntoView {
    view! {
        <div class="env-tabs" role="tablist" aria-label="Environments" data-testid="env-tabs">
            {tabs
                .iter()
                .map(|env: &'static EnvTab| {
                    let selected = move || current.get() == env.id;
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("env-tab-{}", env.id)
                            class="env-tab"
                            aria-selected=move || selected().to_string()
                            aria-controls=move || selected().then_some("main")
                            tabindex=move || if selected() { "0" } else { "-1" }
                            data-testid="env-tab"
                            data-env=env.id
                            on:click=move |_| {
                                if !selected() {
                                    on_choose.run(env.id);
                                }
                            }
                        >
                            {env.name}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
