//! The reference interpreter: runs the same typed HIR the compiler lowers (parsed, lowered and
//! checked by `rjit-front`, exactly as codegen gets it), one step at a time, with no LLVM.
//!
//! It is the oracle of rjit's differential tests, so it is written to be obviously right rather
//! than fast: values are plain enums, every operation is the DSL's scalar rule applied once, arrays
//! are walked index by index in C order. Where compiled code's *result* depends on how it splits
//! work (the association of float reductions split into row chunks or `prange` chunks), the
//! interpreter splits the same way, so that the two agree bit for bit; nothing else about how
//! compiled code runs is mirrored.
//!
//! Three ways in:
//! - `RJIT_DISABLE_JIT=1`: every call of every njit function is interpreted; nothing is compiled.
//! - `name::interpret(args…)`: one call, interpreted (a `Result`, like `try_call`).
//! - `RJIT_DIFFERENTIAL=1`: every call runs compiled *and* interpreted on the same inputs (writable
//!   arrays and the random generator are restored in between) and panics when the results, the
//!   arrays written, the generator's state or the errors differ (only the errors when the call
//!   drew random numbers inside a parallel `prange`, which compiled code draws on other threads).
//!   The test suite runs this way in CI.

mod cmath;
mod eval;
pub mod race;
mod value;

use crate::abi::Entry;
use crate::abi::Ret;
use crate::desc::FnDesc;
use crate::error::Error;
use crate::helpers::CallEnv;
use eval::Interp;
use rjit_front::{signature, ArrayTy, Layout, Scalar, Ty};
use std::mem::MaybeUninit;
use value::{c_order, contiguous_strides, Arr, Value};

/// Interprets one call of `kernel` on ABI arguments of types `target` (what the compiled entry
/// would get). Returns the result and its type, or the run-time error.
fn run(kernel: &'static FnDesc, target: &[Ty], args: &[*const u8]) -> Result<(Value, Ty), Error> {
    run_in(&Interp::default(), kernel, target, args)
}

fn run_in(it: &Interp, kernel: &'static FnDesc, target: &[Ty], args: &[*const u8]) -> Result<(Value, Ty), Error> {
    let fun = it.function(kernel, target)?;
    let mut vals = Vec::new();
    for (p, a) in fun.f.params.iter().zip(args) {
        let t = fun.typed.local(p.local).clone();
        // SAFETY: the caller's ABI value of this parameter's type.
        vals.push(unsafe { read_abi(*a, &t) });
    }
    let ret = fun.typed.ret.clone();
    let v = it.call(&fun, vals)?;
    Ok((v, ret))
}

/// The type `kernel` returns for arguments of types `target`, found by checking it.
fn ret_type(kernel: &'static FnDesc, target: &[Ty]) -> Result<Ty, Error> {
    Ok(Interp::default().function(kernel, target)?.typed.ret.clone())
}

/// Runs a call in the interpreter and hands its result over as `R`.
///
/// # Safety
/// `args` point to ABI values of the types `tys` gives, and `R` is the function's return type.
/// `target` is what the dispatcher chose for the call (the closest declared signature), and
/// `expected` the return type the caller asked for under `-> _`.
pub(crate) unsafe fn interpret<R: Ret>(
    kernel: &'static FnDesc,
    (target, expected): (Vec<Ty>, Option<Ty>),
    args: &[*const u8],
) -> Result<R, Error> {
    let ret = ret_type(kernel, &target)?;
    {
        let expected = expected.unwrap_or_else(R::ty);
        if !signature::ret_matches(&expected, &ret) {
            return Err(Error::ReturnTypeMismatch {
                function: kernel.name.to_string(),
                expected: signature::print(&expected),
                found: signature::print(&ret),
            });
        }
    }
    let (v, t) = run(kernel, &target, args)?;
    let mut out = MaybeUninit::<R::Abi>::uninit();
    // SAFETY: `R::Abi` is laid out as `t` (the function's return type), which `write_abi` follows.
    unsafe {
        write_abi(out.as_mut_ptr().cast(), &v, &t);
        Ok(R::from_abi(out.assume_init()))
    }
}

