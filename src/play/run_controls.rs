//! The run's settings and transport: scenario, level, seed, agent, speed; Play, Pause, Step,
//! Reset, New seed; exports and the share link.

use leptos::prelude::*;
use ztgym::{Level, Scenario};

use crate::shell::download::download;
use crate::envs::sre::gym::{use_playground, Notice};
use crate::envs::sre::run_settings::{AgentChoice, Speed};

#[component]
pub fn RunControls() -> impl IntoView {
    let pg = use_playground();
    let settings = move || pg.read(|s| s.settings().clone());
    let update = move |f: &dyn Fn(&mut crate::envs::sre::run_settings::RunSettings)| {
        let mut s = pg.settings();
        f(&mut s);
        pg.apply(s);
    };
    let export = move |name: &str, mime: &str, text: String| {
        if let Err(e) = download(name, mime, &text) {
            pg.notice.set(Some(Notice {
                error: true,
                text: e,
            }));
        }
    };
    let file_stem = move || {
        let s = pg.settings();
        format!("ztgym-{}-{}-seed{}", s.scenario, s.agent.as_str(), s.seed)
    };
    view! {
        <section class="run-controls" aria-label="Run settings">
            <div class="control-row">
                <label>
                    "Scenario"
                    <select
                        prop:value=move || settings().scenario
                        on:change=move |ev| {
                            let name = event_target_value(&ev);
                            let level = Scenario::builtin(&name)
                                .map(|s| s.file.scenario.default_level)
                                .unwrap_or(Level::Warmup);
                            update(&|s| {
                                s.scenario = name.clone();
                                s.level = level;
                            });
                        }
                    >
                        {Scenario::builtin_names()
                            .map(|n| view! { <option value=n>{n}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Level"
                    <select
                        prop:value=move || settings().level.as_str()
                        on:change=move |ev| {
                            if let Some(level) = Level::parse(&event_target_value(&ev)) {
                                update(&|s| s.level = level);
                            }
                        }
                    >
                        {Level::ALL
                            .iter()
                            .map(|l| view! { <option value=l.as_str()>{l.as_str()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Seed"
                    <input
                        type="number"
                        min="0"
                        step="1"
                        class="seed-input"
                        prop:value=move || settings().seed.to_string()
                        on:change=move |ev| {
                            match event_target_value(&ev).trim().parse::<u64>() {
                                Ok(seed) => update(&|s| s.seed = seed),
                                Err(_) => pg.notice.set(Some(Notice {
                                    error: true,
                                    text: "Seed: enter a whole number from 0 upwards.".into(),
                                })),
                            }
                        }
                    />
                </label>
                <label>
                    "Agent"
                    <select
                        data-testid="agent-select"
                        prop:value=move || settings().agent.as_str()
                        on:change=move |ev| {
                            if let Some(agent) = AgentChoice::parse(&event_target_value(&ev)) {
                                update(&|s| s.agent = agent);
                            }
                        }
                    >
                        {AgentChoice::ALL
                            .iter()
                            .map(|&a| {
                                // The Policy choice needs a policy for this scenario.
                                let unavailable = move || {
                                    a == AgentChoice::Policy && pg.read(|s| s.policy().is_none())
                                };
                                view! {
                                    <option value=a.as_str() disabled=unavailable>
                                        {a.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Speed"
                    <select
                        prop:value=move || pg.speed.get().as_str()
                        on:change=move |ev| {
                            if let Some(speed) = Speed::parse(&event_target_value(&ev)) {
                                update(&|s| s.speed = speed);
                            }
                        }
                    >
                        {Speed::ALL
                            .iter()
                            .map(|v| view! { <option value=v.as_str()>{v.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" bind:checked=pg.keep_going />
                    "Keep going"
                </label>
            </div>
            <div class="control-row transport">
                <Show
                    when=move || pg.playing.get()
                    fallback=move || {
                        view! {
                            <button class="primary" on:click=move |_| pg.play() title="Play (space)">
                                "Play"
                            </button>
                        }
                    }
                >
                    <button class="primary" on:click=move |_| pg.pause() title="Pause (space)">
                        "Pause"
                    </button>
                </Show>
                <button on:click=move |_| pg.step() title="One agent step (n)">
                    "Step"
                </button>
                <button on:click=move |_| pg.reset() title="Same seed, from the start (r)">
                    "Reset"
                </button>
                <button on:click=move |_| pg.new_seed()>"New seed"</button>
                <span class="spacer"></span>
                <button on:click=move |_| {
                    let text = pg.peek(|s| s.trajectory_jsonl());
                    export(&format!("{}.jsonl", file_stem()), "application/x-ndjson", text);
                }>"Export trajectory"</button>
                <button on:click=move |_| {
                    let text = pg.peek(|s| s.alerts_ndjson());
                    export(&format!("{}-alerts.ndjson", file_stem()), "application/x-ndjson", text);
                }>"Export alerts"</button>
                <label class="share">
                    "Share link"
                    <input
                        type="text"
                        readonly
                        data-testid="share-link"
                        prop:value=move || {
                            let base = window().location().href().unwrap_or_default();
                            let base = base.split('#').next().unwrap_or_default().to_string();
                            format!("{base}#{}", pg.share_hash())
                        }
                        on:focus=move |ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev
                                .target()
                                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            {
                                input.select();
                            }
                        }
                    />
                </label>
            </div>
        </section>
    }
}
