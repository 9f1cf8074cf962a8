//! The parts of every page's view of what the tab's policy would do on screen: what it reads
//! (its features, as chips) and the value of each action (as bars).

use super::value_chart::ValueBar;
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
