//! Trains each learner on each task and evaluates it on unseen seeds beside the rule-based agent.
use ztgym_core::learn::{Kind, TrainConfig, Trainer};
use ztgym_core::policy::{Policy, PolicyAgent};
use ztgym_triage::agents::RuleBased;
use ztgym_triage::eval::evaluate;
use ztgym_triage::{TaskId, Triage};

fn main() {
    let episodes: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    for t in TaskId::ALL {
        let r = evaluate(t, &mut RuleBased, 200, 9_000_000);
        println!(
            "{} rule-based {:.3} ret {:.2}",
            t.as_str(),
            r.mean_score,
            r.mean_return
        );
        for k in Kind::ALL {
            let mut cfg = TrainConfig::new(k);
            cfg.episodes = episodes;
            let mut tr = Trainer::<Triage>::new(t, cfg).unwrap();
            tr.run(episodes);
            let p = Policy::<Triage>::from_trainer(&tr);
            let mut a = PolicyAgent::<Triage>::new(&p, &t).unwrap();
            let r = evaluate(t, &mut a, 200, 9_000_000);
            println!("{} {:12} score {:.3} {} pass {:.2} ret {:.2} cost {:.2} det {:.2} fp {:.2} reas {:.2}", t.as_str(), k.as_str(), r.mean_score, r.letter, r.pass_rate, r.mean_return, r.mean_cost, r.detection_rate, r.false_positive_rate, r.mean_reasoning);
        }
    }
}
