//! Compression on the wire. Static assets go out as the precompressed `.br`/`.gz` siblings that
//! `cargo xtask dist` writes (see `static_files`), which this layer leaves alone because they
//! already carry `Content-Encoding`; API answers above 1 kB (provider pages of JSON) are
//! compressed on the fly when the client accepts brotli or gzip.

use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Below this a response is sent as it is: compressing it would save less than it costs.
pub const MIN_COMPRESSED_BYTES: u16 = 1024;

/// The layer for the whole router: brotli or gzip, at a fast level (answers are compressed per
/// request), for bodies above [`MIN_COMPRESSED_BYTES`] that are not images or streams.
pub fn layer() -> CompressionLayer<impl Predicate> {
    let predicate = SizeAbove::new(MIN_COMPRESSED_BYTES)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE);
    CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        .quality(CompressionLevel::Fastest)
        .compress_when(predicate)
}
