//! Steps per second of an environment as the Python package steps it (`EnvSpec::numeric`:
//! the observation vector and the mask written every step), natively, with no Python: the
//! ceiling of `ztgym.ZtgymVectorEnv` per core.
//!
//! `cargo run --profile python -p ztgym --example numeric_steps -- [ENV] [STEPS]`

use std::time::Instant;
use ztgym::core::spec::NumericRequest;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let id = args.next().unwrap_or_else(|| "sre".into());
    let steps: usize = match args.next() {
        Some(n) => n.parse().map_err(|e| format!("STEPS: {e}"))?,
        None => 1_000_000,
    };
    let mut env = ztgym::registry::spec(&id)?.numeric(&NumericRequest::default())?;
    let n = env.actions().len();
    let (mut obs, mut mask) = (vec![0.0; env.observation_len()], vec![0; n]);
    let mut seed = 0;
    env.reset(seed, &mut obs, &mut mask);
    // xorshift: random actions without a dependency, the same every run.
    let mut x: u64 = 1;
    let start = Instant::now();
    for _ in 0..steps {
        if env.ended() {
            seed += 1;
            env.reset(seed, &mut obs, &mut mask);
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        env.step((x % n as u64) as usize, &mut obs, &mut mask)?;
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{id}: {steps} steps in {seconds:.3} s = {:.0} steps/s ({} episodes, observation of {})",
        steps as f64 / seconds,
        seed + 1,
        obs.len()
    );
    Ok(())
}
