//! Rego policies on `regorus`: loading (Rego v1, or the legacy v0 syntax with no flag), errors
//! at their line and column, evaluation under an instruction budget, and `opa test`-style
//! `test_` rules.
//!
//! Decisions run in regorus's VM (the RVM): each queried rule is compiled once per policy and
//! every evaluation is stopped after [`INSTRUCTION_BUDGET`] instructions, so a runaway policy
//! (a huge comprehension, say) is an error, never a hang, and the same on every platform. The
//! other bounds (parse, stack, memory, time, builtin arguments) are in `bounds` and
//! `calls`. The engine is built without clock, randomness or network builtins; a policy
//! calling one is refused at load with the place it is called.

use crate::bounds::{catching, check_nesting, on_eval_thread, INLINE_RULE_DEPTH, MAX_RULE_DEPTH};
use crate::bundle::{Bundle, FileCoverage};
use crate::calls::check_calls;
pub use crate::error::{ErrorKind, RegoError};
use crate::interpreter::{limit_time, short, test_heads};
pub use crate::interpreter::{TestResult, TestStatus, MAX_POLICY_BYTES};
pub use crate::query::INSTRUCTION_BUDGET;
use crate::query::{bounded, Query};
pub use crate::syntax::Syntax;
use regorus::{Engine, Value};
use std::fmt;
use std::sync::Arc;

/// A loaded policy: its text, syntax, package and the engine holding it; or one package of a
/// bundle, whose other modules and data stand behind it ([`Policy::from_bundle`]).
#[derive(Clone)]
pub struct Policy {
    name: String,
    text: String,
    syntax: Syntax,
    package: String,
    engine: Engine,
    /// Whether a chain of its rules is longer than [`INLINE_RULE_DEPTH`]: then each evaluation
    /// runs on the Rego thread, whose stack is known.
    deep: bool,
    /// The bundle the policy is a package of, if it is one.
    bundle: Option<Arc<Bundle>>,
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Policy")
            .field("name", &self.name)
            .field("syntax", &self.syntax)
            .field("package", &self.package)
            .finish()
    }
}

