//! A query string through the console's URL state decoder. Beyond not panicking, decoding must
//! reach a fixed point: the view a URL decodes to must encode to a URL that decodes to the same
//! view, or a reload would change what the person sees.

use userdeck_providers::url_state::{PAGE_SIZES, decode, encode};

/// Splits the input as a browser's query string (`&` between pairs, the first `=` in each)
/// after percent-decoding, decodes it, and checks the round-trip.
pub fn run(data: &[u8]) {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(data).into_owned().collect();
    let view = decode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert!(
        PAGE_SIZES.contains(&view.page.size),
        "page size {}",
        view.page.size
    );
    let written = encode(&view);
    let again = decode(written.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert_eq!(
        again, view,
        "the URL {written:?} does not decode to the view it encodes"
    );
}
