//! Tabs for the stage's side column: the side material (alerts and tickets, the policy's
//! values, the episode so far) shares one column of fixed height, one tab at a time, so all of
//! it is one click away in the first screen and nothing below moves when a tab's content
//! changes. On a narrow screen the tab strip is hidden and every tab's panel shows, in one
//! column after the stage (assets/styles.css, the side tabs section).

use leptos::prelude::*;

/// One tab: the id of its panel (also the DOM id of the tab panel) and its label.
pub type SideTab = (&'static str, &'static str);

/// The tab strip. Arrow keys move between the tabs, as in a WAI-ARIA tab list.
#[component]
pub fn SideTabStrip(
    /// The tabs, in order.
    tabs: &'static [SideTab],
    /// The id of the tab shown.
    selected: RwSignal<&'static str>,
    /// Told when the person picks a tab (by click or key), after `selected` is set.
    #[prop(optional, into)]
    on_pick: Option<Callback<&'static str>>,
) -> impl IntoView {
    let pick = move |id: &'static str| {
        selected.set(id);
        if let Some(cb) = on_pick {
            cb.run(id);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            _ => return,
        };
        ev.prevent_default();
        let now = tabs
            .iter()
            .position(|(id, _)| *id == selected.get_untracked())
            .unwrap_or(0) as isize;
        let next = (now + step).rem_euclid(tabs.len() as isize) as usize;
        pick(tabs[next].0);
        if let Some(el) = document().get_element_by_id(&format!("{}-tab", tabs[next].0)) {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    };
    view! {
        <div class="side-tabs" role="tablist" aria-label="Side material" on:keydown=on_key>
            {tabs
                .iter()
                .map(|&(id, label)| {
                    let is_selected = move || selected.get() == id;
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("{id}-tab")
                            data-testid=format!("{id}-tab")
                            aria-controls=id
                            aria-selected=move || is_selected().to_string()
                            tabindex=move || if is_selected() { "0" } else { "-1" }
                            on:click=move |_| pick(id)
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The panel of one tab; hidden while another tab is selected (shown anyway on a narrow
/// screen, by the style sheet).
#[component]
pub fn SideTabPanel(
    /// The tab's id, from the strip's list.
    id: &'static str,
    selected: RwSignal<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div
            class="side-tab"
            role="tabpanel"
            id=id
            aria-labelledby=format!("{id}-tab")
            hidden=move || selected.get() != id
        >
            {children()}
        </div>
    }
}
