//! The page: the shell (header with the environment tabs, footer) around the page of the
//! environment the link names, with the notices every part of the page shares.

use leptos::ev;
use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;

use crate::arena::pending::PendingArena;
use crate::envs::TABS;
use crate::shell::env_tabs;
use crate::shell::notices::Notices;
use crate::shell::site_footer::SiteFooter;
use crate::shell::site_header::SiteHeader;
use crate::shell::theme::restore_theme;
use crate::shell::url_hash::{self, Link};

/// The whole playground page.
#[component]
pub fn App() -> impl IntoView {
    restore_theme();
    provide_context(Notices::new());
    let hash = window().location().hash().unwrap_or_default();
    let env = RwSignal::new(Link::parse(&hash).env);
    // An arena in the link, kept for the Arena panel before the page rewrites the link.
    let arena = PendingArena::provide();
    arena.note(&hash);
    // A link naming another built environment, typed or pasted, switches to its page (whose
    // own listener reads the rest of the link).
    let hash_listener = window_event_listener(ev::hashchange, move |_| {
        let hash = window().location().hash().unwrap_or_default();
        arena.note(&hash);
        let named = Link::parse(&hash).env;
        if named != env.get_untracked() {
            env.set(named);
        }
    });
    on_cleanup(move || hash_listener.remove());
    // A tab opens its environment's default run.
    let choose = move |id: &'static str| {
        if let Ok(history) = window().history() {
            let hash = format!("#{}", url_hash::write(id, &[]));
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash));
        }
        env.set(id);
    };
    // Each page in an owner of its own, so what it provides through context (its state, a
    // panel's notices) goes with it and never reaches the next page a tab opens.
    let page = move || {
        env_tabs::find(TABS, env.get()).map(|tab| {
            let owner = Owner::current().expect("the app has an owner").child();
            OwnedView::new_with_owner(owner.with(tab.page), owner)
        })
    };

    view! {
        <div class="app-shell">
            <a class="skip-link" href="#main">"Skip to the panels"</a>
            <SiteHeader tabs=TABS env=env on_choose=choose />
            {page}
            <SiteFooter />
        </div>
    }
}
