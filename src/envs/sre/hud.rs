//! The heads-up display: step and budget, last reward, return, cost, uptime, status of the step
//! on screen (the timeline's), and the run's totals. Each figure has a fixed width, so nothing
//! moves while an agent plays.

use leptos::prelude::*;

use super::desk::use_gym;
use super::story::figures;
use crate::play::hud_cells::{EpisodesCell, MeanCell, StepsRunCell};
use crate::play::run::RunStats;
use crate::shell::numbers::{fixed, plain, signed};

#[component]
pub fn Hud() -> impl IntoView {
    let gym = use_gym();
    let fig = Memo::new(move |_| {
        let replay = gym.player.replay.get();
        gym.read(|s| figures(s, replay))
    });
    let stats = move || gym.read(|s| s.stats());
    view! {
        <section class="hud" aria-label="Episode status">
            <dl>
                <div>
                    <dt>"Step"</dt>
                    <dd data-testid="step">{move || fig.with(|f| format!("{} / {}", f.step, f.max_steps))}</dd>
                </div>
                <div>
                    <dt>"Reward"</dt>
                    <dd data-testid="reward">
                        {move || fig.with(|f| f.reward.map_or("–".to_string(), |r| signed(r, 1)))}
                    </dd>
                </div>
                <div>
                    <dt>"Return"</dt>
                    <dd data-testid="return">{move || fig.with(|f| fixed(f.episode_return, 1))}</dd>
                </div>
                <div>
                    <dt>"Cost"</dt>
                    <dd data-testid="cost" class:bad=move || fig.with(|f| f.episode_cost > 0.0)>
                        {move || fig.with(|f| plain(f.episode_cost))}
                    </dd>
                </div>
                <div>
                    <dt>"Uptime"</dt>
                    <dd data-testid="uptime">{move || fig.with(|f| format!("{:.0}%", f.uptime))}</dd>
                </div>
                <div>
                    // The status word says what it is (and its colour): its label is for screen
                    // readers, leaving the cell's width to the word.
                    <dt class="visually-hidden">"Status"</dt>
                    <dd data-testid="episode-status" class=move || format!("status status-{}", fig.with(|f| f.status))>
                        {move || fig.with(|f| f.status)}
                    </dd>
                </div>
                <EpisodesCell stats=Signal::derive(stats) summary=|st| format!("({:.0}% success)", st.percent(st.successes)) title=|st| format!("{:.0}% compliant (episodes without cost)", st.percent(st.compliant)) />
                <MeanCell stats=Signal::derive(stats) of="return" mean=RunStats::mean_return decimals=1 />
                <StepsRunCell player=gym.player steps=Signal::derive(move || stats().steps) label="Steps run" rate_title="Steps per second" unit="steps/s" class="hud-wide hud-steps" />
            </dl>
        </section>
    }
}
