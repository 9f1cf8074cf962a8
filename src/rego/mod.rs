//! Rego in the page, for any environment whose gate is a Rego policy: the panel that edits,
//! loads, saves and tests a policy ([`panel::RegoPanel`]), the worker that runs the Rego
//! interpreter's work (`test_` rules, a decision with the lines it covered) where the page can
//! stop it ([`worker`], [`client`]), their messages ([`protocol`]) and the worker's handling of
//! them as plain Rust ([`handler`]) and a policy's text in a share link ([`link`]).
//!
//! Nothing here knows a particular environment: the page that hosts the panel says what the
//! policy in force is, what input its gate saw, and how to put a new text in force.

pub mod archive;
pub mod bundle;
pub mod client;
pub mod editor;
pub mod files;
pub mod gutter;
pub mod handler;
pub mod highlight;
pub mod link;
pub mod module_tabs;
pub mod panel;
pub mod problem;
pub mod protocol;
pub mod results;
pub mod worker;
