//! `name::annotate_html(path)` renders in a real browser (headless Chromium, installed by
//! `scripts/ensure-chromium.sh` when missing) and marks loops parallel, vectorized or serial.

use crate::common::{get_spike, spikes};
use rjit::ndarray::{Array1, Array2};
use rjit::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

#[njit(fastmath)]
fn fast_sum(a: &[f32]) -> f32 {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += a[i];
    }
    s
}

#[njit]
fn strict_sum(a: &[f32]) -> f32 {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += a[i];
    }
    s
}

/// The browser, installed if missing; `None` (the test is skipped) where that is impossible,
/// unless `RJIT_REQUIRE_BROWSER` is set (as CI sets it).
fn browser() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(root.join("scripts/ensure-chromium.sh")).output().expect("runs the script");
    if out.status.success() {
        return Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    }
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(std::env::var_os("RJIT_REQUIRE_BROWSER").is_none(), "no browser for the annotate_html test: {why}");
    eprintln!("skipped: no headless Chromium ({why})");
    None
}

/// The DOM Chromium renders from `page`, and a screenshot of it.
fn render(chromium: &Path, page: &Path, shot: &Path) -> String {
    let profile = tempfile::tempdir().expect("tempdir");
    let common = |c: &mut Command| {
        c.args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--window-size=1200,1400"])
            .arg(format!("--user-data-dir={}", profile.path().display()));
    };
    let mut dom = Command::new(chromium);
    common(&mut dom);
    let out = dom.arg("--dump-dom").arg(format!("file://{}", page.display())).output().expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut png = Command::new(chromium);
    common(&mut png);
    let status = png
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(status.status.success());
    String::from_utf8(out.stdout).expect("utf-8 DOM")
}

/// The line of `src` where `text` first appears after `after`.
fn line_in(src: &str, after: &str, text: &str) -> u32 {
    let from = src.find(after).expect("anchor");
    let at = from + src[from..].find(text).expect("text");
    src[..at].matches('\n').count() as u32 + 1
}

/// The line of this file, or of the shared spike kernel, where `text` first appears after `after`.
fn line_of(after: &str, text: &str) -> u32 {
    let src = if after == "fn spikes" { include_str!("common.rs") } else { include_str!("annotate_html.rs") };
    line_in(src, after, text)
}

/// The rendered row of line `n`.
fn row(dom: &str, n: u32) -> &str {
    let start = dom.find(&format!("id=\"L{n}\"")).unwrap_or_else(|| panic!("no row for line {n} in\n{dom}"));
    let end = dom[start..].find("</tr>").expect("row end");
    &dom[start..start + end]
}

#[test]
fn the_page_renders_and_marks_parallel_vectorized_and_serial_loops() {
    let r = Array1::from_elem(50, 0.5);
    let mut h = Array2::from_elem((50, 40), 1.0);
    spikes(r.view(), h.view_mut());
    let a = vec![0.5f32; 4096];
    assert_eq!(fast_sum(&a), 2048.0);
    assert_eq!(strict_sum(&a), 2048.0);
    let dir = tempfile::tempdir().expect("tempdir");
    let pages: Vec<PathBuf> =
        ["spikes", "fast", "strict", "callee"].iter().map(|n| dir.path().join(format!("{n}.html"))).collect();
    spikes::annotate_html(&pages[0]).expect("written");
    fast_sum::annotate_html(&pages[1]).expect("written");
    strict_sum::annotate_html(&pages[2]).expect("written");
    get_spike::annotate_html(&pages[3]).expect_err("never called from Rust: no specialization of its own");
    let Some(chromium) = browser() else { return };
    let shot = dir.path().join("spikes.png");
    let dom = render(&chromium, &pages[0], &shot);
    assert!(dom.contains("<h1>spikes(f64[::1], f64[:, ::1])</h1>"), "{dom}");
    let prange = line_of("fn spikes", "for i in prange");
    assert!(row(&dom, prange).contains("badge parallel"), "the prange loop runs on the pool:\n{}", row(&dom, prange));
    let update = line_of("fn spikes", "h /= h.sum()");
    assert!(row(&dom, update).contains("h.sum() :: f64"), "types under the line:\n{}", row(&dom, update));
    let zeros = line_of("fn spikes", "np.zeros");
    assert!(!row(&dom, zeros).contains("badge"), "no loop at the allocation");
    assert!(
        dom.contains("Parallel diagnostics for `spikes`")
            && dom.contains(&format!("#0 line {prange}: prange loop (parallel)"))
    );
    assert!(std::fs::metadata(&shot).expect("a screenshot").len() > 10_000, "the screenshot has content");
    if let Some(keep) = std::env::var_os("RJIT_TEST_KEEP") {
        std::fs::copy(&shot, keep).expect("copied");
    }

    let fast = render(&chromium, &pages[1], &dir.path().join("fast.png"));
    let line = line_of("fn fast_sum", "for i in range");
    assert!(row(&fast, line).contains("badge vectorized"), "a fastmath sum vectorizes:\n{}", row(&fast, line));
    let strict = render(&chromium, &pages[2], &dir.path().join("strict.png"));
    let line = line_of("fn strict_sum", "for i in range");
    assert!(
        row(&strict, line).contains("badge serial") && !row(&strict, line).contains("badge vectorized"),
        "a strict float sum keeps its order:\n{}",
        row(&strict, line)
    );
}
