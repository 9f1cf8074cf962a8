//! The training worker's entry point (index.html: `data-type="worker"`, built by trunk as
//! `ztgym-train-worker.js` with a loader the page starts as a Web Worker).

fn main() {
    console_error_panic_hook::set_once();
    ztgym_app::learning::training::worker::run(ztgym_app::envs::trains());
}
