//! The list view's URL state. Its decoding is pure, so it lives in the core
//! (`userdeck_providers::url_state`) where it is unit-tested and fuzzed natively; the console
//! names it here so that its pages keep one short path to it.

pub use userdeck_providers::url_state::{PAGE_SIZES, change_view, decode, encode};
