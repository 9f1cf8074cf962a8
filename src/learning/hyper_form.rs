//! The Train panel's hyperparameter form, without the page: what each typed text does to the
//! hyperparameters, and which fields are wrong and why, so a bad value is refused where it is
//! typed (a message under the field, Train disabled until it is fixed). Plain Rust, tested
//! natively.

use std::collections::BTreeMap;
use ztgym::learn::Hyperparameters;
use ztgym::Kind;

/// The texts typed since the form was last reset, by field: the text as typed (the field shows
/// it as typed, never reformatted under the cursor) and, if it does not read as a value, what
/// is wrong with it. The hyperparameters keep the last value that read.
pub type Typed = BTreeMap<&'static str, (String, Option<String>)>;

/// Takes the text typed in field `name`: a value that reads is set (even out of range: then
/// [`problems`] names it); a text that does not read leaves the value and names the problem.
pub fn take_text(h: &mut Hyperparameters, typed: &mut Typed, name: &'static str, text: &str) {
    let problem = h.set(name, text.trim()).err().map(|e| {
        e.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(": "))
            .unwrap_or(&e)
            .to_string()
    });
    typed.insert(name, (text.to_string(), problem));
}

/// Every problem with the fields `kind` uses, in the form's order: a text that does not read,
/// else a value out of range.
pub fn problems(kind: Kind, h: &Hyperparameters, typed: &Typed) -> Vec<(&'static str, String)> {
    let ranges = h.problems();
    Hyperparameters::fields(kind)
        .iter()
        .filter_map(|&name| {
            let problem = typed.get(name).and_then(|(_, p)| p.clone()).or_else(|| {
                ranges
                    .iter()
                    .find(|(field, _)| *field == name)
                    .map(|(_, p)| p.clone())
            })?;
            Some((name, problem))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_does_not_read_is_kept_out_of_the_values_and_named() {
        let defaults = Hyperparameters::defaults(Kind::QLagrangian);
        let (mut h, mut typed) = (defaults.clone(), Typed::new());
        take_text(&mut h, &mut typed, "alpha", "fast");
        assert_eq!(h, defaults, "the last good value stays");
        assert_eq!(typed["alpha"].0, "fast", "the field keeps the text typed");
        assert_eq!(
            problems(Kind::QLagrangian, &h, &typed),
            [("alpha", "expects a number, found \"fast\"".to_string())]
        );
        take_text(&mut h, &mut typed, "alpha", " 0.5 ");
        assert_eq!(h.alpha, 0.5);
        assert_eq!(
            typed["alpha"],
            (" 0.5 ".to_string(), None),
            "shown as typed"
        );
        assert!(problems(Kind::QLagrangian, &h, &typed).is_empty());
    }

    #[test]
    fn values_out_of_range_are_named_on_their_field_and_only_for_the_kind() {
        let (mut h, mut typed) = (Hyperparameters::defaults(Kind::Q), Typed::new());
        take_text(&mut h, &mut typed, "gamma", "1.5");
        take_text(&mut h, &mut typed, "epsilon_decay_episodes", "-3");
        take_text(&mut h, &mut typed, "lambda_max", "-1");
        let found = problems(Kind::Q, &h, &typed);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "gamma");
        assert!(found[0].1.contains("[0, 1]"), "{found:?}");
        assert_eq!(found[1].0, "epsilon_decay_episodes");
        assert!(found[1].1.contains("whole number"), "{found:?}");
        let lagrangian = problems(Kind::QLagrangian, &h, &typed);
        assert!(
            lagrangian.iter().any(|(f, _)| *f == "lambda_max"),
            "the Lagrangian learner uses lambda_max: {lagrangian:?}"
        );
    }
}
