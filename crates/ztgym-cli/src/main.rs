//! `ztgym`: evaluate, train, run, benchmark and check Zero Trust Gym scenarios from the command
//! line. Every subcommand prints one JSON object with `--json`.

mod args;
mod harden;
mod learned;
mod output;
mod rego;
mod triage;

use args::Args;
use serde_json::{json, Value};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;
use ztgym::agents::builtin_agent;
use ztgym::core::fileio::{self, Kind, Outputs};
use ztgym::cve::{import_feed, CveCatalog};
use ztgym::env::{Env, ResetOptions};
use ztgym::eval::{alerts_ndjson, evaluate_report, run_episode, EpisodeLog, EvalReport};
use ztgym::gate::BuiltinGate;
use ztgym::judge::OfflineJudge;
use ztgym::learn::TrainConfig;
use ztgym::registry;
use ztgym::{Level, Scenario};

const USAGE: &str = "\
ztgym: Zero Trust Gym, a constrained MDP for security agents

usage:
  ztgym eval --scenario S --agent random|sop [--episodes N] [--seed S] [--level L] [--curriculum] [--cve-feed FILE] [--gate FILE.rego] [--json]
  ztgym eval --policy FILE [--scenario S] [--episodes N] [--seed S] [--level L] [--json]
  ztgym train --scenario S --agent q|q-lagrangian|bandit --out FILE [--episodes N] [--seed S] [--level L] [--set name=value,...] [--json]
  ztgym run --scenario S --agent A|--policy FILE [--seed S] [--level L] --trajectory FILE [--alerts FILE] [--cve-feed FILE] [--json]
  ztgym bench --scenario S --agent A [--steps N] [--level L] [--json]
  ztgym scenarios [--json]
  ztgym validate FILE [--json]
  ztgym cves [--feed FILE] [--json]
  ztgym envs [--json]
  ztgym eval|run|train|bench --env harden [--scenario S] [--agent random|bandit|greedy|q|q-lagrangian] [--level sandbox|stage|prod] [--gate FILE.rego] ...
  ztgym rego eval --policy FILE [--input FILE] [--query data.PKG.RULE] [--json]
  ztgym rego test FILE... [--json]
  ztgym serve [--host ADDR] [--port N] [--max-sessions N] [--idle-timeout SECS] [--max-message BYTES] [--max-mcp-sessions N] [--max-connections N] [--scenarios DIR]

Every command takes --env ID, the environment (default sre; `ztgym envs` lists them).
S is a built-in scenario name (see `ztgym scenarios`) or a path to a scenario TOML file.
L is warmup, beginner, intermediate, advanced or expert (default: the scenario's).
train's --episodes defaults to {DEFAULT_EPISODES}; --set overrides hyperparameters (alpha, gamma,
epsilon_start, epsilon_end, epsilon_decay_episodes, cost_gamma, cost_budget, lambda_lr,
lambda_init, lambda_max, mask). A policy file plays frozen (greedy, no learning); one trained
on a scenario file plays with --scenario FILE (a path inside a policy is never opened).
serve speaks OpenEnv's protocol for every environment (WebSocket sessions at /ws, HTTP, MCP);
--env picks the one sessions start with; defaults: 127.0.0.1:8000, 1024 sessions, idle timeout
600 s (0: none), messages up to 1048576 bytes, 64 HTTP MCP sessions (idle timeout 60 s),
connections: sessions + 256, lowered to fit the descriptor limit. A client names built-in
scenarios only, and those of --scenarios DIR (DIR/sre/NAME.toml, DIR/harden/NAME/), read once
at start. It stops on SIGTERM or Ctrl-C.";

/// `ztgym COMMAND --help`: the usage lines of that command and the notes under them; `None`
/// for a command that does not exist.
fn command_help(usage: &str, command: &str) -> Option<String> {
    let prefix = format!("ztgym {command} ");
    let lines: Vec<&str> = usage
        .lines()
        .filter(|l| l.trim_start().starts_with(&prefix) || l.trim_start() == prefix.trim_end())
        .collect();
    if lines.is_empty() {
        return None;
    }
    let notes = usage.split("\n\n").last().unwrap_or_default();
    Some(format!("usage:\n{}\n\n{notes}", lines.join("\n")))
}

