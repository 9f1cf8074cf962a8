//! The SRE gym's exports: the episode's trajectory, exactly as `ztgym run` writes it, and its
//! alerts as `ztgym run --alerts` writes them.

use super::gym::use_gym;
use crate::shell::download::download;
use leptos::prelude::*;

#[component]
pub fn Exports() -> impl IntoView {
    let gym = use_gym();
    let export = move |name: &str, mime: &str, text: String| {
        if let Err(e) = download(name, mime, &text) {
            gym.notices.error(e);
        }
    };
    let file_stem = move || {
        let s = gym.settings();
        format!("ztgym-{}-{}-seed{}", s.scenario, s.agent.as_str(), s.seed)
    };
    view! {
        <button on:click=move |_| {
            let text = gym.peek(|s| s.trajectory_jsonl());
            export(&format!("{}.jsonl", file_stem()), "application/x-ndjson", text);
        }>"Export trajectory"</button>
        <button on:click=move |_| {
            let text = gym.peek(|s| s.alerts_ndjson());
            export(&format!("{}-alerts.ndjson", file_stem()), "application/x-ndjson", text);
        }>"Export alerts"</button>
    }
}
