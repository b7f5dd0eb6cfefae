//! What users look at: `inspect_types`, `inspect_llvm`, `inspect_asm`, `parallel_diagnostics` and
//! `stats`, read on the spike kernels and on a kernel with every kind of parallel region.

use crate::common::{get_spike, spikes};
use rjit::ndarray::{Array1, Array2};
use rjit::prelude::*;

#[njit(parallel)]
fn mixed(a: &[f64], b: &[f64], k: f64) -> (f64, Array1<f64>) {
    let c = np.sqrt(np.abs(a)) * k + b;
    let mut s = 0.0;
    let mut hist = np.zeros(4, dtype = np.int64);
    for i in prange(a.len()) {
        let scale = k * 2.0;
        let local = np.zeros(4, dtype = np.int64);
        local[i % 4] = 1;
        hist += local;
        for j in range(3) {
            s += c[i] * scale + j as f64;
        }
    }
    (s + (a * b).sum() + hist.sum() as f64, c)
}

#[njit]
fn serial_only(a: &[f32]) -> f32 {
    let mut s = 0.0;
    for i in prange(a.len()) {
        s += a[i];
    }
    s + (a * 2.0).sum()
}

/// The lines of `text` that contain `needle`.
fn lines_with<'t>(text: &'t str, needle: &str) -> Vec<&'t str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}

#[test]
fn inspect_types_shows_every_line_with_its_typed_ir() {
    assert!(get_spike::inspect_types().contains("no specialization yet"));
    let r = Array1::from_elem(3, 0.5);
    let mut h = Array2::from_elem((3, 4), 1.0);
    spikes(r.view(), h.view_mut());
    let t = spikes::inspect_types();
    assert!(t.starts_with("spikes(f64[::1], f64[:, ::1])"), "{t}");
    for want in [
        "#   hs = arg :: mut f64[:, ::1]",
        "#   let (iters: usize, n: usize) = $0",
        "np.zeros(iters, dtype = u64) :: mut u64[::1]",
        "#   for i: usize in prange(0, iters)",
        "= hs[i] :: mut f64[::1]",
        "= h.sum() :: f64",
        "call get_spike(h, $4, $5) :: u64",
        "    let (iters, n) = hs.shape();",
        "# returns mut u64[::1]",
    ] {
        assert!(t.contains(want), "missing `{want}` in\n{t}");
    }
    // Each typed line comes right after its `# --- LINE n ---` header, before the source line.
    let lines: Vec<&str> = t.lines().collect();
    let at = lines.iter().position(|l| l.contains("h /= $")).expect("the update");
    assert_eq!(lines[at + 1].trim(), "h /= h.sum();");
    assert_eq!(lines[at - 2], "# --- LINE 27 ---");
}

#[test]
fn llvm_asm_and_stats_per_specialization() {
    let h = Array1::from_vec(vec![0.25, 0.25, 0.5]);
    assert_eq!(get_spike(h.view(), 3, 0.3), 1);
    assert_eq!(get_spike(h.view(), 3, 0.9), 2);
    let asm = get_spike::inspect_asm();
    assert!(asm.starts_with("; get_spike(f64[::1], u64, f64)"), "{asm}");
    assert!(asm.contains("ret") && asm.contains(".text"), "{asm}");
    assert!(get_spike::inspect_llvm().contains("define"));
    let s = get_spike::stats();
    assert_eq!(s.specializations, 1);
    assert!(s.calls >= 2, "{s:?}");
    assert!(s.compile_time >= s.stages.optimize);
}

#[test]
fn parallel_diagnostics_of_the_spike_kernel() {
    let d = spikes::parallel_diagnostics(4);
    assert!(d.contains("Parallel diagnostics for `spikes` (tests/suite/common.rs:22)"), "{d}");
    // The listing marks the prange loop at its line.
    let marked = lines_with(&d, "| #0");
    assert_eq!(marked.len(), 1, "{d}");
    assert!(marked[0].contains("25 |     for i in prange(iters) {"), "{d}");
    assert!(d.contains("#0 line 25: prange loop (parallel)"), "{d}");
    assert!(d.contains("call `get_spike`: runs inside each chunk"), "{d}");
    assert!(d.contains("private to each iteration: `h`, `i`"), "{d}");
    assert!(d.contains("reductions: none"), "{d}");
    // Level 1 leaves out the sections of the higher levels.
    let one = spikes::parallel_diagnostics(1);
    assert!(one.contains("#0 line 25") && !one.contains("Loop nests") && !one.contains("Fusion"), "{one}");
}

#[test]
fn parallel_diagnostics_of_every_kind_of_region() {
    let d = mixed::parallel_diagnostics(4);
    for want in [
        "#0 line 10: array expression: 4 operation(s) on 2 array operand(s) fused into one loop (parallel)",
        "#1 line 13: prange loop (parallel)",
        "array reduction fused with its element-wise expression (parallel)",
        "+-- line 18: range loop (serial, inside each chunk)",
        "reduction: `hist` += (sum) (array",
        "reduction: `s` += (sum) (scalar",
        "private to each iteration: `i`, `j`, `local`, `scale`",
        "line 15 allocates in every iteration",
        "loop-invariant code: line 14: `k * 2.0`",
        "the reduced element-wise expression is computed inside the reduction's loop",
    ] {
        assert!(d.contains(want), "missing `{want}` in\n{d}");
    }
    assert!(!d.contains("`np.zeros(4, dtype = np.int64)` (left to LLVM"), "a new array is not invariant:\n{d}");
    let s = serial_only::parallel_diagnostics(2);
    assert!(s.contains("is not compiled with `parallel`"), "{s}");
    assert!(s.contains("prange loop (serial)"), "{s}");
    assert!(s.contains("serial: the function is not compiled with `parallel`"), "{s}");
    assert_eq!(serial_only(&[1.0, 2.0]), 9.0);
}

#[test]
#[ignore = "run by `dump_variables_print_each_specialization` in a child process"]
fn child_compiles_one_kernel() {
    let h = Array1::from_vec(vec![0.5, 0.5]);
    assert_eq!(get_spike(h.view(), 2, 0.2), 0);
}

#[test]
fn dump_variables_print_each_specialization() {
    let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            crate::common::test_name(module_path!(), "child_compiles_one_kernel").as_str(),
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RJIT_DUMP_IR", "1")
        .env("RJIT_DUMP_LLVM", "1")
        .env("RJIT_DUMP_ASM", "1")
        .output()
        .expect("child runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("get_spike(f64[::1], u64, f64)\n----") && err.contains("#   s += $"), "the typed IR:\n{err}");
    assert!(err.contains("; get_spike(f64[::1], u64, f64)\n; ModuleID"), "the LLVM IR:\n{err}");
    assert!(err.contains("\t.text") && err.contains("retq"), "the assembly:\n{err}");
}
