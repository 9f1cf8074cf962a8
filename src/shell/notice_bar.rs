//! A message for the person: a refused action, a bad link. Dismissable; never blocks the page.

use leptos::prelude::*;

use crate::envs::sre::gym::use_playground;

#[component]
pub fn NoticeBar() -> impl IntoView {
    let pg = use_playground();
    view! {
        {move || {
            pg.notice
                .get()
                .map(|n| {
                    view! {
                        <div
                            class=if n.error { "notice notice-error" } else { "notice" }
                            role=if n.error { "alert" } else { "status" }
                            data-testid="notice"
                        >
                            <span>{n.text}</span>
                            <button class="dismiss" aria-label="Dismiss message" on:click=move |_| pg.notice.set(None)>
                                "×"
                            </button>
                        </div>
                    }
                })
        }}
    }
}
