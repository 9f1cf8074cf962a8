//! `ztgym`: evaluate, train, run, benchmark and check Zero Trust Gym scenarios from the command
//! line. Every subcommand prints one JSON object with `--json`.

mod args;
mod learned;

use args::Args;
use serde_json::{json, Value};
use std::process::ExitCode;
use std::time::Instant;
use ztgym::agents::builtin_agent;
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
  ztgym eval --scenario S --agent random|sop [--episodes N] [--seed S] [--level L] [--curriculum] [--cve-feed FILE] [--json]
  ztgym eval --policy FILE [--scenario S] [--episodes N] [--seed S] [--level L] [--json]
  ztgym train --scenario S --agent q|q-lagrangian|bandit --out FILE [--episodes N] [--seed S] [--level L] [--set name=value,...] [--json]
  ztgym run --scenario S --agent A|--policy FILE [--seed S] [--level L] --trajectory FILE [--alerts FILE] [--cve-feed FILE] [--json]
  ztgym bench --scenario S --agent A [--steps N] [--level L] [--json]
  ztgym scenarios [--json]
  ztgym validate FILE [--json]
  ztgym cves [--feed FILE] [--json]
  ztgym envs [--json]
  ztgym serve [--host ADDR] [--port N] [--max-sessions N] [--idle-timeout SECS] [--max-message BYTES]

Every command takes --env ID, the environment (default sre; `ztgym envs` lists them).
S is a built-in scenario name (see `ztgym scenarios`) or a path to a scenario TOML file.
L is warmup, beginner, intermediate, advanced or expert (default: the scenario's).
train's --episodes defaults to {DEFAULT_EPISODES}; --set overrides hyperparameters (alpha, gamma,
epsilon_start, epsilon_end, epsilon_decay_episodes, cost_gamma, cost_budget, lambda_lr,
lambda_init, lambda_max, mask). A policy file plays frozen (greedy, no learning).
serve speaks OpenEnv's protocol for every environment (WebSocket sessions at /ws, HTTP, MCP);
--env picks the one sessions start with; defaults: 127.0.0.1:8000, 1024 sessions, idle timeout
600 s (0: none), messages up to 1048576 bytes. It stops on SIGTERM or Ctrl-C.";

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
    let Some((command, rest)) = words.split_first() else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    if rest.iter().any(|w| w == "--help" || w == "-h") {
        if let Some(help) = command_help(&usage, command) {
            println!("{help}");
            return ExitCode::SUCCESS;
        }
    }
    let (env, rest) = match take_env(rest) {
        Ok(x) => x,
        Err(message) => {
            eprintln!("ztgym: {command}: {message}");
            return ExitCode::from(2);
        }
    };
    let rest = &rest[..];
    let result = match command.as_str() {
        "envs" => envs(rest),
        "eval" => eval(rest),
        "train" => learned::train(rest),
        "run" => run(rest),
        "bench" => bench(rest),
        "scenarios" => scenarios(rest),
        "validate" => validate(rest),
        "cves" => cves(rest),
        "serve" => serve(env, rest),
        "help" | "--help" | "-h" => {
            println!("{usage}");
            return ExitCode::SUCCESS;
        }
        "--version" | "version" => {
            println!("ztgym {}", ztgym::VERSION);
            return ExitCode::SUCCESS;
        }
        other => Err(format!("unknown command {other:?}\n\n{usage}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ztgym: {message}");
            ExitCode::from(2)
        }
    }
}

/// Removes `--env ID` (or `--env=ID`) from a command's words and checks the id. Every command
/// of this build plays the SRE gym, the default; `serve` serves every environment and starts
/// sessions on this one.
fn take_env(words: &[String]) -> Result<(Option<String>, Vec<String>), String> {
    let mut rest = Vec::with_capacity(words.len());
    let mut env = None;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if w == "--env" {
            i += 1;
            env = Some(words.get(i).ok_or("--env needs a value")?.clone());
        } else if let Some(id) = w.strip_prefix("--env=") {
            env = Some(id.to_string());
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
        default_env: env.unwrap_or(defaults.default_env),
        ..defaults
    };
    if config.max_sessions == 0 || config.max_message == 0 {
        return Err("serve: --max-sessions and --max-message must be at least 1".into());
    }
    let envs: Vec<&str> = registry::ENVS.iter().map(|e| e.id).collect();
    let (max_sessions, max_message) = (config.max_sessions, config.max_message);
    ztgym_server::run_blocking(config, |addr| {
        use std::io::Write;
        println!(
            "ztgym serve: http://{addr} (WebSocket sessions at ws://{addr}/ws; environments: {}; \
             at most {max_sessions} sessions, messages up to {max_message} bytes)",
            envs.join(", ")
        );
        let _ = std::io::stdout().flush();
    })
    .map_err(|e| format!("serve: {e}"))?;
    eprintln!("ztgym serve: stopped");
    Ok(())
}

