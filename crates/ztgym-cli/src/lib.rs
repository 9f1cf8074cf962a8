//! `ztgym`: evaluate, train, run, benchmark and check Zero Trust Gym scenarios from the command
//! line. Every subcommand prints one JSON object with `--json`.
//!
//! [`run`] takes the table of environments (`ztgym::registry::ENVS` in the binary): the
//! commands every environment answers (`eval`, `run`, `train`, `bench`, `pairs`, `scenarios`)
//! go to the environment's spec, one code path for all of them.

mod cli;
mod output;
mod rego;
mod rego_opa_json;
mod rego_test;
mod rego_words;
mod verify;

use serde_json::{json, Value};
use std::path::Path;
use std::process::ExitCode;
use ztgym::core::command::{self, Args, Reply};
use ztgym::core::fileio::{self, Kind};
use ztgym::core::spec::{self, EnvSpec};
use ztgym::cve::{import_feed, CveCatalog};
use ztgym::registry;
use ztgym::Scenario;

/// Runs the command line `words` (without the program's name) over the environments of
/// `envs`; the exit code is 2 for any error, printed on standard error (1 when `verify` finds
/// a step of a trajectory that differs).
pub fn run(envs: &[&'static dyn EnvSpec], words: &[String]) -> ExitCode {
    ExitCode::from(run_code(envs, words))
}

/// What [`run_captured`] gives back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captured {
    /// The exit code: 0, 1 for a trajectory that does not verify, or 2 for any error.
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// [`run`], in-process, with what it prints kept (for tests and embedding; `serve` still
/// serves until stopped).
pub fn run_captured(envs: &[&'static dyn EnvSpec], words: &[String]) -> Captured {
    let (code, stdout, stderr) = output::capture(|| run_code(envs, words));
    Captured {
        code,
        stdout,
        stderr,
    }
}

fn run_code(envs: &[&'static dyn EnvSpec], words: &[String]) -> u8 {
    let grammar = cli::grammar(envs);
    let argv = std::iter::once("ztgym".to_string()).chain(words.iter().cloned());
    let matches = match grammar.clone().try_get_matches_from(argv) {
        Ok(m) => m,
        Err(e) => {
            // Usage errors exit 2 on standard error; help and the version are answers.
            let text = cli::safe_message(&e.render().to_string());
            if e.use_stderr() {
                output::error_line(&text);
                return 2;
            }
            return finish(output::line(&text));
        }
    };
    let Some((name, sub)) = matches.subcommand() else {
        return finish(Err("a command is required (`ztgym help` lists them)".into()));
    };
    let env = sub
        .try_get_one::<String>("env")
        .ok()
        .flatten()
        .or_else(|| matches.get_one::<String>("env"))
        .cloned();
    let sub_grammar = grammar
        .find_subcommand(name)
        .expect("clap parsed a subcommand of the grammar");
    let rest = cli::words(sub_grammar, sub);
    let id = env.as_deref().unwrap_or(registry::DEFAULT_ENV);
    if let Some(problem) = env.as_deref().and_then(|e| env_not_taken(name, e)) {
        return finish(Err(problem));
    }
    let result = match name {
        "rego" => match sub.subcommand() {
            Some((verb, m)) => {
                let g = sub_grammar.find_subcommand(verb).expect("a rego verb");
                let mut words = vec![verb.to_string()];
                words.extend(cli::words(g, m));
                rego::main(&words)
            }
            None => rego::main(&[]),
        },
        c if command::COMMANDS.contains(&c) => {
            spec::find(envs, id).and_then(|spec| env_command(spec, envs, c, &rest))
        }
        "envs" => list_envs(envs, &rest),
        "validate" => validate(&rest),
        "verify" => match verify::main(envs, &rest) {
            Ok(true) => return 0,
            // A step differs: the verdict is printed, the exit code says so.
            Ok(false) => return 1,
            Err(e) => Err(e),
        },
        "cves" => cves(&rest),
        "serve" => serve(envs, env, &rest),
        "completions" => completions(grammar, sub),
        _ => output::line(&format!("ztgym {}", ztgym::VERSION)),
    };
    finish(result)
}

/// Why `command` does not take `--env env`, if it does not: the SRE gym's own commands take
/// no other environment, and the commands of no environment take none, rather than ignore it.
fn env_not_taken(command: &str, env: &str) -> Option<String> {
    match command {
        "validate" | "cves" if env != "sre" => Some(format!(
            "{command} works on the SRE gym's files only; it takes no --env {env}"
        )),
        "rego" | "verify" | "envs" | "completions" => Some(format!(
            "{command} is not about one environment; it takes no --env (given: {env})"
        )),
        _ => None,
    }
}

/// `ztgym completions SHELL`: the completion script, with the table's environments.
fn completions(mut grammar: clap::Command, matches: &clap::ArgMatches) -> Result<(), String> {
    let shell = *matches
        .get_one::<clap_complete::Shell>("shell")
        .ok_or("completions: give a shell")?;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut grammar, "ztgym", &mut script);
    output::line(String::from_utf8_lossy(&script).trim_end())
}

/// The exit code of a command's result; an error is printed on standard error (a write error
/// there is ignored: there is nowhere left to report it).
fn finish(result: Result<(), String>) -> u8 {
    match result {
        Ok(()) => 0,
        Err(message) => {
            output::error_line(&format!("ztgym: {message}"));
            2
        }
    }
}

/// An environment's command: its options parsed, the environment's spec asked, its files
/// written (atomically, in order), its answer printed.
fn env_command(
    spec: &dyn EnvSpec,
    envs: &[&'static dyn EnvSpec],
    name: &str,
    words: &[String],
) -> Result<(), String> {
    let options = if name == "pairs" {
        command::pairs::OPTIONS
    } else {
        spec.options(name)
            .ok_or_else(|| spec::not_available(name, spec.id()))?
    };
    let args = parse_options(spec, envs, name, words, options)?;
    let reply: Reply = if name == "pairs" {
        spec.pairs(&command::pairs::request(&args, |s| {
            spec.is_scenario_file(s)
        })?)?
    } else {
        spec.command(name, &args)?
    };
    for (path, text) in &reply.writes {
        write(path, text)?;
    }
    print(args.has("json"), &reply.value, || reply.human)
}

/// Parses a command's options; an option this environment lacks that another one takes is
/// refused naming both.
fn parse_options(
    spec: &dyn EnvSpec,
    envs: &[&'static dyn EnvSpec],
    name: &str,
    words: &[String],
    options: command::Options,
) -> Result<Args, String> {
    Args::parse(name, words, options.valued, options.switches).map_err(|e| {
        let unknown = words.iter().find_map(|w| {
            let option = w.strip_prefix("--")?;
            let option = option.split_once('=').map_or(option, |(o, _)| o);
            let known = options.valued.contains(&option) || options.switches.contains(&option);
            (!known).then_some(option)
        });
        let Some(option) =
            unknown.filter(|o| e.starts_with(&format!("{name}: unknown option --{o} ")))
        else {
            return e;
        };
        let takes = |other: &&&dyn EnvSpec| {
            other
                .options(name)
                .is_some_and(|o| o.valued.contains(&option) || o.switches.contains(&option))
        };
        let others: Vec<&str> = envs.iter().filter(takes).map(|e| e.id()).collect();
        if others.is_empty() {
            return e;
        }
        format!(
            "{name}: --{option} is not available with --env {} (it is with --env {})",
            spec.id(),
            others.join(", ")
        )
    })
}

/// `ztgym serve`: every environment over OpenEnv's protocol until SIGTERM or Ctrl-C.
fn serve(
    envs: &[&'static dyn EnvSpec],
    env: Option<String>,
    words: &[String],
) -> Result<(), String> {
    let args = Args::parse(
        "serve",
        words,
        &[
            "host",
            "port",
            "max-sessions",
            "idle-timeout",
            "max-message",
            "max-mcp-sessions",
            "max-connections",
            "scenarios",
        ],
        &[],
    )?;
    let defaults = ztgym_server::Config::default();
    let idle: u64 = args.number(
        "serve",
        "idle-timeout",
        defaults.idle_timeout.map_or(0, |d| d.as_secs()),
    )?;
    let config = ztgym_server::Config {
        host: args.get("host").unwrap_or(&defaults.host).to_string(),
        port: args.number("serve", "port", defaults.port)?,
        max_sessions: args.number("serve", "max-sessions", defaults.max_sessions)?,
        idle_timeout: (idle > 0).then(|| std::time::Duration::from_secs(idle)),
        max_message: args.number("serve", "max-message", defaults.max_message)?,
        max_mcp_sessions: args.number("serve", "max-mcp-sessions", defaults.max_mcp_sessions)?,
        max_connections: match args.get("max-connections") {
            Some(_) => Some(args.number("serve", "max-connections", 0)?),
            None => None,
        },
        scenarios_dir: args.get("scenarios").map(std::path::PathBuf::from),
        envs: envs.to_vec(),
        default_env: env.unwrap_or(defaults.default_env),
        ..defaults
    };
    let at_least_one = [
        ("max-sessions", config.max_sessions),
        ("max-message", config.max_message),
        ("max-mcp-sessions", config.max_mcp_sessions),
        ("max-connections", config.max_connections.unwrap_or(1)),
    ];
    for (flag, value) in at_least_one {
        if value == 0 {
            return Err(format!("serve: --{flag} must be at least 1"));
        }
    }
    if config.max_sessions > 1_000_000
        || config.max_mcp_sessions > 1_000_000
        || config.max_connections.unwrap_or(0) > 1_000_000
        || config.max_message > 1 << 30
    {
        return Err(
            "serve: --max-sessions, --max-mcp-sessions and --max-connections may be at most \
             1000000, --max-message at most 1073741824"
                .into(),
        );
    }
    let envs: Vec<&str> = config.envs.iter().map(|e| e.id()).collect();
    let (max_sessions, max_message) = (config.max_sessions, config.max_message);
    ztgym_server::run_blocking(config, |started| {
        let addr = started.addr;
        // The server runs on whether or not anyone reads these lines.
        let _ = output::line(&format!(
            "ztgym serve: http://{addr} (WebSocket sessions at ws://{addr}/ws; environments: {}; \
             at most {max_sessions} sessions, messages up to {max_message} bytes, {} connections)",
            envs.join(", "),
            started.connections.max
        ));
        if let Some(wanted) = started.connections.lowered_from {
            output::error_line(&format!(
                "ztgym serve: connections lowered from {wanted} to {} to fit the descriptor limit \
                 (ulimit -n)",
                started.connections.max
            ));
        }
        if !started.loaded.is_empty() {
            let _ = output::line(&format!(
                "ztgym serve: scenarios from --scenarios: {}",
                ztgym::core::text::escape_controls(&started.loaded.join(", "))
            ));
        }
    })
    .map_err(|e| format!("serve: {e}"))?;
    output::error_line("ztgym serve: stopped");
    Ok(())
}

fn list_envs(envs: &[&'static dyn EnvSpec], words: &[String]) -> Result<(), String> {
    let args = Args::parse("envs", words, &[], &["json"])?;
    let infos = registry::infos(envs);
    let value = json!({ "envs": infos });
    print(args.has("json"), &value, || {
        infos
            .iter()
            .map(|e| format!("{}\t{} (seed {}): {}", e.id, e.name, e.seed, e.summary))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// A file named on the command line, read the one way (see `ztgym_core::fileio`).
fn read(path: &str, kind: Kind) -> Result<String, String> {
    command::read(path, kind)
}

/// Writes an output file atomically.
fn write(path: &str, text: &str) -> Result<(), String> {
    fileio::write_atomic(Path::new(path), text.as_bytes())
        .map_err(|e| output::safe(&e.to_string()).into())
}

fn print(json_out: bool, value: &Value, human: impl FnOnce() -> String) -> Result<(), String> {
    output::print(json_out, value, human)
}

fn required<'a>(command: &str, args: &'a Args, name: &str) -> Result<&'a str, String> {
    command::required(command, args, name)
}

fn validate(words: &[String]) -> Result<(), String> {
    let args = Args::parse_with_positionals("validate", words, &[], &["json"])?;
    let [path] = args.positional.as_slice() else {
        return Err(format!(
            "validate: give exactly one scenario file (found {} words)",
            args.positional.len()
        ));
    };
    let parsed = fileio::read_text(Path::new(path), Kind::Scenario)
        .map_err(|e| (path.clone(), e.place, e.problem))
        .and_then(|text| Scenario::parse(path, &text).map_err(|e| (e.file, e.field, e.problem)));
    match parsed {
        Ok(s) => {
            let value = json!({ "valid": true, "file": path, "name": s.name(), "services": s.services().len() });
            print(args.has("json"), &value, || {
                format!(
                    "{}: valid scenario {:?} with {} services",
                    output::safe(path),
                    s.name(),
                    s.services().len()
                )
            })
        }
        Err((file, field, problem)) => {
            if args.has("json") {
                output::line(
                    &json!({ "valid": false, "file": file, "field": field, "problem": problem })
                        .to_string(),
                )?;
            }
            let place = if field.is_empty() {
                String::new()
            } else {
                format!("{field}: ")
            };
            Err(output::safe(&format!("{file}: {place}{problem}")).into_owned())
        }
    }
}

fn cves(words: &[String]) -> Result<(), String> {
    let args = Args::parse("cves", words, &["feed"], &["json"])?;
    let (catalog, report) = match args.get("feed") {
        None => (CveCatalog::builtin().clone(), Value::Null),
        Some(path) => {
            let text = read(path, Kind::Feed)?;
            let imported =
                import_feed(path, &text).map_err(|e| output::safe(&e.to_string()).into_owned())?;
            let report = json!({
                "kept": imported.kept,
                "dropped_low_score": imported.dropped_low_score,
                "dropped_unusable": imported.dropped_unusable,
            });
            (imported.catalog, report)
        }
    };
    let dropped: Vec<String> = report["dropped_unusable"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let low = report["dropped_low_score"].as_u64().unwrap_or(0);
    let value = json!({ "entries": catalog.entries(), "count": catalog.len(), "import": report });
    print(args.has("json"), &value, || {
        let mut s: Vec<String> = catalog
            .entries()
            .iter()
            .map(|c| {
                format!(
                    "{:<16} {:>4.1}  {:<20} {}",
                    output::safe(&c.id),
                    c.cvss,
                    c.class.as_str(),
                    output::safe(&c.product)
                )
            })
            .collect();
        s.push(format!("{} CVEs with CVSS >= 7.5", catalog.len()));
        if low > 0 {
            s.push(format!("dropped {low} entries scored below 7.5"));
        }
        for reason in &dropped {
            s.push(format!("dropped: {}", output::safe(reason)));
        }
        s.join("\n")
    })
}
