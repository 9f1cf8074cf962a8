//! The risk scorer: seed 003's keyword score blended with a small naive Bayes trained on the
//! shipped SpamAssassin subset and generated training messages. Informative but imperfect:
//! hard negatives look risky and quiet social engineering does not.
//!
//! Its arithmetic is `+ - * /` only (a series logarithm below, no `ln`/`exp` from the platform),
//! and the score is rounded to 0.01, so the observation is the same bytes natively and in wasm.

use crate::message::{Class, Message, Visible};
use std::collections::HashMap;

/// Seed 003's high-risk terms (0.25 each) and medium terms (0.08 each).
const HIGH: &[&str] = &[
    "verify",
    "password",
    "suspended",
    "urgent",
    "winner",
    "prize",
    "gift card",
    "wire",
    "bitcoin",
    "locked",
    "click",
    "login",
    "invoice",
    "install",
    "virus",
];
const MEDIUM: &[&str] = &[
    "account",
    "update",
    "confirm",
    "offer",
    "free",
    "limited",
    "payment",
    "security",
    "code",
    "bank",
    "delivery",
    "download",
    "immediately",
    "money",
];

/// ln(x) for x > 0 from the bits of x and an atanh series: the same bits on every platform.
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NEG_INFINITY;
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp == 0 {
        // Subnormal: scale up first.
        return ln(x * (1u64 << 54) as f64) - 54.0 * std::f64::consts::LN_2;
    }
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let e = (exp - 1023) as f64;
    let z = (m - 1.0) / (m + 1.0);
    let z2 = z * z;
    let mut term = z;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..20 {
        sum += term / k;
        term *= z2;
        k += 2.0;
    }
    e * std::f64::consts::LN_2 + 2.0 * sum
}

/// The words of a message a scorer reads: sender, subject, text, links, attachments.
pub fn tokens(v: &Visible) -> Vec<String> {
    let mut out = Vec::new();
    let mut push_words = |s: &str| {
        for w in s
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .map(|w| w.trim_matches(|c| c == '.' || c == '-'))
            .filter(|w| w.len() >= 2 && w.len() <= 30)
        {
            out.push(w.to_ascii_lowercase());
        }
    };
    push_words(&v.sender);
    if let Some(s) = &v.subject {
        push_words(s);
    }
    push_words(&v.text);
    for l in &v.links {
        push_words(l);
    }
    for a in &v.attachments {
        push_words(a);
    }
    out.sort();
    out.dedup();
    out
}

/// Seed 003's keyword score in [0, 1].
pub fn keyword_score(v: &Visible) -> f64 {
    let mut text = v.text.to_ascii_lowercase();
    if let Some(s) = &v.subject {
        text.push(' ');
        text.push_str(&s.to_ascii_lowercase());
    }
    let high = HIGH.iter().filter(|w| text.contains(*w)).count() as f64;
    let medium = MEDIUM.iter().filter(|w| text.contains(*w)).count() as f64;
    (0.25 * high + 0.08 * medium).min(1.0)
}

/// A Bernoulli-style naive Bayes over the words present: threat against safe.
#[derive(Clone, Debug, Default)]
pub struct Bayes {
    /// Per word: log P(word | threat) - log P(word | safe).
    weights: HashMap<String, f64>,
    prior: f64,
}

impl Bayes {
    /// Trains on labelled messages (any threat class counts as threat).
    pub fn train(messages: &[Message]) -> Bayes {
        let mut counts: HashMap<String, [u32; 2]> = HashMap::new();
        let mut docs = [0u32; 2];
        for m in messages {
            let k = usize::from(m.class.is_threat());
            docs[k] += 1;
            for t in tokens(&m.visible) {
                counts.entry(t).or_default()[k] += 1;
            }
        }
        let (nt, ns) = (f64::from(docs[1]) + 2.0, f64::from(docs[0]) + 2.0);
        let weights = counts
            .into_iter()
            // Words seen once say little and let the model memorize: dropped.
            .filter(|(_, c)| c[0] + c[1] >= 2)
            .map(|(w, c)| {
                let pt = (f64::from(c[1]) + 1.0) / nt;
                let ps = (f64::from(c[0]) + 1.0) / ns;
                (w, ln(pt) - ln(ps))
            })
            .collect();
        Bayes {
            weights,
            prior: ln(nt) - ln(ns),
        }
    }

    /// The log-odds of threat, summed in the words' sorted order.
    pub fn log_odds(&self, v: &Visible) -> f64 {
        tokens(v)
            .iter()
            .filter_map(|t| self.weights.get(t))
            .fold(self.prior, |a, w| a + w)
    }

    /// A probability-like score in (0, 1): a rational squashing of the log-odds.
    pub fn score(&self, v: &Visible) -> f64 {
        let z = self.log_odds(v) / 6.0;
        0.5 + 0.5 * z / (1.0 + z.abs())
    }
}

/// The scorer the environment shows the agent.
#[derive(Clone, Debug)]
pub struct Scorer {
    pub bayes: Bayes,
    /// Weight of the keyword score (the rest is the naive Bayes').
    pub keyword_weight: f64,
}

impl Scorer {
    /// The risk score in [0, 1], rounded to 0.01.
    pub fn risk(&self, v: &Visible) -> f64 {
        let k = keyword_score(v);
        let b = self.bayes.score(v);
        let r = self.keyword_weight * k + (1.0 - self.keyword_weight) * b;
        (r * 100.0).round() / 100.0
    }
}

/// ROC AUC of scores: positives against negatives (ties count half).
pub fn auc(positives: &[f64], negatives: &[f64]) -> f64 {
    if positives.is_empty() || negatives.is_empty() {
        return 0.5;
    }
    let mut wins = 0.0;
    for p in positives {
        for n in negatives {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (positives.len() * negatives.len()) as f64
}

/// ROC AUC per threat class against safe messages.
pub fn auc_per_class(scorer: &Scorer, messages: &[Message]) -> Vec<(Class, f64)> {
    let safe: Vec<f64> = messages
        .iter()
        .filter(|m| m.class == Class::Safe)
        .map(|m| scorer.risk(&m.visible))
        .collect();
    Class::ALL
        .into_iter()
        .filter(|c| c.is_threat())
        .map(|c| {
            let pos: Vec<f64> = messages
                .iter()
                .filter(|m| m.class == c)
                .map(|m| scorer.risk(&m.visible))
                .collect();
            (c, auc(&pos, &safe))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_log_matches_the_platform_closely() {
        for x in [1e-300, 0.001, 0.5, 1.0, 1.5, 2.0, 3.7, 1e6, 123_456.789] {
            assert!(
                (ln(x) - x.ln()).abs() < 1e-12,
                "{x}: {} vs {}",
                ln(x),
                x.ln()
            );
        }
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn auc_of_separated_and_mixed_scores() {
        assert_eq!(auc(&[0.9, 0.8], &[0.1, 0.2]), 1.0);
        assert_eq!(auc(&[0.5], &[0.5]), 0.5);
        assert_eq!(auc(&[0.1], &[0.9]), 0.0);
    }
}
