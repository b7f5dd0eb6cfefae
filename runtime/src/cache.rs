//! The on-disk cache of machine code (`#[njit(cache)]`).
//!
//! Each specialization is kept as one file named after a SHA-256 key over everything that can change
//! the code: the rjit and LLVM versions, a fingerprint of rjit's own sources (a path or git
//! dependency that changed never loads what the old one compiled), the target triple, CPU and
//! features, the optimization level, the argument types, and for the function and every njit
//! function it reaches, its name, file, first line (error messages embed positions), options and
//! source. A file holds the key, the entry symbol, the return type and the object code, followed by
//! a SHA-256 checksum of every byte before it; anything that does not verify is ignored and
//! replaced. Files are written to a temporary name and renamed, so readers never see half an entry
//! and racing writers leave one whole entry; temporary files a killed writer left are removed.
//!
//! The cache is trusted only as far as the user owns it (docs/SAFETY.md): the directory must be the
//! user's and writable by nobody else (rjit creates it 0700), and an entry must be a regular file
//! of the user's that nobody else can write, opened without following links or blocking.

use crate::desc::FnDesc;
use rjit_front::Ty;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};

const MAGIC: &[u8; 8] = b"RJITOBJ3";

/// The largest entry read (an object file of one specialization is far smaller).
const MAX_ENTRY: u64 = 256 << 20;

/// Temporary files are named with this prefix; those older than `STALE` were left by a writer
/// that died, and are removed.
const TMP_PREFIX: &str = ".rjit-tmp-";
const STALE: std::time::Duration = std::time::Duration::from_secs(600);

/// A fingerprint of rjit's own sources (runtime and frontend), made by `build.rs`.
pub const SOURCE_FINGERPRINT: &str = env!("RJIT_SOURCE_FINGERPRINT");

/// The key of one specialization.
pub struct Key {
    hash: [u8; 32],
    name: &'static str,
}

impl Key {
    pub fn new(kernel: &'static FnDesc, args: &[Ty], target: &str) -> Key {
        Key::with_fingerprint(kernel, args, target, SOURCE_FINGERPRINT)
    }

    fn with_fingerprint(kernel: &'static FnDesc, args: &[Ty], target: &str, fingerprint: &str) -> Key {
        let mut text = String::new();
        text.push_str("rjit-cache-v2\n");
        text.push_str(&format!(
            "rjit {} {fingerprint}\nllvm {}\n",
            env!("CARGO_PKG_VERSION"),
            env!("RJIT_LLVM_VERSION")
        ));
        text.push_str(&format!("target {target}\nopt {}\n", crate::engine::opt_level()));
        let args: Vec<String> = args.iter().map(Ty::to_string).collect();
        text.push_str(&format!("args ({})\n", args.join(", ")));
        let mut seen: Vec<*const FnDesc> = Vec::new();
        describe(kernel, &mut seen, &mut text);
        Key { hash: Sha256::digest(text.as_bytes()).into(), name: kernel.name }
    }

    fn hex(&self) -> String {
        self.hash.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The entry symbol of the cached code: unique per key, so loads never collide.
    pub fn symbol(&self) -> String {
        format!("rjit_{}_{}", self.name, &self.hex()[..16])
    }

    fn file(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{}-{}.rjitobj", self.name, &self.hex()[..32]))
    }
}

/// Appends a function and, once each, every njit function it reaches.
fn describe(k: &'static FnDesc, seen: &mut Vec<*const FnDesc>, text: &mut String) {
    if seen.contains(&(k as *const FnDesc)) {
        return;
    }
    seen.push(k);
    let d = &k;
    text.push_str(&format!("fn {} {}:{} {:?}\n{}\n", d.name, d.file, d.base_line, d.options, d.source));
    // Frozen into the code: a build with other values needs other code.
    for (name, value) in d.globals.get() {
        text.push_str(&format!("global {name} = {value}\n"));
    }
    for (path, callee) in d.callees {
        text.push_str(&format!("calls {path}\n"));
        describe(callee, seen, text);
    }
}

/// `RJIT_CACHE_DIR`, else the user's cache directory.
fn dir() -> Option<&'static Path> {
    #[cfg(test)]
    if let Some(d) = tests::DIR.get() {
        return Some(d.as_path());
    }
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| match &crate::config::config().cache_dir {
        Some(d) => Some(d.clone()),
        None => dirs::cache_dir().map(|d| d.join("rjit")),
    })
    .as_deref()
}

