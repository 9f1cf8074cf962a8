//! Zero Trust Gym's shared core: what every environment needs and nothing of any one of them.
//!
//! - [`command`]: the command line's environment commands as a spec answers them (options
//!   parsed, a reply of JSON, text and files to write).
//! - [`env`](mod@env): the [`Environment`] contract (Gymnasium / Safety-Gymnasium shaped: reward and a
//!   separate cost), its [`Step`], and [`Agent`].
//! - [`rng`]: the seeded random stream, the same on every platform.
//! - [`eval`]: playing episodes, trajectory lines and digests.
//! - [`episode`]: the record of one episode ([`EpisodeLog`]), for replay and export.
//! - [`gate`]: the zero-trust gate contract (a decision is the rules broken, each with a reason).
//! - [`learn`]: tabular Q, Lagrangian Q and seed 001's bandit, generic over an environment's
//!   [`learn::Adapter`].
//! - [`policy`]: the policy-file envelope, its validation, and a policy playing frozen.
//! - [`json`]: the one JSON-path checker file readers report problems with.
//! - [`fileio`]: the one way to read a file (size caps, regular files, UTF-8) and to write one
//!   (atomic, never over an input).
//! - [`text`]: text from files made safe to print (control characters escaped, values shortened).
//! - [`pairs`]: counterfactual preference pairs (replay each action on a clone).
//! - [`spec`]: what an environment says about itself once ([`spec::EnvSpec`]), for the
//!   facade's table, the CLI and the server; and any environment driven through JSON.
//!
//! - [`trajectory`]: the trajectory file (one versioned format), read within bounds and
//!   verified by playing it again.
//!
//! Pure Rust with no wasm, web or clock dependency.

pub mod command;
pub mod env;
pub mod episode;
pub mod eval;
pub mod fileio;
pub mod gate;
pub mod json;
pub mod learn;
pub mod pairs;
pub mod policy;
pub mod rng;
pub mod spec;
pub mod text;
pub mod trajectory;

pub use env::{Agent, Environment, Step, Totals};
pub use episode::{EpisodeLog, Recorded};
pub use rng::Rng;
