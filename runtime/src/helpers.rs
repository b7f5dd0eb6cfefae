//! The per-call environment and the helpers compiled code calls.
//!
//! Every call gets a `CallEnv` on the caller's stack. Compiled code reads only `status` (offset 0);
//! everything else it reaches through the `extern "C"` helpers below, whose addresses the engine
//! gives the JIT linker by name.
//!
//! Arrays a kernel allocates are reference-counted: each has a `MemInfo` (count, data, layout) that
//! every value and view of it points to. Compiled code counts references inline and calls
//! `rjit_free` when the count reaches zero, so an array is freed as soon as nothing refers to it.
//! Live `MemInfo`s are also listed in the call's arena: whatever an error path left behind is freed
//! when the call ends, and `rjit_take` hands the returned array over to Rust.

use crate::error::{Error, Site};
use std::alloc::Layout;
use std::ffi::{c_char, CStr};
use std::io::Write;

/// Error kinds, as compiled code passes them to `rjit_fail`.
pub mod kind {
    pub const INDEX_SIGNED: u32 = 1;
    pub const INDEX_UNSIGNED: u32 = 2;
    pub const DIV_ZERO: u32 = 3;
    pub const OVERFLOW: u32 = 4;
    pub const ASSERT: u32 = 5;
    pub const ALLOC: u32 = 6;
    pub const ZERO_STEP: u32 = 7;
    pub const SHAPE: u32 = 8;
    pub const EMPTY: u32 = 9;
    pub const NEG_POW: u32 = 10;
    pub const EMPTY_RANGE: u32 = 11;
    pub const NAN_LENGTH: u32 = 12;
    /// Two array arguments overlap where a `parallel` function needs them apart; the site's
    /// message holds their names, separated by a comma.
    pub const OVERLAP: u32 = 13;
    pub const EMPTY_CHOICE: u32 = 14;
    /// `reshape`: the array's size, the product of the axes given, and 1 for bad axes.
    pub const RESHAPE: u32 = 15;
}

/// Separates the fields of a site string: `name␟file␟line␟column␟message`.
pub const SITE_SEP: char = '\u{1f}';

/// The shared part of an allocated array. Compiled code reads `refcount` (offset 0) and `data`
/// (offset 8) directly.
#[repr(C)]
pub struct MemInfo {
    refcount: i64,
    data: *mut u8,
    /// The array's bytes from `data`.
    bytes: usize,
    /// Where the allocation starts (`data`, or before it: see `ArrayMemory`), and its layout.
    base: *mut u8,
    layout: Layout,
    /// Its position in the call's arena.
    slot: usize,
}

/// Arrays of this many bytes and more start on a cache line, as NumPy's and Numba's large arrays
/// effectively do: a vector loop writing a misaligned output splits every store across two lines
/// (naive matmul at 256 × 256 ran 20–30% slower with its output 16 bytes past a line).
pub const LINE_ALIGNED_FROM: usize = 4096;
const LINE: usize = 64;

/// The memory of an array a kernel (or the interpreter) allocates. It is handed to Rust as a `Vec`
/// of the element type, so it comes from the global allocator with the element's own alignment;
/// a cache-line start is had by allocating one line more and starting inside it. `Vec` then owns
/// the whole allocation: `ArrayMemory::offset_of` finds its start again from the data pointer.
pub struct ArrayMemory {
    pub base: *mut u8,
    pub data: *mut u8,
    pub layout: Layout,
}

impl ArrayMemory {
    /// Whether an array of `bytes` bytes of elements of `size` bytes aligned to `align` starts on
    /// a line. Elements whose alignment is not their size (complex numbers) cannot, in a `Vec` of
    /// them; nor can single bytes carry the offset (a `bool` may only be 0 or 1).
    pub fn line_aligned(bytes: usize, size: usize, align: usize) -> bool {
        bytes >= LINE_ALIGNED_FROM && size == align && size >= 2
    }

