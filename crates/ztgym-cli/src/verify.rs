//! `ztgym verify FILE`: a trajectory file made anywhere (the CLI, the page, the Python
//! package) played again from its recorded seed and options, every step's reward, cost, end
//! flags and observation digest compared with the simulator's. Exits 0 when every step
//! matches, 1 when one differs, 2 when the file cannot be replayed (bad JSON, another
//! environment, an unknown version, an action refused), the problem naming its line and field.

use crate::output;
use serde_json::json;
use std::path::Path;
use ztgym::core::command::Args;
use ztgym::core::fileio::{self, Kind};
use ztgym::core::spec::EnvSpec;
use ztgym::core::trajectory::read::LIMITS;
use ztgym::core::trajectory::verify::verify_text;

/// Verifies the file `words` names: `Ok(true)` when every step matches.
pub fn main(envs: &[&'static dyn EnvSpec], words: &[String]) -> Result<bool, String> {
    let args = Args::parse_with_positionals("verify", words, &[], &["json"])?;
    let [path] = args.positional.as_slice() else {
        return Err(format!(
            "verify: give exactly one trajectory file (found {} words)",
            args.positional.len()
        ));
    };
    let shown = output::safe(path).into_owned();
    let text = fileio::read_text(Path::new(path), Kind::Trajectory)
        .map_err(|e| output::safe(&e.to_string()).into_owned())?;
    let verdict = verify_text(envs, &text, &LIMITS).map_err(|e| format!("{shown}: {e}"))?;
    let value = json!({
        "file": path,
        "env": verdict.env,
        "scenario": verdict.scenario,
        "seed": verdict.seed,
        "agent": verdict.agent,
        "steps": verdict.steps,
        "verified": verdict.verified,
        "complete": verdict.complete,
        "first_mismatch": verdict.first_mismatch(),
        "mismatches": verdict.mismatches,
    });
    output::print(args.has("json"), &value, || verdict.summary())?;
    Ok(verdict.verified)
}
