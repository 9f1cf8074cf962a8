//! The page header: the product's name, what it is, the environment tabs and the course.

use super::course::COURSE_HASH;
use super::env_tabs::{EnvTab, EnvTabs};
use leptos::prelude::*;

#[component]
pub fn SiteHeader(
    /// Every environment's tab, in order.
    tabs: &'static [EnvTab],
    /// The environment on screen (empty on the course).
    #[prop(into)]
    env: Signal<&'static str>,
    /// Whether the course is on screen.
    #[prop(into)]
    on_course: Signal<bool>,
    /// Called with the id of an environment chosen in the tabs.
    #[prop(into)]
    on_choose: Callback<&'static str>,
) -> impl IntoView {
    view! {
        <header class="site-header">
            <h1 class="brand">
                "Zero Trust Gym" <span class="brand-short">"ztgym"</span>
            </h1>
            <p class="tagline">
                "A training ground for security agents that must act fast and by the book."
            </p>
            <nav class="header-nav" aria-label="Tabs and course">
                <EnvTabs tabs=tabs current=env on_choose=on_choose />
                <a
                    class="course-link"
                    href=format!("#{COURSE_HASH}")
                    data-testid="course-link"
                    aria-current=move || on_course.get().then_some("page")
                >
                    "Course"
                </a>
            </nav>
        </header>
    }
}
