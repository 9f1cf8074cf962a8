//! The Rego worker's work as plain Rust (tested natively): load a bundle (keeping the last one
//! loaded, so a run of decisions on one bundle parses it once), run its `test_` rules with
//! coverage, answer any query, and decide on an input with the lines covered. This is the
//! interpreter's work, which has no instruction budget in a browser: the page runs it in a
//! worker it can stop.

use super::bundle::{problem, RegoBundle};
use super::protocol::{DecisionReport, FromRego, Problem, TestReport, TestRow, ToRego};
use ztgym::rego::{defines_rule, to_json, Bundle, FileCoverage, Policy, TestStatus};

/// The rules whose answers are a decision's reasons: the hardening gate's `deny` set (strings)
/// and the SRE gate's `broken` list (`{"id", "reason"}`).
const REASON_RULES: [&str; 2] = ["deny", "broken"];

/// The worker's state: the bundle loaded last.
#[derive(Default)]
pub struct Handler {
    loaded: Option<(RegoBundle, Bundle)>,
}

impl Handler {
    /// Carries out one request.
    pub fn handle(&mut self, message: ToRego) -> FromRego {
        let id = message.id();
        let answer = match message {
            ToRego::Tests { bundle, .. } => self.bundle(&bundle).map(|b| FromRego::Tests {
                id,
                report: run_tests(b),
            }),
            ToRego::Decide { bundle, input, .. } => self
                .bundle(&bundle)
                .and_then(deciding)
                .and_then(|p| decide(&p, &input))
                .map(|decision| FromRego::Decision { id, decision }),
            ToRego::Eval {
                bundle,
                query,
                input,
                ..
            } => self.bundle(&bundle).and_then(|b| {
                b.eval_query(&query, input.as_ref())
                    .map(|result| FromRego::Output { id, result })
                    .map_err(|e| problem(&e))
            }),
        };
        answer.unwrap_or_else(|problem| FromRego::Failed { id, problem })
    }

    fn bundle(&mut self, bundle: &RegoBundle) -> Result<&Bundle, Problem> {
        let same = self.loaded.as_ref().is_some_and(|(b, _)| b == bundle);
        if !same {
            self.loaded = None;
            self.loaded = Some((bundle.clone(), bundle.load()?));
        }
        Ok(&self.loaded.as_ref().expect("loaded just above").1)
    }
}

/// The policy of the bundle's first module's package.
fn deciding(bundle: &Bundle) -> Result<Policy, Problem> {
    let package = bundle
        .modules()
        .first()
        .map(|m| m.package.clone())
        .ok_or_else(|| Problem::plain("syntax", "the bundle has no module"))?;
    Policy::from_bundle(bundle.clone(), &package).map_err(|e| problem(&e))
}

/// Loads a bundle as the page accepts it for the gate ([`RegoBundle::to_policy`]: a syntax
/// error, a refused builtin or a recursive rule is a problem at its module and place).
pub fn load(bundle: &RegoBundle) -> Result<Policy, Problem> {
    bundle.to_policy()
}

