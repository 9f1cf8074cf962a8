//! The HUD cells every page shows the same way: the last reward, return and cost, the episodes
//! played with their rate, their mean return or score, and the steps run with the rate while
//! playing at maximum speed.

use super::page_session::LinkedSession;
use super::player::Player;
use super::run::RunStats;
use super::speed::Speed;
use super::state::PageState;
use crate::shell::numbers::{fixed, plain, signed};
use leptos::prelude::*;

/// The last step's reward, and the episode's return and cost so far, of a page's run.
#[component]
pub fn RunFigures<S: LinkedSession>(state: PageState<S>) -> impl IntoView {
    let reward = move || state.read(|s| s.run_ref().log().steps.last().map(|r| r.step.reward));
    // Summed over the record, step by step as the environment adds them up.
    let episode_return =
        move || state.read(|s| s.run_ref().log().steps.iter().map(|r| r.step.reward).sum());
    let cost = move || state.read(|s| s.run_ref().log().steps.iter().map(|r| r.step.cost).sum());
    view! {
        <RewardCell reward=Signal::derive(reward) />
        <ReturnCostCells episode_return=Signal::derive(episode_return) cost=Signal::derive(cost) />
    }
}

/// The last step's reward (`–` before the first).
#[component]
pub fn RewardCell(#[prop(into)] reward: Signal<Option<f64>>) -> impl IntoView {
    view! {
        <div>
            <dt>"Reward"</dt>
            <dd data-testid="reward">{move || reward.get().map_or("–".to_string(), |r| signed(r, 2))}</dd>
        </div>
    }
}

/// The episode's return and cost so far (a cost above zero is marked bad).
#[component]
pub fn ReturnCostCells(
    #[prop(into)] episode_return: Signal<f64>,
    #[prop(into)] cost: Signal<f64>,
) -> impl IntoView {
    view! {
        <div>
            <dt>"Return"</dt>
            <dd data-testid="return">{move || fixed(episode_return.get(), 2)}</dd>
        </div>
        <div>
            <dt>"Cost"</dt>
            <dd data-testid="cost" class:bad=move || { cost.get() > 0.0 }>{move || plain(cost.get())}</dd>
        </div>
    }
}

/// The episodes played: their count, and `summary` of the totals once there is one.
#[component]
pub fn EpisodesCell(
    #[prop(into)] stats: Signal<RunStats>,
    /// What follows the count, e.g. `(80% passed)`.
    summary: fn(&RunStats) -> String,
    /// The cell's tooltip once there is an episode.
    #[prop(optional)]
    title: Option<fn(&RunStats) -> String>,
) -> impl IntoView {
    view! {
        <div class="hud-wide">
            <dt>"Episodes"</dt>
            <dd
                data-testid="episodes"
                title=move || {
                    let st = stats.get();
                    title.filter(|_| st.episodes > 0).map(|t| t(&st))
                }
            >
                {move || {
                    let st = stats.get();
                    if st.episodes == 0 {
                        "0".to_string()
                    } else {
                        format!("{} {}", st.episodes, summary(&st))
                    }
                }}
            </dd>
        </div>
    }
}

/// A mean over the episodes played (`–` before the first). Labelled `Mean` so it fits one
/// cell at 1280x800; what it is the mean of is read out and shown as the tooltip.
#[component]
pub fn MeanCell(
    #[prop(into)] stats: Signal<RunStats>,
    /// What it is the mean of: `return`, `score`.
    of: &'static str,
    /// The mean, `None` before the first episode ([`RunStats::mean_return`]).
    mean: fn(&RunStats) -> Option<f64>,
    /// Decimals shown.
    decimals: usize,
) -> impl IntoView {
    view! {
        <div title=format!("Mean {of} over the episodes played")>
            <dt>"Mean"<span class="visually-hidden">{format!(" {of}")}</span></dt>
            <dd data-testid="mean">{move || mean(&stats.get()).map_or("–".to_string(), |m| fixed(m, decimals))}</dd>
        </div>
    }
}

/// The steps run in all, and the rate while the player plays at maximum speed.
#[component]
pub fn StepsRunCell(
    player: Player,
    #[prop(into)] steps: Signal<u64>,
    /// The cell's label: `Steps run`, `Cycles run`.
    label: &'static str,
    /// The rate's tooltip: `Steps per second`.
    rate_title: &'static str,
    /// The rate's unit: `steps/s`, `/s`.
    unit: &'static str,
    /// The cell's classes.
    #[prop(default = "hud-wide")]
    class: &'static str,
) -> impl IntoView {
    view! {
        <div class=class>
            <dt>{label}</dt>
            <dd data-testid="steps-total">{move || steps.get().to_string()}</dd>
            <Show when=move || { player.playing.get() && player.speed.get() == Speed::Max && player.steps_per_second.get() > 0.0 }>
                <dd class="hud-rate" title=rate_title data-testid="steps-per-second">
                    {move || format!("{:.0}", player.steps_per_second.get())}
                </dd>
                <dd class="hud-rate-unit">{unit}</dd>
            </Show>
        </div>
    }
}
