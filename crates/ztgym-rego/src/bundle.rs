//! A bundle: Rego modules and a data document in ONE engine, as OPA loads them, so a package can
//! span files (`x.rego` and `x_test.rego`), a module can import another's rules
//! (`data.lib.name`) and every `test_` rule of every package runs like `opa test`.
//!
//! Each module is read as Rego v1 (OPA 1.x's default), or as the legacy v0 syntax when it only
//! reads so and does not use v1's keywords (seed 001's policy), or as v0 throughout with
//! [`LoadOptions::v0_compatible`] (OPA's `--v0-compatible`). The bounds of a single policy apply
//! to every module (size, nesting, refused builtins, literal arguments, recursion and rule
//! chains within a package), and to the whole (count of modules, total bytes). Reading files
//! and directories is in `bundle_files`.

use crate::bounds::{catching, check_nesting, on_eval_thread, INLINE_RULE_DEPTH, MAX_RULE_DEPTH};
use crate::calls::check_calls;
use crate::error::{ErrorKind, RegoError};
use crate::guards::{guard_interpreter, interpreter_error, take_refusal};
use crate::interpreter::{limit_time, short, test_heads, TestStatus, MAX_POLICY_BYTES};
use crate::query::{bounded, Query};
use crate::syntax::parse_module;
use crate::{to_rego, Syntax};
use regorus::{Engine, Value};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most modules a bundle may hold.
pub const MAX_MODULES: usize = 1000;

/// The most bytes all of a bundle's modules and data may hold together.
pub const MAX_BUNDLE_BYTES: usize = 16 * 1024 * 1024;

/// The longest query accepted (bytes).
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// How the modules are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Read every module in the legacy v0 syntax (OPA's `--v0-compatible`); a module importing
    /// `rego.v1` is still v1.
    pub v0_compatible: bool,
    /// A builtin's error (a wrong type, say) is an error of the evaluation rather than
    /// undefined, as OPA's `--strict-builtin-errors` (off by default, and for the gate).
    pub strict_builtin_errors: bool,
}

/// One module of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Module {
    /// Its name (the file's path as given).
    pub name: String,
    pub text: String,
    /// The syntax it was read in.
    pub syntax: Syntax,
    /// Its package as a data path (`data.lib.util`).
    pub package: String,
}

/// Everything wrong with a bundle (OPA reports every module's errors, not the first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BundleError {
    pub errors: Vec<RegoError>,
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.errors.len() > 1 {
            writeln!(f, "{} errors occurred:", self.errors.len())?;
        }
        let lines: Vec<String> = self.errors.iter().map(|e| e.to_string()).collect();
        write!(f, "{}", lines.join("\n"))
    }
}

impl std::error::Error for BundleError {}

impl From<RegoError> for BundleError {
    fn from(e: RegoError) -> BundleError {
        BundleError { errors: vec![e] }
    }
}

/// Modules and data loaded in one engine.
#[derive(Clone)]
pub struct Bundle {
    modules: Vec<Module>,
    data: serde_json::Value,
    engine: Engine,
    /// Whether a chain of rules is longer than [`INLINE_RULE_DEPTH`] (as for a policy).
    deep: bool,
}

impl fmt::Debug for Bundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.modules.iter().map(|m| m.name.as_str()).collect();
        f.debug_struct("Bundle").field("modules", &names).finish()
    }
}

/// How one `test_` rule of a bundle ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BundleTest {
    /// The module defining it.
    pub file: String,
    /// Its package (`data.pkg`).
    pub package: String,
    pub name: String,
    /// The line of its head in `file` (1-based).
    pub row: u32,
    pub status: TestStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// How long it took (natively; the browser has no clock here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ns: Option<u64>,
}

impl BundleTest {
    /// `data.pkg.test_x`, the name `opa test` prints and `--run` matches.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.package, self.name)
    }
}

/// The lines of one module the tests evaluated, and those with code they did not (absent:
/// none, as a single evaluation's coverage is written).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCoverage {
    pub file: String,
    pub covered: Vec<u32>,
    #[serde(default)]
    pub not_covered: Vec<u32>,
}

impl FileCoverage {
    /// Covered lines as a percentage of the lines with code (100 when none has).
    pub fn percent(&self) -> f64 {
        let all = self.covered.len() + self.not_covered.len();
        if all == 0 {
            100.0
        } else {
            100.0 * self.covered.len() as f64 / all as f64
        }
    }
}

