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

// Two identical kernels in two modules: one key (same name, file, line and source).
macro_rules! twin {
    ($m:ident) => {
        mod $m {
            use rjit::prelude::*;
            #[njit(cache)]
            pub fn twin(x: f64) -> f64 {
                x * 2.0 + 1.0
            }
        }
    };
}
twin!(first);
twin!(second);

/// Both twins compile and run in one process, whatever the cache can do.
#[test]
#[ignore = "run by the other tests of this file in child processes"]
fn child_twins() {
    assert_eq!(first::twin(1.0), 3.0);
    assert_eq!(second::twin(2.0), 5.0);
    println!("RESULT specializations=2 hits={}", first::twin::stats().cache_hits + second::twin::stats().cache_hits);
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
    println!(
        "RESULT specializations={} hits={}",
        s1.specializations + s2.specializations,
        s1.cache_hits + s2.cache_hits
    );
}

struct Run {
    specializations: usize,
    hits: usize,
    stderr: String,
}

fn spawn(dir: &Path) -> Command {
    let mut c = Command::new(std::env::current_exe().expect("test binary"));
    c.args([
        "--ignored",
        "--exact",
        crate::common::test_name(module_path!(), "child").as_str(),
        "--nocapture",
        "--test-threads=1",
    ])
    .env("RJIT_CACHE_DIR", dir)
    .env("RJIT_DEBUG_CACHE", "1");
    c
}

fn parse(out: Output) -> Run {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    let line = stdout
        .lines()
        .find_map(|l| l.find("RESULT").map(|i| &l[i..]))
        .unwrap_or_else(|| panic!("no result in:\n{stdout}"));
    let num = |key: &str| -> usize {
        line.split_whitespace().find_map(|w| w.strip_prefix(key)).and_then(|v| v.parse().ok()).expect("a number")
    };
    Run { specializations: num("specializations="), hits: num("hits="), stderr }
}

fn run(dir: &Path) -> Run {
    parse(spawn(dir).output().expect("child runs"))
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|d| d.map(|e| e.expect("entry").path()).collect()).unwrap_or_default();
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
        // The checksum closes the entry: cut short, it no longer matches.
        ("checksum mismatch", &|p| {
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
    let children: Vec<_> = (0..4)
        .map(|_| {
            spawn(dir.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
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

/// Runs `child` with a time limit: an entry that blocks a reader (a FIFO) must not hang it.
fn run_limited(dir: &Path) -> Run {
    let mut child =
        spawn(dir).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("spawn");
    let start = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(120) {
            child.kill().expect("kill");
            panic!("the child process hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    parse(child.wait_with_output().expect("output"))
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o7777
}

#[cfg(unix)]
fn chmod(p: &Path, m: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod");
}

#[cfg(unix)]
#[test]
fn directories_rjit_creates_are_private() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("a").join("b");
    let r = run(&cache);
    assert_eq!((r.specializations, r.hits), (3, 0), "{}", r.stderr);
    assert_eq!(mode(&dir.path().join("a")), 0o700);
    assert_eq!(mode(&cache), 0o700);
    assert_eq!(entries(&cache).iter().map(|e| mode(e)).collect::<Vec<_>>(), vec![0o600; 3]);
}

#[cfg(unix)]
#[test]
fn a_directory_others_can_write_is_not_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    run(dir.path());
    chmod(dir.path(), 0o777);
    for _ in 0..2 {
        let r = run(dir.path());
        assert_eq!((r.specializations, r.hits), (3, 0), "{}", r.stderr);
        assert_eq!(r.stderr.matches("rjit: warning:").count(), 1, "{}", r.stderr);
        assert!(r.stderr.contains("can be written by other users (mode 777)"), "{}", r.stderr);
    }
    assert_eq!(entries(dir.path()).len(), 3, "nothing written into it");
}

#[cfg(unix)]
#[test]
fn entries_that_are_not_the_users_own_files_are_not_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    run(dir.path());
    let files = entries(dir.path());
    let target = &files[0];
    let spare = dir.path().join("spare");
    std::fs::copy(target, &spare).expect("copy");
    let cases: Vec<(&str, Box<dyn Fn()>)> = vec![
        (
            "it is a symbolic link",
            Box::new(|| {
                std::fs::remove_file(target).expect("rm");
                std::os::unix::fs::symlink(&spare, target).expect("symlink");
            }),
        ),
        (
            "it is not a regular file",
            Box::new(|| {
                std::fs::remove_file(target).expect("rm");
                let c = std::ffi::CString::new(target.as_os_str().as_encoded_bytes()).expect("path");
                // SAFETY: a valid path string.
                assert_eq!(unsafe { libc_mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
            }),
        ),
        ("other users can write it (mode 666)", Box::new(|| chmod(target, 0o666))),
    ];
    for (why, make) in cases {
        make();
        let r = run_limited(dir.path());
        assert_eq!((r.specializations, r.hits), (3, 2), "{why}: {}", r.stderr);
        assert!(r.stderr.contains(why), "{why}: {}", r.stderr);
        assert_eq!(r.stderr.matches("rjit: warning:").count(), 1, "{why}: {}", r.stderr);
        // Replaced by the user's own entry (a rename replaces the link or FIFO itself).
        assert_eq!(run(dir.path()).hits, 3, "{why}");
        assert!(std::fs::symlink_metadata(target).expect("entry").file_type().is_file());
    }
    // Owned by another user: only root can make one.
    if unsafe_is_root() {
        std::os::unix::fs::chown(target, Some(65534), Some(65534)).expect("chown");
        let r = run(dir.path());
        assert_eq!(r.hits, 2, "{}", r.stderr);
        assert!(r.stderr.contains("belongs to another user (uid 65534)"), "{}", r.stderr);
    }
}

#[cfg(unix)]
extern "C" {
    #[link_name = "mkfifo"]
    fn libc_mkfifo(path: *const std::ffi::c_char, mode: u32) -> i32;
    fn geteuid() -> u32;
}

#[cfg(unix)]
fn unsafe_is_root() -> bool {
    // SAFETY: no preconditions.
    unsafe { geteuid() == 0 }
}

#[test]
fn stale_temporary_files_are_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join(".rjit-tmp-killed");
    let fresh = dir.path().join(".rjit-tmp-writing");
    std::fs::write(&old, b"half an entry").expect("write");
    std::fs::write(&fresh, b"half an entry").expect("write");
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&old).expect("open").set_modified(hour_ago).expect("mtime");
    run(dir.path());
    assert!(!old.exists(), "a temporary file an hour old is removed");
    assert!(fresh.exists(), "one another process may still be writing stays");
}

#[test]
fn identical_kernels_share_their_code_with_an_unwritable_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a directory").expect("write");
    for cache in [blocker.join("cache"), dir.path().join("ok")] {
        let out = Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--ignored",
                "--exact",
                crate::common::test_name(module_path!(), "child_twins").as_str(),
                "--nocapture",
                "--test-threads=1",
            ])
            .env("RJIT_CACHE_DIR", &cache)
            .output()
            .expect("child runs");
        let r = parse(out);
        assert_eq!(r.specializations, 2, "{}", r.stderr);
    }
}
