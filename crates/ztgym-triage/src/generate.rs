//! The seeded message generator: per class and channel, with lookalike and legitimate domains,
//! URL shorteners, attachments, urgency and authority cues, and hard negatives (legitimate
//! messages that look urgent). Every message records the cues it really shows.

use crate::message::{Channel, Class, Cue, Cues, Message, Visible};
use std::sync::Arc;
use ztgym_core::Rng;

/// A brand: its name, its real domain, lookalikes of it.
struct Brand {
    name: &'static str,
    domain: &'static str,
    lookalikes: &'static [&'static str],
    /// What an account there is called.
    thing: &'static str,
}

const BRANDS: &[Brand] = &[
    Brand {
        name: "PayPal",
        domain: "paypal.com",
        lookalikes: &[
            "paypa1-secure.com",
            "paypal.com.account-review.io",
            "pay-pal-support.net",
        ],
        thing: "account",
    },
    Brand {
        name: "Chase",
        domain: "chase.com",
        lookalikes: &[
            "chase-alerts.co",
            "chasebank-secure.info",
            "chase.com-verify.top",
        ],
        thing: "card",
    },
    Brand {
        name: "Amazon",
        domain: "amazon.com",
        lookalikes: &[
            "amaz0n-orders.com",
            "amazon-refunds.shop",
            "amazon.co-billing.net",
        ],
        thing: "order",
    },
    Brand {
        name: "Microsoft",
        domain: "microsoft.com",
        lookalikes: &[
            "micros0ft-login.com",
            "office365-mailbox.support",
            "microsoft-security.live",
        ],
        thing: "mailbox",
    },
    Brand {
        name: "DHL",
        domain: "dhl.com",
        lookalikes: &[
            "dhl-redelivery.info",
            "dhl-parcel-fee.com",
            "dh1-express.net",
        ],
        thing: "parcel",
    },
    Brand {
        name: "Netflix",
        domain: "netflix.com",
        lookalikes: &[
            "netflix-billing.help",
            "netfl1x-account.com",
            "netflix.renew-plan.io",
        ],
        thing: "subscription",
    },
    Brand {
        name: "Apple",
        domain: "apple.com",
        lookalikes: &[
            "apple-id-locked.com",
            "appleid.apple.com.signin-check.net",
            "app1e-support.org",
        ],
        thing: "Apple ID",
    },
    Brand {
        name: "Wells Fargo",
        domain: "wellsfargo.com",
        lookalikes: &[
            "wellsfargo-online.info",
            "wells-farg0.com",
            "wf-secure-alert.net",
        ],
        thing: "account",
    },
];

const SHORTENERS: &[&str] = &["bit.ly", "tinyurl.com", "rb.gy", "is.gd", "t.ly", "cutt.ly"];
const SHADY: &[&str] = &[
    "best-deals-now.biz",
    "free-gift-claim.xyz",
    "cheap-meds-online.ru",
    "crypto-double.io",
    "win-big-today.top",
    "hot-offers.click",
];
const FIRST: &[&str] = &[
    "Sam", "Alex", "Maria", "Priya", "Jordan", "Chen", "Fatima", "Lucas", "Emma", "Omar", "Nina",
    "Tom",
];
const COMPANY: &[&str] = &[
    "acme-corp.com",
    "northwind.io",
    "globex.net",
    "initech.com",
    "umbrella-labs.org",
];
const FREEMAIL: &[&str] = &["gmail.com", "outlook.com", "yahoo.com", "proton.me"];

fn token(rng: &mut Rng, n: usize) -> String {
    const A: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..n).map(|_| A[rng.below(A.len())] as char).collect()
}

fn phone(rng: &mut Rng) -> String {
    format!("+1 ({}) 555-{:04}", 200 + rng.below(700), rng.below(10_000))
}

fn short_code(rng: &mut Rng) -> String {
    format!("{}", 20_000 + rng.below(80_000))
}

fn person(rng: &mut Rng) -> &'static str {
    FIRST[rng.below(FIRST.len())]
}

