//! Scenario files: the built-in ones load, and every kind of mistake is named precisely.

use ztgym_sre::agents::builtin_agent;
use ztgym_sre::eval::evaluate;
use ztgym_sre::{Env, ResetOptions, Scenario};

#[test]
fn builtin_scenarios_load_and_are_playable_to_success() {
    let names: Vec<&str> = Scenario::builtin_names().collect();
    assert_eq!(names, ["classic", "enterprise", "multitenant"]);
    for name in names {
        let s = Scenario::builtin(name).unwrap();
        assert!(s.services().iter().any(|x| x.protected));
        let mut agent = builtin_agent("sop", &s).unwrap();
        let (report, _) = evaluate(
            &mut Env::new(s),
            agent.as_mut(),
            20,
            0,
            &ResetOptions::default(),
        );
        assert!(report.success_rate >= 0.9, "{name}: {report:?}");
    }
    let classic = Scenario::builtin("classic").unwrap();
    assert_eq!(classic.services().len(), 5);
    let gw = classic.index_of("api_gateway").unwrap();
    let mut radius: Vec<&str> = classic
        .blast_radius(gw)
        .iter()
        .map(|&i| &*classic.names[i])
        .collect();
    radius.sort();
    assert_eq!(
        radius,
        ["frontend", "hr_db", "payment"],
        "seed 000's cascade"
    );
    let enterprise = Scenario::builtin("enterprise").unwrap();
    assert!((10..=15).contains(&enterprise.services().len()));
}

fn error_of(text: &str) -> String {
    Scenario::parse("bad.toml", text).unwrap_err().to_string()
}

const BASE: &str = r#"
[scenario]
name = "tiny"
title = "Tiny"

[[service]]
id = "web"
tags = ["nginx"]

[[service]]
id = "db"
tags = ["postgres"]
depends_on = ["web"]
"#;

#[test]
fn a_minimal_file_is_valid() {
    let s = Scenario::parse("tiny.toml", BASE).unwrap();
    assert_eq!(s.name(), "tiny");
    assert_eq!(s.rules().no_ticket, -20.0, "defaults are seed 000's");
}

#[test]
fn each_mistake_names_file_field_and_problem() {
    let cases: &[(&str, &str)] = &[
        (
            &BASE.replace("[scenario]", "[scenari]"),
            "bad.toml: line 2, column 2: unknown field `scenari`",
        ),
        (
            &BASE.replace("depends_on = [\"web\"]", "depends_on = [\"cache\"]"),
            "bad.toml: service[1].depends_on[0]: unknown service \"cache\"",
        ),
        (
            &BASE.replace("id = \"db\"", "id = \"web\""),
            "bad.toml: service[1].id: duplicate service id \"web\"",
        ),
        (
            &BASE.replace("tags = [\"postgres\"]", "tags = [\"cobol\"]"),
            "bad.toml: service[1].tags[0]: unknown technology tag \"cobol\"",
        ),
        (
            &BASE.replace(
                "tags = [\"nginx\"]",
                "tags = [\"nginx\"]\ndepends_on = [\"db\"]",
            ),
            "bad.toml: service.depends_on: the dependencies form a cycle",
        ),
        (
            &BASE.replace("name = \"tiny\"", "name = \"Tiny Town\""),
            "bad.toml: scenario.name: \"Tiny Town\" must be lowercase",
        ),
        (
            &format!("{BASE}\n[rules]\nmin_uptime = 150.0\n"),
            "bad.toml: rules.min_uptime: must be a percentage in [0, 100]",
        ),
        (
            &format!("{BASE}\n[rules]\nno_tiket = 1.0\n"),
            "unknown field `no_tiket`",
        ),
        (
            &format!("{BASE}\n[threat_mix]\nrce = -1.0\n"),
            "bad.toml: threat_mix.rce: must be a weight >= 0",
        ),
        (
            &BASE.replace(
                "tags = [\"nginx\"]",
                "tags = [\"nginx\"]\nuptime_weight = \"lots\"",
            ),
            "bad.toml: line",
        ),
        (
            "[scenario]\nname = \"x\"\ntitle = \"x\"\n",
            "missing field `service`",
        ),
        (
            &BASE.replace(
                "[[service]]\nid = \"db\"\ntags = [\"postgres\"]\ndepends_on = [\"web\"]\n",
                "",
            ),
            "bad.toml: service: needs 2 to 64 services, found 1",
        ),
        ("not toml at all [", "bad.toml: line 1"),
    ];
    for (text, want) in cases {
        let got = error_of(text);
        assert!(got.contains(want), "want {want:?} in {got:?}");
    }
}

#[test]
fn a_scenario_where_nothing_can_be_attacked_is_refused() {
    let text = BASE
        .replace("id = \"web\"\ntags", "id = \"web\"\nprotected = true\ntags")
        .replace("id = \"db\"\ntags", "id = \"db\"\nprotected = true\ntags");
    assert!(error_of(&text).contains("at least one service must be unprotected"));
}
