//! Every call in a parsed policy, found by walking its rules: the function's dotted name, its
//! arguments (literal values when they are literals) and its place.

use regorus::unstable::{Expr, Literal, Query, Ref, Rule, RuleHead, Span};
use regorus::Value;

/// The column of a span counted in characters, as an editor counts it (regorus counts a tab
/// as four).
pub(crate) fn character_column(text: &str, span: &Span) -> u32 {
    text.get(..span.start as usize)
        .map(|before| before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1)
        .unwrap_or(span.col)
}

/// Calls `f` on every call in a rule (its span, the function's dotted name, its arguments),
/// walking with a work list rather than recursion.
pub(crate) fn each_call(rule: &Rule, f: &mut impl FnMut(&Span, &str, &[Ref<Expr>])) {
    let mut exprs: Vec<&Expr> = Vec::new();
    let mut queries: Vec<&Query> = Vec::new();
    match rule {
        Rule::Spec { head, bodies, .. } => {
            match head {
                RuleHead::Compr { refr, assign, .. } => {
                    exprs.push(refr);
                    exprs.extend(assign.iter().map(|a| &*a.value));
                }
                RuleHead::Set { refr, key, .. } => {
                    exprs.push(refr);
                    exprs.extend(key.iter().map(|k| &**k));
                }
                RuleHead::Func {
                    refr, args, assign, ..
                } => {
                    exprs.push(refr);
                    exprs.extend(args.iter().map(|a| &**a));
                    exprs.extend(assign.iter().map(|a| &*a.value));
                }
            }
            for b in bodies {
                exprs.extend(b.assign.iter().map(|a| &*a.value));
                queries.push(&b.query);
            }
        }
        Rule::Default {
            refr, args, value, ..
        } => {
            exprs.push(refr);
            exprs.extend(args.iter().map(|a| &**a));
            exprs.push(value);
        }
    }
    loop {
        if let Some(q) = queries.pop() {
            for s in &q.stmts {
                match &s.literal {
                    Literal::SomeVars { .. } => {}
                    Literal::SomeIn {
                        key,
                        value,
                        collection,
                        ..
                    } => {
                        exprs.extend(key.iter().map(|k| &**k));
                        exprs.push(value);
                        exprs.push(collection);
                    }
                    Literal::Expr { expr, .. } | Literal::NotExpr { expr, .. } => exprs.push(expr),
                    Literal::Every { domain, query, .. } => {
                        exprs.push(domain);
                        queries.push(query);
                    }
                }
                for w in &s.with_mods {
                    exprs.push(&w.refr);
                    exprs.push(&w.r#as);
                }
            }
            continue;
        }
        let Some(e) = exprs.pop() else { break };
        match e {
            Expr::Call { fcn, params, .. } => {
                if let Some((name, at)) = dotted(fcn) {
                    f(at, &name, params);
                }
                exprs.push(fcn);
                exprs.extend(params.iter().map(|p| &**p));
            }
            Expr::Array { items, .. } | Expr::Set { items, .. } => {
                exprs.extend(items.iter().map(|i| &**i))
            }
            Expr::Object { fields, .. } => {
                for (_, k, v) in fields {
                    exprs.push(k);
                    exprs.push(v);
                }
            }
            Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
                exprs.push(term);
                queries.push(query);
            }
            Expr::ObjectCompr {
                key, value, query, ..
            } => {
                exprs.push(key);
                exprs.push(value);
                queries.push(query);
            }
            Expr::UnaryExpr { expr, .. } => exprs.push(expr),
            Expr::RefDot { refr, .. } => exprs.push(refr),
            Expr::RefBrack { refr, index, .. } => {
                exprs.push(refr);
                exprs.push(index);
            }
            Expr::BinExpr { lhs, rhs, .. }
            | Expr::BoolExpr { lhs, rhs, .. }
            | Expr::ArithExpr { lhs, rhs, .. }
            | Expr::AssignExpr { lhs, rhs, .. } => {
                exprs.push(lhs);
                exprs.push(rhs);
            }
            Expr::Membership {
                key,
                value,
                collection,
                ..
            } => {
                exprs.extend(key.iter().map(|k| &**k));
                exprs.push(value);
                exprs.push(collection);
            }
            _ => {}
        }
    }
}

/// A function's dotted name (`numbers.range`), if it is a plain path, and where it starts.
pub(crate) fn dotted(e: &Expr) -> Option<(String, &Span)> {
    let mut parts = Vec::new();
    let mut e = e;
    let start = loop {
        match e {
            Expr::Var { value, span, .. } => {
                parts.push(value.as_string().ok()?.to_string());
                break span;
            }
            Expr::RefDot { refr, field, .. } => {
                parts.push(field.1.as_string().ok()?.to_string());
                e = refr;
            }
            _ => return None,
        }
    };
    parts.reverse();
    Some((parts.join("."), start))
}

/// The value of a literal argument (numbers, strings, booleans, null, and arrays, sets and
/// objects of them), if it is one.
pub(crate) fn literal(e: &Expr) -> Option<Value> {
    Some(match e {
        Expr::String { value, .. }
        | Expr::RawString { value, .. }
        | Expr::Number { value, .. }
        | Expr::Bool { value, .. }
        | Expr::Null { value, .. } => value.clone(),
        Expr::UnaryExpr { expr, .. } => Value::from(-approx(&literal(expr)?)?),
        // A set literal is measured as an array: the checks count and size, never order.
        Expr::Array { items, .. } | Expr::Set { items, .. } => Value::from(
            items
                .iter()
                .map(|i| literal(i))
                .collect::<Option<Vec<_>>>()?,
        ),
        Expr::Object { fields, .. } => Value::from(
            fields
                .iter()
                .map(|(_, k, v)| Some((literal(k)?, literal(v)?)))
                .collect::<Option<std::collections::BTreeMap<_, _>>>()?,
        ),
        _ => return None,
    })
}

/// A number as a float, however large (regorus gives no float beyond 2^53; beyond 2^64 the
/// magnitude is its bit length's, never its decimal text: writing that out is the slow part).
pub(crate) fn approx(v: &Value) -> Option<f64> {
    let Value::Number(n) = v else { return None };
    let magnitude = || {
        let bits = n.as_big().map_or(0, |b| b.bits());
        let m = 2f64.powi(i32::try_from(bits).unwrap_or(i32::MAX).saturating_sub(1));
        if n.is_positive() {
            m
        } else {
            -m
        }
    };
    v.as_f64()
        .ok()
        .or_else(|| v.as_i64().ok().map(|i| i as f64))
        .or_else(|| v.as_u64().ok().map(|u| u as f64))
        .or_else(|| Some(magnitude()))
}