/// A run of a bundle's tests.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TestRun {
    pub tests: Vec<BundleTest>,
    /// Per module, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Vec<FileCoverage>>,
}

impl Bundle {
    /// Loads `modules` (name and text) and `data` (an object, the root of `data`) in one
    /// engine. Every module's problems are reported, each at its file, line and column.
    pub fn load(
        modules: &[(String, String)],
        data: serde_json::Value,
        options: LoadOptions,
    ) -> Result<Bundle, BundleError> {
        let first = modules.first().map_or("bundle", |m| m.0.as_str());
        if modules.len() > MAX_MODULES {
            return Err(RegoError::new(
                ErrorKind::Bounds,
                first,
                format!(
                    "{} modules, more than the {MAX_MODULES} a bundle may hold",
                    modules.len()
                ),
            )
            .into());
        }
        let bytes: usize = modules.iter().map(|m| m.1.len()).sum();
        if bytes > MAX_BUNDLE_BYTES {
            return Err(RegoError::new(
                ErrorKind::Bounds,
                first,
                format!(
                    "the modules hold {bytes} bytes, more than the {MAX_BUNDLE_BYTES} a bundle \
                     may hold"
                ),
            )
            .into());
        }
        if !data.is_object() {
            return Err(RegoError::new(
                ErrorKind::Syntax,
                "data",
                "the data document must be a JSON object",
            )
            .into());
        }
        match on_eval_thread(first, || Ok(read(modules, data, options))) {
            Ok(read) => read,
            Err(e) => Err(e.into()),
        }
    }

    /// The modules, in the order loaded.
    pub fn modules(&self) -> &[Module] {
        &self.modules
    }

    /// The data document.
    pub fn data(&self) -> &serde_json::Value {
        &self.data
    }

    /// The engine holding every module and the data (for [`crate::Policy::from_bundle`]).
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether a chain of rules is longer than [`INLINE_RULE_DEPTH`].
    pub(crate) fn deep(&self) -> bool {
        self.deep
    }

    /// The package whose `rule` decides, for a gate: `preferred` when a module has it, else
    /// the one package whose modules (test files aside) define `rule`; none or several is an
    /// error naming them.
    pub fn deciding_package(
        &self,
        rule: &str,
        preferred: Option<&str>,
    ) -> Result<String, RegoError> {
        if let Some(p) = preferred.filter(|p| self.modules.iter().any(|m| m.package == *p)) {
            return Ok(p.to_string());
        }
        let mut found: Vec<&str> = self
            .modules
            .iter()
            .filter(|m| !m.name.ends_with("_test.rego"))
            .filter(|m| crate::syntax::defines_rule(&m.text, rule))
            .map(|m| m.package.as_str())
            .collect();
        found.sort_unstable();
        found.dedup();
        match found.as_slice() {
            [one] => Ok(one.to_string()),
            [] => Err(RegoError::new(
                ErrorKind::Eval,
                self.first_file(),
                format!("no module defines `{rule}`: the gate's package must"),
            )),
            many => Err(RegoError::new(
                ErrorKind::Eval,
                self.first_file(),
                format!(
                    "several packages define `{rule}` ({}): the gate needs one",
                    many.join(", ")
                ),
            )),
        }
    }

    /// The file errors are reported in when no module is named.
    fn first_file(&self) -> &str {
        self.modules.first().map_or("bundle", |m| m.name.as_str())
    }

    /// Compiles `rule` (`data.pkg.rule`) for the VM under the instruction budget, as a
    /// policy's rule is (the gate's settings).
    pub fn compile(&self, rule: &str) -> Result<Query, RegoError> {
        let mut q = Query::compile(
            self.engine.clone(),
            self.first_file(),
            rule,
            RegoError::from_engine_in_bundle,
        )?;
        q.deep = self.deep;
        q.set_data(to_rego(&self.data))?;
        Ok(q)
    }

