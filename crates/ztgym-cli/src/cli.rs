//! The command line's grammar, on clap: every command with its own `--help`, `ztgym help
//! COMMAND`, suggestions for typos, `ztgym completions SHELL`. The environment commands take
//! the options their environments' specs list (from the table, so an environment added to it
//! brings its options); `--env` takes the table's ids.
//!
//! clap checks the shape (known options, values given, no stray word); the words it accepted
//! are handed on, written `--name=value`, to the commands, which read the values as before.

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, CommandFactory, Parser, Subcommand};
use ztgym::core::command;
use ztgym::core::spec::EnvSpec;

/// Zero Trust Gym: a constrained MDP for security agents.
#[derive(Parser)]
#[command(name = "ztgym", version, arg_required_else_help = true)]
#[command(after_help = "\
The environment commands take --env ID (default sre; `ztgym envs` lists them).
`ztgym help COMMAND` or `ztgym COMMAND --help` tells more of a command.")]
pub struct Cli {
    /// The environment (default sre; `ztgym envs` lists them).
    #[arg(long, global = true, value_name = "ID")]
    pub env: Option<String>,
    #[command(subcommand)]
    pub command: Commands,
}

/// The commands. The environment commands' options come from the table (see [`command`]).
#[derive(Subcommand)]
pub enum Commands {
    /// Evaluate a built-in agent or a policy file over episodes.
    #[command(after_help = "\
Examples:
  ztgym eval --scenario classic --agent sop --episodes 50
  ztgym eval --env triage --task L2 --agent rule-based --json
  ztgym eval --env harden --scenario seed001 --agent greedy --gate policy.rego

--scenario is a built-in scenario (see `ztgym scenarios`) or a path to a scenario file. A
policy file plays frozen (greedy, no learning); one trained on a scenario file plays with
--scenario FILE (a path inside a policy is never opened).")]
    Eval,
    /// Play one episode and write its trajectory (JSON lines; `ztgym verify` replays it).
    #[command(after_help = "\
Examples:
  ztgym run --scenario classic --agent sop --trajectory run.jsonl --alerts alerts.ndjson
  ztgym run --env triage --task L1 --policy policy.json --trajectory run.jsonl")]
    Run,
    /// Train a learner (q, q-lagrangian, bandit) and write its policy file.
    #[command(after_help = "\
Examples:
  ztgym train --scenario classic --agent q-lagrangian --episodes 5000 --out policy.json
  ztgym train --env triage --task L2 --agent q --set alpha=0.2,epsilon_end=0.01 --out p.json

--set overrides hyperparameters (alpha, gamma, epsilon_start, epsilon_end,
epsilon_decay_episodes, cost_gamma, cost_budget, lambda_lr, lambda_init, lambda_max, mask).")]
    Train,
    /// Measure steps per second.
    #[command(after_help = "\
Examples:
  ztgym bench --scenario enterprise --agent sop --steps 100000
  ztgym bench --env harden --scenario seed001 --agent greedy --steps 500 --json")]
    Bench,
    /// Write counterfactual preference pairs (JSON lines) from episodes of a built-in agent.
    #[command(after_help = "\
Examples:
  ztgym pairs --env triage --task L1 --agent rule-based --episodes 4 --out pairs.jsonl
  ztgym pairs --scenario classic --agent sop --out pairs.jsonl")]
    Pairs,
    /// List the environment's built-in scenarios (or tasks).
    #[command(after_help = "\
Examples:
  ztgym scenarios
  ztgym scenarios --env harden --json")]
    Scenarios,
    /// Check a scenario file of the SRE gym.
    #[command(after_help = "Example:\n  ztgym validate my-scenario.toml --json")]
    Validate {
        /// The scenario file.
        #[arg(value_name = "FILE", num_args = 0..)]
        files: Vec<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Replay a trajectory file and check every step against the simulator.
    #[command(after_help = "\
Examples:
  ztgym verify run.jsonl
  ztgym verify --json run.jsonl

Plays every recorded action again from the recorded seed and options (any environment: the
file names it) and compares each step's reward, cost, end flags and observation digest. Exits 0
when every step matches, 1 when one differs (the first is named), 2 when the file cannot be
replayed. The format is described in the book's trajectory-format page.")]
    Verify {
        /// The trajectory file.
        #[arg(value_name = "FILE", num_args = 0..)]
        files: Vec<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// List the SRE gym's CVE catalog (CVSS >= 7.5), or import a feed.
    #[command(after_help = "Examples:\n  ztgym cves\n  ztgym cves --feed nvd.json --json")]
    Cves {
        /// A CVE feed to import (NVD JSON or the catalog's own format).
        #[arg(long, value_name = "FILE")]
        feed: Option<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// List the environments.
    #[command(after_help = "Example:\n  ztgym envs --json")]
    Envs {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Evaluate or test a Rego policy on its own, as the hardening gate reads it.
    #[command(subcommand)]
    Rego(RegoCommands),
    /// Serve every environment over OpenEnv's protocol (WebSocket sessions at /ws, HTTP, MCP).
    #[command(after_help = "\
Examples:
  ztgym serve --port 8000
  ztgym serve --env triage --scenarios ./served --max-sessions 64

--env picks the environment sessions start with. A client names built-in scenarios only, and
those of --scenarios DIR (DIR/sre/NAME.toml, DIR/harden/NAME/), read once at start. Connections
default to sessions + 256, lowered to fit the descriptor limit. It stops on SIGTERM or Ctrl-C.")]
    Serve {
        /// The address to listen on [default: 127.0.0.1].
        #[arg(long, value_name = "ADDR")]
        host: Option<String>,
        /// The port [default: 8000].
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        port: Option<String>,
        /// WebSocket sessions at once [default: 1024].
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        max_sessions: Option<String>,
        /// Seconds a silent session stays open; 0: forever [default: 600].
        #[arg(long, value_name = "SECS", allow_negative_numbers = true)]
        idle_timeout: Option<String>,
        /// The largest message read [default: 1048576].
        #[arg(long, value_name = "BYTES", allow_negative_numbers = true)]
        max_message: Option<String>,
        /// HTTP MCP sessions at once (idle timeout 60 s) [default: 64].
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        max_mcp_sessions: Option<String>,
        /// Connections at once.
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        max_connections: Option<String>,
        /// A folder of scenarios served besides the built-in ones.
        #[arg(long, value_name = "DIR")]
        scenarios: Option<String>,
    },
    /// Print a completion script for a shell.
    #[command(
        after_help = "Example:\n  ztgym completions bash > ~/.local/share/bash-completion/completions/ztgym"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the version.
    #[command(hide = true)]
    Version,
}

/// `ztgym rego ...`.
#[derive(Subcommand)]
pub enum RegoCommands {
    /// Evaluate a query on a bundle of modules and data (or a rule of one policy).
    #[command(after_help = "\
Examples:
  ztgym rego eval -d policy/ -d lib/ -i input.json data.authz.allow
  ztgym rego eval -d bundle/ 'x := data.authz.deny[_]' --json
  ztgym rego eval --policy gate.rego --input in.json --query data.gate.allow

-d reads files and directories as `opa eval -d` does (every .rego file, each data.json at the
path of its directory). --policy/--query is the older form: one policy, one rule, with its
decision and reasons.")]
    Eval {
        /// A module, a data.json or a directory of them (repeatable).
        #[arg(short = 'd', long = "data", value_name = "PATH", action = clap::ArgAction::Append)]
        data: Vec<String>,
        /// The input (JSON); absent: none (eval) or {} (--policy).
        #[arg(short = 'i', long, value_name = "FILE")]
        input: Option<String>,
        /// Read every module as Rego v0 (OPA's --v0-compatible).
        #[arg(long = "v0-compatible")]
        v0_compatible: bool,
        /// Output format: pretty or json (as --json).
        #[arg(short = 'f', long, value_name = "FORMAT")]
        format: Option<String>,
        /// One policy file (the older form, with --query).
        #[arg(long, value_name = "FILE")]
        policy: Option<String>,
        /// The rule to evaluate with --policy (data.PKG.RULE).
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// The query (with -d): a rule such as data.authz.allow, or any Rego expression.
        #[arg(value_name = "QUERY", num_args = 0..)]
        expression: Vec<String>,
    },
    /// Run every `test_` rule of every package, as `opa test` does.
    #[command(after_help = "\
Examples:
  ztgym rego test policy/ lib/ -v
  ztgym rego test bundle/ --run 'authz' --coverage
  ztgym rego test legacy/ --v0-compatible

All modules load in one engine (a package may span files; data.json files are placed at the
path of their directory). Exits non-zero when a test fails or errs.")]
    Test {
        /// Modules, data.json files or directories of them.
        #[arg(value_name = "PATH", num_args = 0..)]
        files: Vec<String>,
        /// Every test's result, not only those that did not pass.
        #[arg(short = 'v', long)]
        verbose: bool,
        /// Only the tests whose full name (data.pkg.test_x) matches this regular expression.
        #[arg(short = 'r', long, value_name = "REGEX")]
        run: Option<String>,
        /// Read every module as Rego v0 (OPA's --v0-compatible).
        #[arg(long = "v0-compatible")]
        v0_compatible: bool,
        /// The lines each module's tests reached.
        #[arg(short = 'c', long)]
        coverage: bool,
        /// Output format: pretty or json (as --json).
        #[arg(short = 'f', long, value_name = "FORMAT")]
        format: Option<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// What an environment command's option means, for `--help`.
fn option_help(name: &str) -> &'static str {
    match name {
        "scenario" => "The scenario: a built-in name or a scenario file (folder for harden)",
        "task" => "The task (triage: L1, L2, L3 or their names); --scenario is another name",
        "agent" => "A built-in agent (train: a learner: q, q-lagrangian, bandit)",
        "policy" => "A policy file, played frozen",
        "episodes" => "How many episodes",
        "seed" => "The seed of the first episode [default: 0]",
        "level" => "The level (sre: warmup..expert; harden: sandbox, stage, prod)",
        "curriculum" => "Raise the level as the agent succeeds",
        "cve-feed" => "A CVE feed to draw the scenario's vulnerabilities from",
        "gate" => "A Rego policy judging proposals instead of the built-in gate or the scenario's (a file, or a bundle directory of modules and data)",
        "trajectory" => "Where to write the trajectory (JSON lines)",
        "alerts" => "Where to write the SIEM alerts (NDJSON)",
        "audit" => "Where to write the audit records (JSON lines)",
        "out" => "Where to write the output file",
        "set" => "Hyperparameters: name=value,...",
        "steps" => "How many steps",
        "cost-weight" => "The weight of cost against return in a pair's margin",
        "min-margin" => "The least margin a pair keeps",
        "recommend-only" => "Proposals go to a cautious reviewer before they run",
        "json" => "Print one JSON object",
        _ => "An option of the environments named",
    }
}

/// The placeholder an option's value shows in `--help`.
fn value_name(name: &str) -> &'static str {
    match name {
        "policy" | "cve-feed" | "gate" | "trajectory" | "alerts" | "audit" | "out" => "FILE",
        "episodes" | "steps" | "seed" => "N",
        "cost-weight" | "min-margin" => "X",
        "scenario" | "task" | "agent" | "level" => "NAME",
        "set" => "NAME=VALUE,...",
        _ => "VALUE",
    }
}

/// The grammar, with each environment command's options and `--env`'s values from `envs`.
pub fn grammar(envs: &[&'static dyn EnvSpec]) -> clap::Command {
    let ids: Vec<&'static str> = envs.iter().map(|e| e.id()).collect();
    let mut grammar = Cli::command()
        .color(clap::ColorChoice::Never)
        .mut_arg("env", |a| a.value_parser(PossibleValuesParser::new(ids)));
    for name in command::COMMANDS {
        grammar = grammar.mut_subcommand(name, |mut sub| {
            let mut names: Vec<(&'static str, bool, Vec<&'static str>)> = Vec::new();
            for e in envs {
                let options = if name == "pairs" {
                    Some(command::pairs::OPTIONS)
                } else {
                    e.options(name)
                };
                let Some(o) = options else { continue };
                let all = o.valued.iter().map(|v| (*v, true));
                for (option, valued) in all.chain(o.switches.iter().map(|s| (*s, false))) {
                    match names.iter_mut().find(|n| n.0 == option) {
                        Some(n) => n.2.push(e.id()),
                        None => names.push((option, valued, vec![e.id()])),
                    }
                }
            }
            for (option, valued, takers) in names {
                let help = if takers.len() == envs.len() {
                    option_help(option).to_string()
                } else {
                    format!("{} [--env {}]", option_help(option), takers.join(", "))
                };
                let arg = Arg::new(option).long(option).help(help);
                sub = sub.arg(if valued {
                    arg.value_name(value_name(option))
                        .action(ArgAction::Set)
                        .allow_negative_numbers(true)
                } else {
                    arg.action(ArgAction::SetTrue)
                });
            }
            sub
        });
    }
    grammar
}

/// The words clap accepted for a (sub)command, as the commands read them: `--name=value`,
/// `--switch`, then `--` and the values without a name in order (so a file named `--json` stays
/// a file).
pub fn words(grammar: &clap::Command, matches: &ArgMatches) -> Vec<String> {
    let mut out = Vec::new();
    let mut unnamed = Vec::new();
    for arg in grammar.get_arguments() {
        let id = arg.get_id().as_str();
        if id == "env" || matches.value_source(id) != Some(clap::parser::ValueSource::CommandLine) {
            continue;
        }
        let long = arg.get_long();
        match arg.get_action() {
            ArgAction::SetTrue => out.push(format!("--{}", long.unwrap_or(id))),
            _ => {
                let Ok(Some(values)) = matches.try_get_raw(id) else {
                    continue;
                };
                for v in values {
                    let v = v.to_string_lossy();
                    match long {
                        Some(l) => out.push(format!("--{l}={v}")),
                        None => unnamed.push(v.into_owned()),
                    }
                }
            }
        }
    }
    if !unnamed.is_empty() {
        out.push("--".into());
        out.extend(unnamed);
    }
    out
}

/// A message of clap's made safe for a terminal: control characters escaped, long quoted
/// words shortened (a word typed on the command line may hold anything).
pub fn safe_message(text: &str) -> String {
    let lines: Vec<String> = text
        .trim_end()
        .lines()
        .map(|line| {
            line.split('\'')
                .enumerate()
                .map(|(i, part)| {
                    if i % 2 == 1 {
                        ztgym::core::text::shorten(part, 80)
                    } else {
                        ztgym::core::text::escape_controls(part).into_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("'")
        })
        .collect();
    lines.join("\n")
}
