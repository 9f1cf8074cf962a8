//! The checks of [`crate::calls`] installed where calls run: the compiled program's guarded
//! builtins wrapped ([`guard_program`]), the interpreter's registered as extensions of their
//! own names ([`guard_interpreter`]), and a refusal's words kept for the error it becomes.

use crate::call_sites::each_call;
use crate::calls::{refusal, GUARDED};
use crate::error::{ErrorKind, RegoError};
use regorus::unstable::{Expr, Ref, Span, BUILTINS};
use regorus::Value;

/// The builtin a guarded call goes through in the VM: its arguments checked first. A refusal
/// is reported as a resource limit so that it always stops the evaluation (regorus turns
/// other builtin errors into `undefined`), and its words kept for [`take_refusal`].
macro_rules! guarded {
    ($name:literal) => {
        (|span: &Span, params: &[Ref<Expr>], args: &[Value], strict: bool| {
            if let Some(why) = refusal($name, args) {
                REFUSAL.with(|r| *r.borrow_mut() = Some(why));
                return Err(anyhow::Error::new(
                    regorus::LimitError::MemoryLimitExceeded { usage: 0, limit: 0 },
                ));
            }
            match BUILTINS.get($name) {
                Some(original) => (original.0)(span, params, args, strict),
                None => Err(anyhow::anyhow!("`{}` is not built in", $name)),
            }
        }) as Builtin
    };
}

type Builtin = fn(&Span, &[Ref<Expr>], &[Value], bool) -> anyhow::Result<Value>;

std::thread_local! {
    static REFUSAL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The words of the last refusal of a guarded call on this thread, if any (taken).
pub fn take_refusal() -> Option<String> {
    REFUSAL.with(|r| r.borrow_mut().take())
}

fn wrapper(name: &str) -> Option<Builtin> {
    Some(match name {
        "numbers.range" => guarded!("numbers.range"),
        "numbers.range_step" => guarded!("numbers.range_step"),
        "array.concat" => guarded!("array.concat"),
        "concat" => guarded!("concat"),
        "sprintf" => guarded!("sprintf"),
        "replace" => guarded!("replace"),
        "strings.replace_n" => guarded!("strings.replace_n"),
        "split" => guarded!("split"),
        "json.unmarshal" => guarded!("json.unmarshal"),
        "json.marshal" => guarded!("json.marshal"),
        "json.marshal_with_options" => guarded!("json.marshal_with_options"),
        "net.cidr_expand" => guarded!("net.cidr_expand"),
        "bits.lsh" => guarded!("bits.lsh"),
        "format_int" => guarded!("format_int"),
        "regex.replace" => guarded!("regex.replace"),
        "regex.split" => guarded!("regex.split"),
        "walk" => guarded!("walk"),
        _ => return None,
    })
}

/// Routes a compiled program's guarded builtins through their checks.
pub fn guard_program(program: &mut regorus::rvm::Program) {
    let names: Vec<String> = program
        .builtin_info_table
        .iter()
        .map(|b| b.name.clone())
        .collect();
    for (slot, name) in program.resolved_builtins.iter_mut().zip(names) {
        if let Some(w) = wrapper(&name) {
            slot.0 = w;
        }
    }
}

/// Routes the interpreter's guarded builtins through their checks: each is registered as an
/// extension of its own name (the interpreter looks extensions up before builtins), which
/// checks the arguments and then calls the builtin. Builtins take their call's expressions
/// for their error messages only: those of a stand-in call are given. With `strict`, a
/// builtin's own error (a wrong type) is an error, as the engine's strict builtin errors; else
/// undefined.
pub fn guard_interpreter(engine: &mut regorus::Engine, strict: bool) {
    let Some((span, params)) = stand_in_call() else {
        return;
    };
    for (name, arity) in GUARDED {
        let (span, params) = (span.clone(), params[..arity].to_vec());
        let guarded = move |args: Vec<Value>| -> anyhow::Result<Value> {
            if args.iter().any(|a| a == &Value::Undefined) {
                return Ok(Value::Undefined);
            }
            if let Some(why) = refusal(name, &args) {
                REFUSAL.with(|r| *r.borrow_mut() = Some(why));
                return Err(anyhow::Error::new(
                    regorus::LimitError::MemoryLimitExceeded { usage: 0, limit: 0 },
                ));
            }
            let Some(original) = BUILTINS.get(name) else {
                return Err(anyhow::anyhow!("`{name}` is not built in"));
            };
            match (original.0)(&span, &params, &args, strict) {
                Ok(v) => Ok(v),
                // As the interpreter does for a builtin: a limit stops, another error is
                // undefined unless builtin errors are strict.
                Err(e) if strict || e.downcast_ref::<regorus::LimitError>().is_some() => Err(e),
                Err(_) => Ok(Value::Undefined),
            }
        };
        // Fails only when already registered (the engine was guarded before).
        let _ = engine.add_extension(name.to_string(), arity as u8, Box::new(guarded));
    }
}

/// An interpreter's error; a guarded builtin's refusal in its own words.
pub(crate) fn interpreter_error(file: &str, e: &dyn std::fmt::Display) -> RegoError {
    match take_refusal() {
        Some(why) => RegoError::new(
            ErrorKind::Budget,
            file,
            format!("{why}; the evaluation was stopped"),
        ),
        None => RegoError::from_engine_in_bundle(ErrorKind::Eval, file, e),
    }
}

/// A parsed call with three arguments (`f(a, b, c)`): its span and arguments.
fn stand_in_call() -> Option<(Span, Vec<Ref<Expr>>)> {
    let mut engine = regorus::Engine::new();
    let file = "guarded-builtin.rego";
    engine
        .add_policy(file.into(), "package g\nx := f(a, b, c)\n".into())
        .ok()?;
    let mut found = None;
    for module in engine.get_modules() {
        for rule in &module.policy {
            each_call(rule, &mut |span, name, params| {
                if name == "f" && params.len() == 3 {
                    found = Some((span.clone(), params.to_vec()));
                }
            });
        }
    }
    found
}