    /// Allocates `bytes` bytes of elements of `size` bytes aligned to `align`, zeroed if asked;
    /// `None` when the allocator refuses or the layout cannot exist. No bytes allocate nothing
    /// (`data` is then dangling, aligned). Padding is zeroed but for the byte just before a
    /// line-aligned `data`, which holds its distance from `base`.
    pub fn alloc(bytes: usize, size: usize, align: usize, zeroed: bool) -> Option<ArrayMemory> {
        let padded = Self::line_aligned(bytes, size, align);
        let layout = Layout::from_size_align(if padded { bytes.checked_add(LINE)? } else { bytes }, align).ok()?;
        if bytes == 0 {
            let dangling = align as *mut u8;
            return Some(ArrayMemory { base: dangling, data: dangling, layout });
        }
        // SAFETY: the layout has a non-zero size.
        let base = unsafe {
            if zeroed {
                std::alloc::alloc_zeroed(layout)
            } else {
                std::alloc::alloc(layout)
            }
        };
        if base.is_null() {
            return None;
        }
        advise_huge_pages(base, layout.size());
        if !padded {
            return Some(ArrayMemory { base, data: base, layout });
        }
        // `base` is a multiple of `size` (its alignment), so is `data`: the padding is whole
        // elements, from 1 to `LINE / size` of them before `data`.
        let offset = (base as usize + 1).next_multiple_of(LINE) - base as usize;
        // SAFETY: `offset <= LINE`, so `[base, base + offset)` and the tail after the array's
        // `bytes` are inside the allocation of `bytes + LINE`.
        unsafe {
            let data = base.add(offset);
            if !zeroed {
                std::ptr::write_bytes(base, 0, offset);
                std::ptr::write_bytes(data.add(bytes), 0, LINE - offset);
            }
            *data.sub(1) = offset as u8;
            Some(ArrayMemory { base, data, layout })
        }
    }

    /// The distance in bytes from the allocation's start to `data`, for an array of `bytes` bytes
    /// `alloc` made, and the allocation's size.
    ///
    /// # Safety
    /// `data` is the data pointer `alloc` returned for these arguments.
    pub unsafe fn offset_of(data: *const u8, bytes: usize, size: usize, align: usize) -> (usize, usize) {
        if Self::line_aligned(bytes, size, align) {
            // SAFETY: the byte before a line-aligned array is its padding's last (see `alloc`).
            (usize::from(unsafe { *data.sub(1) }), bytes + LINE)
        } else {
            (0, bytes)
        }
    }
}

#[repr(C)]
pub struct CallEnv {
    /// Zero while all is well; compiled code returns as soon as it sees anything else.
    pub status: u32,
    error: Option<Error>,
    arena: Vec<*mut MemInfo>,
}

impl CallEnv {
    #[inline(always)]
    pub fn new() -> CallEnv {
        CallEnv { status: 0, error: None, arena: Vec::new() }
    }

    pub fn take_error(&mut self) -> Error {
        self.error.take().unwrap_or_else(|| Error::Compile {
            function: "?".into(),
            message: "compiled code reported an error without describing it".into(),
        })
    }

    /// Records an error found outside compiled code (a failing `prange` chunk).
    pub fn fail_with(&mut self, e: Error) {
        self.fail(e);
    }

    /// Takes over the arrays still alive in `other`'s arena (a `prange` chunk's reduction arrays,
    /// which outlive the chunk until the caller combines them).
    pub fn adopt(&mut self, other: &mut CallEnv) {
        for m in other.arena.drain(..) {
            // SAFETY: every pointer in an arena is a live `MemInfo`.
            unsafe { (*m).slot = self.arena.len() };
            self.arena.push(m);
        }
    }

    fn fail(&mut self, e: Error) {
        if self.status == 0 {
            self.status = 1;
            self.error = Some(e);
        }
    }
}

impl Default for CallEnv {
    fn default() -> Self {
        CallEnv::new()
    }
}

impl CallEnv {
    /// Removes a `MemInfo` from the arena (keeping the others' slots right) and frees it; its data
    /// too unless `keep_data`.
    fn forget(&mut self, m: *mut MemInfo, keep_data: bool) {
        // SAFETY: `m` is a live `MemInfo` of this call's arena.
        let info = unsafe { Box::from_raw(m) };
        let slot = info.slot;
        self.arena.swap_remove(slot);
        if let Some(moved) = self.arena.get(slot) {
            // SAFETY: every pointer in the arena is a live `MemInfo`.
            unsafe { (**moved).slot = slot };
        }
        if !keep_data {
            free_data(&info);
        }
    }
}

