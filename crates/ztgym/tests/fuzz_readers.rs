//! A property test per reader: valid inputs mutated at random (bytes flipped, inserted, deleted,
//! cut, sections duplicated, hostile tokens spliced in) by the core's seeded [`Rng`], so every
//! run tries the same inputs and a failure names its seed. The property: no reader panics, and
//! every refusal names the file and says what is wrong; whatever is printed of it has no raw
//! control character.

use ztgym::core::fileio::{decode, parse_json, Kind};
use ztgym::core::json::{index, join, refuse_duplicate_keys};
use ztgym::core::text::{escape_controls, is_unsafe, shorten};
use ztgym::core::Rng;
use ztgym::cve::import_feed;
use ztgym::{Policy, Scenario};

const CLASSIC: &str = include_str!("../../ztgym-sre/data/scenarios/classic.toml");
const ENTERPRISE: &str = include_str!("../../ztgym-sre/data/scenarios/enterprise.toml");
const CATALOG: &str = include_str!("../../ztgym-sre/data/cve-catalog.json");
const LIST: &str = "# list\nCVE-2021-44228,10.0,Apache Log4j 2,java;log4j\n\
                    CVE-2022-22965,9.8,Spring Framework,java;spring,rce\n";
const NVD: &str = r#"{"vulnerabilities": [{"cve": {"id": "CVE-2021-44228",
  "descriptions": [{"lang": "en", "value": "Apache Log4j2 JNDI features do not protect"}],
  "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary",
    "cvssData": {"baseScore": 10.0}}]},
  "weaknesses": [{"description": [{"lang": "en", "value": "CWE-917"}]}],
  "configurations": [{"nodes": [{"cpeMatch": [{"criteria": "cpe:2.3:a:apache:log4j:2.0:*:*:*:*:*:*:*"}]}]}]}}]}"#;

/// Rounds per reader: enough to reach deep into each format, quick in a debug build.
const ROUNDS: u64 = 400;

/// Pieces spliced into inputs: what breaks parsers and terminals.
const HOSTILE: [&[u8]; 16] = [
    b"\x1b]0;pwned\x07",
    b"\x1b[2J",
    b"\r",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xe9",
    b"\xff\xfe",
    b"NaN",
    b"-Infinity",
    b"1e999",
    b"\"scenario\": \"/dev/zero\", ",
    b"[[[[[[[[[[[[[[[[",
    b"}}}}",
    b"\"\\u0000\"",
    b"4294967295",
    b"\xe2\x80\xae",
];

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = if v.is_empty() { 0 } else { rng.below(v.len()) };
        match rng.below(6) {
            0 if !v.is_empty() => v[at] = rng.next_u64() as u8,
            1 => v.insert(at, rng.next_u64() as u8),
            2 if !v.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(v.len());
                v.drain(at..end);
            }
            3 => v.truncate(at),
            4 => {
                let end = (at + rng.below(200)).min(v.len());
                let piece = v[at..end].to_vec();
                let to = rng.below(v.len() + 1);
                v.splice(to..to, piece);
            }
            _ => {
                let piece = rng.pick(&HOSTILE);
                v.splice(at..at, piece.iter().copied());
            }
        }
    }
    v
}

/// Runs `read` on mutations of each base; `read` returns the refusal's text, if refused.
fn fuzz(seed: u64, bases: &[&str], kind: Kind, read: impl Fn(&str) -> Option<String>) {
    let mut rng = Rng::new(seed);
    let mut refused = 0;
    for round in 0..ROUNDS {
        let base = rng.pick(bases).as_bytes();
        let bytes = mutate(&mut rng, base);
        let message = match decode("fuzz.in", &bytes, kind) {
            Err(e) => {
                assert!(e.to_string().starts_with("fuzz.in: "), "{e}");
                Some(e.to_string())
            }
            Ok(text) => read(&text),
        };
        if let Some(m) = message {
            refused += 1;
            assert!(
                m.contains("fuzz.in"),
                "seed {seed} round {round}: {m:?} names no file"
            );
            let shown = escape_controls(&m);
            assert!(!shown.chars().any(is_unsafe), "seed {seed} round {round}");
        }
    }
    // The mutations are hostile enough that most inputs are refused: the test reaches errors.
    assert!(refused > ROUNDS / 4, "only {refused} of {ROUNDS} refused");
}

