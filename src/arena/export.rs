//! The arena's table as files: CSV (every figure at full precision, one row per agent, for a
//! spreadsheet) and Markdown (rounded, for an issue or a report). Pure functions of the
//! [`Ranking`]; labels (file names a person chose) are escaped for each format.

use super::ranking::{Ranking, Row};
use super::seeds::format_seeds;
use super::stats::Estimate;
use crate::shell::numbers::fixed;

/// What the intervals are, said under the Markdown table and in the page.
pub const INTERVALS: &str = "95% intervals: Student's t for means, Wilson score for rates";

/// The table as CSV (RFC 4180, `\n` line ends): a header, then one row per agent in rank order.
pub fn to_csv(r: &Ranking) -> String {
    let mut columns = vec!["mean_return", "mean_cost", "success_rate"];
    if r.scored {
        columns.push("mean_score");
    }
    let mut head: Vec<String> = vec!["rank".into(), "agent".into(), "episodes".into()];
    for c in columns {
        head.extend([c.to_string(), format!("{c}_low"), format!("{c}_high")]);
    }
    let mut out = head.join(",");
    out.push('\n');
    for row in &r.rows {
        let mut cells = vec![
            row.rank.to_string(),
            csv_text(&row.label),
            row.episodes.to_string(),
        ];
        for e in estimates(row) {
            let (lo, hi) = e.interval.map_or((String::new(), String::new()), |(l, h)| {
                (l.to_string(), h.to_string())
            });
            cells.extend([e.value.to_string(), lo, hi]);
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The table as Markdown: what was played, the ranked table with intervals, and the seeds
/// where the agents differ most.
pub fn to_markdown(r: &Ranking) -> String {
    let mut out = format!(
        "## Arena: {} on {}, {} seeds ({})\n\n",
        md_text(&r.env),
        md_text(&r.scenario),
        r.seeds.len(),
        format_seeds(&r.seeds)
    );
    let mut head =
        "| Rank | Agent | Episodes | Mean return | Mean cost | Success rate |".to_string();
    let mut rule = "| ---: | --- | ---: | ---: | ---: | ---: |".to_string();
    if r.scored {
        head.push_str(" Mean score |");
        rule.push_str(" ---: |");
    }
    out.push_str(&format!("{head}\n{rule}\n"));
    for row in &r.rows {
        let figures: Vec<String> = estimates(row).iter().map(|e| shown(e, 3)).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            row.rank,
            md_text(&row.label),
            row.episodes,
            figures.join(" | ")
        ));
    }
    out.push_str(&format!("\n{INTERVALS}.\n"));
    if !r.differ.is_empty() {
        out.push_str("\n### Seeds where the agents differ most (return)\n\n| Seed | Spread |");
        for row in &r.rows {
            out.push_str(&format!(" {} |", md_text(&row.label)));
        }
        out.push_str("\n| ---: | ---: |");
        out.push_str(&" ---: |".repeat(r.rows.len()));
        out.push('\n');
        for d in &r.differ {
            let returns: Vec<String> = d.returns.iter().map(|&x| fixed(x, 2)).collect();
            out.push_str(&format!(
                "| {} | {:.2} | {} |\n",
                d.seed,
                d.spread,
                returns.join(" | ")
            ));
        }
    }
    out
}

/// A row's figures in column order: return, cost, success, and the score where there is one.
pub fn estimates(row: &Row) -> Vec<Estimate> {
    let mut all = vec![row.mean_return, row.mean_cost, row.success_rate];
    all.extend(row.mean_score);
    all
}

/// `value [low, high]` to `digits` decimals (no interval: the value alone); never `-0`.
pub fn shown(e: &Estimate, digits: usize) -> String {
    let f = |x: f64| {
        let s = format!("{x:.digits$}");
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        }
    };
    match e.interval {
        Some((lo, hi)) => format!("{} [{}, {}]", f(e.value), f(lo), f(hi)),
        None => f(e.value),
    }
}

/// A CSV cell: quoted when it holds a comma, quote or line end; a leading `=`, `+`, `-` or
/// `@` (a formula to a spreadsheet) is made text with a `'`.
fn csv_text(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Text in a Markdown table cell: no markup, no line break, no cell break.
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arena::ranking::EpisodeFigures;

    fn ranking(labels: &[&str], scored: bool) -> Ranking {
        let agents: Vec<(String, Vec<EpisodeFigures>)> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let episodes = (0..3)
                    .map(|s| EpisodeFigures {
                        seed: s,
                        episode_return: (i as f64) * (s as f64 + 1.0) - 1.0,
                        cost: 0.5 * s as f64,
                        success: s % 2 == 0,
                        score: scored.then_some(0.25 * i as f64),
                        steps: 4,
                    })
                    .collect();
                (l.to_string(), episodes)
            })
            .collect();
        Ranking::new("triage", "L1", &[0, 1, 2], &agents)
    }

    #[test]
    fn csv_has_every_figure_with_its_interval_at_full_precision() {
        let r = ranking(&["random", "rule-based"], false);
        let csv = to_csv(&r);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "rank,agent,episodes,mean_return,mean_return_low,mean_return_high,mean_cost,\
             mean_cost_low,mean_cost_high,success_rate,success_rate_low,success_rate_high"
        );
        assert_eq!(lines.len(), 3);
        let first: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(first[..3], ["1", "rule-based", "3"]);
        assert_eq!(
            first[3].parse::<f64>().unwrap(),
            r.rows[0].mean_return.value
        );
        let (lo, _) = r.rows[0].mean_return.interval.unwrap();
        assert_eq!(first[4].parse::<f64>().unwrap(), lo);
        let scored = to_csv(&ranking(&["a", "b"], true));
        assert!(scored
            .lines()
            .next()
            .unwrap()
            .ends_with("mean_score,mean_score_low,mean_score_high"));
    }

    #[test]
    fn hostile_labels_are_text_in_both_formats() {
        let r = ranking(&["=HYPERLINK(\"x\"),y", "<script>|a\nb"], true);
        let csv = to_csv(&r);
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\"),y\""), "{csv}");
        assert!(
            csv.contains("\"<script>|a\nb\""),
            "quoted, line break kept inside: {csv}"
        );
        let md = to_markdown(&r);
        assert!(md.contains("&lt;script&gt;\\|a b"), "{md}");
        assert!(!md.contains("<script>"));
        assert!(md.contains("| Mean score |"));
        assert!(md.contains(INTERVALS));
    }

    #[test]
    fn markdown_rounds_shows_intervals_and_the_widest_seeds() {
        let r = ranking(&["a", "b", "c"], false);
        let md = to_markdown(&r);
        assert!(
            md.starts_with("## Arena: triage on L1, 3 seeds (0-2)\n"),
            "{md}"
        );
        let best = &r.rows[0];
        assert!(
            md.contains(&format!("| 1 | c | 3 | {} |", shown(&best.mean_return, 3))),
            "{md}"
        );
        assert!(md.contains("### Seeds where the agents differ most"));
        assert!(md.contains("| 2 | 6.00 | 5.00 | 2.00 | -1.00 |"), "{md}");
        assert_eq!(
            shown(
                &Estimate {
                    value: -0.0001,
                    interval: Some((-0.0004, 1.0))
                },
                3
            ),
            "0.000 [0.000, 1.000]"
        );
        assert_eq!(
            shown(
                &Estimate {
                    value: 2.5,
                    interval: None
                },
                2
            ),
            "2.50"
        );
    }
}
