//! wasm only: what `no_std` leaves to us — the global allocator and the panic handler.
#![allow(unsafe_code)]

/// dlmalloc is small, and the same allocator std would use on this target.
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// No core code panics on purpose (inputs are validated, decoding returns errors); should one
/// still happen, trap at once rather than pull in std's formatting and stderr machinery.
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

// core's slice and string comparisons call `memcmp`; wasi-libc provides it.
#[link(name = "c")]
extern "C" {}

/// The canonical ABI's allocation hook: the host calls it to place arguments (strings,
/// lists) in our memory. std exports it on wasm32-wasip2; without std it is ours to provide.
///
/// # Safety
/// Called by the host per the canonical ABI: `old_ptr`/`old_len`/`align` describe a block
/// this allocator returned earlier (or `old_len == 0`), and `align` is a power of two.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cabi_realloc(
    old_ptr: *mut u8,
    old_len: usize,
    align: usize,
    new_len: usize,
) -> *mut u8 {
    use alloc::alloc::{alloc, realloc, Layout};
    if new_len == 0 {
        // A zero-sized block needs no memory; any well-aligned, non-null address will do.
        return align as *mut u8;
    }
    let Ok(new_layout) = Layout::from_size_align(new_len, align) else {
        core::arch::wasm32::unreachable()
    };
    // SAFETY: the layout has a non-zero size; for a reallocation the canonical ABI passes
    // back the size and alignment the block was allocated with.
    let pointer = unsafe {
        if old_len == 0 {
            alloc(new_layout)
        } else {
            realloc(
                old_ptr,
                Layout::from_size_align_unchecked(old_len, align),
                new_len,
            )
        }
    };
    if pointer.is_null() {
        // Out of memory: trapping is the only honest answer inside the canonical ABI.
        core::arch::wasm32::unreachable()
    }
    pointer
}
