//! Which gate judges the SRE gym's privileged actions on the page: the built-in rules (Rust) or
//! the same rules as a Rego policy (`ztgym::rego_gate`, as the CLI's `--gate FILE.rego`),
//! shipped or edited in the Rego panel. Either way the gate is wrapped so the page can show the
//! input it saw last. Plain Rust, tested natively.

use crate::rego::bundle::RegoBundle;
use crate::rego::handler::load;
use crate::shell::choice_select::Choice;
use std::sync::{Arc, Mutex};
use ztgym::gate::{BuiltinGate, Decision, Gate, Proposal};
use ztgym::rego::Policy;
use ztgym::rego_gate::{RegoSreGate, SRE_GATE};

/// The file name the Rego policy is shown, saved and reported under.
pub const FILE_NAME: &str = "sre_gate.rego";

/// The gate chosen in the settings (and the link's `gate=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GateChoice {
    #[default]
    Builtin,
    Rego,
}

impl GateChoice {
    pub const ALL: [GateChoice; 2] = [GateChoice::Builtin, GateChoice::Rego];

    pub fn as_str(self) -> &'static str {
        match self {
            GateChoice::Builtin => "builtin",
            GateChoice::Rego => "rego",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GateChoice::Builtin => "Built-in",
            GateChoice::Rego => "Rego",
        }
    }
}

impl Choice for GateChoice {
    fn name(self) -> &'static str {
        self.as_str()
    }

    fn text(self) -> String {
        self.label().to_string()
    }
}

/// The shipped policy, as the Rego panel edits it.
pub fn shipped() -> RegoBundle {
    RegoBundle::single(FILE_NAME, SRE_GATE)
}

/// The Rego bundle in force: the edited one, or the shipped one.
pub fn rego_bundle(edited: Option<&RegoBundle>) -> RegoBundle {
    edited.cloned().unwrap_or_else(shipped)
}

/// An edited bundle as the settings keep it: `None` when it is the shipped policy.
pub fn edited(bundle: &RegoBundle) -> Option<RegoBundle> {
    (*bundle != shipped()).then(|| bundle.clone())
}

/// The SRE gate on a Rego policy or bundle (its first module's package's `broken` rule), or
/// the error at its module, line and column. A recursive policy is refused before the gate's
/// evaluator sees it.
pub fn rego_gate(bundle: &RegoBundle) -> Result<RegoSreGate, String> {
    let policy: Policy = load(bundle).map_err(|p| p.located(FILE_NAME))?;
    RegoSreGate::new(policy).map_err(|e| e.to_string())
}

/// The last proposal a gate judged, shared by the page's sessions (a new session, e.g. after
/// a new policy is applied, keeps showing it until the gate judges another).
#[derive(Clone, Default)]
pub struct Recorder(Arc<Mutex<Option<Proposal>>>);

impl Recorder {
    pub fn last(&self) -> Option<Proposal> {
        self.0.lock().ok().and_then(|p| p.clone())
    }

    pub fn clear(&self) {
        if let Ok(mut p) = self.0.lock() {
            *p = None;
        }
    }

    fn keep(&self, proposal: &Proposal) {
        if let Ok(mut p) = self.0.lock() {
            *p = Some(proposal.clone());
        }
    }
}

/// A gate that keeps the proposals it judges in a [`Recorder`].
pub struct Recorded {
    inner: Box<dyn Gate<Proposal>>,
    recorder: Recorder,
}

impl Gate<Proposal> for Recorded {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn check(&self, proposal: &Proposal) -> Decision {
        self.recorder.keep(proposal);
        self.inner.check(proposal)
    }
}

/// The gate `choice` names (with the Rego text in force), recording into `recorder`.
pub fn build(
    choice: GateChoice,
    edited: Option<&RegoBundle>,
    recorder: &Recorder,
) -> Result<Recorded, String> {
    let inner: Box<dyn Gate<Proposal>> = match choice {
        GateChoice::Builtin => Box::new(BuiltinGate),
        GateChoice::Rego => Box::new(rego_gate(&rego_bundle(edited))?),
    };
    Ok(Recorded {
        inner,
        recorder: recorder.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::link_fields::read_choice;
    use ztgym::action::Privileged;

    fn proposal() -> Proposal {
        Proposal {
            action: Privileged::Isolate,
            node: "payment".into(),
            protected: false,
            approved_ticket: true,
            isolated_count: 0,
            max_concurrent_isolations: 2,
            investigated: false,
        }
    }

    #[test]
    fn both_gates_decide_alike_and_record_what_they_saw() {
        let recorder = Recorder::default();
        let builtin = build(GateChoice::Builtin, None, &recorder).unwrap();
        let rego = build(GateChoice::Rego, None, &recorder).unwrap();
        assert!(recorder.last().is_none());
        assert_eq!(builtin.check(&proposal()), rego.check(&proposal()));
        assert_eq!(recorder.last(), Some(proposal()));
        assert_eq!(rego.name(), "rego:sre_gate.rego");
        recorder.clear();
        assert!(recorder.last().is_none());
    }

    #[test]
    fn an_edited_policy_decides_and_a_broken_one_is_refused_at_its_line() {
        let stricter = SRE_GATE.replace(
            "fires contains \"not_investigated\" if not input.investigated",
            "fires contains \"not_investigated\" if not input.investigated\n\nfires contains \"protected_node\" if input.node == \"payment\"",
        );
        let mut p = proposal();
        p.investigated = true;
        let gate = build(
            GateChoice::Rego,
            edited(&RegoBundle::single(FILE_NAME, &stricter)).as_ref(),
            &Recorder::default(),
        )
        .unwrap();
        let decision = gate.check(&p);
        assert_eq!(decision.ids().collect::<Vec<_>>(), ["protected_node"]);
        assert!(build(GateChoice::Rego, None, &Recorder::default())
            .unwrap()
            .check(&p)
            .allowed());
        let broken = "package ztgym.sre\n\nbroken := [x |\n";
        let err = build(
            GateChoice::Rego,
            Some(&RegoBundle::single(FILE_NAME, broken)),
            &Recorder::default(),
        )
        .err()
        .unwrap();
        assert!(err.starts_with("sre_gate.rego:"), "{err}");
        let recursive = SRE_GATE.replace(
            "fires contains \"protected_node\" if input.protected",
            "fires contains \"protected_node\" if fires[\"x\"]",
        );
        let err = rego_gate(&RegoBundle::single(FILE_NAME, &recursive))
            .err()
            .unwrap();
        assert!(err.contains("fires -> fires is recursive"), "{err}");
        assert_eq!(edited(&shipped()), None);
        assert_eq!(rego_bundle(None), shipped());
    }

    #[test]
    fn choices_read_and_write() {
        let mut problems = Vec::new();
        for g in GateChoice::ALL {
            let mut read = GateChoice::Builtin;
            assert!(read_choice(
                "gate",
                g.as_str(),
                &GateChoice::ALL,
                &mut read,
                &mut problems
            ));
            assert_eq!(read, g);
        }
        let mut kept = GateChoice::Rego;
        assert!(!read_choice(
            "gate",
            "opa",
            &GateChoice::ALL,
            &mut kept,
            &mut problems
        ));
        assert_eq!(kept, GateChoice::Rego);
        assert_eq!(problems, ["gate \"opa\" is not one of builtin, rego"]);
    }
}
