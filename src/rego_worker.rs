//! The Rego worker's entry point (index.html: `data-type="worker"`, built by trunk as
//! `ztgym-rego-worker.js` with a loader the page starts as a Web Worker).

fn main() {
    console_error_panic_hook::set_once();
    ztgym_app::rego::worker::run();
}
