//! The arena's table on the page: the ranked rows with their intervals, the seeds where the
//! agents differ most (each return a button to watch that agent play that seed), the exports
//! (CSV and Markdown, copied or downloaded) and the arena's link, or why it has none.

use super::export::{shown, to_csv, to_markdown, INTERVALS};
use super::host::{ArenaHost, Entry};
use super::link::ArenaLink;
use super::ranking::Ranking;
use super::seeds::format_seeds;
use crate::shell::copy_button::CopyButton;
use crate::shell::download::download;
use crate::shell::notices::Notices;
use crate::shell::numbers::fixed;
use leptos::prelude::*;

/// The ranked table, the seeds where the agents differ most, the exports and the link.
#[component]
pub(super) fn ArenaTable(
    host: ArenaHost,
    ranking: Ranking,
    ranked: RwSignal<Vec<Entry>>,
    notices: Notices,
) -> impl IntoView {
    let csv = to_csv(&ranking);
    let markdown = to_markdown(&ranking);
    let stem = format!("arena-{}-{}", ranking.env, ranking.scenario);
    let scored = ranking.scored;
    let ranked_on = StoredValue::new(ranking.scenario.clone());
    let watch = move |agent: usize, seed: u64| {
        let Some(entry) = ranked.with_untracked(|r| r.get(agent).cloned()) else {
            return;
        };
        // The stage plays the scenario on screen: it must be the one ranked.
        if host.scenario.get_untracked() != ranked_on.get_value() {
            notices.error(format!(
                "This arena ranked {}; pick it again in the run controls to watch its seeds.",
                ranked_on.get_value()
            ));
            return;
        }
        if let Err(e) = host.watch.run((entry.spec, seed)) {
            notices.error(format!("Could not watch {}: {e}", entry.label));
        }
    };
    let link = {
        let seeds = ranking.seeds.clone();
        move || share_link(ranked.get(), seeds.clone())
    };
    let download_as = move |name: String, mime: &'static str, text: String| {
        move |_| {
            if let Err(e) = download(&name, mime, &text) {
                notices.error(e);
            }
        }
    };
    let rows = ranking.rows.clone();
    let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    let agents_in_row_order: Vec<usize> = rows.iter().map(|r| r.agent).collect();
    view! {
        <div class="table-scroll">
        <table class="arena-table" data-testid="arena-table">
            <caption>
                {format!(
                    "{} agents on {} seeds ({}) of {}",
                    ranking.rows.len(),
                    ranking.seeds.len(),
                    format_seeds(&ranking.seeds),
                    ranking.scenario
                )}
            </caption>
            <thead>
                <tr>
                    <th scope="col">"Rank"</th>
                    <th scope="col">"Agent"</th>
                    <th scope="col">"Episodes"</th>
                    <th scope="col">"Mean return"</th>
                    <th scope="col">"Mean cost"</th>
                    <th scope="col">"Success rate"</th>
                    {scored.then(|| view! { <th scope="col">"Mean score"</th> })}
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr data-testid="arena-row" data-agent=r.label.clone()>
                                <td>{r.rank}</td>
                                <th scope="row">{r.label.clone()}</th>
                                <td>{r.episodes}</td>
                                <td data-testid="arena-return" data-value=r.mean_return.value.to_string()>
                                    {shown(&r.mean_return, 2)}
                                </td>
                                <td data-testid="arena-cost" data-value=r.mean_cost.value.to_string()>
                                    {shown(&r.mean_cost, 2)}
                                </td>
                                <td data-testid="arena-success" data-value=r.success_rate.value.to_string()>
                                    {shown(&r.success_rate, 3)}
                                </td>
                                {r.mean_score.map(|s| view! {
                                    <td data-testid="arena-score" data-value=s.value.to_string()>
                                        {shown(&s, 3)}
                                    </td>
                                })}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
        <p class="hint">{INTERVALS}"."</p>
        {(!ranking.differ.is_empty()).then(|| {
            let differ = ranking.differ.clone();
            view! {
                <h3 class="arena-subtitle">"Seeds where they differ most (return; click to watch)"</h3>
                <div class="table-scroll">
                <table class="arena-table arena-differ" data-testid="arena-differ">
                    <thead>
                        <tr>
                            <th scope="col">"Seed"</th>
                            <th scope="col">"Spread"</th>
                            {labels.iter().map(|l| view! { <th scope="col">{l.clone()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {differ
                            .into_iter()
                            .map(|d| {
                                let seed = d.seed;
                                let agents = agents_in_row_order.clone();
                                view! {
                                    <tr data-testid="arena-differ-row" data-seed=seed.to_string()>
                                        <th scope="row">{seed}</th>
                                        <td>{format!("{:.2}", d.spread)}</td>
                                        {d
                                            .returns
                                            .iter()
                                            .zip(agents)
                                            .map(|(x, agent)| {
                                                view! {
                                                    <td>
                                                        <button
                                                            type="button"
                                                            class="arena-watch"
                                                            data-testid="arena-watch"
                                                            title="Watch this agent play this seed on the stage"
                                                            on:click=move |_| watch(agent, seed)
                                                        >
                                                            {fixed(*x, 2)}
                                                        </button>
                                                    </td>
                                                }
                                            })
                                            .collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                </div>
            }
        })}
        <div class="control-row arena-exports">
            <span>"CSV"</span>
            <CopyButton text=Signal::stored(csv.clone()) label="Copy the table as CSV" test_id="arena-copy-csv" />
            <button type="button" data-testid="arena-download-csv" on:click=download_as(format!("{stem}.csv"), "text/csv", csv)>
                "Download"
            </button>
            <span>"Markdown"</span>
            <CopyButton text=Signal::stored(markdown.clone()) label="Copy the table as Markdown" test_id="arena-copy-md" />
            <button type="button" data-testid="arena-download-md" on:click=download_as(format!("{stem}.md"), "text/markdown", markdown)>
                "Download"
            </button>
        </div>
        {move || match link() {
            Ok(url) => view! {
                <div class="control-row arena-link">
                    <label>
                        "Link to this arena"
                        <input type="text" readonly data-testid="arena-link" prop:value=url.clone() />
                    </label>
                    <CopyButton text=Signal::stored(url) label="Copy the arena's link" test_id="arena-copy-link" />
                </div>
            }
            .into_any(),
            Err(e) => view! {
                <p class="hint" data-testid="arena-link-refused">
                    {format!("No link for this arena: {e}.")}
                </p>
            }
            .into_any(),
        }}
    }
}

/// The page's address with the run's link and the arena's fields, or why the arena cannot ride
/// in a link.
fn share_link(entries: Vec<Entry>, seeds: Vec<u64>) -> Result<String, String> {
    let arena = ArenaLink {
        agents: entries.into_iter().map(|e| e.link).collect(),
        seeds,
    };
    let fields = arena.fields()?;
    let location = window().location();
    let base = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    let hash = location.hash().unwrap_or_default();
    let mut hash = hash.trim_start_matches('#').to_string();
    for (k, v) in fields {
        hash.push_str(&format!("&{k}={v}"));
    }
    Ok(format!("{base}#{hash}"))
}