    /// Evaluates any query (`data.pkg.rule`, `x := data.a[_]`, an expression) with the
    /// interpreter, natively under the time limit (`input` absent: undefined), and answers as `opa eval --format json`
    /// does: `{"result": [{"expressions": [...], "bindings": {...}}]}` (`{}` when undefined).
    pub fn eval_query(
        &self,
        query: &str,
        input: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value, RegoError> {
        let file = "query";
        if query.len() > MAX_QUERY_BYTES {
            return Err(RegoError::new(
                ErrorKind::Bounds,
                file,
                format!(
                    "the query is {} bytes, more than the {MAX_QUERY_BYTES} accepted",
                    query.len()
                ),
            ));
        }
        check_nesting(file, query)?;
        let mut engine = self.engine.clone();
        let input = input.map(to_rego);
        on_eval_thread(file, move || {
            limit_time(&mut engine);
            if let Some(input) = input {
                engine.set_input(input);
            }
            take_refusal();
            let results = engine
                .eval_query(query.to_string(), false)
                .map_err(|e| interpreter_error(file, &e))?;
            for r in &results.result {
                for x in &r.expressions {
                    bounded(file, x.value.clone())?;
                }
                bounded(file, r.bindings.clone())?;
            }
            serde_json::to_value(&results).map_err(|e| {
                RegoError::new(
                    ErrorKind::Eval,
                    file,
                    format!("the answer is not JSON: {e}"),
                )
            })
        })
    }

    /// Runs every `test_` rule of every package whose full name (`data.pkg.test_x`) `wanted`
    /// accepts, like `opa test`: true passes, false or undefined fails, an error is an error,
    /// `todo_test_` rules are skipped. With `coverage`, the lines each module's tests reached.
    pub fn run_tests(&self, wanted: &(dyn Fn(&str) -> bool + Sync), coverage: bool) -> TestRun {
        let mut planned: Vec<BundleTest> = Vec::new();
        // The working copy every test starts from; its parsed modules name the tests.
        let mut base = self.engine.clone();
        for m in &self.modules {
            for (name, row) in test_heads(&mut base, &m.name) {
                let known = planned
                    .iter()
                    .any(|p| p.package == m.package && p.name == name);
                if !known && wanted(&format!("{}.{name}", m.package)) {
                    planned.push(BundleTest {
                        file: m.name.clone(),
                        package: m.package.clone(),
                        name,
                        row,
                        status: TestStatus::Skip,
                        message: None,
                        duration_ns: None,
                    });
                }
            }
        }
        // As `opa test` lists them: by file name, each file's tests in their order.
        planned.sort_by(|a, b| a.file.cmp(&b.file));
        let file = self.first_file();
        let run = || {
            let fresh = || {
                let mut e = base.clone();
                limit_time(&mut e);
                e.set_enable_coverage(coverage);
                e
            };
            let mut work = fresh();
            let mut tests = Vec::new();
            for test in &planned {
                let r = catching(&test.file, || run_test(&mut work, test.clone()));
                tests.push(r.unwrap_or_else(|e| {
                    // The engine stopped mid-way: the next tests get a fresh copy.
                    work = fresh();
                    BundleTest {
                        status: TestStatus::Error,
                        message: Some(e.to_string()),
                        ..test.clone()
                    }
                }));
            }
            let covered = coverage.then(|| covered_lines(&work));
            Ok((tests, covered))
        };
        match on_eval_thread(file, run) {
            Ok((tests, coverage)) => TestRun { tests, coverage },
            Err(e) => TestRun {
                tests: planned
                    .into_iter()
                    .map(|test| BundleTest {
                        status: TestStatus::Error,
                        message: Some(e.to_string()),
                        ..test
                    })
                    .collect(),
                coverage: None,
            },
        }
    }
}

/// Reads every module into one engine, then the checks that need them all (on the Rego thread).
fn read(
    sources: &[(String, String)],
    data: serde_json::Value,
    options: LoadOptions,
) -> Result<Bundle, BundleError> {
    let mut engine = Engine::new();
    let mut errors = Vec::new();
    let mut modules = Vec::new();
    for (name, text) in sources {
        if text.len() > MAX_POLICY_BYTES {
            errors.push(RegoError::new(
                ErrorKind::Syntax,
                name,
                format!(
                    "the module is {} bytes, more than the {MAX_POLICY_BYTES} accepted",
                    text.len()
                ),
            ));
            continue;
        }
        if modules.iter().any(|m: &Module| &m.name == name) {
            errors.push(RegoError::new(
                ErrorKind::Syntax,
                name,
                "the module is given twice",
            ));
            continue;
        }
        let read = check_nesting(name, text)
            .and_then(|()| parse_module(&mut engine, name, text, options.v0_compatible));
        match read {
            Ok((package, syntax)) => modules.push(Module {
                name: name.clone(),
                text: text.clone(),
                syntax,
                package,
            }),
            Err(e) => errors.push(e),
        }
    }
    engine.set_rego_v0(options.v0_compatible);
    for m in &modules {
        if let Err(e) = check_calls(&m.name, &m.text, &mut engine) {
            errors.push(e);
        }
    }
    let deep = match chains(&modules) {
        Ok(depth) => depth > INLINE_RULE_DEPTH,
        Err(e) => {
            errors.push(e);
            false
        }
    };
    if !errors.is_empty() {
        return Err(BundleError { errors });
    }
    let first = sources.first().map_or("bundle", |m| m.0.as_str());
    engine
        .add_data(to_rego(&data))
        .map_err(|e| RegoError::from_engine(ErrorKind::Syntax, "data", &e))?;
    engine.set_strict_builtin_errors(options.strict_builtin_errors);
    guard_interpreter(&mut engine, options.strict_builtin_errors);
    // Prepared once (every rule scheduled): an unsafe variable or a conflict is reported now,
    // at its module, and each evaluation starts from the prepared engine.
    engine
        .eval_query("true".to_string(), false)
        .map_err(|e| RegoError::from_engine_in_bundle(ErrorKind::Eval, first, &e))?;
    Ok(Bundle {
        modules,
        data,
        engine,
        deep,
    })
}

/// Recursion and over-long rule chains, checked per package over all its modules (a package's
/// rules may refer to one another across files): the longest chain, or the error at its file.
fn chains(modules: &[Module]) -> Result<usize, RegoError> {
    let mut packages: Vec<&str> = modules.iter().map(|m| m.package.as_str()).collect();
    packages.sort_unstable();
    packages.dedup();
    let mut longest = 0;
    for package in packages {
        // The package's modules one after the other, and where each starts.
        let (mut text, mut starts) = (String::new(), Vec::new());
        for m in modules.iter().filter(|m| m.package == package) {
            starts.push((text.lines().count() as u32, m.name.as_str()));
            text.push_str(&m.text);
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
        let at = |line: u32| {
            let (start, file) = starts
                .iter()
                .rev()
                .find(|(s, _)| *s < line)
                .copied()
                .unwrap_or((0, ""));
            (file.to_string(), line - start)
        };
        if let Some((line, cycle)) = crate::recursion::recursive_rule(&text) {
            let (file, line) = at(line);
            return Err(RegoError {
                kind: ErrorKind::Recursion,
                file,
                line: Some(line),
                column: Some(1),
                message: format!(
                    "rule {cycle} is recursive: Rego forbids a rule that depends on itself"
                ),
            });
        }
        if let Some((line, rule, depth)) = crate::recursion::longest_chain(&text) {
            if depth > MAX_RULE_DEPTH {
                let (file, line) = at(line);
                return Err(RegoError {
                    kind: ErrorKind::Bounds,
                    file,
                    line: Some(line),
                    column: Some(1),
                    message: format!(
                        "rule {rule} starts a chain of {depth} rules depending on one another, \
                         more than the {MAX_RULE_DEPTH} allowed (evaluating it would overflow \
                         the stack)"
                    ),
                });
            }
            longest = longest.max(depth);
        }
    }
    Ok(longest)
}

/// One `test_` rule on the working engine.
/// Runs `test` (planned: skipped until run) on the working engine.
fn run_test(engine: &mut Engine, mut test: BundleTest) -> BundleTest {
    if test.name.starts_with("todo_") {
        return test;
    }
    #[cfg(not(target_arch = "wasm32"))]
    let started = std::time::Instant::now();
    take_refusal();
    let answer = engine.eval_rule(test.full_name());
    #[cfg(not(target_arch = "wasm32"))]
    {
        test.duration_ns = Some(started.elapsed().as_nanos() as u64);
    }
    (test.status, test.message) = match answer {
        Ok(Value::Bool(true)) => (TestStatus::Pass, None),
        Ok(Value::Undefined) => (TestStatus::Fail, None),
        Ok(v) => (TestStatus::Fail, Some(short(&v))),
        Err(e) => (
            TestStatus::Error,
            Some(interpreter_error(&test.file, &e).to_string()),
        ),
    };
    test
}

/// The coverage the working engine gathered, per module.
pub(crate) fn covered_lines(engine: &Engine) -> Vec<FileCoverage> {
    engine
        .get_coverage_report()
        .map(|r| {
            r.files
                .iter()
                .map(|f| FileCoverage {
                    file: f.path.to_string(),
                    covered: f.covered.iter().copied().collect(),
                    not_covered: f.not_covered.iter().copied().collect(),
                })
                .collect()
        })
        .unwrap_or_default()
}
