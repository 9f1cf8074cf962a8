//! Every environment by id, as a JSON-in / JSON-out object: the CLI, the page's worker and a
//! server can drive any environment without knowing its types. The table [`ENVS`] lists each
//! environment's spec ([`EnvSpec`]) once; everything here is a lookup in it.

pub use ztgym_core::spec::{
    unknown_scenario, EnvInfo, EnvSpec, JsonEnv, Loaded, StepFailure, UNKNOWN_SCENARIO,
};

/// The environments of this build, one line each, in the order the page's tabs show them.
pub static ENVS: &[&dyn EnvSpec] = &[
    &ztgym_sre::SreSpec {
        rego_gate: SRE_REGO_GATE,
    },
    #[cfg(feature = "harden")]
    &ztgym_harden::SPEC,
    &ztgym_triage::SPEC,
];

/// The SRE gym's `--gate FILE.rego`: read by the hardening loop's Rego engine when this build
/// has it.
#[cfg(feature = "harden")]
const SRE_REGO_GATE: Option<ztgym_sre::commands::RegoGateLoader> = Some(sre_rego_gate);
#[cfg(not(feature = "harden"))]
const SRE_REGO_GATE: Option<ztgym_sre::commands::RegoGateLoader> = None;

/// Reads a Rego policy file into a gate judging the SRE gym's rules; its errors are escaped
/// for the terminal (they may quote the file).
#[cfg(feature = "harden")]
fn sre_rego_gate(
    path: &str,
) -> Result<Box<dyn ztgym_sre::gate::Gate<ztgym_sre::gate::Proposal>>, String> {
    let escape = |e: String| ztgym_core::command::safe(&e).into_owned();
    let text = ztgym_core::command::read(path, ztgym_core::fileio::Kind::Rego)?;
    let policy =
        ztgym_harden::rego::Policy::load(path, &text).map_err(|e| escape(e.to_string()))?;
    let gate =
        ztgym_harden::sre_gate::RegoSreGate::new(policy).map_err(|e| escape(e.to_string()))?;
    Ok(Box::new(gate))
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
