//! The page: the shell (header with the environment tabs and the course, footer) around the
//! page of the environment the link names, or the course (`#course`), with the notices every
//! part of the page shares.

use leptos::ev;
use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;

use crate::arena::pending::PendingArena;
use crate::envs::{COURSE, TABS};
use crate::learning::training::client::Training;
use crate::shell::course::{CoursePage, COURSE_HASH};
use crate::shell::env_tabs;
use crate::shell::notices::{use_notices, Notices};
use crate::shell::site_footer::SiteFooter;
use crate::shell::site_header::SiteHeader;
use crate::shell::theme::restore_theme;
use crate::shell::url_hash::{self, Link};

/// What the page shows: the course, or an environment's page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    Course,
    /// An environment's page; the number changes to mount it afresh (a lesson link opened on
    /// it).
    Env(&'static str, u32),
}

impl Route {
    /// The route a hash asks for, after `was`.
    fn of(hash: &str, was: Option<Route>) -> Route {
        let hash = hash.trim_start_matches('#');
        if hash == COURSE_HASH {
            return Route::Course;
        }
        let link = Link::parse(hash);
        let lesson = link.fields.iter().any(|(key, _)| key == "lesson");
        match was {
            // The same page reads a link of its own (its hash listener); a lesson starts it
            // afresh.
            Some(Route::Env(env, n)) if env == link.env => {
                Route::Env(env, if lesson { n + 1 } else { n })
            }
            Some(Route::Env(_, n)) => Route::Env(link.env, n + 1),
            _ => Route::Env(link.env, 0),
        }
    }

    fn env(self) -> Option<&'static str> {
        match self {
            Route::Course => None,
            Route::Env(env, _) => Some(env),
        }
    }
}

/// The whole playground page.
#[component]
pub fn App() -> impl IntoView {
    restore_theme();
    provide_context(Notices::new());
    let hash = window().location().hash().unwrap_or_default();
    let route = RwSignal::new(Route::of(&hash, None));
    // An arena in the link, kept for the Arena panel before the page rewrites the link.
    let arena = PendingArena::provide();
    arena.note(&hash);
    // A link typed or pasted: the course, another environment's page, or a lesson (whose
    // page starts afresh to open it); the rest of a link to the page on screen is its own.
    let hash_listener = window_event_listener(ev::hashchange, move |event| {
        let hash = window().location().hash().unwrap_or_default();
        arena.note(&hash);
        let next = Route::of(&hash, Some(route.get_untracked()));
        if next != route.get_untracked() {
            // The page on screen goes: its own listener (registered after this one) must not
            // read the link and rewrite it before the next page reads it.
            event.stop_immediate_propagation();
            route.set(next);
        }
    });
    on_cleanup(move || hash_listener.remove());
    // A tab opens its environment's default run.
    let choose = move |id: &'static str| {
        if let Ok(history) = window().history() {
            let hash = format!("#{}", url_hash::write(id, &[]));
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash));
        }
        let n = match route.get_untracked() {
            Route::Env(_, n) => n + 1,
            Route::Course => 0,
        };
        route.set(Route::Env(id, n));
    };
    let env = Signal::derive(move || route.get().env().unwrap_or(""));
    let on_course = Signal::derive(move || route.get() == Route::Course);
    // Each page in an owner of its own, so what it provides through context (its state, its
    // training client, a panel's notices) goes with it and never reaches the next page a tab
    // opens.
    let page = move || match route.get() {
        Route::Course => Some(view! { <CoursePage course=&COURSE tabs=TABS /> }.into_any()),
        Route::Env(id, _) => env_tabs::find(TABS, id).map(|tab| {
            let owner = Owner::current().expect("the app has an owner").child();
            let page = owner.with(|| {
                provide_context(Training::new(use_notices()));
                (tab.page)()
            });
            OwnedView::new_with_owner(page, owner).into_any()
        }),
    };

    view! {
        <div class="app-shell">
            <a class="skip-link" href="#main">"Skip to the panels"</a>
            <SiteHeader tabs=TABS env=env on_course=on_course on_choose=choose />
            {page}
            <SiteFooter />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_follow_the_hash() {
        assert_eq!(Route::of("#course", None), Route::Course);
        assert_eq!(Route::of("", None), Route::Env("sre", 0));
        let triage = Route::of("#v=1&env=triage", None);
        assert_eq!(triage, Route::Env("triage", 0));
        // The page's own link: the same page.
        assert_eq!(Route::of("#v=1&seed=4&env=triage", Some(triage)), triage);
        // A lesson, another environment, or back from the course: a page afresh.
        assert_eq!(
            Route::of("#v=1&lesson=cues&env=triage", Some(triage)),
            Route::Env("triage", 1)
        );
        assert_eq!(
            Route::of("#v=1&env=sre", Some(triage)),
            Route::Env("sre", 1)
        );
        assert_eq!(
            Route::of("#v=1&lesson=cues&env=triage", Some(Route::Course)),
            Route::Env("triage", 0)
        );
    }
}