#[test]
fn scenario_reader_never_panics() {
    fuzz(11, &[CLASSIC, ENTERPRISE], Kind::Scenario, |text| {
        Scenario::parse("fuzz.in", text)
            .err()
            .map(|e| e.to_string())
    });
}

#[test]
fn policy_reader_never_panics() {
    let scenario = Scenario::builtin("classic").unwrap();
    let mut config = ztgym::TrainConfig::new(ztgym::Kind::QLagrangian);
    config.episodes = 30;
    let mut trainer = ztgym::Trainer::new(scenario, config).unwrap();
    trainer.run(30);
    let policy = Policy::from_trainer(&trainer).to_json();
    fuzz(12, &[&policy], Kind::Policy, |text| {
        Policy::parse("fuzz.in", text, None)
            .err()
            .map(|e| e.to_string())
    });
}

#[test]
fn feed_reader_never_panics() {
    fuzz(13, &[LIST, NVD, CATALOG], Kind::Feed, |text| {
        import_feed("fuzz.in", text).err().map(|e| e.to_string())
    });
}

#[test]
fn json_reader_never_panics_and_names_duplicates() {
    fuzz(14, &[NVD, CATALOG], Kind::Feed, |text| {
        parse_json("fuzz.in", text).err().map(|e| e.to_string())
    });
    // Property: a key written twice in any object is refused at its path.
    let mut rng = Rng::new(15);
    for _ in 0..ROUNDS {
        let depth = 1 + rng.below(5);
        let key = format!("k{}", rng.below(1000));
        let mut text = format!("{{\"{key}\": 1, \"{key}\": 2}}");
        // Segments from the inside out: Some(name) for an object member, None for item 1.
        let mut segments = Vec::new();
        for d in 0..depth {
            if rng.chance(0.5) {
                text = format!("[0, {text}]");
                segments.push(None);
            } else {
                text = format!("{{\"a{d}\": {text}, \"z\": null}}");
                segments.push(Some(format!("a{d}")));
            }
        }
        let mut path = String::new();
        for s in segments.iter().rev() {
            path = match s {
                Some(name) => join(&path, name),
                None => index(&path, 1),
            };
        }
        let path = join(&path, &key);
        let p = refuse_duplicate_keys(&text).unwrap_err();
        assert_eq!(p.path, path);
        assert!(parse_json(
            "x",
            &text.replace(&format!("\"{key}\": 2"), &format!("\"{key}x\": 2"))
        )
        .is_ok());
    }
}

#[test]
fn decode_accepts_exactly_utf8_under_the_cap() {
    let mut rng = Rng::new(16);
    for _ in 0..ROUNDS {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        let valid = std::str::from_utf8(&bytes).is_ok();
        match decode("x", &bytes, Kind::Task) {
            Ok(text) => assert!(valid && bytes.ends_with(text.as_bytes())),
            Err(e) => {
                let offset = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
                assert!(
                    e.place.starts_with(&format!("byte {offset} ")),
                    "{e} vs {offset}"
                );
                assert!(e.problem.starts_with("encoding problem"));
            }
        }
    }
}

#[test]
fn escaped_and_shortened_text_is_safe_and_bounded() {
    let mut rng = Rng::new(17);
    for _ in 0..ROUNDS {
        let text: String = (0..rng.below(400))
            .map(|_| char::from_u32(rng.below(0x2100) as u32).unwrap_or('?'))
            .collect();
        let escaped = escape_controls(&text);
        assert!(!escaped.chars().any(is_unsafe));
        let max = 1 + rng.below(100);
        let short = shorten(&text, max);
        assert!(!short.chars().any(is_unsafe));
        assert!(short.chars().count() <= max + " (99999 characters)".len());
    }
}
