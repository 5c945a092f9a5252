//! Has the C allocator give large freed blocks back to the system.
//!
//! glibc's malloc raises its mmap threshold each time a large block is freed (up to
//! 32 MB), after which large blocks come from the thread's arena and stay resident once
//! freed. Opening a chart reads the ICD-10-CM release (a 10 MB file unpacked, its codes
//! gathered into one string) on a worker thread; with the moving threshold, about 30 MB
//! of that arena stayed resident after the chart was open, none of it in use. With the
//! threshold fixed at 128 KiB every large block is its own mapping, returned when freed,
//! and the app process holds about 18 MB less with a chart open (BENCHMARKS.md).

#![allow(unsafe_code)]

/// Blocks at least this large are mapped on their own and unmapped when freed.
const MMAP_THRESHOLD: libc::c_int = 128 * 1024;

/// Free memory at the top of an arena beyond this is given back.
const TRIM_THRESHOLD: libc::c_int = 128 * 1024;

/// Fixes the allocator's thresholds. Call first in `main`, before any other thread.
pub fn prepare_allocator() {
    // SAFETY: mallopt only changes the allocator's parameters; it is called before any
    // other thread exists, so no allocation is in flight while they change. A refusal
    // (it returns 0) leaves glibc's defaults, which are correct, only larger.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
    }
}
