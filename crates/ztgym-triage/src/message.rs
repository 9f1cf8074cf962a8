//! Messages: what the user sees ([`Visible`]) and what only the environment knows (the class,
//! the cues the message really shows, whether it is a hard negative).

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The hidden class of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Phishing,
    Malware,
    Spam,
    SocialEngineering,
    Safe,
}

impl Class {
    /// In the order of the seed's weight vectors.
    pub const ALL: [Class; 5] = [
        Class::Phishing,
        Class::Malware,
        Class::Spam,
        Class::SocialEngineering,
        Class::Safe,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Phishing => "phishing",
            Class::Malware => "malware",
            Class::Spam => "spam",
            Class::SocialEngineering => "social_engineering",
            Class::Safe => "safe",
        }
    }

    pub fn parse(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == name)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn is_threat(self) -> bool {
        self != Class::Safe
    }
}

/// Where a message arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
    Web,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Sms, Channel::Email, Channel::Web];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Web => "web",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A cue a message shows, which a reasoning may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cue {
    /// The sender's domain imitates a known one (`paypa1-secure.com`).
    LookalikeSender,
    /// A link goes through a URL shortener.
    ShortenedLink,
    /// A link's domain is not the sender's own or a known one.
    SuspiciousLink,
    /// An attachment that runs code or hides its type (`.exe`, `.pdf.js`, macros).
    RiskyAttachment,
    /// Pressure to act now.
    Urgency,
    /// Claims authority (a boss, the bank, the police, IT).
    Authority,
    /// Asks for a password, a code or card details.
    CredentialRequest,
    /// Asks for money, gift cards or a transfer.
    MoneyRequest,
    /// Too good to be true: prizes, offers, winnings.
    Prize,
}

impl Cue {
    pub const ALL: [Cue; 9] = [
        Cue::LookalikeSender,
        Cue::ShortenedLink,
        Cue::SuspiciousLink,
        Cue::RiskyAttachment,
        Cue::Urgency,
        Cue::Authority,
        Cue::CredentialRequest,
        Cue::MoneyRequest,
        Cue::Prize,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cue::LookalikeSender => "lookalike_sender",
            Cue::ShortenedLink => "shortened_link",
            Cue::SuspiciousLink => "suspicious_link",
            Cue::RiskyAttachment => "risky_attachment",
            Cue::Urgency => "urgency",
            Cue::Authority => "authority",
            Cue::CredentialRequest => "credential_request",
            Cue::MoneyRequest => "money_request",
            Cue::Prize => "prize",
        }
    }

    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// Words that name this cue in a reasoning (lowercase; matched as substrings).
    pub fn words(self) -> &'static [&'static str] {
        match self {
            Cue::LookalikeSender => &[
                "lookalike",
                "look-alike",
                "spoof",
                "impersonat",
                "fake sender",
                "sender domain",
            ],
            Cue::ShortenedLink => &["shortener", "shortened", "short link", "bit.ly", "tinyurl"],
            Cue::SuspiciousLink => &[
                "suspicious link",
                "unknown link",
                "link domain",
                "unfamiliar link",
                "mismatched link",
            ],
            Cue::RiskyAttachment => &["attachment", "executable", "macro", ".exe", ".js"],
            Cue::Urgency => &["urgent", "urgency", "deadline", "immediately", "pressure"],
            Cue::Authority => &[
                "authority",
                "ceo",
                "boss",
                "police",
                "it department",
                "claims to be",
            ],
            Cue::CredentialRequest => &[
                "password",
                "credential",
                "verification code",
                "login",
                "card details",
            ],
            Cue::MoneyRequest => &["gift card", "wire", "transfer", "payment request", "money"],
            Cue::Prize => &["prize", "winner", "too good", "free offer", "lottery"],
        }
    }
}

/// A set of cues (written as the list of their names).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Cues(pub u16);

impl Serialize for Cues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len() as usize))?;
        for c in self.iter() {
            seq.serialize_element(c.as_str())?;
        }
        seq.end()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Cues {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Cues".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<String>>::json_schema(g)
    }
}

impl Cues {
    pub fn has(self, c: Cue) -> bool {
        self.0 & c.bit() != 0
    }

    pub fn with(self, c: Cue) -> Cues {
        Cues(self.0 | c.bit())
    }

    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Cue> {
        Cue::ALL.into_iter().filter(move |c| self.has(*c))
    }

    /// The cues a reasoning names (case-insensitive).
    pub fn named_in(text: &str) -> Cues {
        let mut buf = [0u8; 256];
        let owned;
        let hay: &str = if text.len() <= buf.len() {
            let b = &mut buf[..text.len()];
            b.copy_from_slice(text.as_bytes());
            b.make_ascii_lowercase();
            // ASCII lowercasing keeps UTF-8 valid.
            std::str::from_utf8(b).unwrap_or_default()
        } else {
            owned = text.to_ascii_lowercase();
            &owned
        };
        let mut cues = Cues::default();
        for c in Cue::ALL {
            if c.words().iter().any(|w| hay.contains(w)) {
                cues = cues.with(c);
            }
        }
        cues
    }
}

/// What the user sees of a message: everything an observation shows of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Visible {
    pub channel: Channel,
    /// A phone number, an address or a site.
    pub sender: String,
    /// Emails have one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub subject: Option<String>,
    pub text: String,
    /// Links as the user would see them (never live in any surface).
    pub links: Vec<String>,
    /// Attachment file names.
    pub attachments: Vec<String>,
}

/// A message as the environment holds it.
#[derive(Clone, Debug)]
pub struct Message {
    pub visible: Arc<Visible>,
    pub class: Class,
    /// The cues it really shows (for the reasoning score).
    pub cues: Cues,
    /// A legitimate message made to look urgent (a real bank alert, a delivery notice).
    pub hard_negative: bool,
    /// Where it came from: `generated` or the corpus id.
    pub source: Arc<str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_named_in_a_reasoning() {
        let c = Cues::named_in("Lookalike SENDER domain and a bit.ly link; urgent");
        assert!(c.has(Cue::LookalikeSender) && c.has(Cue::ShortenedLink) && c.has(Cue::Urgency));
        assert!(!c.has(Cue::Prize));
        let long = format!("{} password", "x".repeat(600));
        assert!(Cues::named_in(&long).has(Cue::CredentialRequest));
    }
}
