//! A labelled select of named choices: how a page offers its scenarios, tasks, levels, stages.

use leptos::prelude::*;

/// A value a select offers: its name (the option's value, as links write it) and its text.
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    fn name(self) -> &'static str;

    fn text(self) -> String {
        self.name().to_string()
    }
}

/// A scenario, by its name.
impl Choice for &'static str {
    fn name(self) -> &'static str {
        self
    }
}

/// `label` and a select of `choices` showing `value`; `on_choose` gets the choice picked.
#[component]
pub fn ChoiceSelect<T: Choice>(
    label: &'static str,
    choices: Vec<T>,
    #[prop(into)] value: Signal<T>,
    on_choose: impl Fn(T) + 'static,
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
    let options = choices
        .iter()
        .map(|c| view! { <option value=c.name()>{c.text()}</option> })
        .collect_view();
    let choose = move |name: String| {
        if let Some(c) = choices.iter().find(|c| c.name() == name) {
            on_choose(*c);
        }
    };
    view! {
        <label class=class title=title>
            {label}
            <select
                data-testid=testid
                prop:value=move || value.get().name()
                on:change=move |ev| choose(event_target_value(&ev))
            >
                {options}
            </select>
        </label>
    }
}
