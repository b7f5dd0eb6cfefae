//! The on-disk cache, end to end. Each scenario runs this test binary's `child` test in fresh
//! processes (the cache is per process and per `RJIT_CACHE_DIR`) and reads what they report.

use rjit::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[njit(cache)]
fn square(x: f64) -> f64 {
    x * x
}

#[njit(cache)]
fn sum_of_squares(a: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += square(a[i]);
    }
    s
}

#[njit(cache)]
fn scaled(a: ArrayView1<f64>, k: f64) -> Array1<f64> {
    let out = np.empty(a.len());
    for i in range(a.len()) {
        out[i] = a[i] * k;
    }
    out
}

/// The work each child process does: three specializations, every result checked.
#[test]
#[ignore = "run by the other tests of this file in child processes"]
fn child() {
    let v: Vec<f64> = (0..100).map(|i| i as f64 * 0.5).collect();
    assert_eq!(sum_of_squares(&v), v.iter().fold(0.0, |s, x| s + x * x));
    let a = rjit::ndarray::Array1::from(v.clone());
    assert_eq!(scaled(a.view(), 3.0), a.mapv(|x| x * 3.0));
    let strided = a.slice(rjit::ndarray::s![..;3]);
    assert_eq!(scaled(strided, -1.0), strided.mapv(|x| -x));
    let (s1, s2) = (sum_of_squares::stats(), scaled::stats());
    println!("RESULT specializations={} hits={}", s1.specializations + s2.specializations, s1.cache_hits + s2.cache_hits);
}

struct Run {
    specializations: usize,
    hits: usize,
    stderr: String,
}

fn spawn(dir: &Path) -> Command {
    let mut c = Command::new(std::env::current_exe().expect("test binary"));
    c.args(["--ignored", "--exact", "child", "--nocapture", "--test-threads=1"])
        .env("RJIT_CACHE_DIR", dir)
        .env("RJIT_DEBUG_CACHE", "1");
    c
}

fn parse(out: Output) -> Run {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    let line = stdout.lines().find_map(|l| l.find("RESULT").map(|i| &l[i..])).unwrap_or_else(|| panic!("no result in:\n{stdout}"));
    let num = |key: &str| -> usize {
        line.split_whitespace().find_map(|w| w.strip_prefix(key)).and_then(|v| v.parse().ok()).expect("a number")
    };
    Run { specializations: num("specializations="), hits: num("hits="), stderr }
}

fn run(dir: &Path) -> Run {
    parse(spawn(dir).output().expect("child runs"))
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).map(|d| d.map(|e| e.expect("entry").path()).collect()).unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_fresh_process_loads_what_an_earlier_one_compiled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cold = run(dir.path());
    assert_eq!((cold.specializations, cold.hits), (3, 0), "{}", cold.stderr);
    assert_eq!(entries(dir.path()).len(), 3, "one file per specialization");
    let warm = run(dir.path());
    assert_eq!((warm.specializations, warm.hits), (3, 3), "{}", warm.stderr);
    assert_eq!(warm.stderr.matches(": hit (").count(), 3);
}

#[test]
fn damaged_or_foreign_entries_are_recompiled_and_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    run(dir.path());
    let files = entries(dir.path());
    let damage: [(&str, &dyn Fn(&Path)); 4] = [
        ("truncated", &|p| {
            let b = std::fs::read(p).expect("read");
            std::fs::write(p, &b[..b.len() / 2]).expect("write");
        }),
        ("not an rjit cache entry", &|p| std::fs::write(p, vec![0x5a; 4096]).expect("write")),
        ("checksum mismatch", &|p| {
            let mut b = std::fs::read(p).expect("read");
            let n = b.len();
            b[n - 10] ^= 0xff;
            std::fs::write(p, b).expect("write");
        }),
        ("written for another function or version", &|p| {
            let other = entries(p.parent().expect("dir")).into_iter().find(|q| q != p).expect("another entry");
            std::fs::copy(other, p).expect("copy");
        }),
    ];
    for (why, hurt) in damage {
        hurt(&files[0]);
        let r = run(dir.path());
        assert_eq!(r.hits, 2, "{why}: {}", r.stderr);
        assert!(r.stderr.contains(&format!("rejected ({}: {why})", files[0].display())), "{why}: {}", r.stderr);
        // The entry was replaced by a valid one.
        let again = run(dir.path());
        assert_eq!(again.hits, 3, "{why}: {}", again.stderr);
    }
}

#[test]
fn racing_processes_leave_one_valid_entry_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let children: Vec<_> = (0..4).map(|_| spawn(dir.path()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("spawn")).collect();
    for c in children {
        let r = parse(c.wait_with_output().expect("child"));
        assert_eq!(r.specializations, 3);
    }
    let files = entries(dir.path());
    assert_eq!(files.len(), 3, "no temporary files left behind: {files:?}");
    assert!(files.iter().all(|f| f.extension().is_some_and(|e| e == "rjitobj")));
    assert_eq!(run(dir.path()).hits, 3);
}

#[test]
fn an_unwritable_cache_directory_warns_once_and_runs_uncached() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A directory below a regular file cannot be created, not even by root.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a directory").expect("write");
    let r = run(&blocker.join("cache"));
    assert_eq!((r.specializations, r.hits), (3, 0));
    assert_eq!(r.stderr.matches("rjit: warning: cannot write the cache").count(), 1, "{}", r.stderr);
}