fn main() -> ExitCode {
    let words: Vec<String> = std::env::args().skip(1).collect();
    let usage = USAGE.replace(
        "{DEFAULT_EPISODES}",
        &TrainConfig::DEFAULT_EPISODES.to_string(),
    );
    let usage = usage.replacen(
        "  ztgym envs [--json]\n",
        &format!("  ztgym envs [--json]\n{}\n", triage::USAGE),
        1,
    );
    let Some((command, rest)) = words.split_first() else {
        output::error_line(&usage);
        return ExitCode::from(2);
    };
    if rest.iter().any(|w| w == "--help" || w == "-h") {
        if let Some(help) = command_help(&usage, command) {
            return finish(output::line(&help));
        }
    }
    let (env, rest) = match take_env(rest) {
        Ok(x) => x,
        Err(message) => {
            output::error_line(&format!("ztgym: {}: {message}", output::safe(command)));
            return ExitCode::from(2);
        }
    };
    let rest = &rest[..];
    // The hardening loop (seed 001) and Rego policies: in their own files.
    if command == "rego" || (env.as_deref() == Some("harden") && harden::handles(command)) {
        return finish(if command == "rego" {
            rego::main(rest)
        } else {
            harden::main(command, rest)
        });
    }
    // `--env triage`: its commands live in triage.rs; `pairs` serves every environment.
    let routed = match env.as_deref() {
        Some("triage") => triage::dispatch(command, rest),
        _ => None,
    };
    let result = match command.as_str() {
        _ if routed.is_some() => routed.unwrap_or(Ok(())),
        "pairs" => triage::pairs(env.as_deref().unwrap_or(registry::DEFAULT_ENV), rest),
        "envs" => envs(rest),
        "eval" => eval(rest),
        "train" => learned::train(rest),
        "run" => run(rest),
        "bench" => bench(rest),
        "scenarios" => scenarios(rest),
        "validate" => validate(rest),
        "cves" => cves(rest),
        "serve" => serve(env, rest),
        "help" | "--help" | "-h" => output::line(&usage),
        "--version" | "version" => output::line(&format!("ztgym {}", ztgym::VERSION)),
        other => Err(format!(
            "unknown command {:?}\n\n{usage}",
            ztgym::core::text::shorten(other, 80)
        )),
    };
    finish(result)
}

/// The exit code of a command's result; an error is printed on standard error (a write error
/// there is ignored: there is nowhere left to report it).
fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            output::error_line(&format!("ztgym: {message}"));
            ExitCode::from(2)
        }
    }
}

/// The most episodes `eval` and `train` run, and steps `bench` runs: far beyond any useful
/// run, and low enough that a typo (`--episodes 1000000000000`) is refused, not run for days.
const MAX_EPISODES: u64 = 100_000_000;
const MAX_BENCH_STEPS: u64 = 10_000_000_000;

/// Removes `--env ID` (or `--env=ID`) from a command's words and checks the id. Commands play
/// the SRE gym, the default, unless `--env triage` routes them to triage.rs; `serve` serves
/// every environment and starts sessions on this one.
fn take_env(words: &[String]) -> Result<(Option<String>, Vec<String>), String> {
    let mut rest = Vec::with_capacity(words.len());
    let mut env = None;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if w == "--env" || w.starts_with("--env=") {
            if env.is_some() {
                return Err("--env is given twice; give it once".into());
            }
            let id = match w.strip_prefix("--env=") {
                Some(id) => id.to_string(),
                None => {
                    i += 1;
                    words.get(i).ok_or("--env needs a value")?.clone()
                }
            };
            env = Some(id);
        } else {
            rest.push(w.clone());
        }
        i += 1;
    }
    registry::info(env.as_deref().unwrap_or(registry::DEFAULT_ENV))?;
    Ok((env, rest))
}

