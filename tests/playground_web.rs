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
            all(root, "polyline.edge").len(),
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

// The Policy panel: loading a policy (bundled, chosen, dropped), and what it shows.

/// Forgets the tab's policy (local storage), so a test starts and leaves the next without one.
fn forget_policy() {
    if let Ok(Some(storage)) = window().local_storage() {
        for key in ["ztgym.sre.policy", "ztgym.policy.v1", "ztgym.policy.source"] {
            let _ = storage.remove_item(key);
        }
    }
}

/// A form control's value (select or input) without asking web-sys for its element type.
fn value(el: &Element) -> String {
    js_sys::Reflect::get(el, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Picks `option` in a select as a person would: the value changes, then `change` fires.
fn choose(select: &Element, option: &str) {
    js_sys::Reflect::set(select, &"value".into(), &option.into()).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

/// The select of the run controls' field labelled `name`.
fn setting(root: &Element, name: &str) -> Element {
    all(root, ".run-controls label")
        .into_iter()
        .find(|l| text(l).trim_start().starts_with(name))
        .and_then(|l| l.query_selector("select").unwrap())
        .unwrap_or_else(|| panic!("no run setting {name:?}"))
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (up to 3 s) for what the browser does in its own time, such as reading a file.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..300 {
        if done() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for {what}");
}

/// A file as a file picker or a drop hands it over.
fn files(name: &str, text: &str) -> web_sys::DataTransfer {
    let transfer = web_sys::DataTransfer::new().unwrap();
    let parts = js_sys::Array::of1(&text.into());
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    // `items.add(file)`, through JS: the page itself never builds a DataTransfer.
    let items = js_sys::Reflect::get(&transfer, &"items".into()).unwrap();
    let add: js_sys::Function = js_sys::Reflect::get(&items, &"add".into())
        .unwrap()
        .unchecked_into();
    add.call1(&items, &file).unwrap();
    transfer
}

/// Chooses a file in the panel's "Load policy…" picker.
fn pick_policy_file(root: &Element, name: &str, text: &str) {
    let input: web_sys::HtmlInputElement = all(root, "[data-testid=policy-file]")
        .remove(0)
        .unchecked_into();
    input.set_files(files(name, text).files().as_ref());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

/// Drops a file on the Policy panel.
fn drop_policy_file(root: &Element, name: &str, text: &str) {
    let init = js_sys::Object::new();
    for (key, value) in [
        ("bubbles", wasm_bindgen::JsValue::TRUE),
        ("cancelable", wasm_bindgen::JsValue::TRUE),
        ("dataTransfer", files(name, text).into()),
    ] {
        js_sys::Reflect::set(&init, &key.into(), &value).unwrap();
    }
    // `new DragEvent("drop", init)`, through JS as well.
    let class: js_sys::Function = js_sys::Reflect::get(&window(), &"DragEvent".into())
        .unwrap()
        .unchecked_into();
    let args = js_sys::Array::of2(&"drop".into(), &init);
    let event: web_sys::Event = js_sys::Reflect::construct(&class, &args)
        .unwrap()
        .unchecked_into();
    let zone = all(root, "[data-testid=policy-drop-zone]").remove(0);
    zone.dispatch_event(&event).unwrap();
}

fn has(root: &Element, id: &str) -> bool {
    !all(root, &format!("[data-testid={id}]")).is_empty()
}

const CLASSIC_HUMAN: &str = "#v=1&scenario=classic&seed=3&agent=human";

#[wasm_bindgen_test]
async fn a_bundled_policy_plays_and_the_chart_marks_the_one_action_it_chooses() {
    forget_policy();
    with_app_at(CLASSIC_HUMAN, async |root: &Element| {
        assert!(!has(root, "policy-summary"), "no policy yet");
        assert!(!has(root, "policy-chart"), "nothing to inspect yet");
        let export: HtmlButtonElement = all(root, "[data-testid=policy-export]")
            .remove(0)
            .unchecked_into();
        assert!(export.disabled(), "nothing to export yet");
        let bundled = all(root, "[data-testid=policy-bundled]").remove(0);
        let offered: Vec<String> = all(&bundled, "option")
            .iter()
            .map(value)
            .filter(|v| !v.is_empty())
            .collect();
        assert_eq!(
            offered,
            [
                "classic-q-lagrangian.json",
                "classic-q.json",
                "classic-bandit.json"
            ],
            "only the classic policies"
        );

        choose(&bundled, "classic-q-lagrangian.json");
        // The run controls catch up over a couple of ticks.
        until("the agent select to say policy", || {
            value(&setting(root, "Agent")) == "policy"
        })
        .await;
        assert!(testid(root, "policy-summary").ends_with("from bundled classic-q-lagrangian.json"));
        assert_eq!(value(&bundled), "classic-q-lagrangian.json");
        assert!(!export.disabled());
        let bars = all(root, "[data-testid=policy-bar]");
        assert_eq!(bars.len(), 7);
        let chosen: Vec<&Element> = bars
            .iter()
            .filter(|b| b.class_list().contains("chosen"))
            .collect();
        assert_eq!(chosen.len(), 1, "exactly one chosen action");
        assert!(text(chosen[0]).contains("chosen"), "said in text too");
        let isolate = bars
            .iter()
            .find(|b| b.get_attribute("data-action").as_deref() == Some("isolate"))
            .unwrap();
        assert!(
            isolate.class_list().contains("breaks") && text(isolate).contains("breaks a rule"),
            "no approved ticket at reset: {}",
            text(isolate)
        );
        assert!(testid(root, "policy-who").contains("its next step"));
        let told = testid(root, "policy-action");
        assert_eq!(
            all(root, "[data-testid=policy-features] li").len(),
            6,
            "the six features"
        );
        let current: Vec<Element> = all(root, "[data-testid=policy-state][data-current=true]");
        assert_eq!(current.len(), 1, "the state on screen is highlighted");

        // Its next step is the one it said it would take: at reset, read the alerting node.
        let host = told
            .strip_prefix("query_siem_logs(")
            .and_then(|rest| rest.strip_suffix(')'))
            .unwrap_or_else(|| panic!("an investigation first, not {told}"));
        button(root, "Step").click();
        tick().await;
        assert!(testid(root, "step").starts_with("1 /"));
        let explanation = testid(root, "explanation");
        assert!(
            explanation.contains(&format!("The logs of {host}")),
            "said {told}, did: {explanation}"
        );
    })
    .await;
    forget_policy();
}

#[wasm_bindgen_test]
async fn a_broken_policy_file_is_reported_by_name_and_a_dropped_good_one_loads() {
    forget_policy();
    with_app_at(CLASSIC_HUMAN, async |root: &Element| {
        pick_policy_file(root, "broken.json", "{\"format\": \"ztgym-policy\", ");
        until("the notice", || has(root, "notice")).await;
        let notice = testid(root, "notice");
        assert!(
            notice.contains("The policy was not loaded")
                && notice.contains("broken.json")
                && notice.contains("JSON"),
            "{notice}"
        );
        assert_eq!(value(&setting(root, "Agent")), "human", "nothing changed");
        assert!(!has(root, "policy-summary"));
        button(root, "Wait").click();
        tick().await;
        assert!(
            testid(root, "step").starts_with("1 /"),
            "the page still plays"
        );

        let (_, good) = ztgym_app::envs::sre::bundled_policies::BUNDLED[1];
        drop_policy_file(root, "mine.json", good);
        until("the dropped policy", || has(root, "policy-summary")).await;
        assert!(testid(root, "policy-summary").ends_with("from mine.json"));
        assert_eq!(value(&setting(root, "Agent")), "policy");
        assert_eq!(
            value(&all(root, "[data-testid=policy-bundled]")[0]),
            "",
            "a file from disk is not a bundled one, whatever its name"
        );
    })
    .await;
    forget_policy();
}

#[wasm_bindgen_test]
async fn the_policy_is_explained_while_a_person_plays_and_kept_on_another_scenario() {
    forget_policy();
    with_app_at(CLASSIC_HUMAN, async |root: &Element| {
        choose(
            &all(root, "[data-testid=policy-bundled]")[0],
            "classic-q.json",
        );
        tick().await;
        choose(&setting(root, "Agent"), "human");
        tick().await;
        assert_eq!(value(&setting(root, "Agent")), "human");
        assert!(testid(root, "policy-who").contains("You play"));
        button(root, "Wait").click();
        tick().await;
        assert_eq!(all(root, "[data-testid=policy-bar]").len(), 7);
        assert_eq!(all(root, "[data-testid=policy-bar].chosen").len(), 1);

        choose(&setting(root, "Scenario"), "enterprise");
        tick().await;
        assert!(
            testid(root, "policy-elsewhere").contains("trained on scenario classic"),
            "{}",
            testid(root, "policy-elsewhere")
        );
        assert!(
            testid(root, "policy-summary").ends_with("classic-q.json"),
            "kept"
        );
        assert!(!has(root, "policy-chart"), "it cannot be inspected here");
        assert_eq!(
            value(&all(root, "[data-testid=policy-bundled]")[0]),
            "",
            "enterprise's own bundled policy is not the loaded one"
        );

        button(root, "Play it on classic").click();
        tick().await;
        assert!(window()
            .location()
            .hash()
            .unwrap()
            .contains("scenario=classic"));
        // The select follows a moment later (more of the page redraws for the new scenario,
        // the Arena panel among it).
        until("the Scenario select to show classic", || {
            value(&setting(root, "Scenario")) == "classic"
        })
        .await;
        assert_eq!(value(&setting(root, "Agent")), "policy");
        assert!(!has(root, "policy-elsewhere"));
        assert_eq!(all(root, "[data-testid=policy-bar]").len(), 7);
    })
    .await;
    forget_policy();
}

/// Under the test runner there is no worker script to load (trunk makes it), so Train meets
/// the worst case: the worker fails to start. The page must say so, stay usable, and try again
/// with a fresh worker on the next Train.
#[wasm_bindgen_test]
async fn a_training_worker_that_cannot_start_is_reported_and_the_page_goes_on() {
    with_app_at("#v=1&scenario=classic&seed=3&agent=sop", async |root| {
        let train = || -> HtmlButtonElement {
            all(root, "[data-testid=train]")[0].clone().unchecked_into()
        };
        let status = || testid(root, "train-status");
        for attempt in 1..=2 {
            train().click();
            until("the worker's failure", || status().starts_with("Failed")).await;
            assert!(
                status().contains("training worker"),
                "attempt {attempt}: {}",
                status()
            );
            assert!(testid(root, "notice").starts_with("Training:"));
            assert!(!train().disabled(), "Train can be tried again");
        }
        button(root, "Step").click();
        tick().await;
        assert_eq!(
            testid(root, "step").split(' ').next(),
            Some("1"),
            "the page still plays"
        );
    })
    .await;
}
