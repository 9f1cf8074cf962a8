//! Training in a Web Worker, so the page stays responsive: the messages between page and
//! worker, the worker's loop (plain Rust, tested natively), the worker's glue, and the page's
//! handle on the worker.

pub mod client;
pub mod job;
pub mod protocol;
pub mod trainers;
pub mod worker;
