//! Fixtures the suite's modules share: the seed's spike kernel (parallel and serial, with its
//! callee), and the helpers for tests that run parts of this binary in child processes or build
//! njit functions from generated source text.

use rjit::__private::{AbiValue, Arg, Dispatcher, FnDesc, Options};
use rjit::ndarray::{Array1, ArrayView1, ArrayViewMut2};
use rjit::prelude::*;

#[njit]
pub fn get_spike(h: ArrayView1<f64>, n: u64, r: f64) -> u64 {
    let mut s = 0.0;
    for i in range(0, n - 1) {
        s += h[i];
        if r <= s {
            return i;
        }
    }
    n - 1
}

#[njit(parallel)]
pub fn spikes(r: ArrayView1<f64>, hs: ArrayViewMut2<f64>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in prange(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike(h, n as u64, r[i]);
    }
    out
}

#[njit]
pub fn spikes_serial(r: ArrayView1<f64>, hs: ArrayViewMut2<f64>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in range(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike(h, n as u64, r[i]);
    }
    out
}

/// The full name of test `name` of the module `module` (`module_path!()`), as this binary's
/// harness filters it: child processes run `--exact` on it.
pub fn test_name(module: &str, name: &str) -> String {
    let path = module.split_once("::").map_or("", |(_, rest)| rest);
    format!("{path}::{name}")
}

/// The module-level constants a kernel made from text may name (the random-program generator
/// uses them), of types whose frozen values take each lowering path: a negative float, an `f32`,
/// the most negative `i64`, an unsigned byte.
fn test_globals() -> Vec<(&'static str, rjit_front::Constant)> {
    use rjit_front::{Constant, Scalar};
    vec![
        ("G_NEG", Constant::Float(-2.5, Scalar::F64)),
        ("G_F32", Constant::Float(f64::from(0.1f32), Scalar::F32)),
        ("G_MIN", Constant::Int(i128::from(i64::MIN), Scalar::I64)),
        ("G_U8", Constant::Int(200, Scalar::U8)),
    ]
}

/// A new njit function from source text, with `callees` (name and source, each without callees of
/// its own), living as long as the process as `#[njit]` statics do: kept reachable in `LIVE`, so
/// valgrind reports them as memory in use, not as lost.
pub fn dispatcher(
    name: &'static str,
    source: String,
    file: &'static str,
    parallel: bool,
    callees: &[(&'static str, String)],
) -> &'static Dispatcher {
    static LIVE: std::sync::Mutex<Vec<&'static Dispatcher>> = std::sync::Mutex::new(Vec::new());
    let options = Options { parallel, fastmath: "", cache: false, boundscheck: true, inline: false };
    let desc = |name: &'static str, source: String, parallel, callees| -> &'static FnDesc {
        let options = Options { parallel, ..options };
        let source: &'static str = Box::leak(source.into_boxed_str());
        Box::leak(Box::new(FnDesc {
            name,
            source,
            base_line: 1,
            file,
            options,
            callees,
            sigs: &[],
            ret_inferred: false,
            globals: rjit::__private::GlobalValues::new(test_globals),
        }))
    };
    let callees: Vec<(&'static str, &'static &'static FnDesc)> =
        callees.iter().map(|(n, src)| (*n, &*Box::leak(Box::new(desc(n, src.clone(), false, &[][..]))))).collect();
    let d: &'static Dispatcher =
        Box::leak(Box::new(Dispatcher::new(desc(name, source, parallel, Box::leak(callees.into_boxed_slice())))));
    LIVE.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    d
}

/// Calls `d` (a function of five parameters returning `f64`) with `args` as `#[njit]`'s wrapper
/// does, compiled or in the interpreter.
pub fn call5<A: Arg, B: Arg, C: Arg, D: Arg, E: Arg>(
    d: &'static Dispatcher,
    mut args: (A, B, C, D, E),
    interpret: bool,
) -> Result<f64, rjit::Error> {
    let abi = (args.0.abi(), args.1.abi(), args.2.abi(), args.3.abi(), args.4.abi());
    let ptrs: [*const u8; 5] = [
        &abi.0 as *const _ as *const u8,
        &abi.1 as *const _ as *const u8,
        &abi.2 as *const _ as *const u8,
        &abi.3 as *const _ as *const u8,
        &abi.4 as *const _ as *const u8,
    ];
    let tys = || vec![abi.0.ty(), abi.1.ty(), abi.2.ty(), abi.3.ty(), abi.4.ty()];
    // SAFETY: the pointers are ABI values of these types, alive for the call; the caller's
    // function returns f64 (a mismatch is an error at the first call, not a misread).
    unsafe {
        if interpret {
            d.interpret::<f64>(&ptrs, &tys)
        } else {
            let codes = [abi.0.code(), abi.1.code(), abi.2.code(), abi.3.code(), abi.4.code()];
            d.invoke::<f64>(&codes, &ptrs, &tys)
        }
    }
}
