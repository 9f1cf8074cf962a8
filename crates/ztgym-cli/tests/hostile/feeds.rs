//! CVE feeds: `cves --feed`, `eval --cve-feed`, `run --cve-feed`.

use super::*;

pub fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    v.push(
        case("feed: list", "cves --feed @f.txt")
            .file("f.txt", LIST)
            .ok("2 CVEs with CVSS >= 7.5"),
    );
    v.push(
        case("feed: list with a byte order mark", "cves --feed @f.txt")
            .file("f.txt", format!("\u{feff}{LIST}"))
            .ok("2 CVEs"),
    );
    v.push(
        case("feed: catalog", "cves --feed @f.json --json")
            .file("f.json", CATALOG)
            .ok("\"count\":52"),
    );
    v.push(
        case(
            "feed: escape sequences in a product are escaped",
            "cves --feed @f.txt",
        )
        .file(
            "f.txt",
            "CVE-2021-44228,10.0,Evil\u{1b}]0;pwned\u{7}\u{1b}[2J,java\n",
        )
        .ok("Evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"),
    );
    v.push(
        case(
            "feed: a lone carriage return is escaped",
            "cves --feed @f.txt",
        )
        .file("f.txt", "CVE-2021-44228,10.0,abc\rXYZ,java\n")
        .ok("abc\\rXYZ"),
    );
    v.push(
        case(
            "feed: C1 control and bidi override escaped",
            "cves --feed @f.txt",
        )
        .file("f.txt", "CVE-2021-44228,10.0,a\u{9b}2Jb\u{202e}c,java\n")
        .ok("\\u{9b}2Jb\\u{202e}c"),
    );
    v.push(
        case(
            "feed: catalog name with escapes, JSON out",
            "cves --feed @f.json --json",
        )
        .file(
            "f.json",
            CATALOG.replacen("\"Log4Shell\"", "\"Log\\u001b[2J4Shell\"", 1),
        )
        .ok("Log\\u001b[2J4Shell"),
    );
    v.push(
        case(
            "feed: dropped entries named with reasons",
            "cves --feed @f.txt",
        )
        .file(
            "f.txt",
            format!("{LIST}CVE-2021-0001,9.0,nothing,zzz\nCVE-2021-0002,3.0,low,java\n"),
        )
        .ok("dropped: CVE-2021-0001"),
    );
    v.push(
        case("feed: low scores counted", "cves --feed @f.txt")
            .file("f.txt", format!("{LIST}CVE-2021-0002,3.0,low,java\n"))
            .ok("dropped 1 entries scored below 7.5"),
    );
    v.push(
        case("feed: duplicate key in a catalog", "cves --feed @f.json")
            .file(
                "f.json",
                CATALOG.replacen("\"version\": 1,", "\"version\": 1, \"version\": 1,", 1),
            )
            .err("duplicate key \"version\""),
    );
    v.push(
        case("feed: duplicate key in an entry", "cves --feed @f.json")
            .file(
                "f.json",
                CATALOG.replacen("\"cvss\": 10.0,", "\"cvss\": 10.0, \"cvss\": 1.0,", 1),
            )
            .err("entries[0].cvss"),
    );
    v.push(
        case("feed: NVD duplicate key", "cves --feed @f.json")
            .file(
                "f.json",
                "{\"vulnerabilities\": [], \"vulnerabilities\": []}",
            )
            .err("duplicate key \"vulnerabilities\""),
    );
    v.push(
        case("feed: NVD empty", "cves --feed @f.json")
            .file("f.json", "{\"vulnerabilities\": []}")
            .err("f.json"),
    );
    v.push(
        case("feed: empty", "cves --feed @f.txt")
            .file("f.txt", "")
            .err("the file is empty"),
    );
    v.push(
        case("feed: whitespace only", "cves --feed @f.txt")
            .file("f.txt", "  \n\t\n")
            .err("empty"),
    );
    v.push(case("feed: /dev/zero", "cves --feed /dev/zero").err("character device"));
    v.push(
        case(
            "feed: /dev/zero via eval",
            "eval --scenario classic --agent sop --cve-feed /dev/zero",
        )
        .err("character device"),
    );
    v.push(
        case("feed: /dev/stdin", "cves --feed /dev/stdin")
            .io(Io::StdinOpen)
            .err("regular file"),
    );
    v.push(case("feed: a FIFO", "cves --feed @f").fifo("f").err("FIFO"));
    v.push(
        case("feed: a directory", "cves --feed @d")
            .dir("d")
            .err("directory"),
    );
    v.push(case("feed: missing", "cves --feed @missing.txt").err("cannot read"));
    v.push(
        case("feed: sparse 50 GB", "cves --feed @f.txt")
            .sparse("f.txt", 50 << 30)
            .err("larger than the 33554432 bytes"),
    );
    v.push(
        case("feed: Latin-1", "cves --feed @f.txt")
            .file("f.txt", b"CVE-2021-44228,10.0,caf\xe9,java\n")
            .err("byte 23 (line 1, column 24)"),
    );
    v.push(
        case("feed: UTF-16", "cves --feed @f.txt")
            .file("f.txt", utf16(LIST))
            .err("UTF-16"),
    );
    v.push(
        case("feed: NaN score", "cves --feed @f.txt")
            .file("f.txt", "CVE-2021-44228,NaN,x,java\n")
            .err("line 1"),
    );
    v.push(
        case("feed: score 11", "cves --feed @f.txt")
            .file("f.txt", "CVE-2021-44228,11,x,java\n")
            .err("line 1"),
    );
    v.push(
        case("feed: malformed id", "cves --feed @f.txt")
            .file("f.txt", "CVE-21-1,9.0,x,java\n")
            .err("line 1"),
    );
    v.push(
        case("feed: duplicate ids", "cves --feed @f.txt")
            .file(
                "f.txt",
                "CVE-2021-44228,9.0,x,java\nCVE-2021-44228,9.0,x,java\n",
            )
            .err("line 2"),
    );
    v.push(
        case("feed: catalog NaN", "cves --feed @f.json")
            .file(
                "f.json",
                CATALOG.replacen("\"cvss\": 10.0", "\"cvss\": NaN", 1),
            )
            .err("f.json"),
    );
    v.push(
        case("feed: nested 100000 deep", "cves --feed @f.json")
            .file(
                "f.json",
                format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            )
            .err("f.json"),
    );
    v.push(
        case("feed: truncated JSON", "cves --feed @f.json")
            .file("f.json", &CATALOG[..CATALOG.len() / 3])
            .err("f.json"),
    );
    v.push(
        case(
            "feed: bad feed via run",
            "run --scenario classic --agent sop --cve-feed @f.txt --trajectory @t.jsonl",
        )
        .file("f.txt", "garbage line\n")
        .err("f.txt"),
    );
    v.push(
        case(
            "feed: good feed via run",
            "run --scenario classic --agent sop --cve-feed @f.json --trajectory @t.jsonl",
        )
        .file("f.json", CATALOG)
        .writes("t.jsonl")
        .ok("trajectory written"),
    );
    v
}
