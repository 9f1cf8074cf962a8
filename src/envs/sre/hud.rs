//! The heads-up display: step and budget, last reward, return, cost, uptime, status.

use leptos::prelude::*;

use super::gym::use_gym;

#[component]
pub fn Hud() -> impl IntoView {
    let gym = use_gym();
    let obs = move || {
        gym.read(|s| {
            let o = s.observation();
            (o.step, o.max_steps, o.uptime)
        })
    };
    let reward = move || {
        gym.read(|s| {
            s.last_reward_cost()
                .map_or("–".to_string(), |(r, _)| format!("{r:+.1}"))
        })
    };
    let ret = move || gym.read(|s| format!("{:.1}", s.info().episode_return));
    let cost = move || gym.read(|s| format!("{}", s.info().episode_cost));
    let status = move || gym.read(|s| s.status());
    let stats = move || gym.read(|s| s.stats());
    view! {
        <section class="hud" aria-label="Episode status">
            <dl>
                <div>
                    <dt>"Step"</dt>
                    <dd data-testid="step">{move || { let (s, m, _) = obs(); format!("{s} / {m}") }}</dd>
                </div>
                <div>
                    <dt>"Reward"</dt>
                    <dd data-testid="reward">{reward}</dd>
                </div>
                <div>
                    <dt>"Return"</dt>
                    <dd data-testid="return">{ret}</dd>
                </div>
                <div>
                    <dt>"Cost"</dt>
                    <dd data-testid="cost" class:bad=move || gym.read(|s| s.info().episode_cost > 0.0)>
                        {cost}
                    </dd>
                </div>
                <div>
                    <dt>"Uptime"</dt>
                    <dd data-testid="uptime">{move || format!("{:.0}%", obs().2)}</dd>
                </div>
                <div>
                    <dt>"Status"</dt>
                    <dd data-testid="episode-status" class=move || format!("status status-{}", status())>
                        {status}
                    </dd>
                </div>
                <div>
                    <dt>"Episodes"</dt>
                    <dd data-testid="episodes">
                        {move || {
                            let st = stats();
                            if st.episodes == 0 {
                                "0".to_string()
                            } else {
                                format!(
                                    "{} ({:.0}% success, {:.0}% compliant)",
                                    st.episodes,
                                    100.0 * st.successes as f64 / st.episodes as f64,
                                    100.0 * st.compliant as f64 / st.episodes as f64,
                                )
                            }
                        }}
                    </dd>
                </div>
                <div>
                    <dt>"Steps run"</dt>
                    <dd data-testid="steps-total">{move || stats().steps.to_string()}</dd>
                </div>
                <Show when=move || { gym.player.playing.get() && gym.player.speed.get() == crate::play::speed::Speed::Max && gym.player.steps_per_second.get() > 0.0 }>
                    <div>
                        <dt>"Steps/s"</dt>
                        <dd data-testid="steps-per-second">
                            {move || format!("{:.0}", gym.player.steps_per_second.get())}
                        </dd>
                    </div>
                </Show>
            </dl>
        </section>
    }
}