impl Policy {
    /// Reads a policy: as Rego v1, else as the legacy v0 syntax. A text that reads as neither
    /// is reported with the error of the reading that got further into it.
    pub fn load(name: &str, text: &str) -> Result<Policy, RegoError> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(RegoError::new(
                ErrorKind::Syntax,
                name,
                format!(
                    "the policy is {} bytes, more than the {MAX_POLICY_BYTES} accepted",
                    text.len()
                ),
            ));
        }
        check_nesting(name, text)?;
        on_eval_thread(name, || Policy::read(name, text))
    }

    /// Reads the text (on the Rego thread): parse, then the checks that need the parsed rules.
    fn read(name: &str, text: &str) -> Result<Policy, RegoError> {
        let mut engine = Engine::new();
        let (package, syntax) = crate::syntax::parse_module(&mut engine, name, text, false)?;
        check_calls(name, text, &mut engine)?;
        // The interpreter (tests, coverage, rules using `with`) checks the guarded builtins'
        // arguments as the VM does.
        crate::guards::guard_interpreter(&mut engine, false);
        if let Some((line, cycle)) = crate::recursion::recursive_rule(text) {
            return Err(RegoError {
                kind: ErrorKind::Recursion,
                file: name.to_string(),
                line: Some(line),
                column: Some(1),
                message: format!(
                    "rule {cycle} is recursive: Rego forbids a rule that depends on itself"
                ),
            });
        }
        let longest = crate::recursion::longest_chain(text);
        let depth = longest.as_ref().map_or(0, |l| l.2);
        if let Some((line, rule, depth)) = longest.filter(|l| l.2 > MAX_RULE_DEPTH) {
            return Err(RegoError {
                kind: ErrorKind::Bounds,
                file: name.to_string(),
                line: Some(line),
                column: Some(1),
                message: format!(
                    "rule {rule} starts a chain of {depth} rules depending on one another, more \
                     than the {MAX_RULE_DEPTH} allowed (evaluating it would overflow the stack)"
                ),
            });
        }
        Ok(Policy {
            name: name.to_string(),
            text: text.to_string(),
            syntax,
            package,
            engine,
            deep: depth > INLINE_RULE_DEPTH,
            bundle: None,
        })
    }

    /// The policy of `package` (`data.pkg`) in a bundle: its rules decide, with every module
    /// and the data document behind them. Its name and text are those of the package's first
    /// module that is not a test file.
    pub fn from_bundle(bundle: Bundle, package: &str) -> Result<Policy, RegoError> {
        let ours: Vec<&crate::Module> = bundle
            .modules()
            .iter()
            .filter(|m| m.package == package)
            .collect();
        let Some(main) = ours
            .iter()
            .find(|m| !m.name.ends_with("_test.rego"))
            .or(ours.first())
        else {
            let mut known: Vec<&str> = bundle
                .modules()
                .iter()
                .map(|m| m.package.as_str())
                .collect();
            known.dedup();
            return Err(RegoError::new(
                ErrorKind::Eval,
                bundle
                    .modules()
                    .first()
                    .map_or("bundle", |m| m.name.as_str()),
                format!(
                    "no module of package {package} (the bundle's: {})",
                    known.join(", ")
                ),
            ));
        };
        Ok(Policy {
            name: main.name.clone(),
            text: main.text.clone(),
            syntax: main.syntax,
            package: package.to_string(),
            engine: bundle.engine().clone(),
            deep: bundle.deep(),
            bundle: Some(Arc::new(bundle)),
        })
    }

    /// The bundle the policy is a package of, if it is one.
    pub fn bundle(&self) -> Option<&Bundle> {
        self.bundle.as_deref()
    }

    /// The policy's name (file name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The policy's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The syntax it was read in.
    pub fn syntax(&self) -> Syntax {
        self.syntax
    }

    /// Its package as a data path, e.g. `data.zt`.
    pub fn package(&self) -> &str {
        &self.package
    }

    /// Compiles `rule` (a full path, `data.zt.allow`) for the VM.
    pub fn compile(&self, rule: &str) -> Result<Query, RegoError> {
        if let Some(bundle) = &self.bundle {
            return bundle.compile(rule);
        }
        let mut q = Query::compile(
            self.engine.clone(),
            &self.name,
            rule,
            RegoError::from_engine,
        )?;
        q.deep = self.deep;
        Ok(q)
    }

    /// Evaluates `rule` once on `input` in the VM (under the budget); a rule the VM cannot
    /// compile (one using `with`) is evaluated by the interpreter instead.
    pub fn eval(&self, rule: &str, input: &serde_json::Value) -> Result<Value, RegoError> {
        match self.compile(rule) {
            Ok(mut q) => q.eval(Value::from(input.clone())),
            Err(_) => self.eval_interpreted(rule, input),
        }
    }

    /// Evaluates `rule` with the interpreter on a copy of the engine (natively under a time
    /// limit), and returns the lines of the policy's own module it covered.
    pub fn eval_covered(
        &self,
        rule: &str,
        input: &serde_json::Value,
    ) -> Result<(Value, Vec<u32>), RegoError> {
        let (v, files) = self.eval_coverage(rule, input)?;
        let covered = files
            .into_iter()
            .filter(|f| f.file == self.name)
            .flat_map(|f| f.covered)
            .collect();
        Ok((v, covered))
    }

    /// As [`Policy::eval_covered`], with the lines covered in every module (a bundle's).
    pub fn eval_coverage(
        &self,
        rule: &str,
        input: &serde_json::Value,
    ) -> Result<(Value, Vec<FileCoverage>), RegoError> {
        let mut engine = self.engine.clone();
        let input = Value::from(input.clone());
        let (rule, file) = (rule.to_string(), self.name.as_str());
        on_eval_thread(file, move || {
            limit_time(&mut engine);
            engine.set_enable_coverage(true);
            engine.set_input(input);
            crate::guards::take_refusal();
            let v = engine
                .eval_rule(rule)
                .map_err(|e| crate::guards::interpreter_error(file, &e))?;
            Ok((bounded(file, v)?, crate::bundle::covered_lines(&engine)))
        })
    }

    fn eval_interpreted(&self, rule: &str, input: &serde_json::Value) -> Result<Value, RegoError> {
        self.eval_covered(rule, input).map(|(v, _)| v)
    }

    /// The names of the policy's `test_` rules (and `todo_test_` ones, skipped), in order.
    pub fn test_names(&self) -> Vec<String> {
        test_heads(&mut self.engine.clone(), &self.name)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// Runs every `test_` rule like `opa test`: true passes, false or undefined fails, an
    /// error is an error, `todo_test_` rules are skipped.
    pub fn run_tests(&self) -> Vec<TestResult> {
        let names = self.test_names();
        let (engine, file, package) = (&self.engine, self.name.as_str(), self.package.as_str());
        // Each test caught on its own: one that panics the engine is an error, the others run.
        let run = || {
            Ok(names
                .iter()
                .map(|name| {
                    catching(file, || run_test(engine.clone(), file, package, name)).unwrap_or_else(
                        |e| TestResult {
                            name: name.clone(),
                            status: TestStatus::Error,
                            message: Some(e.to_string()),
                        },
                    )
                })
                .collect::<Vec<_>>())
        };
        match on_eval_thread(file, run) {
            Ok(results) => results,
            // The engine failed outright: every test is an error with its words.
            Err(e) => names
                .into_iter()
                .map(|name| TestResult {
                    name,
                    status: TestStatus::Error,
                    message: Some(e.to_string()),
                })
                .collect(),
        }
    }
}

/// One `test_` rule, on its own copy of the engine.
fn run_test(mut engine: Engine, file: &str, package: &str, name: &str) -> TestResult {
    let name = name.to_string();
    if name.starts_with("todo_") {
        return TestResult {
            name,
            status: TestStatus::Skip,
            message: None,
        };
    }
    limit_time(&mut engine);
    crate::guards::take_refusal();
    let (status, message) = match engine.eval_rule(format!("{package}.{name}")) {
        Ok(Value::Bool(true)) => (TestStatus::Pass, None),
        Ok(Value::Undefined) => (TestStatus::Fail, Some("undefined".to_string())),
        Ok(v) => (TestStatus::Fail, Some(short(&v))),
        Err(e) => (
            TestStatus::Error,
            Some(crate::guards::interpreter_error(file, &e).to_string()),
        ),
    };
    TestResult {
        name,
        status,
        message,
    }
}
