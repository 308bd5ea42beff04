//! Blanks a provider's secret out of whatever the provider sends back. Error pages often echo
//! the request, and an echo is rarely byte for byte: the query is percent-encoded (either hex
//! case, `+` for a space), JSON escapes `/` as `\/` and anything as `\uXXXX`, and some APIs
//! repeat a credential base64-encoded. Each character of the secret is matched in any of its
//! spellings, so mixed forms are caught too; the base64 forms are matched as they are.

use base64::Engine;

/// What replaces each occurrence.
pub const REDACTED: &[u8] = b"[redacted]";

/// The secret in every form looked for.
#[derive(Debug, Clone)]
pub struct Redactor {
    secret: Vec<u8>,
    base64_forms: Vec<Vec<u8>>,
    /// The bytes a spelling can start with. Every byte of every upstream body is tested, so
    /// most are turned away by one lookup here.
    leads: [bool; 256],
}

impl Redactor {
    /// A redactor for `secret` (empty: redacts nothing).
    pub fn new(secret: &str) -> Self {
        let bytes = secret.as_bytes();
        let mut base64_forms: Vec<Vec<u8>> = if bytes.is_empty() {
            Vec::new()
        } else {
            use base64::engine::general_purpose::{
                STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
            };
            [STANDARD, URL_SAFE, STANDARD_NO_PAD, URL_SAFE_NO_PAD]
                .iter()
                .map(|engine| engine.encode(bytes).into_bytes())
                .collect()
        };
        base64_forms.sort();
        base64_forms.dedup();
        // Longer forms first, so a padded form is not cut to its unpadded prefix.
        base64_forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
        let mut leads = [false; 256];
        if let Some(&first) = bytes.first() {
            for lead in [first, b'%', b'\\', b'+'] {
                leads[usize::from(lead)] = true;
            }
        }
        for form in &base64_forms {
            if let Some(&lead) = form.first() {
                leads[usize::from(lead)] = true;
            }
        }
        Self {
            secret: bytes.to_vec(),
            base64_forms,
            leads,
        }
    }

    /// Whether `text` holds the secret in any form.
    pub fn finds(&self, text: &[u8]) -> bool {
        (0..text.len()).any(|at| self.match_at(&text[at..]).is_some())
    }

    /// `text` with every occurrence of the secret, in any form, replaced by [`REDACTED`].
    pub fn redact(&self, text: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        let mut copied = 0;
        let mut at = 0;
        while at < text.len() {
            if let Some(len) = self.match_at(&text[at..]) {
                out.extend_from_slice(&text[copied..at]);
                out.extend_from_slice(REDACTED);
                at += len;
                copied = at;
            } else {
                at += 1;
            }
        }
        out.extend_from_slice(&text[copied..]);
        out
    }

    /// The length of the secret's spelling starting at `text[0]`, if one does.
    fn match_at(&self, text: &[u8]) -> Option<usize> {
        let first = *text.first()?;
        if !self.leads[usize::from(first)] {
            return None;
        }
        if let Some(len) = self.spelled(text) {
            return Some(len);
        }
        self.base64_forms
            .iter()
            .find(|form| form.first() == Some(&first) && text.starts_with(form))
            .map(Vec::len)
    }

    fn spelled(&self, text: &[u8]) -> Option<usize> {
        let mut used = 0;
        for &want in &self.secret {
            used += spelling(&text[used..], want)?;
        }
        Some(used)
    }
}

/// How many bytes of `text` spell the byte `want`: itself, `%XX` in either case, `+` for a
/// space, `\/` for a slash, or a JSON `\uXXXX` escape in either case.
fn spelling(text: &[u8], want: u8) -> Option<usize> {
    // Escapes first: `%25` is a whole `%`, not a `%` followed by `25`.
    match text {
        [b'%', hi, lo, ..] if hex_pair(*hi, *lo) == Some(want) => Some(3),
        [b'\\', b'/', ..] if want == b'/' => Some(2),
        [b'\\', b'u', a, b, c, d, ..]
            if hex_pair(*a, *b) == Some(0) && hex_pair(*c, *d) == Some(want) =>
        {
            Some(6)
        }
        [b'+', ..] if want == b' ' => Some(1),
        [b, ..] if *b == want => Some(1),
        _ => None,
    }
}

fn hex_pair(hi: u8, lo: u8) -> Option<u8> {
    let digit = |b: u8| (b as char).to_digit(16);
    Some((digit(hi)? * 16 + digit(lo)?) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "evilAp/Tok+en==&a b?#%";

    fn redacted(text: &str) -> String {
        String::from_utf8(Redactor::new(SECRET).redact(text.as_bytes())).expect("utf-8")
    }

    #[test]
    fn every_spelling_of_the_secret_is_blanked() {
        let encoded: String = form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
        let json = serde_json::to_string(SECRET).expect("json");
        let json_slash = json.trim_matches('"').replace('/', "\\/");
        let unicode: String = SECRET
            .chars()
            .map(|c| format!("\\u{:04X}", c as u32))
            .collect();
        let b64 = base64::engine::general_purpose::STANDARD.encode(SECRET);
        let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(SECRET);
        for form in [
            SECRET.to_string(),
            encoded.clone(),
            lower_hex(&encoded),
            encoded.replace('+', "%20"),
            json_slash,
            unicode.clone(),
            unicode.to_lowercase(),
            b64,
            b64url,
        ] {
            let text = format!("before api_token={form}&page=2 after");
            assert_eq!(
                redacted(&text),
                "before api_token=[redacted]&page=2 after",
                "{form}"
            );
        }
    }

    /// `%2F` → `%2f`, the letters of the secret untouched.
    fn lower_hex(encoded: &str) -> String {
        let mut out = String::new();
        let mut rest = encoded;
        while let Some(at) = rest.find('%') {
            out.push_str(&rest[..at]);
            out.push('%');
            out.push_str(&rest[at + 1..at + 3].to_lowercase());
            rest = &rest[at + 3..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn near_misses_and_empty_secrets_are_left_alone() {
        assert_eq!(redacted("evilAp/Tok+en=="), "evilAp/Tok+en==");
        assert_eq!(redacted("%zz\\u12"), "%zz\\u12");
        let none = Redactor::new("");
        assert_eq!(none.redact(b"anything"), b"anything");
        assert!(!none.finds(b"anything"));
        assert!(Redactor::new(SECRET).finds(b"x evilAp%2fTok%2ben%3D%3D%26a+b%3F%23%25 y"));
        assert!(!Redactor::new(SECRET).finds(b"{\"users\": [\"evilAp/Tok\"]}"));
    }

    #[test]
    fn every_occurrence_goes_and_the_text_between_stays() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(SECRET);
        let text = format!("{SECRET}{SECRET}, {b64} and %{SECRET}");
        assert_eq!(
            redacted(&text),
            "[redacted][redacted], [redacted] and %[redacted]"
        );
        assert_eq!(redacted(""), "");
    }
}
