//! The page layout: header and run controls, the episode's status, the three panels (graph,
//! alerts, tickets) with the agent's actions, the episode summary and the policy, footer. Also
//! wires the URL hash and the keyboard.

use leptos::ev;
use leptos::prelude::*;

use crate::envs::sre::action_panel::ActionPanel;
use crate::envs::sre::alerts_panel::AlertsPanel;
use crate::envs::sre::episode_panel::EpisodePanel;
use crate::envs::sre::hud::Hud;
use crate::envs::sre::service_graph_panel::ServiceGraphPanel;
use crate::envs::sre::tickets_panel::TicketsPanel;
use crate::learning::policy_panel::PolicyPanel;
use crate::learning::train_panel::TrainPanel;
use crate::play::run_controls::RunControls;
use crate::shell::help_panel::{restore_theme, HelpPanel, Intro};
use crate::shell::notice_bar::NoticeBar;
use crate::shell::site_footer::SiteFooter;
use crate::shell::site_header::SiteHeader;
use crate::envs::sre::gym::Playground;
use crate::learning::training::client::Training;

/// The whole playground page.
#[component]
pub fn App() -> impl IntoView {
    restore_theme();
    let hash = window().location().hash().unwrap_or_default();
    let pg = Playground::new(&hash);
    provide_context(pg);
    provide_context(Training::new());
    pg.write_hash();

    let hash_listener = window_event_listener(ev::hashchange, move |_| {
        pg.on_hash_change(&window().location().hash().unwrap_or_default());
    });
    let key_listener = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() || typing_in_a_field(&e) {
            return;
        }
        match e.key().as_str() {
            " " => {
                e.prevent_default();
                pg.toggle_play();
            }
            "n" => pg.step(),
            "r" => pg.reset(),
            _ => {}
        }
    });
    on_cleanup(move || {
        hash_listener.remove();
        key_listener.remove();
        pg.playing.set(false);
    });

    view! {
        <div class="app-shell">
            <a class="skip-link" href="#main">"Skip to the panels"</a>
            <SiteHeader />
            <Intro />
            <RunControls />
            <NoticeBar />
            <Hud />
            <main id="main" class="panels" tabindex="-1">
                <ServiceGraphPanel />
                <AlertsPanel />
                <TicketsPanel />
                <ActionPanel />
                <EpisodePanel />
                <PolicyPanel />
                <TrainPanel />
            </main>
            <HelpPanel />
            <SiteFooter />
        </div>
    }
}

/// Shortcuts stay out of the way while the person types.
fn typing_in_a_field(e: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.closest("summary").ok().flatten().is_some() && e.key() == " "
        })
}
