//! The arena worker's entry point (index.html: `data-type="worker"`, built by trunk as
//! `ztgym-arena-worker.js` with a loader the page starts as a Web Worker on the first Rank).

fn main() {
    console_error_panic_hook::set_once();
    ztgym_app::arena::worker::run(ztgym_app::envs::arenas());
}
