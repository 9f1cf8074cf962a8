//! A titled region of the page: a `<section>` landmark named by its heading.

use leptos::prelude::*;

/// A `<section>` whose accessible name is its `<h2>` (`aria-labelledby`), so screen readers list
/// each panel as a region.
#[component]
pub fn Panel(
    /// The section's id; the heading gets `{id}-heading`.
    id: &'static str,
    /// The visible heading, also the region's accessible name.
    title: &'static str,
    /// Extra class for the panel's place in the grid.
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    let classes = match class {
        "" => "panel".to_string(),
        extra => format!("panel {extra}"),
    };
    view! {
        <section id=id class=classes aria-labelledby=labelled_by>
            <h2 id=heading_id class="panel-title">{title}</h2>
            <div class="panel-body">{children()}</div>
        </section>
    }
}

/// What a panel shows while it has nothing to show.
#[component]
pub fn EmptyState(
    /// The short statement, e.g. "No episode yet."
    title: &'static str,
    /// One line on what will appear here.
    hint: &'static str,
) -> impl IntoView {
    view! {
        <div class="empty-state">
            <p class="empty-title">{title}</p>
            <p class="empty-hint">{hint}</p>
        </div>
    }
}