/// Builds one message of `class` on `channel`; `hard` asks a safe message to be a hard negative.
pub fn message(rng: &mut Rng, class: Class, channel: Channel, hard: bool) -> Message {
    let mut b = Builder::new(channel);
    match class {
        Class::Phishing => phishing(rng, &mut b),
        Class::Malware => malware(rng, &mut b),
        Class::Spam => spam(rng, &mut b),
        Class::SocialEngineering => social(rng, &mut b),
        Class::Safe if hard => hard_negative(rng, &mut b),
        Class::Safe => safe(rng, &mut b),
    }
    b.finish(class, hard && class == Class::Safe)
}

struct Builder {
    channel: Channel,
    sender: String,
    subject: Option<String>,
    parts: Vec<String>,
    links: Vec<String>,
    attachments: Vec<String>,
    cues: Cues,
}

impl Builder {
    fn new(channel: Channel) -> Builder {
        Builder {
            channel,
            sender: String::new(),
            subject: None,
            parts: Vec::new(),
            links: Vec::new(),
            attachments: Vec::new(),
            cues: Cues::default(),
        }
    }

    fn say(&mut self, s: impl Into<String>) {
        self.parts.push(s.into());
    }

    fn cue(&mut self, c: Cue) {
        self.cues = self.cues.with(c);
    }

    fn subject(&mut self, s: impl Into<String>) {
        if self.channel == Channel::Email {
            self.subject = Some(s.into());
        }
    }

    /// A sender from `domain`: an address by email, a short code or number by SMS, the site
    /// itself on the web.
    fn sender_at(&mut self, rng: &mut Rng, local: &str, domain: &str, sms_short_code: bool) {
        self.sender = match self.channel {
            Channel::Email => format!("{local}@{domain}"),
            Channel::Sms if sms_short_code => short_code(rng),
            Channel::Sms => phone(rng),
            Channel::Web => format!("https://{domain}"),
        };
    }

    fn link(&mut self, url: String) {
        self.links.push(url);
    }

    fn finish(self, class: Class, hard_negative: bool) -> Message {
        let text = self.parts.join(" ");
        Message {
            visible: Arc::new(Visible {
                channel: self.channel,
                sender: self.sender,
                subject: self.subject,
                text,
                links: self.links,
                attachments: self.attachments,
            }),
            class,
            cues: self.cues,
            hard_negative,
            source: Arc::from("generated"),
        }
    }
}

fn urgency(rng: &mut Rng, b: &mut Builder) {
    let s = *rng.pick(&[
        "Act within 24 hours or your access will be suspended.",
        "This is your final notice.",
        "Respond immediately to avoid a late fee.",
        "You have 2 hours before the account is closed.",
        "Urgent: failure to act today will lock you out.",
    ]);
    b.say(s);
    b.cue(Cue::Urgency);
}

fn phishing(rng: &mut Rng, b: &mut Builder) {
    let brand = rng.pick(BRANDS);
    let spoof = rng.chance(0.7);
    if spoof {
        let d = *rng.pick(brand.lookalikes);
        let local = rng_local(
            rng,
            &["security", "no-reply", "alerts", "support", "service"],
        );
        b.sender_at(rng, local, d, false);
        b.cue(Cue::LookalikeSender);
    } else {
        let local = token(rng, 7);
        let d = *rng.pick(FREEMAIL);
        b.sender_at(rng, &local, d, false);
    }
    let subjects = [
        format!("Your {} {} has been limited", brand.name, brand.thing),
        format!(
            "Action required: verify your {} {}",
            brand.name, brand.thing
        ),
        format!("Unusual sign-in to your {} {}", brand.name, brand.thing),
        format!("{} payment declined", brand.name),
    ];
    b.subject(rng.pick(&subjects).clone());
    let openings = [
        format!(
            "We detected unusual activity on your {} {}.",
            brand.name, brand.thing
        ),
        format!(
            "Your {} {} is on hold because we could not verify your details.",
            brand.name, brand.thing
        ),
        format!(
            "{}: a payment from your {} was declined.",
            brand.name, brand.thing
        ),
        format!(
            "Dear customer, your {} {} needs to be re-confirmed.",
            brand.name, brand.thing
        ),
    ];
    b.say(rng.pick(&openings).clone());
    if rng.chance(0.6) {
        urgency(rng, b);
    }
    b.say(*rng.pick(&[
        "Sign in to confirm your password and card details.",
        "Log in to verify your identity with your password.",
        "Enter the verification code we sent and your login to restore access.",
        "Update your billing information to keep your account.",
    ]));
    b.cue(Cue::CredentialRequest);
    let url = if rng.chance(0.45) {
        b.cue(Cue::ShortenedLink);
        let s = *rng.pick(SHORTENERS);
        format!("https://{s}/{}", token(rng, 6))
    } else {
        b.cue(Cue::SuspiciousLink);
        let d = *rng.pick(brand.lookalikes);
        let path = *rng.pick(&["login", "verify", "secure/signin", "account/update"]);
        format!("https://{d}/{path}")
    };
    b.link(url);
}

