//! Prints every built-in agent's figures on the three tasks (the Results table of
//! docs/src/environments/triage.md).
use ztgym_triage::agents::builtin_agent;
use ztgym_triage::eval::evaluate;
use ztgym_triage::TaskId;

fn main() {
    let episodes: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    for name in ztgym_triage::agents::AGENTS {
        for t in TaskId::ALL {
            let mut a = builtin_agent(name).unwrap();
            let r = evaluate(t, a.as_mut(), episodes, 1_000_000);
            println!("{name:14} {} score {:.3} {:2} pass {:.2} return {:7.2} cost {:5.2} det {:.2} fp {:.2} trust {:5.1} reas {:.2} cut {:.2}",
                r.task, r.mean_score, r.letter, r.pass_rate, r.mean_return, r.mean_cost, r.detection_rate, r.false_positive_rate, r.mean_trust, r.mean_reasoning, r.cut_short_rate);
        }
    }
    let cat = ztgym_triage::catalog::Catalog::get();
    for (c, a) in cat.held_out_auc() {
        println!("AUC {} {:.3}", c.as_str(), a);
    }
}