/// The cache directory, if one can be had and trusted: created private when missing, else
/// checked to be the user's and writable by nobody else. Decided once per process; a directory
/// that fails gives one warning and the program runs uncached.
fn trusted_dir() -> Option<&'static Path> {
    static CHECKED: OnceLock<Result<(), String>> = OnceLock::new();
    let Some(dir) = dir() else {
        warn_once("no cache directory could be determined (set RJIT_CACHE_DIR)");
        return None;
    };
    #[cfg(test)]
    if tests::DIR.get().is_some() {
        return trust_dir(dir).ok().map(|_| dir);
    }
    match CHECKED.get_or_init(|| trust_dir(dir)) {
        Ok(()) => Some(dir),
        Err(why) => {
            warn_once(why);
            None
        }
    }
}

/// Creates `dir` (0700) when missing, then checks whose it is.
fn trust_dir(dir: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt};
        if !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| format!("cannot write the cache at {}: {e}", dir.display()))?;
        }
        let me = unsafe_euid();
        let link =
            std::fs::symlink_metadata(dir).map_err(|e| format!("cannot use the cache at {}: {e}", dir.display()))?;
        let meta = std::fs::metadata(dir).map_err(|e| format!("cannot use the cache at {}: {e}", dir.display()))?;
        if !meta.is_dir() {
            return Err(format!("the cache at {} is not a directory", dir.display()));
        }
        if link.uid() != me || meta.uid() != me {
            return Err(format!("the cache directory {} belongs to another user (uid {})", dir.display(), meta.uid()));
        }
        if meta.mode() & 0o022 != 0 {
            return Err(format!(
                "the cache directory {} can be written by other users (mode {:o}); make it private with `chmod go-w`",
                dir.display(),
                meta.mode() & 0o7777
            ));
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot write the cache at {}: {e}", dir.display()))
    }
}

