//! Digests of the built-in agents' trajectories on every built-in scenario, environment and
//! mode (seeds 0..3 joined), one line each: to compare a change's behaviour with main's.
//!
//! `cargo run --release -p ztgym-harden --example all_digests > digests.txt`

use ztgym_core::eval::digest;
use ztgym_harden::agents::{builtin_trajectory, NAMES};
use ztgym_harden::{Options, Scenario, Stage};

fn main() {
    for scenario in Scenario::builtin_names() {
        for agent in NAMES {
            for environment in Stage::ALL {
                for recommend_only in [false, true] {
                    let options = Options {
                        environment,
                        recommend_only,
                    };
                    let all: String = (0..3)
                        .map(|seed| builtin_trajectory(scenario, agent, seed, &options).unwrap())
                        .collect();
                    println!(
                        "{scenario} {agent} {} {recommend_only} {}",
                        environment.as_str(),
                        digest(&all)
                    );
                }
            }
        }
    }
}
