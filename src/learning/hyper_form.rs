//! The Train panel's hyperparameter form, without the page: what each typed text does to the
//! hyperparameters, and which fields are wrong and why, so a bad value is refused where it is
//! typed (a message under the field, Train disabled until it is fixed). Plain Rust, tested
//! natively.

use std::collections::BTreeMap;
use ztgym::learn::Hyperparameters;
use ztgym::Kind;

/// Texts typed that do not read as a value, by field: the text as typed (the field keeps
/// showing it) and what is wrong with it; the hyperparameters keep their last good value.
pub type Unread = BTreeMap<&'static str, (String, String)>;

/// Takes the text typed in field `name`: a value that reads is set (even out of range: then
/// [`problems`] names it), a text that does not read is kept in `unread`.
pub fn take_text(h: &mut Hyperparameters, unread: &mut Unread, name: &'static str, text: &str) {
    match h.set(name, text.trim()) {
        Ok(()) => {
            unread.remove(name);
        }
        Err(e) => {
            let problem = e
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(": "))
                .unwrap_or(&e)
                .to_string();
            unread.insert(name, (text.to_string(), problem));
        }
    }
}

/// Every problem with the fields `kind` uses, in the form's order: a text that does not read,
/// else a value out of range.
pub fn problems(kind: Kind, h: &Hyperparameters, unread: &Unread) -> Vec<(&'static str, String)> {
    let ranges = h.problems();
    Hyperparameters::fields(kind)
        .iter()
        .filter_map(|&name| {
            let problem = unread.get(name).map(|(_, p)| p.clone()).or_else(|| {
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
        let (mut h, mut unread) = (defaults.clone(), Unread::new());
        take_text(&mut h, &mut unread, "alpha", "fast");
        assert_eq!(h, defaults, "the last good value stays");
        assert_eq!(unread["alpha"].0, "fast", "the field keeps the text typed");
        assert_eq!(
            problems(Kind::QLagrangian, &h, &unread),
            [("alpha", "expects a number, found \"fast\"".to_string())]
        );
        take_text(&mut h, &mut unread, "alpha", " 0.5 ");
        assert_eq!(h.alpha, 0.5);
        assert!(problems(Kind::QLagrangian, &h, &unread).is_empty());
    }

    #[test]
    fn values_out_of_range_are_named_on_their_field_and_only_for_the_kind() {
        let (mut h, mut unread) = (Hyperparameters::defaults(Kind::Q), Unread::new());
        take_text(&mut h, &mut unread, "gamma", "1.5");
        take_text(&mut h, &mut unread, "epsilon_decay_episodes", "-3");
        take_text(&mut h, &mut unread, "lambda_max", "-1");
        let found = problems(Kind::Q, &h, &unread);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "gamma");
        assert!(found[0].1.contains("[0, 1]"), "{found:?}");
        assert_eq!(found[1].0, "epsilon_decay_episodes");
        assert!(found[1].1.contains("whole number"), "{found:?}");
        let lagrangian = problems(Kind::QLagrangian, &h, &unread);
        assert!(
            lagrangian.iter().any(|(f, _)| *f == "lambda_max"),
            "the Lagrangian learner uses lambda_max: {lagrangian:?}"
        );
    }
}