#[cfg(unix)]
fn unsafe_euid() -> u32 {
    // SAFETY: `geteuid` has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

fn debug() -> bool {
    crate::config::config().debug_cache
}

/// Says what happened to one lookup, when `RJIT_DEBUG_CACHE` is set.
pub fn log(key: &Key, args: &[Ty], what: &str) {
    if debug() {
        let args: Vec<String> = args.iter().map(Ty::to_string).collect();
        eprintln!("rjit cache: `{}` ({}): {what}", key.name, args.join(", "));
    }
}

/// The object code stored under `key`, and the type it returns, if a valid entry is there.
pub fn load(key: &Key, args: &[Ty]) -> Option<(Vec<u8>, Ty)> {
    let path = key.file(trusted_dir()?);
    let bytes = match read_entry(&path) {
        Ok(b) => b,
        Err(Refused::Missing(e)) => {
            log(key, args, &format!("miss ({}: {e})", path.display()));
            return None;
        }
        Err(Refused::Untrusted(why)) => {
            warn_once(&format!("the cache entry {} is not used: {why}", path.display()));
            log(key, args, &format!("rejected ({}: {why}); recompiling", path.display()));
            return None;
        }
    };
    match parse(&bytes, key) {
        Ok(object) => {
            log(key, args, &format!("hit ({})", path.display()));
            Some(object)
        }
        Err(why) => {
            log(key, args, &format!("rejected ({}: {why}); recompiling", path.display()));
            None
        }
    }
}

enum Refused {
    Missing(std::io::Error),
    Untrusted(String),
}

/// An entry's bytes, if it is a regular file of the user's that nobody else can write: opened
/// without following a symlink and without blocking (a FIFO), then checked on the open file.
fn read_entry(path: &Path) -> Result<Vec<u8>, Refused> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Refused::Missing(e)),
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(Refused::Untrusted("it is a symbolic link".into()))
        }
        Err(e) => return Err(Refused::Untrusted(e.to_string())),
    };
    let meta = file.metadata().map_err(|e| Refused::Untrusted(e.to_string()))?;
    if !meta.is_file() {
        return Err(Refused::Untrusted("it is not a regular file".into()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != unsafe_euid() {
            return Err(Refused::Untrusted(format!("it belongs to another user (uid {})", meta.uid())));
        }
        if meta.mode() & 0o022 != 0 {
            return Err(Refused::Untrusted(format!("other users can write it (mode {:o})", meta.mode() & 0o7777)));
        }
    }
    if meta.len() > MAX_ENTRY {
        return Err(Refused::Untrusted(format!("it is {} bytes, more than an entry can be", meta.len())));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_ENTRY + 1).read_to_end(&mut bytes).map_err(|e| Refused::Untrusted(e.to_string()))?;
    Ok(bytes)
}

/// Checks an entry against its key and checksum and returns its object code and return type.
fn parse(bytes: &[u8], key: &Key) -> Result<(Vec<u8>, Ty), &'static str> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err("not an rjit cache entry");
    }
    // The checksum covers every byte before it: the key, the symbol, the return type and the
    // object code.
    let Some(split) = bytes.len().checked_sub(32) else { return Err("truncated") };
    let (body, sum) = bytes.split_at(split);
    if body.len() < MAGIC.len() {
        return Err("truncated");
    }
    if <[u8; 32]>::from(Sha256::digest(body)) != *sum {
        return Err("checksum mismatch");
    }
    let mut rest = &body[MAGIC.len()..];
    let mut take = |n: usize| -> Result<&[u8], &'static str> {
        if rest.len() < n {
            return Err("truncated");
        }
        let (a, b) = rest.split_at(n);
        rest = b;
        Ok(a)
    };
    if take(32)? != key.hash {
        return Err("written for another function or version");
    }
    let sym_len = u32::from_le_bytes(take(4)?.try_into().expect("4 bytes")) as usize;
    if take(sym_len)? != key.symbol().as_bytes() {
        return Err("wrong entry symbol");
    }
    let ret_len = u32::from_le_bytes(take(4)?.try_into().expect("4 bytes")) as usize;
    let ret = std::str::from_utf8(take(ret_len)?).map_err(|_| "unreadable return type")?;
    let ret = rjit_front::signature::parse_ty(ret).map_err(|_| "unreadable return type")?;
    let obj_len =
        usize::try_from(u64::from_le_bytes(take(8)?.try_into().expect("8 bytes"))).map_err(|_| "truncated")?;
    let object = take(obj_len)?;
    if !rest.is_empty() {
        return Err("trailing bytes");
    }
    Ok((object.to_vec(), ret))
}

/// The bytes of an entry: magic, key, symbol, return type, object, then the checksum of them all.
fn encode(key: &Key, object: &[u8], ret: &Ty) -> Vec<u8> {
    let symbol = key.symbol();
    let ret = rjit_front::signature::print(ret);
    let mut out = Vec::with_capacity(object.len() + 128);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&key.hash);
    out.extend_from_slice(&(symbol.len() as u32).to_le_bytes());
    out.extend_from_slice(symbol.as_bytes());
    out.extend_from_slice(&(ret.len() as u32).to_le_bytes());
    out.extend_from_slice(ret.as_bytes());
    out.extend_from_slice(&(object.len() as u64).to_le_bytes());
    out.extend_from_slice(object);
    let sum = <[u8; 32]>::from(Sha256::digest(&out));
    out.extend_from_slice(&sum);
    out
}

