//! A person's decision: the action bar beside the inbox. A confidence slider, a reasoning box,
//! and Allow / Block / Warn / Investigate (keys a, b, w, i). Greyed out while an agent decides
//! or once the episode is over.

use super::desk::use_desk;
use super::session::MAX_REASONING;
use super::story::decision_label;
use leptos::prelude::*;
use ztgym::triage::Decision;

fn key(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "a",
        Decision::Block => "b",
        Decision::Warn => "w",
        Decision::Investigate => "i",
    }
}

fn hint(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "Deliver it",
        Decision::Block => "Stop it; a safe message blocked costs the user",
        Decision::Warn => "Deliver with a warning (tires the user)",
        Decision::Investigate => "Hold it for a check (slow, tiring)",
    }
}

#[component]
pub fn DecidePanel() -> impl IntoView {
    let desk = use_desk();
    let idle = move || desk.read(|s| !s.automated() && !s.done());
    view! {
        <section class="panel panel-decide" aria-labelledby="decide-heading">
            <h2 id="decide-heading" class="panel-title">"Decide"</h2>
            <div class="panel-body">
                <Show when=move || desk.read(|s| s.automated())>
                    <p class="hint">"An agent decides in this run. Choose Agent: Human (you) to decide yourself."</p>
                </Show>
                <label class="confidence">
                    <span>"Confidence "<output data-testid="confidence">{move || format!("{:.0}%", desk.confidence.get() * 100.0)}</output></span>
                    <input
                        type="range"
                        min="0"
                        max="1"
                        step="0.05"
                        aria-label="Confidence"
                        prop:value=move || desk.confidence.get().to_string()
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                desk.confidence.set(v.clamp(0.0, 1.0));
                            }
                        }
                    />
                </label>
                <label class="reasoning">
                    "Reasoning"
                    <textarea
                        rows="3"
                        maxlength=MAX_REASONING.to_string()
                        placeholder="What gave it away? e.g. lookalike sender, shortened link, asks for a password"
                        prop:value=move || desk.reasoning.get()
                        on:input=move |ev| desk.reasoning.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <div class="decisions">
                    {Decision::ALL
                        .into_iter()
                        .map(|d| {
                            view! {
                                <button
                                    class=format!("decision decision-{}", d.as_str())
                                    data-key=key(d)
                                    title=format!("{} ({})", hint(d), key(d))
                                    disabled=move || !idle()
                                    on:click=move |_| desk.decide(d)
                                >
                                    {decision_label(d)}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
        </section>
    }
}