/// Runs a call compiled (through `entry`) and interpreted on the same inputs and panics when they
/// disagree; returns the compiled result.
///
/// # Safety
/// As for [`interpret`]; `entry` is the specialization compiled for these arguments.
pub(crate) unsafe fn differential<R: Ret>(
    kernel: &'static FnDesc,
    entry: Entry,
    target: Vec<Ty>,
    given: Vec<Ty>,
    args: &[*const u8],
) -> Result<R, Error> {
    // The arrays the call may write, read with the argument types the caller passed.
    let writable: Vec<(usize, Arr)> = given
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            // SAFETY: argument `i` is an ABI array of this type.
            Ty::Array(at) if at.mutable && i < args.len() => Some((i, unsafe { read_array(args[i], at) })),
            _ => None,
        })
        .collect();
    let snapshot = || writable.iter().map(|(_, a)| a.elements()).collect::<Vec<_>>();
    let restore = |state: &[Vec<Value>]| {
        for ((_, a), vals) in writable.iter().zip(state) {
            for (idx, v) in c_order(&a.shape).zip(vals) {
                a.set(&idx, v);
            }
        }
    };
    let before = snapshot();
    let rng = crate::random::state();

    let mut abi = MaybeUninit::<R::Abi>::uninit();
    let mut env = CallEnv::new();
    // SAFETY: the entry was compiled for exactly these arguments.
    unsafe { entry(args.as_ptr(), abi.as_mut_ptr().cast(), &mut env) };
    let compiled = if env.status == 0 { Ok(()) } else { Err(env.take_error()) };
    let compiled_arrays = snapshot();
    let compiled_rng = crate::random::state();

    restore(&before);
    crate::random::set_state(rng);
    let it = Interp::default();
    let interpreted = run_in(&it, kernel, &target, args);
    // Numbers drawn inside parallel `prange` chunks come from the pool threads' generators in
    // compiled code: such calls can only be compared for failing the same way.
    let comparable = !it.parallel_random.get();
    let interpreted_arrays = snapshot();
    let interpreted_rng = crate::random::state();
    restore(&compiled_arrays);
    crate::random::set_state(compiled_rng);

    let tolerance = (!kernel.options.fastmath.is_empty()).then_some(1e-3);
    let what = match (&compiled, &interpreted) {
        (Err(a), Err(b)) if a == b => None,
        (Err(a), Err(b)) => Some(format!("compiled code fails with `{a}`, the interpreter with `{b}`")),
        (Err(a), Ok(_)) => Some(format!("compiled code fails with `{a}`, the interpreter does not")),
        (Ok(()), Err(b)) => Some(format!("the interpreter fails with `{b}`, compiled code does not")),
        (Ok(()), Ok(_)) if !comparable => None,
        (Ok(()), Ok((v, t))) => {
            // SAFETY: with status 0 the entry wrote a value of the return type `t`.
            let c = unsafe { read_abi(abi.as_ptr().cast(), t) };
            let mut diff = difference(&c, v, tolerance).map(|d| format!("the result differs: {d}"));
            for (((i, _), a), b) in writable.iter().zip(&compiled_arrays).zip(&interpreted_arrays) {
                if diff.is_none() {
                    diff = a.iter().zip(b).enumerate().find_map(|(k, (x, y))| {
                        difference(x, y, tolerance)
                            .map(|d| format!("argument {} differs at flat index {k}: {d}", i + 1))
                    });
                }
            }
            if diff.is_none() && compiled_rng != interpreted_rng {
                diff = Some("the random generator's state differs afterwards".to_string());
            }
            diff
        }
    };
    if let Some(what) = what {
        // SAFETY: written by the entry; handing it over frees what it owns before the panic.
        if compiled.is_ok() {
            drop(unsafe { R::from_abi(abi.assume_init()) });
        }
        panic!(
            "rjit: RJIT_DIFFERENTIAL: `{}{}` gives different results compiled and interpreted: {what}",
            kernel.name,
            signature::print_args(&target)
        );
    }
    match compiled {
        // SAFETY: with status 0 the entry wrote the return value.
        Ok(()) => Ok(unsafe { R::from_abi(abi.assume_init()) }),
        Err(e) => Err(e),
    }
}

/// How two values differ (`None`: they agree; floats within `tolerance`, relative, when given).
fn difference(a: &Value, b: &Value, tolerance: Option<f64>) -> Option<String> {
    let close = |x: f64, y: f64| {
        x == y
            || (x.is_nan() && y.is_nan())
            || tolerance.is_some_and(|t| {
                (x - y).abs() <= t * x.abs().max(y.abs()).max(1.0) || (!x.is_finite() && !y.is_finite())
            })
    };
    let same = match (a, b) {
        (Value::Float(x, _), Value::Float(y, _)) => close(*x, *y),
        (Value::Complex(p, q, _), Value::Complex(r, s, _)) => close(*p, *r) && close(*q, *s),
        (Value::Int(x, _), Value::Int(y, _)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Unit, Value::Unit) => true,
        (Value::Tuple(xs), Value::Tuple(ys)) => {
            return xs
                .iter()
                .zip(ys)
                .enumerate()
                .find_map(|(i, (x, y))| difference(x, y, tolerance).map(|d| format!("item {i}: {d}")))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.shape != y.shape {
                return Some(format!("shape {:?} compiled, {:?} interpreted", x.shape, y.shape));
            }
            return x
                .elements()
                .iter()
                .zip(y.elements())
                .enumerate()
                .find_map(|(k, (p, q))| difference(p, &q, tolerance).map(|d| format!("flat index {k}: {d}")));
        }
        _ => false,
    };
    (!same).then(|| format!("{} compiled, {} interpreted", show(a), show(b)))
}

fn show(v: &Value) -> String {
    match v {
        Value::Float(x, _) => format!("{x:?}"),
        Value::Int(x, _) => x.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Complex(re, im, _) => format!("({re:?}+{im:?}j)"),
        other => format!("{other:?}"),
    }
}

