//! `userdeck hash` refuses guessable tokens. A bearer token is the only thing between the
//! internet and every provider's user list, and the failed-login limit only slows guessing
//! down; at 128 bits guessing is hopeless whatever the rate.
//!
//! The estimate is deliberately simple and errs on the strict side: the length times the bits
//! per character of the smallest common alphabet the text fits (digits 3.3, hex 4, lowercase
//! 4.7, lowercase and digits 5.2, letters and digits 5.95, base64 or base64url 6, any printable
//! ASCII 6.6). Twenty-two random base64 characters make 132 bits; `--generate` makes 43 (256).
//! A text of fewer than eight distinct characters counts as if its alphabet were only those.
//! It cannot tell words from random letters (`correct-horse-battery-staple` passes), which is
//! why the refusal points to `--generate`.

use base64::Engine;

/// The least accepted.
pub const MIN_BITS: f64 = 128.0;

/// Bytes of randomness in a generated token.
const GENERATED_BYTES: usize = 32;

/// The estimated entropy of `token` in bits.
pub fn estimate_bits(token: &str) -> f64 {
    let alphabets: [(&dyn Fn(char) -> bool, f64); 7] = [
        (&|c: char| c.is_ascii_digit(), 10.0),
        (
            &|c: char| c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
            16.0,
        ),
        (&|c: char| c.is_ascii_lowercase(), 26.0),
        (
            &|c: char| c.is_ascii_lowercase() || c.is_ascii_digit(),
            36.0,
        ),
        (&|c: char| c.is_ascii_alphanumeric(), 62.0),
        (
            &|c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_'),
            64.0,
        ),
        (&|c: char| c.is_ascii_graphic() || c == ' ', 95.0),
    ];
    let size = alphabets
        .iter()
        .find(|(fits, _)| token.chars().all(fits))
        .map_or(95.0, |(_, size)| *size);
    let mut distinct: Vec<char> = token.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    // `abab...` is not 4.7 bits a character: a text of fewer than eight distinct characters is
    // scored on those alone (at least two, so its length still counts for something).
    let size = if distinct.len() < 8 {
        size.min(distinct.len().max(2) as f64)
    } else {
        size
    };
    token.chars().count() as f64 * size.log2()
}

/// `Ok` when `token` is strong enough, else the sentence for the user.
pub fn check(token: &str) -> Result<(), String> {
    let bits = estimate_bits(token);
    if bits >= MIN_BITS {
        return Ok(());
    }
    Err(format!(
        "this token or password has about {} bits of entropy, under the {} needed; use at least 22 random base64 characters, or run `userdeck hash --generate` to get a fresh random token and its hash",
        bits.floor(),
        MIN_BITS
    ))
}

/// A fresh token: 32 bytes from the system's random source, base64url without padding.
pub fn generate() -> Result<String, String> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; GENERATED_BYTES];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| "the system random number generator is unavailable".to_string())?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_two_random_base64_characters_pass_and_twenty_one_do_not() {
        assert!(
            check("q7Vb0Tz3LkP9wXc2Rm4nYa").is_ok(),
            "22 base64 characters"
        );
        assert!(check("q7Vb0Tz3LkP9wXc2Rm4nY").is_err(), "21");
        assert!(check("e2e-admin-token").is_err());
        assert!(
            check("a-long-admin-token-42").is_err(),
            "21 base64url characters"
        );
        assert!(check(&"a".repeat(64)).is_err(), "one character repeated");
        assert!(
            check("0123456789abcdef0123456789abcdef").is_ok(),
            "32 hex digits"
        );
        assert!(
            check("0123456789abcdef0123456789abcde").is_err(),
            "31 hex digits"
        );
    }

    #[test]
    fn generated_tokens_are_strong_and_differ() {
        let a = generate().expect("random");
        let b = generate().expect("random");
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(check(&a).is_ok(), "{a}: {}", estimate_bits(&a));
    }
}
