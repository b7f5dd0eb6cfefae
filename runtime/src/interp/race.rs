//! A dynamic race detector for `prange` loops: the oracle of the compile-time race proof
//! (`rjit_front::race`).
//!
//! While it is on (`detect`), the interpreter tells it, for the outermost `prange` loop of a
//! `parallel` function, which iteration runs, which arrays the loop allocates (each iteration's
//! own, and each chunk's reduction copies: nobody else reaches them) and every element it loads
//! or stores. Any other memory (the caller's arrays, arrays made before the loop) is shared, and
//! the detector keeps, per element address, the iteration that wrote it and those that read it. A
//! write by one iteration of an element another iteration read or wrote, or a read of one another
//! wrote, is a conflict: compiled code runs the iterations at once, so the result could depend on
//! their timing. Conflicts are collected, not raised: the caller takes them with [`take`].
//!
//! The interpreter runs one call on one thread, so the state is the thread's own.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
    /// A loop is being watched: the fast test made on every element access.
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static LOOP: RefCell<Option<Watch>> = const { RefCell::new(None) };
    static FOUND: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

#[derive(Default)]
struct Watch {
    site: String,
    iteration: u64,
    /// Allocations made while the loop runs (by address of their shared buffer).
    private: HashSet<usize>,
    elems: HashMap<usize, Elem>,
    conflict: bool,
}

#[derive(Default, Clone, Copy)]
struct Elem {
    writer: Option<u64>,
    reader: Option<u64>,
    /// Read by more than one iteration.
    readers: bool,
}

/// Turns detection on or off for calls interpreted on this thread.
pub fn detect(on: bool) {
    ON.with(|c| c.set(on));
}

/// The conflicts found since the last call, one line each: the loop's site and the element's
/// two iterations.
pub fn take() -> Vec<String> {
    FOUND.with(|f| std::mem::take(&mut *f.borrow_mut()))
}

/// A `prange` loop starts (the interpreter calls this only for the outermost one).
pub(crate) fn begin(site: impl FnOnce() -> String) -> bool {
    if !ON.with(Cell::get) || ACTIVE.with(Cell::get) {
        return false;
    }
    LOOP.with(|l| *l.borrow_mut() = Some(Watch { site: site(), ..Watch::default() }));
    ACTIVE.with(|a| a.set(true));
    true
}

pub(crate) fn end() {
    ACTIVE.with(|a| a.set(false));
    LOOP.with(|l| *l.borrow_mut() = None);
}

pub(crate) fn iteration(k: u64) {
    if ACTIVE.with(Cell::get) {
        LOOP.with(|l| {
            if let Some(w) = l.borrow_mut().as_mut() {
                w.iteration = k;
            }
        });
    }
}

/// An allocation made inside the loop: its memory is the allocating iteration's (or chunk's).
pub(crate) fn allocated(buf: usize) {
    if ACTIVE.with(Cell::get) {
        LOOP.with(|l| {
            if let Some(w) = l.borrow_mut().as_mut() {
                w.private.insert(buf);
            }
        });
    }
}

/// A load (`write` false) or store of the element at `addr` of an array whose shared buffer is
/// `buf` (`None`: the caller's memory).
#[inline]
pub(crate) fn access(buf: Option<usize>, addr: usize, write: bool) {
    if !ACTIVE.with(Cell::get) {
        return;
    }
    LOOP.with(|l| {
        let mut l = l.borrow_mut();
        let Some(w) = l.as_mut() else { return };
        if buf.is_some_and(|b| w.private.contains(&b)) {
            return;
        }
        let it = w.iteration;
        let e = w.elems.entry(addr).or_default();
        let clash = match (write, e.writer) {
            (_, Some(wr)) if wr != it => Some(wr),
            (true, _) if e.readers => e.reader.filter(|r| *r != it).or(Some(u64::MAX)),
            (true, _) => e.reader.filter(|r| *r != it),
            _ => None,
        };
        if write {
            e.writer = Some(it);
        } else {
            match e.reader {
                None => e.reader = Some(it),
                Some(r) if r != it => e.readers = true,
                _ => {}
            }
        }
        if let (Some(other), false) = (clash, w.conflict) {
            w.conflict = true;
            let other = if other == u64::MAX { "another iteration".to_string() } else { format!("iteration {other}") };
            let what = if write { "writes" } else { "reads" };
            let msg = format!("{}: iteration {it} {what} the element at {addr:#x}, which {other} touched (a data race when run in parallel)", w.site);
            FOUND.with(|f| f.borrow_mut().push(msg));
        }
    });
}