fn rng_local(rng: &mut Rng, options: &[&'static str]) -> &'static str {
    options[rng.below(options.len())]
}

fn malware(rng: &mut Rng, b: &mut Builder) {
    let via_attachment = b.channel == Channel::Email && rng.chance(0.7);
    if rng.chance(0.5) {
        let brand = rng.pick(BRANDS);
        let d = *rng.pick(brand.lookalikes);
        b.sender_at(rng, "billing", d, false);
        b.cue(Cue::LookalikeSender);
    } else {
        let d = *rng.pick(COMPANY);
        let name = person(rng).to_lowercase();
        // A known partner's address, possibly compromised: no lookalike here.
        b.sender_at(rng, &name, d, false);
    }
    b.subject(*rng.pick(&[
        "Invoice attached",
        "Scanned document",
        "Shipping label",
        "Updated contract",
        "Voicemail message",
    ]));
    if via_attachment {
        let stem = *rng.pick(&["invoice_", "scan_", "label_", "contract_", "voicemail_"]);
        let n = rng.below(9999);
        let ext = *rng.pick(&["pdf.exe", "docm", "zip", "js", "html", "xlsm"]);
        let file = format!("{stem}{n}.{ext}");
        b.attachments.push(file);
        b.cue(Cue::RiskyAttachment);
        b.say(*rng.pick(&[
            "Please find the document attached. Enable editing and content to view it.",
            "The invoice is attached; open it to see the amount due.",
            "Your shipping label is attached. Print it before the courier arrives.",
            "See the attached file for the updated terms.",
        ]));
    } else {
        b.say(*rng.pick(&[
            "Your device is infected with 3 viruses. Download the cleaner now.",
            "Your media player is out of date. Install the update to continue watching.",
            "A new security update is required for your phone. Install it from the link.",
            "You have a new voicemail. Download the player app to listen.",
        ]));
        let url = if rng.chance(0.5) {
            b.cue(Cue::ShortenedLink);
            let s = *rng.pick(SHORTENERS);
            format!("https://{s}/{}", token(rng, 6))
        } else {
            b.cue(Cue::SuspiciousLink);
            let host = token(rng, 8);
            let tld = *rng.pick(&["xyz", "top", "site", "live"]);
            let file = *rng.pick(&["update.apk", "setup.exe", "player.dmg", "cleaner.exe"]);
            format!("http://{host}.{tld}/download/{file}")
        };
        b.link(url);
    }
    if rng.chance(0.35) {
        urgency(rng, b);
    }
}

fn spam(rng: &mut Rng, b: &mut Builder) {
    let d = *rng.pick(SHADY);
    let local = rng_local(rng, &["offers", "deals", "winner", "promo", "newsletter"]);
    b.sender_at(rng, local, d, true);
    b.subject(*rng.pick(&[
        "You are a WINNER!!!",
        "Limited offer inside",
        "Lose 10 kg in 2 weeks",
        "Double your crypto",
        "Cheap meds, no prescription",
    ]));
    b.say(*rng.pick(&[
        "Congratulations! You have won a $1000 gift card.",
        "Exclusive deal: 80% off designer watches this week only.",
        "Our members double their crypto in 7 days, guaranteed.",
        "Buy cheap meds online with no prescription needed.",
        "You were selected for a free cruise to the Bahamas.",
    ]));
    b.cue(Cue::Prize);
    if rng.chance(0.5) {
        b.say(*rng.pick(&[
            "Offer ends tonight.",
            "Only 3 left!",
            "Claim before midnight.",
        ]));
        b.cue(Cue::Urgency);
    }
    if rng.chance(0.5) {
        b.cue(Cue::ShortenedLink);
        let s = *rng.pick(SHORTENERS);
        let t = token(rng, 5);
        b.link(format!("https://{s}/{t}"));
    } else {
        b.cue(Cue::SuspiciousLink);
        let path = *rng.pick(&["claim", "offer", "buy", "join"]);
        b.link(format!("http://{d}/{path}"));
    }
    b.say(*rng.pick(&["Reply STOP to unsubscribe.", "To opt out, click here.", ""]));
}

fn social(rng: &mut Rng, b: &mut Builder) {
    let who = person(rng);
    match rng.below(4) {
        0 => {
            // The boss's gift cards, from a free-mail address.
            let local = format!("{}.{}.office", who.to_lowercase(), token(rng, 3));
            let d = *rng.pick(FREEMAIL);
            b.sender_at(rng, &local, d, false);
            b.subject("Quick favour");
            b.say(format!(
                "Hi, it's {who}, your manager. I'm in a meeting and can't talk."
            ));
            b.cue(Cue::Authority);
            b.say(*rng.pick(&[
                "I need you to buy four gift cards for a client and send me the codes.",
                "Can you process a wire transfer to a new supplier today? I'll explain later.",
            ]));
            b.cue(Cue::MoneyRequest);
            if rng.chance(0.6) {
                b.say("Please keep this between us and do it right away.");
                b.cue(Cue::Urgency);
            }
        }
        1 => {
            // The family member on a new number.
            let d = *rng.pick(FREEMAIL);
            b.sender_at(rng, "me", d, false);
            b.subject("new number");
            b.say(*rng.pick(&[
                "Hi Mum, I dropped my phone, this is my new number.",
                "Hey, it's me, I lost my phone so I'm texting from a friend's.",
            ]));
            b.say(*rng.pick(&[
                "Could you help me pay a bill? I can't get into my banking app.",
                "Can you send me some money for rent until Friday?",
            ]));
            b.cue(Cue::MoneyRequest);
        }
        2 => {
            // IT support asking for a code.
            let d = *rng.pick(COMPANY);
            b.sender_at(rng, "it-helpdesk", d, false);
            if b.channel == Channel::Sms {
                b.sender = phone(rng);
            }
            b.subject("Mailbox migration");
            b.say(format!("This is {who} from the IT department."));
            b.cue(Cue::Authority);
            b.say(*rng.pick(&[
                "We are migrating your mailbox; reply with the verification code you just received.",
                "To finish the upgrade, I need your login and password for a moment.",
            ]));
            b.cue(Cue::CredentialRequest);
            if rng.chance(0.5) {
                urgency(rng, b);
            }
        }
        _ => {
            // The officer with a fine.
            let d = *rng.pick(FREEMAIL);
            b.sender_at(rng, "notice", d, false);
            if b.channel == Channel::Web {
                let host = token(rng, 6);
                let tld = *rng.pick(&["site", "online"]);
                b.sender = format!("https://{host}.{tld}");
            }
            b.subject("Outstanding fine");
            b.say("This is the police department: there is an outstanding fine in your name.");
            b.cue(Cue::Authority);
            b.say("Pay it by transfer today to avoid a warrant; call us back on this number.");
            b.cue(Cue::MoneyRequest);
            b.cue(Cue::Urgency);
        }
    }
}

fn safe(rng: &mut Rng, b: &mut Builder) {
    let who = person(rng);
    match rng.below(5) {
        0 => {
            let d = *rng.pick(COMPANY);
            b.sender_at(rng, &who.to_lowercase(), d, false);
            b.subject(*rng.pick(&[
                "Notes from today's meeting",
                "Lunch on Thursday?",
                "Draft for review",
            ]));
            b.say(*rng.pick(&[
                "Here are the notes from this morning; let me know if I missed anything.",
                "Are you free for lunch on Thursday? The new place on 5th street.",
                "I've shared the draft in our usual folder. Comments welcome by next week.",
            ]));
        }
        1 => {
            let d = *rng.pick(FREEMAIL);
            b.sender_at(rng, "family", d, false);
            b.subject("Weekend");
            b.say(*rng.pick(&[
                "Dinner at ours on Sunday? Bring the kids.",
                "Landed safely, will call you tonight.",
                "Happy birthday! Hope you have a lovely day.",
            ]));
        }
        2 => {
            let brand = rng.pick(BRANDS);
            b.sender_at(rng, "newsletter", brand.domain, true);
            b.subject(format!("What's new at {}", brand.name));
            b.say(format!(
                "Your monthly {} newsletter: new features and tips.",
                brand.name
            ));
            b.link(format!("https://www.{}/news", brand.domain));
        }
        3 => {
            let brand = rng.pick(BRANDS);
            b.sender_at(rng, "receipts", brand.domain, true);
            b.subject(format!("Your {} receipt", brand.name));
            let (r, d, c) = (
                rng.below(900_000) + 100_000,
                rng.below(200) + 1,
                rng.below(100),
            );
            b.say(format!(
                "Thanks for your purchase. Receipt #{r} for ${d}.{c:02}."
            ));
            b.link(format!("https://www.{}/orders", brand.domain));
        }
        _ => {
            let d = *rng.pick(COMPANY);
            b.sender_at(rng, "calendar", d, true);
            b.subject("Reminder: dentist appointment");
            b.say(*rng.pick(&[
                "Reminder: your appointment is tomorrow at 10:30. Reply C to confirm.",
                "Your table for two is booked for Friday at 19:00.",
            ]));
        }
    }
}

fn hard_negative(rng: &mut Rng, b: &mut Builder) {
    let brand = rng.pick(BRANDS);
    match rng.below(4) {
        0 => {
            // A real bank alert: urgent, from the real domain, no link to sign in.
            b.sender_at(rng, "alerts", brand.domain, true);
            b.subject(format!("{} security alert", brand.name));
            let amount = rng.below(900) + 20;
            b.say(format!(
                "{}: a purchase of ${amount} was made with your {}.",
                brand.name, brand.thing
            ));
            b.say("If this wasn't you, call the number on the back of your card immediately.");
            b.cue(Cue::Urgency);
            b.cue(Cue::Authority);
        }
        1 => {
            // A real delivery notice with a tracking link on the real domain.
            b.sender_at(rng, "noreply", brand.domain, true);
            b.subject("Your parcel arrives today");
            b.say(format!(
                "Your {} delivery is out for delivery and arrives today before 6pm.",
                brand.name
            ));
            b.say("Someone must be home to sign for it.");
            b.cue(Cue::Urgency);
            let t = token(rng, 10);
            b.link(format!("https://www.{}/track/{t}", brand.domain));
        }
        2 => {
            // A password reset the user asked for.
            b.sender_at(rng, "account-security", brand.domain, true);
            b.subject(format!("Reset your {} password", brand.name));
            b.say(format!("You asked to reset your {} password.", brand.name));
            b.say("The link expires in 30 minutes. If you didn't ask, ignore this email.");
            b.cue(Cue::CredentialRequest);
            b.cue(Cue::Urgency);
            let t = token(rng, 12);
            b.link(format!("https://{}/reset?token={t}", brand.domain));
        }
        _ => {
            // A one-time code the user is waiting for.
            b.sender_at(rng, "verify", brand.domain, true);
            b.subject(format!("Your {} verification code", brand.name));
            let code = rng.below(1_000_000);
            b.say(format!(
                "Your {} verification code is {code:06}. It expires in 10 minutes.",
                brand.name
            ));
            b.say("Never share this code with anyone.");
            b.cue(Cue::CredentialRequest);
            b.cue(Cue::Urgency);
        }
    }
}
