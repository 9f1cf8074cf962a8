//! The parts of every page's view of what the tab's policy would do on screen: what it reads
//! (its features, as chips) and the value of each action (as bars).

use super::value_chart::ValueBar;
use crate::play::link_settings::LinkSettings;
use crate::play::page_session::LinkedSession;
use crate::play::state::PageState;
use leptos::prelude::*;
use ztgym::core::policy::Inspection;

/// What the policy reads on screen: each feature's name and its value now.
#[component]
pub fn FeatureChips<A: Clone + PartialEq + Send + Sync + 'static>(
    inspection: Memo<Option<Inspection<A>>>,
    /// The features' names, in the adapter's order.
    names: Vec<&'static str>,
    /// The list's label for screen readers: `What the policy sees`.
    label: &'static str,
) -> impl IntoView {
    view! {
        <ul class="policy-features" aria-label=label data-testid="policy-features">
            {names
                .into_iter()
                .enumerate()
                .map(|(j, name)| {
                    let value = move || {
                        inspection
                            .with(|i| i.as_ref().and_then(|i| i.features.get(j).map(|f| f.1)).unwrap_or(""))
                    };
                    view! {
                        <li class="chip">
                            <span class="chip-name">{name}</span>
                            ": "
                            <strong>{value}</strong>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The value of each action on screen, highest marked.
#[component]
pub fn ValueChart<A: Clone + PartialEq + Send + Sync + 'static>(
    inspection: Memo<Option<Inspection<A>>>,
    /// The chart's label for screen readers.
    #[prop(default = "The value of each action (higher is better)")]
    label: &'static str,
) -> impl IntoView {
    let names =
        inspection.with_untracked(|i| i.as_ref().map(|i| i.actions.clone()).unwrap_or_default());
    view! {
        <ol class="policy-chart" aria-label=label data-testid="policy-chart">
            {names
                .into_iter()
                .enumerate()
                .map(|(a, name)| view! { <ValueBar inspection=inspection index=a name=name /> })
                .collect_view()}
        </ol>
    }
}

/// The inspection's view (`children`) while there is one, else a hint saying how to get one
/// (`hint`; with `hint_when`, only while that holds, e.g. while the tab has a policy).
#[component]
pub fn InspectionOrHint<T: Send + Sync + 'static>(
    inspection: Memo<Option<T>>,
    hint: impl Fn() -> String + Send + Sync + Copy + 'static,
    #[prop(optional, into)] hint_when: Option<Signal<bool>>,
    #[prop(optional)] hint_testid: Option<&'static str>,
    children: ChildrenFn,
) -> impl IntoView {
    let line = move || view! { <p class="hint" data-testid=hint_testid>{hint}</p> };
    let fallback = move || match hint_when {
        Some(when) => view! { <Show when=move || when.get()>{line()}</Show> }.into_any(),
        None => line().into_any(),
    };
    view! {
        <Show when=move || inspection.with(Option::is_some) fallback=fallback>
            {children()}
        </Show>
    }
}

/// The frame of every page's inspection: its heading, who acts in the run (`policy-who`), then
/// what the policy reads and would do (`children`).
#[component]
pub fn InspectionSection(
    #[prop(into)] heading: Signal<String>,
    #[prop(into)] who: Signal<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="policy-inspection" aria-labelledby="policy-inspection-heading">
            <h3 id="policy-inspection-heading">{heading}</h3>
            <p class="hint" data-testid="policy-who">{who}</p>
            {children()}
        </section>
    }
}

/// Who acts in the run on screen, in the inspection's words: `says` the policy's, a person's
/// and another agent's line ([`InspectionSection`]'s `who`).
pub fn who_acts<S: LinkedSession>(
    state: PageState<S>,
    says: [&'static str; 3],
) -> Signal<&'static str> {
    let agent = Memo::new(move |_| state.read(|s| s.settings().agent()));
    Signal::derive(move || agent.get().pick(says[0], says[1], says[2]))
}

/// A text read from the inspection on screen (empty without one), for a reactive view.
pub fn inspected<T: Send + Sync + 'static>(
    inspection: Memo<Option<T>>,
    f: fn(&T) -> String,
) -> impl Fn() -> String + Copy {
    move || inspection.with(|i| i.as_ref().map(f).unwrap_or_default())
}

/// The state of the inspection on screen, which the Policy panel marks in its table.
pub fn inspected_state<A: Clone + PartialEq + Send + Sync + 'static>(
    inspection: Memo<Option<Inspection<A>>>,
) -> Memo<Option<usize>> {
    Memo::new(move |_| inspection.with(|i| i.as_ref().map(|i| i.state)))
}
