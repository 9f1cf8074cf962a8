//! Browser tests of the app shell: mount the real `App` in headless Chromium and read the DOM.
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown`
//! (scripts/test.sh does this).
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;
use ztgym_app::shell::build_info::{APP_VERSION, SIMULATOR_VERSION};
use ztgym_app::App;

wasm_bindgen_test_configure!(run_in_browser);

/// The three panels every version of the page has: section id and heading.
const PANELS: [(&str, &str); 3] = [
    ("service-graph", "Service graph"),
    ("siem-alerts", "SIEM alerts"),
    ("tickets", "Tickets & approvals"),
];

/// Mounts the app into a fresh wrapper element, runs `check` on it, then unmounts.
async fn with_app(check: impl FnOnce(&Element)) {
    let document = document();
    let wrapper = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&wrapper).unwrap();

    let handle = mount_to(wrapper.clone().unchecked_into(), App);
    tick().await;
    check(&wrapper);

    drop(handle);
    wrapper.remove();
}

fn one(root: &Element, selector: &str) -> Element {
    let found = root.query_selector_all(selector).unwrap();
    assert_eq!(found.length(), 1, "expected exactly one `{selector}`");
    found.item(0).unwrap().unchecked_into()
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn header_names_the_product() {
    with_app(|root| {
        let header = one(root, "header");
        assert!(text(&one(&header, "h1")).contains("Zero Trust Gym"));
    })
    .await;
}

#[wasm_bindgen_test]
async fn has_one_main_landmark_holding_the_three_panels() {
    with_app(|root| {
        let main = one(root, "main");
        for id in PANELS.map(|(id, _)| id) {
            let panel = one(root, &format!("section#{id}"));
            assert!(main.contains(Some(&panel)), "section#{id} is inside <main>");
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn each_panel_is_a_region_named_by_its_heading() {
    with_app(|root| {
        for (id, title) in PANELS {
            let section = one(root, &format!("section#{id}"));
            let heading_id = section
                .get_attribute("aria-labelledby")
                .unwrap_or_else(|| panic!("section#{id} has no aria-labelledby"));
            let heading = one(root, &format!("#{heading_id}"));
            assert_eq!(heading.tag_name(), "H2");
            assert_eq!(text(&heading), title);
            assert!(
                section.contains(Some(&heading)),
                "heading of #{id} is inside it"
            );
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn every_section_has_an_accessible_name() {
    with_app(|root| {
        let sections = root.query_selector_all("section").unwrap();
        for i in 0..sections.length() {
            let section: Element = sections.item(i).unwrap().unchecked_into();
            let name = match section.get_attribute("aria-labelledby") {
                Some(heading_id) => text(&one(root, &format!("#{heading_id}"))),
                None => section.get_attribute("aria-label").unwrap_or_default(),
            };
            assert!(
                !name.trim().is_empty(),
                "a <section> without a name: {}",
                section.outer_html().chars().take(120).collect::<String>()
            );
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn footer_shows_the_build_version() {
    with_app(|root| {
        let version = text(&one(root, "footer [data-testid=version]"));
        assert!(version.contains(APP_VERSION), "{version:?}");
        assert!(version.contains(SIMULATOR_VERSION), "{version:?}");
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_environment_tabs_show_the_sre_gym_selected_and_the_others_built() {
    with_app(|root| {
        let header = one(root, "header");
        let tablist = one(&header, "[role=tablist]");
        let tabs = tablist.query_selector_all("[role=tab]").unwrap();
        let tabs: Vec<Element> = (0..tabs.length())
            .map(|i| tabs.item(i).unwrap().unchecked_into())
            .collect();
        let ids: Vec<String> = tabs
            .iter()
            .map(|t| t.get_attribute("data-env").unwrap())
            .collect();
        assert_eq!(ids, ["sre", "harden", "triage"]);
        let selected = |t: &Element| t.get_attribute("aria-selected").unwrap();
        assert_eq!(selected(&tabs[0]), "true");
        assert!(text(&tabs[0]).contains("SRE gym"));
        assert!(!tabs[0].has_attribute("disabled"));
        for tab in &tabs[1..] {
            assert_eq!(selected(tab), "false");
        }
        // Every environment is built: no tab is disabled or coming soon.
        for tab in &tabs[1..] {
            assert!(!tab.has_attribute("disabled"), "{}", tab.outer_html());
            assert!(!text(tab).contains("coming soon"), "{}", text(tab));
        }
        assert_eq!(
            tabs[0].get_attribute("aria-controls").as_deref(),
            Some("main")
        );
    })
    .await;
}
