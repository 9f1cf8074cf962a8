//! The messages an episode draws from, built once: generated messages per class and channel
//! (and hard negatives), the shipped SpamAssassin subset, and each one's risk score from a scorer
//! trained on other messages (a training split of the corpus and a differently seeded generator).
//!
//! Drawing from a catalog built once keeps a step free of text building (the speed goal), while
//! every episode still sees its own seeded sequence of messages.

use crate::generate;
use crate::message::{Channel, Class, Message, Visible};
use crate::scorer::{auc_per_class, Bayes, Scorer};
use serde::Deserialize;
use std::sync::{Arc, OnceLock};
use ztgym_core::Rng;

/// The curated SpamAssassin subset (see `scripts/triage-corpus.py` and the book's
/// docs/src/environments/triage.md, "Messages and the risk scorer").
pub const CORPUS_JSONL: &str = include_str!("../data/spamassassin.jsonl");

/// Generated messages per class and channel in the catalog.
pub const PER_CLASS_CHANNEL: usize = 120;
/// Generator seeds: the catalog's and the held-out report's.
pub const CATALOG_SEED: u64 = 0x7472_6961_6765_0001;
pub const HELD_OUT_SEED: u64 = 0x7472_6961_6765_0003;

/// One catalog entry: a message and its risk score.
#[derive(Clone, Debug)]
pub struct Entry {
    pub message: Message,
    /// The scorer's risk, rounded to 0.01.
    pub risk: f64,
}

/// Every message an episode may draw, by kind.
#[derive(Debug)]
pub struct Catalog {
    /// Threat messages by class index (0..4) and channel index.
    pub threats: [[Vec<Arc<Entry>>; 3]; 4],
    /// Ordinary safe messages by channel (generated, and corpus ham on email).
    pub safe: [Vec<Arc<Entry>>; 3],
    /// Hard negatives by channel.
    pub hard: [Vec<Arc<Entry>>; 3],
    /// The scorer used.
    pub scorer: Scorer,
}

#[derive(Deserialize)]
struct CorpusLine {
    id: String,
    label: String,
    from: String,
    subject: String,
    body: String,
}

/// The shipped corpus: (training half, held-out half), alternating lines.
pub fn corpus() -> Result<(Vec<Message>, Vec<Message>), String> {
    let (mut train, mut held) = (Vec::new(), Vec::new());
    for (i, line) in CORPUS_JSONL.lines().enumerate() {
        let l: CorpusLine = serde_json::from_str(line)
            .map_err(|e| format!("data/spamassassin.jsonl line {}: {e}", i + 1))?;
        let spam = match l.label.as_str() {
            "spam" => true,
            "ham" => false,
            other => {
                return Err(format!(
                    "data/spamassassin.jsonl line {}: label {other:?} is not ham or spam",
                    i + 1
                ))
            }
        };
        let m = corpus_message(&l.id, &l.from, &l.subject, &l.body, spam);
        if i % 2 == 0 {
            train.push(m);
        } else {
            held.push(m);
        }
    }
    Ok((train, held))
}

/// `n` generated messages of each class and channel (and `n / 2` hard negatives per channel).
pub fn generated(seed: u64, n: usize) -> Vec<Message> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for class in Class::ALL {
        for channel in Channel::ALL {
            for _ in 0..n {
                out.push(generate::message(&mut rng, class, channel, false));
            }
            if class == Class::Safe {
                for _ in 0..n / 2 {
                    out.push(generate::message(&mut rng, class, channel, true));
                }
            }
        }
    }
    out
}

/// The scorer: seed 003's keywords and a naive Bayes trained on the corpus's training half
/// only (real ham and spam; it has never seen a generated message).
pub fn train_scorer(corpus_train: &[Message]) -> Scorer {
    Scorer {
        bayes: Bayes::train(corpus_train),
        keyword_weight: 0.5,
    }
}

impl Catalog {
    fn build() -> Result<Catalog, String> {
        let (train, held) = corpus()?;
        let scorer = train_scorer(&train);
        let mut cat = Catalog {
            threats: Default::default(),
            safe: Default::default(),
            hard: Default::default(),
            scorer,
        };
        let entry = |m: Message, s: &Scorer| {
            Arc::new(Entry {
                risk: s.risk(&m.visible),
                message: m,
            })
        };
        let mut all = generated(CATALOG_SEED, PER_CLASS_CHANNEL);
        all.extend(train);
        all.extend(held);
        for m in all {
            let ch = m.visible.channel.index();
            let e = entry(m, &cat.scorer);
            match e.message.class {
                Class::Safe if e.message.hard_negative => cat.hard[ch].push(e),
                Class::Safe => cat.safe[ch].push(e),
                c => cat.threats[c.index()][ch].push(e),
            }
        }
        Ok(cat)
    }

    /// The catalog (built on first use).
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::build().expect("the shipped corpus is valid"))
    }

    /// ROC AUC per threat class against safe messages on held-out messages (the corpus's
    /// held-out half and a differently seeded generator's messages).
    pub fn held_out_auc(&self) -> Vec<(Class, f64)> {
        let (_, held) = corpus().unwrap_or_default();
        let mut msgs = generated(HELD_OUT_SEED, 60);
        msgs.extend(held);
        auc_per_class(&self.scorer, &msgs)
    }
}

/// A corpus message as a [`Message`]: ham is safe, spam is spam; its cues are read from its
/// text by the same reader the built-in agents use.
pub fn corpus_message(id: &str, from: &str, subject: &str, body: &str, spam: bool) -> Message {
    let visible = Visible {
        channel: Channel::Email,
        sender: from.to_string(),
        subject: Some(subject.to_string()),
        text: body.to_string(),
        links: crate::cues::links_in(body),
        attachments: Vec::new(),
    };
    let cues = crate::cues::read_cues(&visible);
    Message {
        visible: Arc::new(visible),
        class: if spam { Class::Spam } else { Class::Safe },
        cues,
        hard_negative: false,
        source: Arc::from(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_parses_and_is_small() {
        let (train, held) = corpus().unwrap();
        assert!(
            train.len() + held.len() >= 300,
            "{}",
            train.len() + held.len()
        );
        assert!(CORPUS_JSONL.len() < 400_000);
        assert!(train.iter().any(|m| m.class == Class::Spam));
        assert!(train.iter().any(|m| m.class == Class::Safe));
    }

    #[test]
    fn scorer_is_informative_but_imperfect_on_held_out_messages() {
        let aucs = Catalog::get().held_out_auc();
        for (c, a) in &aucs {
            assert!(*a > 0.6, "{}: AUC {a}", c.as_str());
            assert!(*a < 0.99, "{}: AUC {a} gives the answer away", c.as_str());
        }
    }

    #[test]
    fn every_bucket_has_messages() {
        let cat = Catalog::get();
        for ch in 0..3 {
            assert!(!cat.safe[ch].is_empty() && !cat.hard[ch].is_empty());
            for c in 0..4 {
                assert!(!cat.threats[c][ch].is_empty());
            }
        }
    }
}
