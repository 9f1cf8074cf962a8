//! Rego past its bounds (issue 19): builtins that build far more than they are given, deep
//! rule chains and nesting, refused builtins named only in strings, unknown rule ids in an SRE
//! gate, integers beyond 64 bits. Each ends with a clear error naming what and where.

use super::*;

/// A v1 policy in package `x` with these rules.
fn rego(rules: &str) -> String {
    format!("package x\nimport rego.v1\n{rules}\n")
}

/// `s0` a string of 512 bytes and `s1`..`sN` each doubling the one before with `double`
/// (`{}` is the previous name).
fn doublings(n: usize, double: &str) -> String {
    let mut s = format!("s0 := \"{}\"\n", "x".repeat(512));
    for i in 1..=n {
        s.push_str(&format!(
            "s{i} := {}\n",
            double.replace("{}", &format!("s{}", i - 1))
        ));
    }
    s
}

pub fn cases() -> Vec<Case> {
    let eval = |name: &str, rules: &str| {
        case(name, "rego eval --policy p.rego --query data.x.out").file("p.rego", rego(rules))
    };
    let with_input = |name: &str, rules: &str, input: &str| {
        case(
            name,
            "rego eval --policy p.rego --input i.json --query data.x.out",
        )
        .file("p.rego", rego(rules))
        .file("i.json", input)
    };
    let chain = |n: usize| {
        let mut s: String = (0..n)
            .map(|i| format!("r{i} := r{} + 1\n", i + 1))
            .collect();
        s.push_str(&format!("r{n} := 0\n"));
        s
    };
    let mut v = vec![
        // Literal arguments: refused at load, at the call.
        eval("range to 1e10", "out := count(numbers.range(1, 1e10))")
            .err("p.rego:3:14: `numbers.range` would build 10000000000 numbers"),
        eval(
            "range to 2^63-1",
            "out := count(numbers.range(0, 9223372036854775807))",
        )
        .err("p.rego:3:14: `numbers.range` would build 9223372036854775808 numbers"),
        eval(
            "range_step to 1e12",
            "out := count(numbers.range_step(0, 1e12, 1))",
        )
        .err("`numbers.range_step` would build"),
        eval("range_step of step 0", "out := numbers.range_step(0, 10, 0)")
            .err("`numbers.range_step` needs a positive step"),
        eval("sprintf width", "out := sprintf(\"%0999999999d\", [1])")
            .err("p.rego:3:8: `sprintf` width or precision"),
        eval("sprintf precision", "out := sprintf(\"%.999999999f\", [1])")
            .err("`sprintf` width or precision"),
        eval(
            "cidr_expand of 0.0.0.0/0",
            "out := count(net.cidr_expand(\"0.0.0.0/0\"))",
        )
        .err("p.rego:3:14: `net.cidr_expand` would build 4294967296 addresses"),
        eval("bits.lsh by 2^32-1", "out := bits.lsh(1, 4294967295)")
            .err("`bits.lsh` by 4294967295 bits"),
        // Computed arguments: refused in the VM at the call.
        with_input(
            "range to a computed 1e10",
            "out := count(numbers.range(1, input.n))",
            "{\"n\": 10000000000}",
        )
        .err("`numbers.range` would build 10000000000 numbers, more than the 1000000 allowed; the evaluation was stopped"),
        with_input(
            "range to a computed 2^63-1",
            "out := count(numbers.range(0, input.n))",
            "{\"n\": 9223372036854775807}",
        )
        .err("`numbers.range` would build"),
        with_input(
            "range_step computed",
            "out := count(numbers.range_step(0, input.n, 1))",
            "{\"n\": 1000000000000}",
        )
        .err("`numbers.range_step` would build"),
        eval(
            "array.concat doublings",
            &format!(
                "a0 := [x | some x in numbers.range(1, 1000)]\n{}out := count(a20)",
                (1..=20)
                    .map(|i| format!("a{i} := array.concat(a{0}, a{0})\n", i - 1))
                    .collect::<String>()
            ),
        )
        .err("`array.concat` would build 1024000 elements"),
        eval(
            "concat doublings",
            &format!(
                "{}out := count(s30)",
                doublings(30, "concat(\"\", [{}, {}])")
            ),
        )
        .err("`concat` would build a string of 33554432 bytes"),
        eval(
            "sprintf doublings",
            &format!("{}out := count(s30)", doublings(30, "sprintf(\"%s%s\", [{}, {}])")),
        )
        .err("`sprintf` would build a string of"),
        with_input(
            "sprintf width computed",
            "out := sprintf(concat(\"\", [\"%0\", input.w, \"d\"]), [1])",
            "{\"w\": \"999999999\"}",
        )
        .err("`sprintf` width or precision 99999"),
        eval(
            "replace amplification",
            &format!(
                "{}out := count(replace(s6, \"x\", s6))",
                doublings(6, "concat(\"\", [{}, {}])")
            ),
        )
        .err("`replace` would build a string of 1073741824 bytes"),
        eval(
            "replace of the empty string",
            &format!(
                "{}out := count(replace(s6, \"\", s6))",
                doublings(6, "concat(\"\", [{}, {}])")
            ),
        )
        .err("`replace` would build a string of"),
        eval(
            "regex.replace amplification",
            &format!(
                "{}out := count(regex.replace(s6, \"x\", s6))",
                doublings(6, "concat(\"\", [{}, {}])")
            ),
        )
        .err("`regex.replace` would build a string of 1073774592 bytes"),
        eval(
            "regex.replace with references to the match",
            &format!(
                "{}out := count(regex.replace(s11, \"x+\", concat(\"\", [\"$0\" | some _ in numbers.range(1, 64)])))",
                doublings(11, "concat(\"\", [{}, {}])")
            ),
        )
        .err("`regex.replace` would build a string of"),
        eval(
            "regex.split into characters",
            &format!(
                "{}out := count(regex.split(\"\", s11))",
                doublings(11, "concat(\"\", [{}, {}])")
            ),
        )
        .err("`regex.split` would build 1048578 strings"),
        with_input(
            "walk of a deep document",
            "out := count([p | walk(input, [p, _])])",
            &format!("[{}]", vec![format!("{}1{}", "[".repeat(50), "]".repeat(50)); 1000].join(",")),
        )
        .err("`walk` would build 1000"),
        eval(
            "split into characters",
            &format!(
                "{}out := count(split(s11, \"\"))",
                doublings(11, "concat(\"\", [{}, {}])")
            ),
        )
        .err("`split` would build 1048576 strings"),
        eval(
            "json.unmarshal of a large string",
            &format!(
                "{}out := count(json.unmarshal(concat(\"\", [\"\\\"\", s11, \"\\\"\"])))",
                doublings(11, "concat(\"\", [{}, {}])")
            ),
        )
        .err("`json.unmarshal` of 1048578 bytes"),
        with_input(
            "cidr_expand computed",
            "out := count(net.cidr_expand(input.cidr))",
            "{\"cidr\": \"0.0.0.0/0\"}",
        )
        .err("`net.cidr_expand` would build 4294967296 addresses"),
        eval(
            "an answer shared 2^40 times",
            &format!(
                "d0 := [\"x\"]\n{}out := d40",
                (1..=40)
                    .map(|i| format!("d{i} := [d{0}, d{0}]\n", i - 1))
                    .collect::<String>()
            ),
        )
        .err("the answer would build a string of"),
        eval(
            "a number of 2^24 bits written out by sprintf",
            &format!(
                "y0 := bits.lsh(1, 65536)\n{}out := count(sprintf(\"%d\", [y8]))",
                (1..=8)
                    .map(|i| format!("y{i} := y{0} * y{0}\n", i - 1))
                    .collect::<String>()
            ),
        )
        .err("`sprintf` would write out a number of 16777217 bits, more than the 65536 allowed"),
        eval(
            "a number of 2^24 bits as the answer",
            &format!(
                "y0 := bits.lsh(1, 65536)\n{}out := y8",
                (1..=8)
                    .map(|i| format!("y{i} := y{0} * y{0}\n", i - 1))
                    .collect::<String>()
            ),
        )
        .err("the answer would write out a number of 16777217 bits"),
        // The interpreter (tests, queries) checks the guarded builtins' arguments too (they are
        // registered as extensions of their own names): refused before any allocation.
        case("a computed range in a test", "rego test t.rego")
            .file(
                "t.rego",
                rego("test_r if count(numbers.range(1, input.n)) > 0 with input as {\"n\": 1e10}"),
            )
            .err("1 of 1 failed")
            .prints("`numbers.range` would build 10000000000 numbers"),
        case("a computed range to 2^63-1 in a test", "rego test t.rego")
            .file(
                "t.rego",
                rego("test_r if count(numbers.range(0, input.n)) > 0 with input as {\"n\": 9223372036854775807}"),
            )
            .err("1 of 1 failed")
            .prints("`numbers.range` would build 9223372036854775808 numbers"),
        // Stack and parsing.
        case("99 chained rules evaluate", "rego eval --policy p.rego --query data.x.r0")
            .file("p.rego", rego(&chain(99)))
            .ok("data.x.r0 = 99"),
        case("3,000 chained rules", "rego eval --policy p.rego --query data.x.r0")
            .file("p.rego", rego(&chain(3000)))
            .err("p.rego:3:1: rule r0 starts a chain of 3001 rules depending on one another, more than the 100 allowed"),
        eval(
            "nesting 22 deep",
            &format!("out := {}1{}", "[".repeat(22), "]".repeat(22)),
        )
        .err("p.rego:3:20: brackets nest more than 12 deep"),
        eval(
            "nesting 100,000 deep",
            &format!("out := {}1{}", "{".repeat(100_000), "}".repeat(100_000)),
        )
        .err("brackets nest more than 12 deep"),
        eval(
            "brackets in strings and comments are not nesting",
            &format!(
                "out := \"{}\" # {}",
                "[".repeat(100),
                "(".repeat(100)
            ),
        )
        .ok("\"[[[["),
        // Refused builtins: calls, not words.
        eval(
            "http.send in a string is not a call",
            "out := \"use http.send and time.now_ns()\" # rand.intn(\"x\", 1)",
        )
        .ok("use http.send"),
        eval(
            "http.send called in a comprehension",
            "out := [r | some u in [\"http://x\"]; r := http.send({\"url\": u})]",
        )
        .err("p.rego:3:42: `http.send` is refused"),
        eval(
            "crypto.x509 under its name",
            "out := crypto.x509.parse_certificates(\"\")",
        )
        .err("`crypto.x509` is refused"),
        // Numbers beyond 64 bits.
        with_input(
            "an input integer beyond 2^64",
            "out := input.n == 18446744073709551616",
            "{\"n\": 18446744073709551617}",
        )
        .err("i.json:1:7: the integer 18446744073709551617 does not fit in 64 bits"),
        with_input(
            "an input integer below -2^63",
            "out := input.n",
            "[0, {\"n\": -9223372036854775809}]",
        )
        .err("does not fit in 64 bits"),
        // An SRE gate naming a rule the gym does not know.
        case(
            "sre: --gate naming an unknown rule",
            "eval --scenario classic --agent sop --episodes 1 --gate g.rego",
        )
        .file("g.rego", rego("broken := [{\"id\": \"custom\", \"reason\": \"deny\"}]"))
        .err("`broken` names the rule \"custom\", which the SRE gym does not know"),
        case(
            "sre: --gate naming an unknown rule on some proposals",
            "eval --scenario classic --agent sop --episodes 1 --gate g.rego",
        )
        .file(
            "g.rego",
            rego("broken := [{\"id\": \"typo_ticket\", \"reason\": \"no\"} | not input.approved_ticket]"),
        )
        .err("\"typo_ticket\""),
        // The hardening gate reads the same way.
        case("harden: --gate with 3,000 chained rules", "eval --env harden --gate c.rego")
            .file("c.rego", rego(&format!("default allow := false\n{}", chain(3000))))
            .err("c.rego:4:1: rule r0 starts a chain of 3001 rules"),
        case("harden: --gate building 1e10 numbers", "eval --env harden --gate c.rego")
            .file("c.rego", rego("allow if count(numbers.range(1, 1e10)) > 0"))
            .err("c.rego:3:16: `numbers.range` would build"),
        // One bundle: a module that does not load stops the run (as `opa test` does), named
        // at its line.
        case("rego test: a good and a bad file", "rego test g.rego b.rego")
            .file(
                "g.rego",
                rego("allow if input.ok\ntest_ok if allow with input as {\"ok\": true}"),
            )
            .file("b.rego", "package b\nallow if {\n")
            .err("b.rego:3:1"),
    ];
    for c in &mut v {
        c.name = format!("rego bounds: {}", c.name);
    }
    v
}