/// `ztgym serve`: every environment over OpenEnv's protocol until SIGTERM or Ctrl-C.
fn serve(env: Option<String>, words: &[String]) -> Result<(), String> {
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

fn envs(words: &[String]) -> Result<(), String> {
    let args = Args::parse("envs", words, &[], &["json"])?;
    let infos = registry::infos(registry::ENVS);
    let value = json!({ "envs": infos });
    print(args.has("json"), &value, || {
        infos
            .iter()
            .map(|e| format!("{}\t{} (seed {}): {}", e.id, e.name, e.seed, e.summary))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// A built-in scenario name, or a path to a TOML file (given on the command line: a path found
/// inside another file is never opened).
fn load_scenario(spec: &str) -> Result<Scenario, String> {
    if Scenario::builtin_text(spec).is_some() {
        return Scenario::builtin(spec).map_err(|e| e.to_string());
    }
    if is_scenario_file(spec) {
        let text = read(spec, Kind::Scenario)?;
        return Scenario::parse(spec, &text).map_err(|e| output::safe(&e.to_string()).into());
    }
    Scenario::builtin(spec).map_err(|e| output::safe(&e.to_string()).into())
}

/// Whether a `--scenario` value names a file rather than a built-in scenario.
fn is_scenario_file(spec: &str) -> bool {
    Scenario::builtin_text(spec).is_none() && (spec.ends_with(".toml") || Path::new(spec).exists())
}

/// A file named on the command line, read the one way (see `ztgym_core::fileio`).
fn read(path: &str, kind: Kind) -> Result<String, String> {
    fileio::read_text(Path::new(path), kind).map_err(|e| output::safe(&e.to_string()).into())
}

/// Writes an output file atomically.
fn write(path: &str, text: &str) -> Result<(), String> {
    fileio::write_atomic(Path::new(path), text.as_bytes())
        .map_err(|e| output::safe(&e.to_string()).into())
}

/// The input files among a command's options, for [`Outputs`] to compare outputs with.
fn inputs(args: &Args) -> Outputs {
    let mut files = Outputs::new();
    if let Some(s) = args.get("scenario").filter(|s| is_scenario_file(s)) {
        files.input("--scenario", s);
    }
    for name in ["policy", "cve-feed", "feed", "gate"] {
        if let Some(p) = args.get(name) {
            files.input(&format!("--{name}"), p);
        }
    }
    files
}

fn level(command: &str, args: &Args) -> Result<Option<Level>, String> {
    args.get("level")
        .map(|l| {
            Level::parse(l).ok_or_else(|| {
                let known: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
                format!(
                    "{command}: --level {l:?} is not a level (known: {})",
                    known.join(", ")
                )
            })
        })
        .transpose()
}

fn environment(scenario: Scenario, feed: Option<&str>, gate: Option<&str>) -> Result<Env, String> {
    // `--gate FILE.rego`: the SRE gym's rules as a Rego policy instead of the built-in gate.
    let gate: Box<dyn ztgym::gate::Gate<ztgym::gate::Proposal>> = match gate {
        None => Box::new(BuiltinGate),
        Some(path) => Box::new(rego::sre_gate(path)?),
    };
    match feed {
        None => Env::with_parts(
            scenario,
            CveCatalog::builtin(),
            Box::new(OfflineJudge),
            gate,
        ),
        Some(path) => {
            let text = read(path, Kind::Feed)?;
            let imported =
                import_feed(path, &text).map_err(|e| output::safe(&e.to_string()).into_owned())?;
            Env::with_parts(scenario, &imported.catalog, Box::new(OfflineJudge), gate)
        }
    }
}

fn print(json_out: bool, value: &Value, human: impl FnOnce() -> String) -> Result<(), String> {
    output::print(json_out, value, human)
}

fn required<'a>(command: &str, args: &'a Args, name: &str) -> Result<&'a str, String> {
    args.get(name)
        .ok_or_else(|| format!("{command}: --{name} is required"))
}

fn eval(words: &[String]) -> Result<(), String> {
    let args = Args::parse(
        "eval",
        words,
        &[
            "scenario", "agent", "policy", "episodes", "seed", "level", "cve-feed", "gate",
        ],
        &["json", "curriculum"],
    )?;
    let (scenario, mut agent) = learned::scenario_and_agent("eval", &args)?;
    let episodes = args.count("eval", "episodes", 200, MAX_EPISODES)?;
    let seed: u64 = args.number("eval", "seed", 0)?;
    let options = ResetOptions {
        level: level("eval", &args)?,
        curriculum: args.has("curriculum"),
    };
    let mut env = environment(scenario, args.get("cve-feed"), args.get("gate"))?;
    let report = evaluate_report(&mut env, agent.as_mut(), episodes, seed, &options);
    let value = serde_json::to_value(&report).map_err(|e| e.to_string())?;
    print(args.has("json"), &value, || {
        human_report(&output::safe(env.scenario().name()), agent.name(), &report)
    })
}

fn human_report(scenario: &str, agent: &str, r: &EvalReport) -> String {
    format!(
        "{agent} on {scenario}, {} episodes\n  mean return  {:>8.2} (std {:.2})\n  success      {:>8.3}\n  compliance   {:>8.3}\n  violations   {:>8.3}\n  mean cost    {:>8.3}\n  mean steps   {:>8.2}\n  mean uptime  {:>8.1}",
        r.episodes,
        r.mean_return,
        r.std_return,
        r.success_rate,
        r.compliance_rate,
        r.violation_rate,
        r.mean_cost,
        r.mean_steps,
        r.mean_uptime
    )
}

fn run(words: &[String]) -> Result<(), String> {
    let args = Args::parse(
        "run",
        words,
        &[
            "scenario",
            "agent",
            "policy",
            "seed",
            "level",
            "trajectory",
            "alerts",
            "cve-feed",
            "gate",
        ],
        &["json"],
    )?;
    let path = required("run", &args, "trajectory")?;
    let mut files = inputs(&args);
    files.output("--trajectory", path);
    if let Some(alerts) = args.get("alerts") {
        files.output("--alerts", alerts);
    }
    files.check().map_err(|e| format!("run: {e}"))?;
    let (scenario, mut agent) = learned::scenario_and_agent("run", &args)?;
    let seed: u64 = args.number("run", "seed", 0)?;
    let options = ResetOptions {
        level: level("run", &args)?,
        curriculum: false,
    };
    let mut env = environment(scenario, args.get("cve-feed"), args.get("gate"))?;
    let mut log = EpisodeLog::default();
    let summary = run_episode(
        &mut env,
        agent.as_mut(),
        seed,
        &options,
        |obs, action, step| log.push(obs, action, step),
    );
    write(path, &log.trajectory_jsonl())?;
    if let Some(alerts_path) = args.get("alerts") {
        write(alerts_path, &alerts_ndjson(env.alerts()))?;
    }
    let value = json!({
        "trajectory": path,
        "steps": summary.steps,
        "return": summary.episode_return,
        "cost": summary.cost,
        "outcome": summary.outcome,
        "uptime": summary.uptime,
    });
    print(args.has("json"), &value, || {
        format!(
            "{} steps, return {:.2}, cost {}, outcome {}; trajectory written to {}",
            summary.steps,
            summary.episode_return,
            summary.cost,
            summary.outcome.as_str(),
            output::safe(path)
        )
    })
}

fn bench(words: &[String]) -> Result<(), String> {
    let args = Args::parse(
        "bench",
        words,
        &["scenario", "agent", "steps", "level", "seed"],
        &["json"],
    )?;
    let scenario = load_scenario(required("bench", &args, "scenario")?)?;
    let mut agent = builtin_agent(required("bench", &args, "agent")?, &scenario)?;
    let target = args.count("bench", "steps", 1_000_000, MAX_BENCH_STEPS)?;
    let seed: u64 = args.number("bench", "seed", 0)?;
    let options = ResetOptions {
        level: level("bench", &args)?,
        curriculum: false,
    };
    let mut env = Env::new(scenario);
    let mut steps = 0u64;
    let mut episodes = 0u64;
    let start = Instant::now();
    while steps < target {
        let summary = run_episode(
            &mut env,
            agent.as_mut(),
            seed.wrapping_add(episodes),
            &options,
            |_, _, _| {},
        );
        steps += u64::from(summary.steps.max(1));
        episodes += 1;
    }
    let seconds = start.elapsed().as_secs_f64();
    let value = json!({
        "scenario": env.scenario().name(),
        "agent": agent.name(),
        "steps": steps,
        "episodes": episodes,
        "seconds": seconds,
        "steps_per_second": steps as f64 / seconds,
    });
    print(args.has("json"), &value, || {
        format!(
            "{steps} steps ({episodes} episodes) in {seconds:.3} s: {:.0} steps/s",
            steps as f64 / seconds
        )
    })
}

fn scenarios(words: &[String]) -> Result<(), String> {
    let args = Args::parse("scenarios", words, &[], &["json"])?;
    let mut list = Vec::new();
    for name in Scenario::builtin_names() {
        let s = Scenario::builtin(name).map_err(|e| e.to_string())?;
        list.push(json!({
            "name": name,
            "title": s.file.scenario.title,
            "services": s.services().len(),
            "protected": s.services().iter().filter(|x| x.protected).count(),
            "default_level": s.file.scenario.default_level,
        }));
    }
    let value = json!({ "scenarios": list });
    print(args.has("json"), &value, || {
        list.iter()
            .map(|s| {
                format!(
                    "{:<12} {:>2} services  {}",
                    output::safe(s["name"].as_str().unwrap_or("")),
                    s["services"],
                    output::safe(s["title"].as_str().unwrap_or(""))
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
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
