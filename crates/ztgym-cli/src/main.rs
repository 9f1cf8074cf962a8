//! The `ztgym` binary: the command line over the environments of this build.

use std::process::ExitCode;

fn main() -> ExitCode {
    let words: Vec<String> = std::env::args().skip(1).collect();
    ztgym_cli::run(ztgym::registry::ENVS, &words)
}