fn free_data(info: &MemInfo) {
    if info.layout.size() > 0 {
        // SAFETY: allocated by `rjit_alloc` with this layout, and not handed over.
        unsafe { std::alloc::dealloc(info.base, info.layout) };
    }
}

impl Drop for CallEnv {
    fn drop(&mut self) {
        for m in self.arena.drain(..) {
            // SAFETY: the arena holds live `MemInfo`s only; what is left was not freed or handed over.
            let info = unsafe { Box::from_raw(m) };
            free_data(&info);
        }
    }
}

fn parse_site(site: *const c_char) -> (Site, Option<String>) {
    // SAFETY: codegen passes a NUL-terminated constant string.
    let text = unsafe { CStr::from_ptr(site) }.to_string_lossy();
    let mut parts = text.split(SITE_SEP);
    let mut next = || parts.next().unwrap_or_default().to_string();
    let function = next();
    let file = next();
    let line = next().parse().unwrap_or(0);
    let column = next().parse().unwrap_or(0);
    let msg = next();
    (Site { function, file, line, column }, (!msg.is_empty()).then_some(msg))
}

/// Records a run-time error. `a`, `b`, `c` are the kind's values (index, axis, size; …).
///
/// # Safety
/// Called by compiled code only, with the call's live `CallEnv` and (where it takes one) a
/// NUL-terminated site string of its module.
pub unsafe extern "C" fn rjit_fail(env: *mut CallEnv, site: *const c_char, kind: u32, a: i64, b: i64, c: i64) {
    // SAFETY: compiled code passes the env it was given.
    let env = unsafe { &mut *env };
    let (site, msg) = parse_site(site);
    let e = match kind {
        kind::INDEX_SIGNED => Error::IndexOutOfBounds { site, index: i128::from(a), axis: b as u32, size: c as u64 },
        kind::INDEX_UNSIGNED => {
            Error::IndexOutOfBounds { site, index: i128::from(a as u64), axis: b as u32, size: c as u64 }
        }
        kind::DIV_ZERO => Error::DivisionByZero { site },
        kind::OVERFLOW => Error::Overflow { site },
        kind::ASSERT => Error::AssertionFailed { site, message: msg },
        kind::ZERO_STEP => Error::ZeroStep { site },
        kind::SHAPE => Error::ShapeMismatch { site, axis: a as u32, left: b as u64, right: c as u64 },
        kind::EMPTY => Error::EmptyReduction { site },
        kind::NEG_POW => Error::NegativePower { site },
        kind::EMPTY_RANGE => Error::EmptyRange { site, low: a, high: b },
        kind::NAN_LENGTH => Error::NanLength { site },
        kind::EMPTY_CHOICE => Error::EmptyChoice { site, count: a },
        kind::RESHAPE => Error::Reshape { site, size: a, into: b, bad_axes: c != 0 },
        kind::OVERLAP => {
            let names = msg.unwrap_or_default();
            let (first, second) = names.split_once(',').unwrap_or((&names, ""));
            Error::OverlappingArguments { site, first: first.to_string(), second: second.to_string() }
        }
        _ => Error::AllocationFailed { site, bytes: u128::from(a as u64) * u128::from(b as u64) },
    };
    env.fail(e);
}

/// Allocates `count` elements of `size` bytes aligned to `align`, zeroed if asked, with a reference
/// count of 1. On failure it records the error and returns null; compiled code then returns.
///
/// # Safety
/// Called by compiled code only, with the call's live `CallEnv` and (where it takes one) a
/// NUL-terminated site string of its module.
pub unsafe extern "C" fn rjit_alloc(
    env: *mut CallEnv,
    site: *const c_char,
    count: u64,
    size: u64,
    align: u64,
    zeroed: u32,
) -> *mut MemInfo {
    // SAFETY: compiled code passes the env it was given.
    let env = unsafe { &mut *env };
    let bytes = count.checked_mul(size).filter(|b| *b <= isize::MAX as u64).map(|b| b as usize);
    let (size, align) = (size as usize, align as usize);
    let memory = bytes.and_then(|b| ArrayMemory::alloc(b, size, align, zeroed != 0));
    let (Some(bytes), Some(memory)) = (bytes, memory) else {
        // SAFETY: the caller's env and site, passed on.
        unsafe { rjit_fail(env, site, kind::ALLOC, count as i64, size as i64, 0) };
        return std::ptr::null_mut();
    };
    let info = Box::new(MemInfo {
        refcount: 1,
        data: memory.data,
        bytes,
        base: memory.base,
        layout: memory.layout,
        slot: env.arena.len(),
    });
    let m = Box::into_raw(info);
    env.arena.push(m);
    m
}

