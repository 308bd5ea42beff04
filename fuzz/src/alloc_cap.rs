//! An allocator that aborts the process when live heap memory would pass 64 MiB, so that AFL
//! records any input that makes a parser allocate that much as a crash. AFL's own `-m` limits
//! address space, which Rust's allocator and thread stacks reserve far beyond what is used, so
//! it cannot express "no allocation over 64 MB" precisely.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most heap one input may hold live at once.
pub const LIMIT_BYTES: usize = 64 * 1024 * 1024;

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// The system allocator with a cap on live bytes; installed as the global allocator by the
/// fuzz binary.
pub struct CappedAllocator;

impl CappedAllocator {
    fn reserve(size: usize) {
        let before = LIVE.fetch_add(size, Ordering::Relaxed);
        if before.saturating_add(size) > LIMIT_BYTES {
            // No formatting here: it would allocate. A fixed message and an abort are enough
            // for AFL to keep the input.
            let message = b"userdeck-fuzz: live heap over 64 MiB\n";
            // SAFETY: writing a static buffer to the standard error descriptor.
            unsafe { libc_write(2, message.as_ptr(), message.len()) };
            std::process::abort();
        }
    }

    fn release(size: usize) {
        LIVE.fetch_sub(size, Ordering::Relaxed);
    }
}

unsafe extern "C" {
    #[link_name = "write"]
    fn libc_write(fd: i32, buf: *const u8, count: usize) -> isize;
}

// SAFETY: every call is forwarded to `System` unchanged; only the byte count is tracked.
unsafe impl GlobalAlloc for CappedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::reserve(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::reserve(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Self::release(layout.size());
        // SAFETY: `ptr` came from this allocator with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            Self::reserve(new_size - layout.size());
        } else {
            Self::release(layout.size() - new_size);
        }
        // SAFETY: as for `alloc`; `ptr` and `layout` came from this allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