/// Every `test_` rule's result, like `ztgym rego test --coverage`.
pub fn run_tests(bundle: &Bundle) -> TestReport {
    let run = bundle.run_tests(&|_| true, true);
    let mut report = TestReport::default();
    for t in run.tests {
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
    report.coverage = run.coverage.unwrap_or_default();
    report
}

/// The policy's `allow` on `input` (a boolean, or `{"allowed", "reason"}`), its reasons, and
/// the lines the evaluation covered in each module.
pub fn decide(policy: &Policy, input: &serde_json::Value) -> Result<DecisionReport, Problem> {
    let package = policy.package().to_string();
    let texts: Vec<&str> = match policy.bundle() {
        Some(b) => b
            .modules()
            .iter()
            .filter(|m| m.package == package)
            .map(|m| m.text.as_str())
            .collect(),
        None => vec![policy.text()],
    };
    let has_rule = |rule: &str| texts.iter().any(|t| defines_rule(t, rule));
    if !has_rule("allow") {
        return Err(Problem::plain(
            "eval",
            format!("the policy has no `allow` rule (package {package})"),
        ));
    }
    let mut covered: Vec<FileCoverage> = Vec::new();
    let mut eval = |rule: &str| {
        let (v, files) = policy
            .eval_coverage(&format!("{package}.{rule}"), input)
            .map_err(|e| problem(&e))?;
        for f in files {
            match covered.iter_mut().find(|c| c.file == f.file) {
                Some(c) => c.covered.extend(f.covered),
                None => covered.push(FileCoverage {
                    file: f.file,
                    covered: f.covered,
                    not_covered: Vec::new(),
                }),
            }
        }
        Ok::<_, Problem>(to_json(&v))
    };
    let allow = eval("allow")?;
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
        if has_rule(rule) {
            reasons.extend(reason_texts(&eval(rule)?));
        }
    }
    if let (false, true, Some(r)) = (allowed, reasons.is_empty(), own_reason) {
        reasons.push(r);
    }
    for c in &mut covered {
        c.covered.sort_unstable();
        c.covered.dedup();
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rego::bundle::RegoModule;
    use ztgym::rego_gate::SRE_GATE;

    fn decide_msg(text: &str, input: serde_json::Value) -> ToRego {
        ToRego::Decide {
            id: 1,
            bundle: RegoBundle::single("policy.rego", text),
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
        assert_eq!(decision.covered.len(), 1);
        assert!(
            decision.covered[0].covered.contains(&allow_line),
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
        assert!(
            decision.covered[0].covered.contains(&6),
            "{:?}",
            decision.covered
        );
    }

    #[test]
    fn the_shipped_tests_pass() {
        let mut h = Handler::default();
        let FromRego::Tests { report, .. } = h.handle(ToRego::Tests {
            id: 2,
            bundle: RegoBundle::single("sre_gate.rego", SRE_GATE),
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
            bundle: RegoBundle::single("p.rego", &text),
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
                bundle: RegoBundle::single("p.rego", text),
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
        assert!(defines_rule(text, "allow"));
        assert!(defines_rule(text, "broken"));
        assert!(!defines_rule(text, "deny"));
        assert!(defines_rule(text, "allowed"));
        assert!(!defines_rule("package p\nallowed := 1\n", "allow"));
    }

    #[test]
    fn a_two_module_bundle_with_data_answers_queries_tests_and_coverage() {
        let bundle = RegoBundle {
            modules: vec![
                RegoModule {
                    name: "policy.rego".into(),
                    text: "package app\n\nimport data.lib.roles\n\ndefault allow := false\n\nallow if roles.admin[input.user]\n".into(),
                },
                RegoModule {
                    name: "policy_test.rego".into(),
                    text: "package app\n\ntest_ada if allow with input as {\"user\": \"ada\"}\n\ntest_bob if not allow with input as {\"user\": \"bob\"}\n".into(),
                },
                RegoModule {
                    name: "lib.rego".into(),
                    text: "package lib.roles\n\nadmin contains u if some u in data.admins\n".into(),
                },
            ],
            data: r#"{"admins": ["ada"]}"#.into(),
        };
        let mut h = Handler::default();
        let FromRego::Output { result, .. } = h.handle(ToRego::Eval {
            id: 4,
            bundle: bundle.clone(),
            query: "data.app.allow".into(),
            input: Some(serde_json::json!({"user": "ada"})),
        }) else {
            panic!("an output")
        };
        assert_eq!(result["result"][0]["expressions"][0]["value"], true);
        let FromRego::Tests { report, .. } = h.handle(ToRego::Tests {
            id: 5,
            bundle: bundle.clone(),
        }) else {
            panic!("a test report")
        };
        assert_eq!((report.passed, report.failed), (2, 0), "{report:?}");
        let lib = report
            .coverage
            .iter()
            .find(|c| c.file == "lib.rego")
            .unwrap();
        assert!(lib.covered.contains(&3), "{lib:?}");
        let FromRego::Decision { decision, .. } = h.handle(ToRego::Decide {
            id: 6,
            bundle,
            input: serde_json::json!({"user": "bob"}),
        }) else {
            panic!("a decision")
        };
        assert!(!decision.allowed);
        assert_eq!(decision.package, "data.app");
        assert!(decision.covered.iter().any(|c| c.file == "lib.rego"));
    }
}