/// Removes temporary files older than `STALE` (left by writers that were killed).
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        if !name.to_string_lossy().starts_with(TMP_PREFIX) {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else { continue };
        let old = meta.modified().ok().and_then(|m| m.elapsed().ok()).is_some_and(|age| age > STALE);
        if old && !meta.is_dir() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Stores an entry atomically. A failure is reported once per process and otherwise ignored: the
/// program runs on without a cache.
pub fn store(key: &Key, args: &[Ty], object: &[u8], ret: &Ty) {
    let Some(dir) = trusted_dir() else { return };
    static CLEANED: Once = Once::new();
    CLEANED.call_once(|| remove_stale(dir));
    let result = (|| -> std::io::Result<PathBuf> {
        let path = key.file(dir);
        let mut tmp = tempfile::Builder::new().prefix(TMP_PREFIX).tempfile_in(dir)?;
        tmp.write_all(&encode(key, object, ret))?;
        tmp.as_file().sync_data()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(path)
    })();
    match result {
        Ok(path) => log(key, args, &format!("stored ({})", path.display())),
        Err(e) => warn_once(&format!("cannot write the cache at {}: {e}", dir.display())),
    }
}

fn warn_once(msg: &str) {
    static WARNED: Once = Once::new();
    WARNED.call_once(|| eprintln!("rjit: warning: {msg}; running without a cache"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::{FnDesc, Options};
    use crate::dispatch::Dispatcher;

    const OPTS: Options = Options { parallel: false, fastmath: "", cache: true, boundscheck: true, inline: false };

    static G1: FnDesc = FnDesc {
        name: "g",
        source: "fn g() -> i64 { 1 }",
        base_line: 1,
        file: "t.rs",
        options: OPTS,
        callees: &[],
        sigs: &[],
        ret_inferred: false,
        globals: crate::desc::GlobalValues::new(Vec::new),
    };
    static G2: FnDesc = FnDesc {
        name: "g",
        source: "fn g() -> i64 { 2 }",
        base_line: 1,
        file: "t.rs",
        options: OPTS,
        callees: &[],
        sigs: &[],
        ret_inferred: false,
        globals: crate::desc::GlobalValues::new(Vec::new),
    };
    static G1_REF: &FnDesc = &G1;
    static G2_REF: &FnDesc = &G2;
    static F1: FnDesc = FnDesc {
        name: "f",
        source: "fn f() -> i64 { g() }",
        base_line: 3,
        file: "t.rs",
        options: OPTS,
        callees: &[("g", &G1_REF)],
        sigs: &[],
        ret_inferred: false,
        globals: crate::desc::GlobalValues::new(Vec::new),
    };
    static F2: FnDesc = FnDesc {
        name: "f",
        source: "fn f() -> i64 { g() }",
        base_line: 3,
        file: "t.rs",
        options: OPTS,
        callees: &[("g", &G2_REF)],
        sigs: &[],
        ret_inferred: false,
        globals: crate::desc::GlobalValues::new(Vec::new),
    };

    #[test]
    fn a_changed_callee_changes_the_callers_key() {
        let a = Key::new(&F1, &[], "x86_64 cpu +f");
        let b = Key::new(&F2, &[], "x86_64 cpu +f");
        assert_ne!(a.hash, b.hash);
        assert_eq!(a.hash, Key::new(&F1, &[], "x86_64 cpu +f").hash);
        // Other CPU features, another key.
        assert_ne!(a.hash, Key::new(&F1, &[], "x86_64 cpu -f").hash);
    }

    fn k_is_2() -> Vec<(&'static str, rjit_front::Constant)> {
        vec![("K", rjit_front::Constant::Int(2, rjit_front::Scalar::I64))]
    }
    fn k_is_3() -> Vec<(&'static str, rjit_front::Constant)> {
        vec![("K", rjit_front::Constant::Int(3, rjit_front::Scalar::I64))]
    }
    static H2: FnDesc = FnDesc {
        name: "h",
        source: "fn h() -> i64 { K }",
        base_line: 1,
        file: "t.rs",
        options: OPTS,
        callees: &[],
        sigs: &[],
        ret_inferred: false,
        globals: crate::desc::GlobalValues::new(k_is_2),
    };
    static H3: FnDesc = FnDesc { globals: crate::desc::GlobalValues::new(k_is_3), ..H2 };

    #[test]
    fn a_changed_module_constant_changes_the_key() {
        // Frozen into the code: a build where `K` is 3 must not load the code made when it was 2.
        assert_ne!(Key::new(&H2, &[], "x86_64 cpu +f").hash, Key::new(&H3, &[], "x86_64 cpu +f").hash);
    }

    /// `F1` and `F2` differ only in their callee's body. Whichever runs second finds the other's
    /// entry in the same directory, and must not load it.
    pub(super) static DIR: OnceLock<PathBuf> = OnceLock::new();

    #[test]
    fn an_edited_callee_is_never_run_stale() {
        let tmp = tempfile::tempdir().expect("tempdir");
        // The only test of this binary that reads the cache directory (the settings are read
        // once per process, perhaps already by another test: this sets the directory directly).
        DIR.set(tmp.path().to_path_buf()).expect("set once");
        static D1: Dispatcher = Dispatcher::new(&F1);
        static D2: Dispatcher = Dispatcher::new(&F2);
        let run = |d: &'static Dispatcher| unsafe { d.invoke::<i64>(&[], &[], &Vec::new) }.expect("runs");
        assert_eq!(run(&D1), 1);
        assert_eq!(run(&D2), 2);
        assert_eq!(std::fs::read_dir(tmp.path()).expect("dir").count(), 2);
    }

    #[test]
    fn entries_verify_before_they_are_trusted() {
        let key = Key::new(&F1, &[], "t");
        let other = Key::new(&F2, &[], "t");
        let object = b"object code".to_vec();
        let i64_ty = Ty::Scalar(rjit_front::Scalar::I64);
        let entry = encode(&key, &object, &i64_ty);
        assert_eq!(parse(&entry, &key), Ok((object.clone(), i64_ty.clone())));
        assert_eq!(parse(&entry, &other), Err("written for another function or version"));
        assert_eq!(parse(&entry[..entry.len() - 3], &key), Err("checksum mismatch"));
        // Every byte is covered: a flip anywhere after the magic is a checksum mismatch, the
        // return type's bytes included (an entry once claimed an 8-byte result for a 4-byte slot).
        for i in MAGIC.len()..entry.len() {
            let mut flipped = entry.clone();
            flipped[i] ^= 0x20;
            assert_eq!(parse(&flipped, &key), Err("checksum mismatch"), "byte {i}");
        }
        let ret_at = entry.windows(3).position(|w| w == b"i64").expect("the return type");
        let mut forged = entry.clone();
        forged[ret_at..ret_at + 3].copy_from_slice(b"f32");
        assert_eq!(parse(&forged, &key), Err("checksum mismatch"));
        assert_eq!(parse(b"garbage", &key), Err("not an rjit cache entry"));
        assert_eq!(parse(&[b'x'; 200], &key), Err("not an rjit cache entry"));
        assert_eq!(parse(MAGIC, &key), Err("truncated"));
    }

    #[test]
    fn another_build_of_rjit_has_other_keys() {
        assert!(!SOURCE_FINGERPRINT.is_empty());
        let a = Key::with_fingerprint(&F1, &[], "t", SOURCE_FINGERPRINT);
        let b = Key::with_fingerprint(&F1, &[], "t", "a changed rjit");
        assert_eq!(a.hash, Key::new(&F1, &[], "t").hash);
        assert_ne!(a.hash, b.hash);
        assert_ne!(a.symbol(), b.symbol());
    }
}
