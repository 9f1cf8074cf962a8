//! A labelled select of named choices: how a page offers its scenarios, tasks, levels, stages.

use leptos::prelude::*;

/// `label` and a select of `choices` (each its value and its text) showing `value`;
/// `on_choose` gets the value picked.
#[component]
pub fn ChoiceSelect(
    label: &'static str,
    choices: Vec<(&'static str, String)>,
    #[prop(into)] value: Signal<String>,
    on_choose: impl Fn(String) + 'static,
    /// The label's class.
    #[prop(optional)]
    class: Option<&'static str>,
    /// The label's title (a tooltip saying what the choice does).
    #[prop(optional)]
    title: Option<&'static str>,
    /// The select's `data-testid`.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class=class title=title>
            {label}
            <select
                data-testid=testid
                prop:value=move || value.get()
                on:change=move |ev| on_choose(event_target_value(&ev))
            >
                {choices
                    .into_iter()
                    .map(|(value, text)| view! { <option value=value>{text}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
