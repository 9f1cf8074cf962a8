//! The SRE gym's exports: the episode's trajectory, exactly as `ztgym run` writes it, and its
//! alerts as `ztgym run --alerts` writes them.

use super::gym::use_gym;
use crate::shell::exports::{Export, ExportButtons};
use leptos::prelude::*;

#[component]
pub fn Exports() -> impl IntoView {
    let gym = use_gym();
    let stem = move |()| {
        let s = gym.settings();
        format!("ztgym-{}-{}-seed{}", s.scenario, s.agent.as_str(), s.seed)
    };
    let exports = vec![
        gym.trajectory_export(),
        Export::new("Export alerts", "-alerts.ndjson", move || {
            gym.peek(|s| s.alerts_ndjson())
        }),
    ];
    view! { <ExportButtons notices=gym.notices stem=stem exports=exports /> }
}