/// An ABI array (`abi::ArrayDesc`: data, shape, strides in elements) of type `at`; the strides of
/// a C or F array are those of its layout, as compiled code computes them.
///
/// # Safety
/// `p` points to an `ArrayDesc` of `at`'s rank whose memory stays live while the value is used.
unsafe fn read_array(p: *const u8, at: &ArrayTy) -> Arr {
    let n = usize::from(at.ndim);
    let words = p as *const usize;
    // SAFETY: the descriptor has 1 + 2n words.
    let (data, shape, strides) = unsafe {
        let data = *words as *mut u8;
        let shape: Vec<usize> = (0..n).map(|k| *words.add(1 + k)).collect();
        let strides: Vec<isize> = (0..n).map(|k| *words.add(1 + n + k) as isize).collect();
        (data, shape, strides)
    };
    let strides = match at.layout {
        Layout::C => contiguous_strides(&shape, false),
        Layout::F => contiguous_strides(&shape, true),
        Layout::Any => strides,
    };
    Arr { buf: None, data, shape, strides, elem: at.elem }
}

/// Size and alignment of a type as `abi::Ret` lays it out (`repr(C)`).
fn abi_layout(t: &Ty) -> (usize, usize) {
    match t {
        Ty::Scalar(s) => {
            let size = s.size() as usize;
            (size, rust_align(*s))
        }
        Ty::Array(a) => (8 * (1 + 2 * usize::from(a.ndim)), 8),
        Ty::Tuple(items) => {
            let (offsets, size, align) = tuple_layout(items);
            let _ = offsets;
            (size, align)
        }
        _ => (0, 1),
    }
}

/// The field offsets, size and alignment of a `repr(C)` tuple struct.
fn tuple_layout(items: &[Ty]) -> (Vec<usize>, usize, usize) {
    let (mut off, mut align, mut offsets) = (0usize, 1usize, Vec::new());
    for it in items {
        let (s, a) = abi_layout(it);
        off = off.next_multiple_of(a);
        offsets.push(off);
        off += s;
        align = align.max(a);
    }
    (offsets, off.next_multiple_of(align), align)
}

/// The alignment of the Rust type of an element (`Complex32`: its parts').
fn rust_align(s: Scalar) -> usize {
    if s.is_complex() {
        s.real_part().size() as usize
    } else {
        s.size() as usize
    }
}

/// Reads an ABI value (an argument, or a result compiled code wrote) of type `t`.
///
/// # Safety
/// `p` points to an ABI value of type `t`.
unsafe fn read_abi(p: *const u8, t: &Ty) -> Value {
    unsafe {
        match t {
            Ty::Scalar(s) => value::load(p, *s),
            Ty::Array(at) => Value::Array(read_array(p, at)),
            Ty::Tuple(items) => {
                let (offsets, ..) = tuple_layout(items);
                Value::Tuple(items.iter().zip(offsets).map(|(it, off)| read_abi(p.add(off), it)).collect())
            }
            _ => Value::Unit,
        }
    }
}

/// Writes `v` as `abi::Ret` lays out type `t`; arrays become fresh allocations Rust takes over as
/// `Vec`s (C order).
///
/// # Safety
/// `p` points to writable memory of `t`'s ABI size and alignment.
unsafe fn write_abi(p: *mut u8, v: &Value, t: &Ty) {
    unsafe {
        match (t, v) {
            (Ty::Scalar(s), v) => value::store(p, v, *s),
            (Ty::Array(at), Value::Array(a)) => {
                // Laid out as compiled code lays out the arrays it returns (`abi::Ret`'s
                // `from_abi` finds the allocation's start the same way).
                let size = at.elem.size() as usize;
                let (bytes, align) = (a.size() * size, rust_align(at.elem));
                let data = match crate::helpers::ArrayMemory::alloc(bytes, size, align, false) {
                    Some(m) => m.data,
                    None => std::alloc::handle_alloc_error(
                        std::alloc::Layout::from_size_align(bytes, align).expect("an array that exists fits a layout"),
                    ),
                };
                let out = Arr {
                    buf: None,
                    data,
                    shape: a.shape.clone(),
                    strides: contiguous_strides(&a.shape, false),
                    elem: at.elem,
                };
                for idx in c_order(&a.shape) {
                    out.set(&idx, &a.get(&idx));
                }
                let words = p as *mut usize;
                let n = a.shape.len();
                *words = data as usize;
                for k in 0..n {
                    *words.add(1 + k) = a.shape[k];
                    *words.add(1 + n + k) = out.strides[k] as usize;
                }
            }
            (Ty::Tuple(items), Value::Tuple(vs)) => {
                let (offsets, ..) = tuple_layout(items);
                for ((it, v), off) in items.iter().zip(vs).zip(offsets) {
                    write_abi(p.add(off), v, it);
                }
            }
            _ => {}
        }
    }
}
