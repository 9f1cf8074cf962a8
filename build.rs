//! The Rego worker's wasm memory has a ceiling ([`WORKER_MEMORY_BYTES`]): a policy that
//! allocates past it makes the worker fail at once (the page starts a new one and says why)
//! rather than grow the tab towards the 4 GiB a wasm memory may reach. Only that worker: the
//! page and the training worker keep the default.

/// The same number as `src/rego/client.rs`'s `WORKER_MEMORY_MIB` (a multiple of 64 KiB).
const WORKER_MEMORY_BYTES: u64 = 256 * 1024 * 1024;

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=ztgym-rego-worker=--max-memory={WORKER_MEMORY_BYTES}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
