//! The Rego worker's work as plain Rust (tested natively): load a policy (keeping the last one
//! loaded, so a run of decisions on one policy parses it once), run its `test_` rules, and
//! decide on an input with the lines covered. This is the interpreter's work, which has no
//! instruction budget in a browser: the page runs it in a worker it can stop.

use super::protocol::{DecisionReport, FromRego, Problem, TestReport, TestRow, ToRego};
use ztgym::rego::{to_json, Policy, RegoError, TestStatus};

/// The rules whose answers are a decision's reasons: the hardening gate's `deny` set (strings)
/// and the SRE gate's `broken` list (`{"id", "reason"}`).
const REASON_RULES: [&str; 2] = ["deny", "broken"];

/// The worker's state: the policy loaded last.
#[derive(Default)]
pub struct Handler {
    loaded: Option<Policy>,
}

impl Handler {
    /// Carries out one request.
    pub fn handle(&mut self, message: ToRego) -> FromRego {
        let id = message.id();
        let answer = match message {
            ToRego::Tests { name, text, .. } => {
                self.policy(&name, &text).map(|p| FromRego::Tests {
                    id,
                    report: run_tests(p),
                })
            }
            ToRego::Decide {
                name, text, input, ..
            } => self.policy(&name, &text).and_then(|p| {
                decide(p, &input).map(|decision| FromRego::Decision { id, decision })
            }),
        };
        answer.unwrap_or_else(|problem| FromRego::Failed { id, problem })
    }

    fn policy(&mut self, name: &str, text: &str) -> Result<&Policy, Problem> {
        let same = self
            .loaded
            .as_ref()
            .is_some_and(|p| p.name() == name && p.text() == text);
        if !same {
            self.loaded = None;
            self.loaded = Some(load(name, text)?);
        }
        Ok(self.loaded.as_ref().expect("loaded just above"))
    }
}

/// Loads a policy as the page accepts it (`Policy::load`: a syntax error, a refused builtin
/// or a recursive rule is a problem with its place).
pub fn load(name: &str, text: &str) -> Result<Policy, Problem> {
    Policy::load(name, text).map_err(|e| problem(&e))
}

/// A policy error as the page shows it.
pub fn problem(e: &RegoError) -> Problem {
    let kind = serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "eval".to_string());
    Problem {
        kind,
        line: e.line,
        column: e.column,
        message: e.message.clone(),
    }
}

/// Every `test_` rule's result, like `ztgym rego test`.
pub fn run_tests(policy: &Policy) -> TestReport {
    let mut report = TestReport::default();
    for t in policy.run_tests() {
        match t.status {
            TestStatus::Pass => report.passed += 1,
            TestStatus::Fail => report.failed += 1,
            TestStatus::Error => report.errors += 1,
            TestStatus::Skip => report.skipped += 1,
        }
        report.rows.push(TestRow {
            name: t.name,
            status: t.status.as_str().to_string(),
            message: t.message,
        });
    }
    report
}

/// The policy's `allow` on `input` (a boolean, or `{"allowed", "reason"}`), its reasons, and
/// the lines the evaluation covered.
pub fn decide(policy: &Policy, input: &serde_json::Value) -> Result<DecisionReport, Problem> {
    let package = policy.package().to_string();
    if !has_rule(policy.text(), "allow") {
        return Err(Problem::plain(
            "eval",
            format!("the policy has no `allow` rule (package {package})"),
        ));
    }
    let eval = |rule: &str| {
        policy
            .eval_covered(&format!("{package}.{rule}"), input)
            .map(|(v, lines)| (to_json(&v), lines))
            .map_err(|e| problem(&e))
    };
    let (allow, mut covered) = eval("allow")?;
    let (allowed, own_reason) = match &allow {
        serde_json::Value::Bool(b) => (*b, None),
        // Undefined: nothing allowed it.
        serde_json::Value::Null => (false, None),
        serde_json::Value::Object(o) => match o.get("allowed") {
            Some(serde_json::Value::Bool(b)) => (
                *b,
                o.get("reason").and_then(|r| r.as_str()).map(str::to_string),
            ),
            _ => return Err(shape_error(&package, &allow)),
        },
        _ => return Err(shape_error(&package, &allow)),
    };
    let mut reasons = Vec::new();
    for rule in REASON_RULES {
        if !has_rule(policy.text(), rule) {
            continue;
        }
        let (value, lines) = eval(rule)?;
        covered.extend(lines);
        reasons.extend(reason_texts(&value));
    }
    if let (false, true, Some(r)) = (allowed, reasons.is_empty(), own_reason) {
        reasons.push(r);
    }
    covered.sort_unstable();
    covered.dedup();
    Ok(DecisionReport {
        package,
        allowed,
        reasons,
        covered,
    })
}

