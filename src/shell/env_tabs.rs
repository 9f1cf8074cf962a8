//! The environment tabs in the header: one per entry of [`ENVIRONMENTS`], the one on screen
//! selected; those not built yet are shown, disabled, as coming soon.

use crate::envs::{Environment, ENVIRONMENTS};
use leptos::prelude::*;

#[component]
pub fn EnvTabs(
    /// The environment on screen.
    #[prop(into)]
    current: Signal<&'static str>,
    /// Called with the id of a built environment's tab when it is chosen.
    #[prop(into)]
    on_choose: Callback<&'static str>,
) -> impl IntoView {
    view! {
        <div class="env-tabs" role="tablist" aria-label="Environments" data-testid="env-tabs">
            {ENVIRONMENTS
                .iter()
                .map(|env: &'static Environment| {
                    let selected = move || current.get() == env.id;
                    let built = env.page.is_some();
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("env-tab-{}", env.id)
                            class="env-tab"
                            aria-selected=move || selected().to_string()
                            aria-controls=move || selected().then_some("main")
                            tabindex=move || if selected() { "0" } else { "-1" }
                            disabled=!built
                            data-testid="env-tab"
                            data-env=env.id
                            on:click=move |_| {
                                if built && !selected() {
                                    on_choose.run(env.id);
                                }
                            }
                        >
                            {env.name}
                            {(!built).then(|| view! { <span class="env-tab-soon">"coming soon"</span> })}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