fn envs(words: &[String]) -> Result<(), String> {
    let args = Args::parse("envs", words, &[], &["json"])?;
    let value = json!({ "envs": registry::ENVS });
    print(args.has("json"), &value, || {
        registry::ENVS
            .iter()
            .map(|e| format!("{}\t{} (seed {}): {}", e.id, e.name, e.seed, e.summary))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

/// A built-in scenario name, or a path to a TOML file.
fn load_scenario(spec: &str) -> Result<Scenario, String> {
    if Scenario::builtin_text(spec).is_some() {
        return Scenario::builtin(spec).map_err(|e| e.to_string());
    }
    if spec.ends_with(".toml") || std::path::Path::new(spec).exists() {
        let text =
            std::fs::read_to_string(spec).map_err(|e| format!("{spec}: cannot read: {e}"))?;
        return Scenario::parse(spec, &text).map_err(|e| e.to_string());
    }
    Scenario::builtin(spec).map_err(|e| e.to_string())
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

fn environment(scenario: Scenario, feed: Option<&str>) -> Result<Env, String> {
    match feed {
        None => Ok(Env::new(scenario)),
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
            let imported = import_feed(path, &text).map_err(|e| e.to_string())?;
            Env::with_parts(
                scenario,
                &imported.catalog,
                Box::new(OfflineJudge),
                Box::new(BuiltinGate),
            )
        }
    }
}

fn print(json_out: bool, value: &Value, human: impl FnOnce() -> String) {
    if json_out {
        println!("{value}");
    } else {
        println!("{}", human());
    }
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
            "scenario", "agent", "policy", "episodes", "seed", "level", "cve-feed",
        ],
        &["json", "curriculum"],
    )?;
    let (scenario, mut agent) = learned::scenario_and_agent("eval", &args)?;
    let episodes: u64 = args.number("eval", "episodes", 200)?;
    let seed: u64 = args.number("eval", "seed", 0)?;
    if episodes == 0 {
        return Err("eval: --episodes must be at least 1".into());
    }
    let options = ResetOptions {
        level: level("eval", &args)?,
        curriculum: args.has("curriculum"),
    };
    let mut env = environment(scenario, args.get("cve-feed"))?;
    let report = evaluate_report(&mut env, agent.as_mut(), episodes, seed, &options);
    let value = serde_json::to_value(&report).map_err(|e| e.to_string())?;
    print(args.has("json"), &value, || {
        human_report(env.scenario().name(), agent.name(), &report)
    });
    Ok(())
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
        ],
        &["json"],
    )?;
    let (scenario, mut agent) = learned::scenario_and_agent("run", &args)?;
    let seed: u64 = args.number("run", "seed", 0)?;
    let path = required("run", &args, "trajectory")?;
    let options = ResetOptions {
        level: level("run", &args)?,
        curriculum: false,
    };
    let mut env = environment(scenario, args.get("cve-feed"))?;
    let mut log = EpisodeLog::default();
    let summary = run_episode(
        &mut env,
        agent.as_mut(),
        seed,
        &options,
        |obs, action, step| log.push(obs, action, step),
    );
    std::fs::write(path, log.trajectory_jsonl())
        .map_err(|e| format!("{path}: cannot write: {e}"))?;
    if let Some(alerts_path) = args.get("alerts") {
        std::fs::write(alerts_path, alerts_ndjson(env.alerts()))
            .map_err(|e| format!("{alerts_path}: cannot write: {e}"))?;
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
            "{} steps, return {:.2}, cost {}, outcome {}; trajectory written to {path}",
            summary.steps,
            summary.episode_return,
            summary.cost,
            summary.outcome.as_str()
        )
    });
    Ok(())
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
    let target: u64 = args.number("bench", "steps", 1_000_000)?;
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
    });
    Ok(())
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
                    s["name"].as_str().unwrap_or(""),
                    s["services"],
                    s["title"].as_str().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

fn validate(words: &[String]) -> Result<(), String> {
    let args = Args::parse("validate", words, &[], &["json"])?;
    let [path] = args.positional.as_slice() else {
        return Err("validate: give exactly one scenario file".into());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    match Scenario::parse(path, &text) {
        Ok(s) => {
            let value = json!({ "valid": true, "file": path, "name": s.name(), "services": s.services().len() });
            print(args.has("json"), &value, || {
                format!(
                    "{path}: valid scenario {:?} with {} services",
                    s.name(),
                    s.services().len()
                )
            });
            Ok(())
        }
        Err(e) => {
            if args.has("json") {
                println!(
                    "{}",
                    json!({ "valid": false, "file": e.file, "field": e.field, "problem": e.problem })
                );
            }
            Err(e.to_string())
        }
    }
}

fn cves(words: &[String]) -> Result<(), String> {
    let args = Args::parse("cves", words, &["feed"], &["json"])?;
    let (catalog, report) = match args.get("feed") {
        None => (CveCatalog::builtin().clone(), Value::Null),
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
            let imported = import_feed(path, &text).map_err(|e| e.to_string())?;
            let report = json!({
                "kept": imported.kept,
                "dropped_low_score": imported.dropped_low_score,
                "dropped_unusable": imported.dropped_unusable,
            });
            (imported.catalog, report)
        }
    };
    let value = json!({ "entries": catalog.entries(), "count": catalog.len(), "import": report });
    print(args.has("json"), &value, || {
        let mut s: Vec<String> = catalog
            .entries()
            .iter()
            .map(|c| {
                format!(
                    "{:<16} {:>4.1}  {:<20} {}",
                    c.id,
                    c.cvss,
                    c.class.as_str(),
                    c.product
                )
            })
            .collect();
        s.push(format!("{} CVEs with CVSS >= 7.5", catalog.len()));
        s.join("\n")
    });
    Ok(())
}
