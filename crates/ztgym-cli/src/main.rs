//! The `ztgym` binary: the command line over the environments of this build.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Read as the OS gives them: an argument that is not UTF-8 is refused by name, never a panic.
    let mut words = Vec::new();
    for (i, word) in std::env::args_os().skip(1).enumerate() {
        match word.into_string() {
            Ok(w) => words.push(w),
            Err(w) => {
                let shown = ztgym::core::text::shorten(&w.to_string_lossy(), 80);
                eprintln!("ztgym: argument {} is not UTF-8 text: {shown:?}", i + 1);
                return ExitCode::from(2);
            }
        }
    }
    ztgym_cli::run(ztgym::registry::ENVS, &words)
}