fn shape_error(package: &str, v: &serde_json::Value) -> Problem {
    Problem::plain(
        "eval",
        format!("{package}.allow must be a boolean or {{\"allowed\": bool, \"reason\": string}}, not {v}"),
    )
}

/// A reason rule's answer as texts: strings as they are, `{"id", "reason"}` as `id: reason`,
/// anything else as JSON.
fn reason_texts(v: &serde_json::Value) -> Vec<String> {
    let items = match v {
        serde_json::Value::Array(a) => a.as_slice(),
        _ => return Vec::new(),
    };
    items
        .iter()
        .map(|item| match item {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Object(o) => {
                let field = |k: &str| o.get(k).and_then(|x| x.as_str());
                match (field("id"), field("reason").or(field("msg"))) {
                    (Some(id), Some(reason)) => format!("{id}: {reason}"),
                    (None, Some(reason)) => reason.to_string(),
                    _ => item.to_string(),
                }
            }
            other => other.to_string(),
        })
        .collect()
}

/// Whether the policy defines a rule `name` at the top level (`name ...` or `default name`
/// at the start of a line, outside comments).
pub fn has_rule(text: &str, name: &str) -> bool {
    text.lines().any(|line| {
        let code = line.split('#').next().unwrap_or("");
        if code.starts_with(char::is_whitespace) {
            return false;
        }
        let code = code.strip_prefix("default ").unwrap_or(code).trim_start();
        code.strip_prefix(name)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ztgym::rego_gate::SRE_GATE;

    fn decide_msg(text: &str, input: serde_json::Value) -> ToRego {
        ToRego::Decide {
            id: 1,
            name: "policy.rego".into(),
            text: text.into(),
            input,
        }
    }

    fn by_the_book() -> serde_json::Value {
        serde_json::json!({
            "action": "isolate", "node": "payment", "protected": false, "approved_ticket": true,
            "isolated_count": 0, "max_concurrent_isolations": 2, "investigated": true,
        })
    }

    #[test]
    fn the_sre_gate_allows_by_the_book_and_names_each_broken_rule() {
        let mut h = Handler::default();
        let FromRego::Decision { id, decision } = h.handle(decide_msg(SRE_GATE, by_the_book()))
        else {
            panic!("a decision")
        };
        assert_eq!(id, 1);
        assert!(decision.allowed);
        assert!(decision.reasons.is_empty());
        assert_eq!(decision.package, "data.ztgym.sre");
        // `allow if count(broken) == 0` is on a line the evaluation went through.
        let allow_line = SRE_GATE
            .lines()
            .position(|l| l.starts_with("allow if"))
            .unwrap() as u32
            + 1;
        assert!(
            decision.covered.contains(&allow_line),
            "{:?}",
            decision.covered
        );
        let mut input = by_the_book();
        input["approved_ticket"] = false.into();
        input["protected"] = true.into();
        let FromRego::Decision { decision, .. } = h.handle(decide_msg(SRE_GATE, input)) else {
            panic!("a decision")
        };
        assert!(!decision.allowed);
        assert_eq!(
            decision.reasons,
            [
                "no_approved_ticket: a privileged action needs an approved change ticket for that node and action",
                "protected_node: protected nodes must never be touched by automation",
            ]
        );
    }

    #[test]
    fn a_deny_set_gives_the_reasons() {
        let text = "package h\n\ndefault allow := false\nallow if count(deny) == 0\n\ndeny contains \"no root\" if input.user == \"root\"\n";
        let mut h = Handler::default();
        let FromRego::Decision { decision, .. } =
            h.handle(decide_msg(text, serde_json::json!({"user": "root"})))
        else {
            panic!("a decision")
        };
        assert!(!decision.allowed);
        assert_eq!(decision.reasons, ["no root"]);
        assert!(decision.covered.contains(&6), "{:?}", decision.covered);
    }

    #[test]
    fn the_shipped_tests_pass() {
        let mut h = Handler::default();
        let FromRego::Tests { report, .. } = h.handle(ToRego::Tests {
            id: 2,
            name: "sre_gate.rego".into(),
            text: SRE_GATE.into(),
        }) else {
            panic!("a test report")
        };
        assert_eq!(report.rows.len(), 4);
        assert_eq!((report.passed, report.failed, report.errors), (4, 0, 0));
        assert!(report.rows.iter().all(|r| r.status == "PASS"));
    }

    #[test]
    fn failing_and_erroring_tests_are_told_apart() {
        let text = format!(
            "{SRE_GATE}\ntest_wrong if allow with input as object.union(by_the_book, {{\"protected\": true}})\n\ntest_crash if {{\n\tx := 1 / 0\n\tx == 1\n}}\n"
        );
        let FromRego::Tests { report, .. } = Handler::default().handle(ToRego::Tests {
            id: 3,
            name: "p.rego".into(),
            text,
        }) else {
            panic!("a test report")
        };
        let status = |n: &str| {
            report
                .rows
                .iter()
                .find(|r| r.name == n)
                .map(|r| r.status.clone())
        };
        assert_eq!(status("test_wrong").as_deref(), Some("FAIL"));
        assert!(matches!(
            status("test_crash").as_deref(),
            Some("ERROR" | "FAIL")
        ));
        assert_eq!(report.passed, 4);
    }

    #[test]
    fn a_broken_policy_is_a_problem_at_its_line() {
        let text = SRE_GATE.replace(
            "default allow := false",
            "default allow := false\nallow if {{{",
        );
        let FromRego::Failed { problem, .. } =
            Handler::default().handle(decide_msg(&text, by_the_book()))
        else {
            panic!("a problem")
        };
        assert_eq!(problem.kind, "syntax");
        let line = text.lines().position(|l| l == "allow if {{{").unwrap() as u32 + 1;
        assert!(
            problem.line.is_some_and(|l| (line..=line + 2).contains(&l)),
            "{problem:?} (expected near line {line})"
        );
    }

    #[test]
    fn network_and_clock_builtins_are_refused_at_their_line() {
        for (call, why) in [
            (
                "http.send({\"method\": \"get\", \"url\": \"http://x\"})",
                "network",
            ),
            ("time.now_ns()", "clock"),
        ] {
            let text = format!("package p\n\nallow if {{\n\tx := {call}\n\tx\n}}\n");
            let FromRego::Failed { problem, .. } =
                Handler::default().handle(decide_msg(&text, serde_json::json!({})))
            else {
                panic!("a problem")
            };
            assert_eq!(problem.kind, "refused");
            assert_eq!((problem.line, problem.column), (Some(4), Some(7)));
            assert!(problem.message.contains(why), "{problem:?}");
        }
    }

    #[test]
    fn a_recursive_policy_is_refused_before_any_evaluation() {
        let text = "package p\n\nallow if f(1)\n\nf(x) if f(x)\n\ntest_f if f(2)\n";
        for m in [
            decide_msg(text, serde_json::json!({})),
            ToRego::Tests {
                id: 1,
                name: "p.rego".into(),
                text: text.into(),
            },
        ] {
            let FromRego::Failed { problem, .. } = Handler::default().handle(m) else {
                panic!("a problem")
            };
            assert_eq!(
                (problem.kind.as_str(), problem.line),
                ("recursion", Some(5))
            );
            assert!(problem.message.contains("f -> f"), "{problem:?}");
        }
    }

    #[test]
    fn a_policy_without_allow_is_named() {
        let FromRego::Failed { problem, .. } =
            Handler::default().handle(decide_msg("package q\n\nx := 1\n", by_the_book()))
        else {
            panic!("a problem")
        };
        assert!(problem.message.contains("no `allow` rule"), "{problem:?}");
    }

    #[test]
    fn rules_are_found_at_the_top_level_only() {
        let text = "package p\ndefault allow := false\n# deny contains x\nbroken := []\n  deny := 1\nallowed := 2\n";
        assert!(has_rule(text, "allow"));
        assert!(has_rule(text, "broken"));
        assert!(!has_rule(text, "deny"));
        assert!(has_rule(text, "allowed"));
        assert!(!has_rule("package p\nallowed := 1\n", "allow"));
    }
}
