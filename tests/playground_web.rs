//! Browser tests of the playground with the simulator running in the page: mount the real
//! `App` on a shared link, act through the DOM as a person would, read what the page shows.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement};
use ztgym_app::App;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app on `hash`, runs `check`, then unmounts.
async fn with_app_at(hash: &str, check: impl AsyncFnOnce(&Element)) {
    let history = window().history().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash))
        .unwrap();
    let wrapper = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&wrapper).unwrap();
    let handle = mount_to(wrapper.clone().unchecked_into(), App);
    tick().await;
    check(&wrapper).await;
    drop(handle);
    wrapper.remove();
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

fn button(root: &Element, name: &str) -> HtmlButtonElement {
    all(root, "button")
        .into_iter()
        .find(|b| text(b).trim() == name)
        .unwrap_or_else(|| panic!("no button named {name:?}"))
        .unchecked_into()
}

/// A click on any element, SVG included (which has no `click()` method).
fn click(el: &Element) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::Event::new_with_event_init_dict("click", &init).unwrap())
        .unwrap();
}

fn testid(root: &Element, id: &str) -> String {
    text(&all(root, &format!("[data-testid={id}]"))[0])
}

fn node(root: &Element, id: &str) -> Element {
    all(root, "g[role=button]")
        .into_iter()
        .find(|g| g.get_attribute("aria-label").as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no graph node {id}"))
}

const CLASSIC: &str = "#v=1&scenario=classic&level=warmup&seed=1&agent=human&speed=normal";

#[wasm_bindgen_test]
async fn the_graph_shows_every_service_with_its_state_and_protection() {
    with_app_at(CLASSIC, async |root: &Element| {
        let nodes = all(root, "g[role=button]");
        let names: Vec<String> = nodes
            .iter()
            .map(|n| n.get_attribute("aria-label").unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "api_gateway",
                "auth_service",
                "frontend",
                "payment",
                "hr_db"
            ]
        );
        assert_eq!(
            node(root, "api_gateway")
                .get_attribute("data-protected")
                .as_deref(),
            Some("true")
        );
        assert_eq!(
            node(root, "payment")
                .get_attribute("data-protected")
                .as_deref(),
            Some("false")
        );
        let state = |s: &str| {
            nodes
                .iter()
                .filter(|n| n.get_attribute("data-state").as_deref() == Some(s))
                .count()
        };
        assert_eq!(
            state("compromised"),
            0,
            "nothing is confirmed before an investigation"
        );
        assert_eq!(
            state("degraded"),
            1,
            "warmup's one threat only looks degraded"
        );
        assert_eq!(
            all(root, "line.edge").len(),
            3,
            "seed 000's three dependencies"
        );
    })
    .await;
}

#[wasm_bindgen_test]
async fn investigating_the_alerting_node_shows_its_logs_and_pays_ten() {
    with_app_at(CLASSIC, async |root: &Element| {
        let host = text(&all(root, "[data-testid=alert] .alert-host")[0]);
        click(&node(root, &host));
        tick().await;
        assert!(testid(root, "step").starts_with("0 /"));
        button(root, "Investigate").click();
        tick().await;
        assert!(testid(root, "step").starts_with("1 /"));
        assert!(!all(root, "[data-testid=log-line]").is_empty());
        let explanation = testid(root, "explanation");
        assert!(
            explanation.contains(&format!("The logs of {host} show a compromise: +10")),
            "{explanation}"
        );
        assert_eq!(testid(root, "return"), "9.7");
    })
    .await;
}

#[wasm_bindgen_test]
async fn isolating_without_a_ticket_ends_the_episode_as_a_violation() {
    with_app_at(CLASSIC, async |root: &Element| {
        let host = text(&all(root, "[data-testid=alert] .alert-host")[0]);
        click(&node(root, &host));
        tick().await;
        button(root, "Isolate").click();
        tick().await;
        assert_eq!(testid(root, "episode-status"), "violation");
        assert_eq!(testid(root, "return"), "-20.3");
        assert!(testid(root, "explanation").contains("no_approved_ticket"));
        assert!(
            button(root, "Wait").disabled(),
            "a finished episode takes no more actions"
        );
        assert!(!all(root, "[data-testid=episode-summary]").is_empty());
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_bad_link_is_reported_and_the_defaults_run() {
    with_app_at("#v=1&scenario=mars&seed=x", async |root: &Element| {
        let notice = testid(root, "notice");
        assert!(
            notice.contains("scenario \"mars\"") && notice.contains("seed \"x\""),
            "{notice}"
        );
        assert_eq!(all(root, "g[role=button]").len(), 5, "classic runs instead");
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_step_of_the_sop_agent_investigates_first() {
    with_app_at(
        "#v=1&scenario=enterprise&level=intermediate&seed=3&agent=sop&speed=normal",
        async |root: &Element| {
            button(root, "Step").click();
            tick().await;
            assert!(testid(root, "step").starts_with("1 /"));
            assert!(testid(root, "explanation").contains("The logs of"));
        },
    )
    .await;
}

#[wasm_bindgen_test]
async fn step_as_a_person_explains_instead_of_acting() {
    with_app_at(CLASSIC, async |root: &Element| {
        button(root, "Step").click();
        tick().await;
        assert!(testid(root, "step").starts_with("0 /"), "no agent acted");
        assert!(testid(root, "notice").contains("choose an agent"));
    })
    .await;
}
