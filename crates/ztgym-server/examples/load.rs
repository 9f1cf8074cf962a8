//! Load benchmark and soak for `ztgym serve`: N concurrent WebSocket sessions each play
//! episodes to the end (the SOP agent's actions, computed by replaying the same seeded episode
//! locally, so every reply is also checked against the simulator), reporting messages and
//! steps per second, p50 / p99 latency, errors, and the server's resident memory (VmRSS from
//! /proc) sampled while it runs.
//!
//! ```sh
//! cargo run --release -p ztgym-server --example load -- --sessions 256 --episodes 20
//! cargo run --release -p ztgym-server --example load -- --sessions 256 --duration 180   # soak
//! ```
//!
//! `--cycles N` measures memory returned instead: N times, `--sessions` WebSocket sessions of
//! `--env` (default harden) are opened at once, each reset on a built-in scenario, then all
//! closed; the server's resident memory is read after each cycle, once the sessions are gone.
//!
//! ```sh
//! cargo run --release -p ztgym-server --example load -- --sessions 1024 --cycles 5
//! ```
//!
//! Without `--url`, the example starts the server itself (itself again, in a child process
//! with `--serve`), so the memory measured is the server's alone. `--url URL --pid PID`
//! measures a server started by hand.

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Message;
use ztgym::{builtin_agent, Env, Level, ResetOptions, Scenario};

struct Args {
    sessions: usize,
    episodes: u64,
    duration: Option<Duration>,
    reconnect_every: u64,
    url: Option<String>,
    pid: Option<u32>,
    sample: Duration,
    json: bool,
    cycles: Option<u64>,
    env: String,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        sessions: 256,
        episodes: 20,
        duration: None,
        reconnect_every: 10,
        url: None,
        pid: None,
        sample: Duration::from_secs(5),
        json: false,
        cycles: None,
        env: "harden".into(),
    };
    let words: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let mut value = || {
            i += 1;
            words.get(i).cloned().ok_or(format!("{w} needs a value"))
        };
        let num = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{w}: {v:?} is not a number"))
        };
        match w {
            "--sessions" => a.sessions = num(value()?)? as usize,
            "--episodes" => a.episodes = num(value()?)?,
            "--duration" => a.duration = Some(Duration::from_secs(num(value()?)?)),
            "--reconnect-every" => a.reconnect_every = num(value()?)?.max(1),
            "--url" => a.url = Some(value()?),
            "--pid" => a.pid = Some(num(value()?)? as u32),
            "--sample" => a.sample = Duration::from_secs(num(value()?)?.max(1)),
            "--json" => a.json = true,
            "--cycles" => a.cycles = Some(num(value()?)?.max(1)),
            "--env" => a.env = value()?,
            other => return Err(format!("unknown option {other}")),
        }
        i += 1;
    }
    Ok(a)
}

/// One scripted episode: the reset, the actions, and the rewards the server must answer.
struct Script {
    reset: String,
    steps: Vec<(String, f64)>,
}

fn scripts() -> Vec<Script> {
    let mut out = Vec::new();
    for (scenario, level) in [
        ("classic", Level::Warmup),
        ("enterprise", Level::Intermediate),
        ("multitenant", Level::Advanced),
    ] {
        let sc = Scenario::builtin(scenario).unwrap();
        for seed in 0..32u64 {
            let mut env = Env::new(sc.clone());
            let mut agent = builtin_agent("sop", &sc).unwrap();
            agent.reset(seed);
            let options = ResetOptions {
                level: Some(level),
                curriculum: false,
            };
            let (mut obs, mut info) = env.reset(seed, options);
            let reset = json!({"type": "reset", "data": {"seed": seed, "scenario": scenario, "level": level.as_str()}});
            let mut steps = Vec::new();
            loop {
                let action = agent.act(&obs, &info);
                let step = env.step(&action).unwrap();
                let msg = json!({"type": "step", "data": action});
                steps.push((msg.to_string(), step.reward));
                if step.terminated || step.truncated {
                    break;
                }
                (obs, info) = (step.observation, step.info);
            }
            out.push(Script {
                reset: reset.to_string(),
                steps,
            });
        }
    }
    out
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    messages: u64,
    steps: u64,
    episodes: u64,
    errors: u64,
    first_error: Option<String>,
}