/// The size from which an array asks for transparent huge pages, as NumPy does: fewer TLB misses
/// when a kernel streams through it.
pub const HUGE_PAGES_FROM: usize = 1 << 22;

/// Asks the kernel to back `[p, p + len)` with huge pages (Linux, when `len` is large; a hint only).
pub fn advise_huge_pages(p: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    if len >= HUGE_PAGES_FROM {
        const PAGE: usize = 4096;
        let start = (p as usize).next_multiple_of(PAGE);
        let end = (p as usize + len) & !(PAGE - 1);
        if end > start {
            // SAFETY: advice on whole pages inside an allocation this process owns; it changes no
            // contents, and a refusal is harmless.
            unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (p, len);
}

/// Frees an array whose reference count compiled code brought to zero.
///
/// # Safety
/// Called by compiled code only, with the call's live `CallEnv` and (where it takes one) a
/// NUL-terminated site string of its module.
pub unsafe extern "C" fn rjit_free(env: *mut CallEnv, m: *mut MemInfo) {
    // SAFETY: compiled code passes the env it was given and a `MemInfo` of it.
    unsafe { &mut *env }.forget(m, false);
}

/// Hands the returned array's memory over to the caller, who will own it as a `Vec`: only when it
/// is the whole array (`data`, `bytes`) and nothing else refers to it. Returns `data`, or null:
/// compiled code then copies it.
///
/// # Safety
/// Called by compiled code only, with the call's live `CallEnv` and (where it takes one) a
/// NUL-terminated site string of its module.
pub unsafe extern "C" fn rjit_take(env: *mut CallEnv, m: *mut MemInfo, data: *mut u8, bytes: u64) -> *mut u8 {
    // SAFETY: compiled code passes the env it was given.
    let env = unsafe { &mut *env };
    if m.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: a non-null `MemInfo` from compiled code is live.
    let info = unsafe { &*m };
    if info.refcount != 1 || info.data != data || info.bytes as u64 != bytes {
        return std::ptr::null_mut();
    }
    env.forget(m, true);
    data
}

/// `base ** exp` on integers, wrapping like Rust's `wrapping_pow`.
///
/// # Safety
/// Called by compiled code only, with the call's live `CallEnv` and (where it takes one) a
/// NUL-terminated site string of its module.
pub unsafe extern "C" fn rjit_ipow(env: *mut CallEnv, site: *const c_char, base: i64, exp: i64, signed: u32) -> i64 {
    if signed != 0 && exp < 0 {
        // SAFETY: compiled code passes the env it was given.
        unsafe { rjit_fail(env, site, kind::NEG_POW, 0, 0, 0) };
        return 0;
    }
    base.wrapping_pow(exp.min(u32::MAX as i64) as u32)
}

fn out(s: std::fmt::Arguments<'_>) {
    let _ = std::io::stdout().lock().write_fmt(s);
}

pub extern "C" fn rjit_print_i64(v: i64) {
    out(format_args!("{v}"));
}
pub extern "C" fn rjit_print_u64(v: u64) {
    out(format_args!("{v}"));
}
pub extern "C" fn rjit_print_f64(v: f64) {
    out(format_args!("{v:?}"));
}
pub extern "C" fn rjit_print_f32(v: f32) {
    out(format_args!("{v:?}"));
}
pub extern "C" fn rjit_print_bool(v: u32) {
    out(format_args!("{}", if v != 0 { "True" } else { "False" }));
}
/// Prints `c` as a character (the space between arguments, the final newline).
pub extern "C" fn rjit_print_char(c: u32) {
    out(format_args!("{}", char::from_u32(c).unwrap_or(' ')));
}
