//! The hardening tab's lessons, as data for the lesson engine (`shell::lessons`): the gate says
//! no and why; edit the policy to allow a safe change; breakage and the twin's forecast;
//! recommend-only, with the person in the loop. What the episode shows them ([`facts`]): each
//! cycle's gate decision, forecast and execution, and whether the policy in force was edited
//! (in the Rego panel, which the lessons only read through the session).

use super::session::Session;
use crate::shell::lessons::{Check, Facts, Lesson, Setup, Step};
use ztgym::core::Environment;

const SANDBOX: &str = "scenario=seed001&seed=1&stage=sandbox&agent=human&speed=normal";

/// The hardening tab's lessons, in the order its box offers them.
pub static LESSONS: [Lesson; 4] = [
    Lesson {
        id: "gate-says-no",
        title: "The gate says no",
        note: "Every change an agent proposes goes through a policy gate written in Rego. \
               Show the class that a denial names its reason, and that a denied change costs \
               the agent reward but changes nothing.",
        minutes: 4,
        setup: Setup::person(SANDBOX),
        steps: &[
            Step::new(
                "Each cycle lists the candidate changes, each judged by the Rego gate and \
                 forecast by the digital twin. Pick the one the gate denies (removing a \
                 permission from breakglass-admin) and Propose it.",
                Check::Denied,
            ),
            Step::new(
                "Denied: it did not run, the denial cost 1 of reward, and the pipeline under the twin \
                 gives the policy's reason (cannot modify break-glass principal). Now Propose a \
                 change the gate allows and the twin passes, and watch the risk fall.",
                Check::Saw(LAST_APPLIED),
            ),
        ],
    },
    Lesson {
        id: "edit-policy",
        title: "Edit the policy",
        note: "Policies are code the team owns. The students change one rule in the Rego panel \
               and see the gate follow it at once; ask what the rule's own tests say now, and \
               who should review such an edit.",
        minutes: 6,
        setup: Setup::person(SANDBOX),
        steps: &[
            Step::new(
                "The gate denies any change to breakglass-admin, in every stage. Say the team \
                 agrees that in the sandbox this change is safe (the twin passes it). In the \
                 Policy (Rego) panel below, edit that deny rule so it holds only in prod (add \
                 the line input.context.environment == \"prod\") and press Apply.",
                Check::Saw(POLICY_EDITED),
            ),
            Step::new(
                "Your policy is in force: the candidates were judged again. Propose the \
                 breakglass-admin change: the gate allows it now, and it runs.",
                Check::Saw(APPLIED_UNDER_EDIT),
            ),
        ],
    },
    Lesson {
        id: "breakage",
        title: "The twin's forecast",
        note: "The gate says what is allowed; the twin says what it would break. A change runs \
               only if both pass, and each stage has its breakage budget (sandbox 0.5, prod \
               0.12). Ask why prod is the strictest.",
        minutes: 3,
        setup: Setup::person(SANDBOX),
        steps: &[
            Step::new(
                "The twin forecasts each candidate: the risk it cuts and the breakage risk, \
                 against the stage's budget (sandbox: 0.5). Quarantining checkout-api is \
                 allowed by the gate, but the twin forecasts breakage 0.6. Propose it.",
                Check::Saw(FORECAST_FAILED),
            ),
            Step::new(
                "It did not run: the twin's forecast failed, so the pipeline stopped it \
                 (-0.5). Propose a change both the gate and the twin pass.",
                Check::Saw(LAST_APPLIED),
            ),
            Step::new(
                "Now the greedy agent in prod, where the budget is 0.12: watch it pick the \
                 largest risk cut the gate and the twin both pass, cycle after cycle.",
                Check::Ended,
            )
            .then_run(Setup::watched(
                "scenario=seed001&seed=1&stage=prod&agent=greedy&speed=fast",
            )),
        ],
    },
    Lesson {
        id: "recommend",
        title: "Recommend only",
        note: "In recommend-only mode nothing runs unless a person accepts it, with a \
               rollback plan. Ask what the person must check before accepting, and what an \
               agent learns when its recommendations are rejected.",
        minutes: 3,
        setup: Setup::person(
            "scenario=seed001&seed=1&stage=sandbox&mode=recommend&agent=human&speed=normal",
        ),
        steps: &[
            Step::new(
                "Recommend only: the changes are recommendations, each with its rollback \
                 plan, and nothing runs unless you accept it. Reject one you would not run \
                 (the quarantine the twin says breaks things).",
                Check::Action("reject"),
            ),
            Step::new(
                "Rejected: nothing ran. Accept a recommendation the gate allows and the twin \
                 passes: it runs.",
                Check::Saw(LAST_APPLIED),
            ),
            Step::new(
                "Now an agent recommends and a scripted reviewer answers: it accepts only what \
                 the gate allows and the twin passes at breakage 0.1 or less. Watch it.",
                Check::Ended,
            )
            .then_run(Setup::watched(
                "scenario=seed001&seed=1&stage=sandbox&mode=recommend&agent=greedy&speed=fast",
            )),
        ],
    },
];

