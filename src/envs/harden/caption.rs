//! The caption under the twin: the cycle just played as a pipeline, telemetry -> proposal ->
//! gate -> forecast -> executed or not -> reward, each stage with its figures; the gate's
//! answer (`decision`) and every reason (`reasons`). Fixed in size; all text.

use super::desk::use_desk;
use super::story::pipeline;
use leptos::prelude::*;

#[component]
pub fn PipelineView() -> impl IntoView {
    let desk = use_desk();
    let stages = Memo::new(move |_| {
        desk.read(|s| {
            let budget = s.scenario().budget(s.settings().stage.as_str());
            s.log()
                .steps
                .last()
                .and_then(|r| r.step.info.cycle.as_ref())
                .map(|c| (c.cycle + 1, pipeline(c, budget)))
        })
    });
    view! {
        <section class="caption harden-pipeline" aria-label="The last cycle">
            {move || match stages.get() {
                None => view! {
                    <p class="caption-head">"Cycle 0"</p>
                    <p class="hint">
                        "Each cycle appears here as a pipeline: the telemetry, the proposal, the gate's decision with every reason, the twin's forecast, whether the change ran, and the reward."
                    </p>
                }
                    .into_any(),
                Some((k, stages)) => view! {
                    <p class="caption-head" data-testid="pipeline-cycle">{format!("Cycle {k}")}</p>
                    <ol class="pipeline" data-testid="pipeline" role="status" aria-live="polite">
                        {stages
                            .into_iter()
                            .map(|st| {
                                let gate = st.key == "gate";
                                view! {
                                    <li class="pipe-stage" data-stage=st.key data-verdict=st.verdict.as_str()>
                                        <p class="pipe-title">{st.title}</p>
                                        <p class="pipe-head" data-testid=gate.then_some("decision")>{st.head}</p>
                                        <ul class="pipe-lines" data-testid=gate.then_some("reasons")>
                                            {st.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                                        </ul>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any(),
            }}
        </section>
    }
}