/// What every client task shares.
struct Plan {
    url: String,
    scripts: Vec<Script>,
    episodes: u64,
    deadline: Option<Instant>,
    reconnect_every: u64,
    live_steps: AtomicU64,
}

async fn client(id: usize, plan: Arc<Plan>) -> Tally {
    let Plan {
        url,
        scripts,
        episodes,
        deadline,
        reconnect_every,
        live_steps,
    } = &*plan;
    let (episodes, deadline, reconnect_every) = (*episodes, *deadline, *reconnect_every);
    let mut t = Tally::default();
    let fail = |t: &mut Tally, why: String| {
        t.errors += 1;
        t.first_error.get_or_insert(why);
    };
    let mut n = 0u64;
    'connections: loop {
        let mut ws = match connect_async(url.as_str()).await {
            Ok((ws, _)) => ws,
            Err(e) => {
                fail(&mut t, format!("connect: {e}"));
                return t;
            }
        };
        for _ in 0..reconnect_every {
            let more = match deadline {
                Some(d) => Instant::now() < d,
                None => n < episodes,
            };
            if !more {
                let _ = ws.send(Message::text(r#"{"type":"close"}"#)).await;
                break 'connections;
            }
            let script = &scripts[(id + n as usize * 7) % scripts.len()];
            n += 1;
            let messages = std::iter::once((&script.reset, None))
                .chain(script.steps.iter().map(|(m, r)| (m, Some(*r))));
            for (i, (msg, reward)) in messages.enumerate() {
                let sent = Instant::now();
                if let Err(e) = ws.send(Message::text(msg.as_str())).await {
                    fail(&mut t, format!("send: {e}"));
                    return t;
                }
                let reply = loop {
                    match ws.next().await {
                        Some(Ok(Message::Text(text))) => break Some(text),
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                        _ => break None,
                    }
                };
                let elapsed = sent.elapsed();
                let Some(text) = reply else {
                    fail(&mut t, "the connection closed".into());
                    return t;
                };
                t.latencies_us
                    .push(elapsed.as_micros().min(u32::MAX as u128) as u32);
                t.messages += 1;
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let last = i == script.steps.len();
                let ok = v["type"] == "observation"
                    && match reward {
                        None => v["data"]["reward"].is_null(),
                        // serde_json parses floats fast, not always to the nearest bit.
                        Some(r) => {
                            v["data"]["reward"]
                                .as_f64()
                                .is_some_and(|x| (x - r).abs() < 1e-9)
                                && v["data"]["done"] == last
                        }
                    };
                if !ok {
                    fail(
                        &mut t,
                        format!("unexpected reply: {}", &text[..text.len().min(300)]),
                    );
                }
                if reward.is_some() {
                    t.steps += 1;
                    live_steps.fetch_add(1, Ordering::Relaxed);
                }
            }
            t.episodes += 1;
        }
        let _ = ws.send(Message::text(r#"{"type":"close"}"#)).await;
        let _ = ws.close(None).await;
    }
    t
}

/// `cycles` times: `args.sessions` sessions opened at once and reset, then all closed; the
/// server's memory after each. Returns the errors seen.
async fn churn(url: &str, args: &Args, cycles: u64, pid: Option<u32>) -> u64 {
    let scenarios = match ztgym::registry::scenarios(&args.env) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("load: {e}");
            return 1;
        }
    };
    let rss = || pid.and_then(rss_kib);
    let idle = rss();
    let mut after = Vec::new();
    let mut peaks = Vec::new();
    let mut errors = 0;
    for cycle in 0..cycles {
        let started = Instant::now();
        let opened: Vec<_> = (0..args.sessions)
            .map(|i| {
                let (url, env) = (url.to_string(), args.env.clone());
                let scenario = scenarios[i % scenarios.len().max(1)].to_string();
                tokio::spawn(async move {
                    let (mut ws, _) = connect_async(url.as_str()).await.ok()?;
                    let reset = json!({"type": "reset", "data": {"env": env, "scenario": scenario, "seed": i}});
                    ws.send(Message::text(reset.to_string())).await.ok()?;
                    match ws.next().await {
                        Some(Ok(Message::Text(t))) if t.contains("\"observation\"") => Some(ws),
                        _ => None,
                    }
                })
            })
            .collect();
        let mut open = Vec::new();
        for t in opened {
            match t.await.ok().flatten() {
                Some(ws) => open.push(ws),
                None => errors += 1,
            }
        }
        peaks.push(rss());
        for mut ws in open {
            let _ = ws.send(Message::text(r#"{"type":"close"}"#)).await;
            let _ = ws.close(None).await;
        }
        // The server frees a session when its connection ends: give it a moment.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        after.push(rss());
        if !args.json {
            println!(
                "cycle {}: {} {} sessions open in {:.1} s, server RSS with them {} KiB, after {} KiB",
                cycle + 1,
                args.sessions,
                args.env,
                started.elapsed().as_secs_f64(),
                peaks[cycle as usize].map_or("?".into(), |r| r.to_string()),
                after[cycle as usize].map_or("?".into(), |r| r.to_string()),
            );
        }
    }
    let ratio = match (
        after.first().copied().flatten(),
        after.last().copied().flatten(),
    ) {
        (Some(first), Some(last)) if first > 0 => Some(last as f64 / first as f64),
        _ => None,
    };
    let report = json!({
        "env": args.env,
        "sessions": args.sessions,
        "cycles": cycles,
        "errors": errors,
        "server_rss_kib": {"idle": idle, "with_sessions": peaks, "after_each_cycle": after},
        "last_over_first": ratio.map(|r| (r * 1000.0).round() / 1000.0),
    });
    if args.json {
        println!("{report}");
    } else {
        println!(
            "{cycles} cycles of {} {} sessions: server RSS idle {} KiB; after the last cycle {} of the \
             first; errors {errors}",
            args.sessions,
            args.env,
            idle.map_or("?".into(), |r| r.to_string()),
            ratio.map_or("?".into(), |r| format!("{:.1}%", r * 100.0)),
        );
    }
    errors
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn start_server(sessions: usize) -> Result<(Child, String), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .args(["--serve", &(sessions + 64).to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting the server: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let addr = line.trim().to_string();
    if addr.is_empty() {
        return Err("the server printed no address".into());
    }
    Ok((child, format!("ws://{addr}/ws")))
}

fn serve(max_sessions: usize) -> ! {
    let config = ztgym_server::Config {
        port: 0,
        max_sessions,
        idle_timeout: None,
        ..ztgym_server::Config::default()
    };
    let r = ztgym_server::run_blocking(config, |started| {
        use std::io::Write;
        println!("{}", started.addr);
        let _ = std::io::stdout().flush();
    });
    std::process::exit(if r.is_ok() { 0 } else { 1 })
}

fn main() {
    let words: Vec<String> = std::env::args().collect();
    if words.get(1).map(String::as_str) == Some("--serve") {
        serve(words.get(2).and_then(|n| n.parse().ok()).unwrap_or(1024));
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    let (mut child, url, pid) = match &args.url {
        Some(u) => (None, u.clone(), args.pid),
        None => match start_server(args.sessions) {
            Ok((c, u)) => {
                let pid = c.id();
                (Some(c), u, Some(pid))
            }
            Err(e) => {
                eprintln!("load: {e}");
                std::process::exit(1);
            }
        },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if let Some(cycles) = args.cycles {
        let errors = runtime.block_on(churn(&url, &args, cycles, pid));
        if let Some(c) = child.as_mut() {
            let _ = Command::new("kill").arg(c.id().to_string()).status();
            let _ = c.wait();
        }
        std::process::exit(if errors == 0 { 0 } else { 1 });
    }
    let rss = |pid: Option<u32>| pid.and_then(rss_kib);
    let idle_rss = rss(pid);
    let scripts = scripts();
    let started = Instant::now();
    let plan = Arc::new(Plan {
        url: url.clone(),
        scripts,
        episodes: args.episodes,
        deadline: args.duration.map(|d| started + d),
        reconnect_every: args.reconnect_every,
        live_steps: AtomicU64::new(0),
    });
    let mut samples: Vec<(f64, Option<u64>, u64)> = Vec::new();
    let tallies: Vec<Tally> = runtime.block_on(async {
        let tasks: Vec<_> = (0..args.sessions)
            .map(|id| tokio::spawn(client(id, plan.clone())))
            .collect();
        let mut next_sample = Instant::now() + args.sample;
        let mut last_steps = 0;
        loop {
            if tasks.iter().all(|t| t.is_finished()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            if Instant::now() >= next_sample {
                let steps = plan.live_steps.load(Ordering::Relaxed);
                let s = (
                    started.elapsed().as_secs_f64(),
                    rss(pid),
                    steps - last_steps,
                );
                if !args.json {
                    println!(
                        "t={:6.1}s  server RSS {:>8} KiB  steps in the last {}s: {}",
                        s.0,
                        s.1.map_or("?".into(), |r| r.to_string()),
                        args.sample.as_secs(),
                        s.2
                    );
                }
                samples.push(s);
                last_steps = steps;
                next_sample += args.sample;
            }
        }
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap_or_default());
        }
        out
    });
    let elapsed = started.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(300));
    let after_rss = rss(pid);
    let mut latencies: Vec<u32> = tallies
        .iter()
        .flat_map(|t| t.latencies_us.iter().copied())
        .collect();
    latencies.sort_unstable();
    let sum = |f: fn(&Tally) -> u64| tallies.iter().map(f).sum::<u64>();
    let (messages, steps, episodes, errors) = (
        sum(|t| t.messages),
        sum(|t| t.steps),
        sum(|t| t.episodes),
        sum(|t| t.errors),
    );
    let first_error = tallies.iter().find_map(|t| t.first_error.clone());
    let peak_rss = samples.iter().filter_map(|s| s.1).max();
    let report = json!({
        "sessions": args.sessions,
        "seconds": (elapsed * 100.0).round() / 100.0,
        "episodes": episodes,
        "messages": messages,
        "steps": steps,
        "messages_per_s": (messages as f64 / elapsed).round(),
        "steps_per_s": (steps as f64 / elapsed).round(),
        "latency_ms": {
            "p50": percentile(&latencies, 0.50),
            "p99": percentile(&latencies, 0.99),
            "max": percentile(&latencies, 1.0),
        },
        "errors": errors,
        "first_error": first_error,
        "server_rss_kib": {"idle": idle_rss, "peak": peak_rss, "after": after_rss},
        "rss_samples_kib": samples.iter().map(|s| json!([(s.0 * 10.0).round() / 10.0, s.1])).collect::<Vec<_>>(),
    });
    if args.json {
        println!("{report}");
    } else {
        println!(
            "{} sessions, {:.1} s: {} episodes, {} messages ({} steps): {:.0} messages/s, {:.0} steps/s; \
             latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; errors {}; server RSS idle {} KiB, peak {} KiB, after {} KiB",
            args.sessions,
            elapsed,
            episodes,
            messages,
            steps,
            messages as f64 / elapsed,
            steps as f64 / elapsed,
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99),
            percentile(&latencies, 1.0),
            errors,
            idle_rss.map_or("?".into(), |r| r.to_string()),
            peak_rss.map_or("?".into(), |r| r.to_string()),
            after_rss.map_or("?".into(), |r| r.to_string()),
        );
        if let Some(e) = first_error {
            println!("first error: {e}");
        }
    }
    if let Some(c) = child.as_mut() {
        // SIGTERM (graceful) via kill(1); the child is ours.
        let _ = Command::new("kill").arg(c.id().to_string()).status();
        let _ = c.wait();
    }
    std::process::exit(if errors == 0 { 0 } else { 1 });
}