/// The last cycle's change ran.
pub const LAST_APPLIED: &str = "last-applied";
/// A change the gate allowed did not run: the twin's forecast failed.
pub const FORECAST_FAILED: &str = "forecast-failed";
/// The policy in force is not the scenario's own (edited in the page).
pub const POLICY_EDITED: &str = "policy-edited";
/// The last cycle's change ran under an edited policy.
pub const APPLIED_UNDER_EDIT: &str = "applied-under-edit";
/// A change that ran broke something (the cost).
pub const BREAKAGE: &str = "breakage";

/// What the episode on screen shows the lessons.
pub fn facts(s: &Session) -> Facts {
    let steps = &s.log().steps;
    let mut facts = Facts::of(steps.len(), s.done(), s.done() && s.env().totals().success);
    for r in steps {
        facts.took(match r.action.accepted {
            None => "propose",
            Some(true) => "accept",
            Some(false) => "reject",
        });
        if let Some(c) = &r.step.info.cycle {
            facts.denied |= !c.decision.allowed;
            facts.saw_if(c.decision.allowed && !c.simulation.pass, FORECAST_FAILED);
            facts.saw_if(c.execution.breakage.is_some(), BREAKAGE);
        }
    }
    let last_applied = steps
        .last()
        .and_then(|r| r.step.info.cycle.as_ref())
        .is_some_and(|c| c.execution.executed);
    let edited = s.settings().rego.is_some() && !s.settings().hostile;
    facts.saw_if(last_applied, LAST_APPLIED);
    facts.saw_if(edited, POLICY_EDITED);
    facts.saw_if(edited && last_applied, APPLIED_UNDER_EDIT);
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::harden::ENV;
    use crate::play::lesson_drill::{assert_every_step_reached, Driver};
    use ztgym::harden::Scenario;

    /// The scenario's policy with the break-glass rule held to prod: the edit the
    /// "edit-policy" lesson asks for.
    fn edited_policy() -> crate::rego::bundle::RegoBundle {
        let own = Scenario::builtin_policy("seed001").unwrap();
        let rule = "  input.action.id == \"remove_iam_permission\"\n";
        assert!(own.contains(rule));
        let text = own.replacen(
            rule,
            &format!("{rule}  input.context.environment == \"prod\"\n"),
            1,
        );
        crate::rego::bundle::RegoBundle::single("policy.rego", &text)
    }

    /// A student who does what each step says.
    struct AsTold;

    fn find(
        s: &Session,
        f: impl Fn(&ztgym::harden::env::Candidate) -> bool,
    ) -> Result<usize, String> {
        s.candidates()
            .iter()
            .position(f)
            .ok_or_else(|| "no such candidate".to_string())
    }

    impl Driver<Session> for AsTold {
        fn act(&mut self, s: &mut Session, lesson: &Lesson, step: usize) -> Result<(), String> {
            if s.done() {
                s.restart();
                return Ok(());
            }
            let runs = |c: &ztgym::harden::env::Candidate| {
                c.allowed && c.forecast.pass && c.forecast.risk_delta <= 0.0
            };
            let breakglass = |c: &ztgym::harden::env::Candidate| {
                c.action.params.get("principal").and_then(|p| p.as_str())
                    == Some("breakglass-admin")
            };
            match (lesson.id, step) {
                ("gate-says-no", 0) => s.propose(find(s, |c| !c.allowed)?),
                ("edit-policy", 0) => s.set_policy(&edited_policy()),
                ("edit-policy", 1) => s.propose(find(s, breakglass)?),
                ("breakage", 0) => s.propose(find(s, |c| c.allowed && !c.forecast.pass)?),
                ("recommend", 0) => s.answer(find(s, |c| !c.forecast.pass)?, false),
                ("recommend", _) => s.answer(find(s, runs)?, true),
                _ => s.propose(find(s, runs)?),
            }
        }
    }

    #[test]
    fn every_step_of_every_lesson_is_reached() {
        assert_every_step_reached::<Session>(ENV, &LESSONS, Session::new, facts, &mut AsTold, 60);
    }

    #[test]
    fn the_edit_allows_the_break_glass_change_only_outside_prod() {
        let (settings, _) = crate::play::lesson_box::setup_settings::<
            crate::envs::harden::settings::HardenSettings,
        >(&LESSONS[1].setup, ENV);
        let mut s = Session::new(settings).unwrap();
        let k = s
            .candidates()
            .iter()
            .position(|c| !c.allowed)
            .expect("a denied candidate");
        assert_eq!(
            s.candidates()[k].reasons,
            ["cannot modify break-glass principal"]
        );
        assert!(
            s.candidates()[k].forecast.pass,
            "the twin passes it: a safe change"
        );
        s.set_policy(&edited_policy()).unwrap();
        assert!(s.candidates()[k].allowed);
        assert!(facts(&s).seen.contains(&POLICY_EDITED));
    }
}
