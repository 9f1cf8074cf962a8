//! One rule compiled for the VM, evaluated as often as needed under the instruction budget.

use crate::bounds::{catching, on_eval_thread};
use crate::calls::answer_refusal;
use crate::error::{ErrorKind, RegoError};
use crate::guards::{guard_program, take_refusal};
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::vm::RegoVM;
use regorus::rvm::Program;
use regorus::{CompiledPolicy, Engine, Value};
use std::fmt;
use std::sync::Arc;

/// Instructions one evaluation may execute before it is stopped.
pub const INSTRUCTION_BUDGET: usize = 1_000_000;

/// One rule compiled for the VM, with its own VM: evaluate it as often as needed. Cloning
/// shares the compiled program and makes a fresh VM.
pub struct Query {
    file: Arc<str>,
    rule: Arc<str>,
    compiled: CompiledPolicy,
    program: Arc<Program>,
    vm: RegoVM,
    budget: usize,
    /// The data document the VM reads (a bundle's), if any.
    data: Option<Value>,
    /// Evaluate on the Rego thread (the policy has a long chain of rules).
    pub(crate) deep: bool,
}

impl Query {
    /// Compiles `rule` (`data.pkg.rule`) of `engine` for the VM, its program guarded (the
    /// gate's settings). On the Rego thread: compiling follows the rules' chains. `error`
    /// makes the engine's message an error of `file` (a policy's, or a bundle's module).
    pub(crate) fn compile(
        mut engine: Engine,
        file: &str,
        rule: &str,
        error: fn(ErrorKind, &str, &dyn fmt::Display) -> RegoError,
    ) -> Result<Query, RegoError> {
        let (compiled, program) = on_eval_thread(file, || {
            let rule_rc: regorus::Rc<str> = rule.into();
            let compiled = engine
                .compile_with_entrypoint(&rule_rc)
                .map_err(|e| error(ErrorKind::Eval, file, &e))?;
            let program = Compiler::compile_from_policy(&compiled, &[rule])
                .map_err(|e| error(ErrorKind::Eval, file, &e))?;
            Ok((compiled, program))
        })?;
        let mut program = Arc::unwrap_or_clone(program);
        guard_program(&mut program);
        Ok(Query::new(file, rule, compiled, Arc::new(program)))
    }

    pub(crate) fn new(
        file: &str,
        rule: &str,
        compiled: CompiledPolicy,
        program: Arc<Program>,
    ) -> Query {
        let mut q = Query {
            file: file.into(),
            rule: rule.into(),
            vm: RegoVM::new_with_policy(compiled.clone()),
            compiled,
            program,
            budget: INSTRUCTION_BUDGET,
            data: None,
            deep: false,
        };
        q.vm.load_program(q.program.clone());
        q.vm.set_max_instructions(q.budget);
        #[cfg(not(target_arch = "wasm32"))]
        {
            crate::bounds::process_memory_ceiling();
            q.vm.set_memory_budget_config(Some(crate::bounds::memory_budget()));
            q.vm.set_execution_timer_config(Some(crate::bounds::time_limit(1024)));
        }
        q
    }

    /// The rule evaluated.
    pub fn rule(&self) -> &str {
        &self.rule
    }

    /// Sets the data document every evaluation reads (a rule of the program must not be at a
    /// path the data also gives).
    pub(crate) fn set_data(&mut self, data: Value) -> Result<(), RegoError> {
        self.vm
            .set_data(data.clone())
            .map_err(|e| RegoError::from_engine(ErrorKind::Eval, &self.file, &e))?;
        self.data = Some(data);
        Ok(())
    }

    /// Sets the instruction budget of each evaluation.
    pub fn set_budget(&mut self, budget: usize) {
        self.budget = budget;
        self.vm.set_max_instructions(budget);
    }

    /// Evaluates the rule on `input`. A guarded builtin refused, or a panic inside the engine
    /// (natively; its VM is then replaced), is an error.
    pub fn eval(&mut self, input: Value) -> Result<Value, RegoError> {
        let file = self.file.clone();
        let (vm, rule) = (&mut self.vm, &*self.rule);
        let run = || {
            take_refusal();
            vm.set_input(input);
            vm.execute_entry_point_by_name(rule)
                .map_err(|e| match take_refusal() {
                    Some(why) => RegoError::new(
                        ErrorKind::Budget,
                        &file,
                        format!("{why}; the evaluation was stopped"),
                    ),
                    None => RegoError::from_engine(ErrorKind::Eval, &file, &e),
                })
        };
        let answer = if self.deep {
            on_eval_thread(&file, run)
        } else {
            catching(&file, run).and_then(|a| a)
        };
        match answer {
            Ok(v) => bounded(&self.file, v),
            Err(e) => {
                if e.message.starts_with("the Rego engine failed") {
                    *self = self.clone(); // a fresh VM: the old one stopped mid-way
                }
                Err(e)
            }
        }
    }
}

impl Clone for Query {
    fn clone(&self) -> Query {
        let mut q = Query::new(
            &self.file,
            &self.rule,
            self.compiled.clone(),
            self.program.clone(),
        );
        q.set_budget(self.budget);
        q.deep = self.deep;
        if let Some(data) = &self.data {
            // Accepted once already: the same program and data.
            let _ = q.set_data(data.clone());
        }
        q
    }
}

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query").field("rule", &self.rule).finish()
    }
}

/// An answer, unless writing it out would take more than 16 MiB or a number too large to
/// write quickly (a value can share its parts: a small one in memory can be exponentially
/// long as JSON).
pub(crate) fn bounded(file: &str, v: Value) -> Result<Value, RegoError> {
    match answer_refusal(&v) {
        Some(why) => Err(RegoError::new(ErrorKind::Budget, file, why)),
        None => Ok(v),
    }
}
