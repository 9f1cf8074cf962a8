//! Every environment by id, as a JSON-in / JSON-out object: the CLI, the page's worker and a
//! server can drive any environment without knowing its types. The table [`ENVS`] lists each
//! environment's spec ([`EnvSpec`]) once; everything here is a lookup in it.

pub use ztgym_core::spec::{
    unknown_scenario, EnvInfo, EnvSpec, JsonEnv, Loaded, StepFailure, UNKNOWN_SCENARIO,
};

/// Lists each environment once, as its crate: the table of specs, and beside it the same
/// environments' ids and names alone (what the page reads: a spec's methods would bring every
/// environment's loaders into its wasm).
macro_rules! table {
    ($($(#[$when:meta])* $env:ident,)*) => {
        /// The environments of this build, one line each, in the order the page's tabs show them.
        pub static ENVS: &[&dyn EnvSpec] = &[$($(#[$when])* &$env::SPEC,)*];
        /// [`ENVS`]' ids, names, seeds and summaries, in the same order.
        pub static INFOS: &[EnvInfo] = &[$($(#[$when])* $env::INFO,)*];
    };
}

table! {
    ztgym_sre,
    #[cfg(feature = "harden")]
    ztgym_harden,
    ztgym_triage,
}

/// The id used when none is given.
pub const DEFAULT_ENV: &str = "sre";

/// The environments' ids, names, seeds and summaries, in table order (for `ztgym envs`).
pub fn infos(envs: &[&dyn EnvSpec]) -> Vec<EnvInfo> {
    envs.iter().map(|e| *e.info()).collect()
}

/// The spec of environment `id`.
pub fn spec(id: &str) -> Result<&'static dyn EnvSpec, String> {
    ztgym_core::spec::find(ENVS, id)
}

/// The environment with this id.
pub fn info(id: &str) -> Result<&'static EnvInfo, String> {
    spec(id).map(|e| e.info())
}

/// Makes environment `id` on a scenario (its default when `None`): a built-in name, never a
/// path. Whatever else is named, the error is the same words (a client learns nothing of the
/// disk), with the name shortened and escaped.
pub fn make(id: &str, scenario: Option<&str>) -> Result<Box<dyn JsonEnv>, String> {
    ztgym_core::spec::make(spec(id)?, scenario)
}

/// The built-in scenario (or task) `name` stands for, in its own spelling (triage's `l2` and
/// `trust_management` are `L2`); `None` when it names none.
pub fn builtin_scenario(id: &str, name: &str) -> Option<&'static str> {
    spec(id).ok()?.builtin_scenario(name)
}

/// The built-in scenarios (or tasks) of environment `id`.
pub fn scenarios(id: &str) -> Result<Vec<&'static str>, String> {
    Ok(spec(id)?.scenarios())
}

/// The JSON Schemas of an environment's types.
#[cfg(feature = "schema")]
pub use ztgym_core::spec::Schemas;

/// The JSON Schemas of environment `id`'s types (each a root schema with its own `$defs`).
#[cfg(feature = "schema")]
pub fn schemas(id: &str) -> Result<Schemas, String> {
    spec(id)?.schemas()
}
