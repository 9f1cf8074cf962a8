//! The wasm entry point: mounts the playground into `#app` (see index.html).

use leptos::mount::mount_to;
use leptos::prelude::document;
use wasm_bindgen::JsCast;
use ztgym_app::App;

fn main() {
    console_error_panic_hook::set_once();

    let root = document()
        .get_element_by_id("app")
        .expect("index.html has an element with id=\"app\"");
    // index.html shows a static "Loading" line until the wasm runs; replace it with the app.
    root.set_inner_html("");
    mount_to(root.unchecked_into(), App).forget();
}
