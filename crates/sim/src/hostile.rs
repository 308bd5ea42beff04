//! Deliberately hostile records. Real tenants contain script injection attempts, right-to-left
//! and emoji names, absurdly long values, empty records and duplicate e-mails; the console must
//! render, sort and filter all of them without breaking or executing anything.

use crate::population::Person;
use crate::rng::SplitMix64;

/// What makes a record hostile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hostility {
    /// HTML or script injection strings in names and custom attributes.
    Injection,
    /// Right-to-left text, including a bidi override character.
    RightToLeft,
    /// Emoji, including multi-code-point sequences.
    Emoji,
    /// Stacked combining marks ("Zalgo") and decomposed accents.
    CombiningMarks,
    /// A 10,000-character given name.
    HugeName,
    /// Every nullable field null.
    AllNull,
    /// The same e-mail address as the record before it.
    DuplicateEmail,
    /// A name a spreadsheet would run as a formula (`=HYPERLINK(…)`), for CSV exports.
    Formula,
}

impl Hostility {
    /// Every kind, cycled through by the generator.
    pub const ALL: [Hostility; 8] = [
        Hostility::Injection,
        Hostility::RightToLeft,
        Hostility::Emoji,
        Hostility::CombiningMarks,
        Hostility::HugeName,
        Hostility::AllNull,
        Hostility::DuplicateEmail,
        Hostility::Formula,
    ];
}

/// Length of [`Hostility::HugeName`] names, in characters.
pub const HUGE_NAME_CHARS: usize = 10_000;

const INJECTIONS: [&str; 5] = [
    "<img src=x onerror=alert(1)>",
    "<script>alert('userdeck')</script>",
    "\"><svg onload=alert(document.domain)>",
    "'; DROP TABLE users; --",
    "{{7*7}}${7*7}<b>bold</b>",
];
const RTL: [&str; 3] = ["محمد", "שרה\u{202E}gnp.exe", "فاطمة الزهراء"];
const EMOJI: [&str; 3] = ["🦀 Ferris", "👩🏽\u{200D}💻", "Ngozi 🇳🇬✨"];
const COMBINING: [&str; 3] = [
    "Z\u{0334}\u{0321}a\u{0337}l\u{0338}g\u{0336}o\u{0335}",
    "Cle\u{0301}ment",
    "A\u{0300}\u{0301}\u{0302}\u{0303}\u{0304}\u{0305}\u{0306}\u{0307}",
];

/// The formula-injection name: a spreadsheet opening an unsafe export would show a link.
pub const FORMULA: &str = "=HYPERLINK(\"http://evil.example/\",\"Click me\")";

/// Turns `person` into a hostile record of `kind`. `previous_email` is the e-mail of the
/// record before it, which [`Hostility::DuplicateEmail`] copies.
pub fn apply(
    person: &mut Person,
    kind: Hostility,
    rng: &mut SplitMix64,
    previous_email: Option<String>,
) {
    person.hostility = Some(kind);
    match kind {
        Hostility::Injection => {
            let payload = choose(rng, &INJECTIONS);
            person.first_name = Some(payload.to_string());
            person.last_name = Some(choose(rng, &INJECTIONS).to_string());
            person
                .custom_attributes
                .push(("note".to_string(), payload.to_string()));
        }
        Hostility::RightToLeft => {
            person.first_name = Some(choose(rng, &RTL).to_string());
            person.last_name = Some(choose(rng, &RTL).to_string());
        }
        Hostility::Emoji => {
            person.first_name = Some(choose(rng, &EMOJI).to_string());
            person.middle_name = Some("🙂".to_string());
        }
        Hostility::CombiningMarks => {
            person.first_name = Some(choose(rng, &COMBINING).to_string());
            person.last_name = Some(choose(rng, &COMBINING).to_string());
        }
        Hostility::HugeName => {
            let base = person.first_name.clone().unwrap_or_default();
            let huge: String = base
                .chars()
                .chain(std::iter::repeat('W'))
                .take(HUGE_NAME_CHARS)
                .collect();
            person.first_name = Some(huge);
        }
        Hostility::AllNull => {
            person.first_name = None;
            person.middle_name = None;
            person.last_name = None;
            person.email = None;
            person.phone = None;
            person.subscription = None;
            person.last_login = None;
            person.expires = None;
            person.ids.external_id = None;
            person.custom_attributes.clear();
            person.roles.clear();
        }
        Hostility::DuplicateEmail => {
            if previous_email.is_some() {
                person.email = previous_email;
            }
        }
        Hostility::Formula => {
            person.first_name = Some(FORMULA.to_string());
            person.last_name = Some("+cmd|' /C calc'!A0".to_string());
        }
    }
}

fn choose<'a>(rng: &mut SplitMix64, items: &[&'a str]) -> &'a str {
    rng.pick(items).copied().unwrap_or("")
}
