//! The on-disk cache of machine code (`#[njit(cache)]`).
//!
//! Each specialization is kept as one file named after a SHA-256 key over everything that can change
//! the code: the rjit and LLVM versions, the target triple, CPU and features, the optimization level,
//! the argument types, and for the function and every njit function it reaches, its name, file,
//! first line (error messages embed positions), options and source. A file holds the key, the entry
//! symbol, a checksum and the object code; anything that does not verify is ignored and replaced.
//! Files are written to a temporary name and renamed, so readers never see half an entry and racing
//! writers leave one whole entry.

use crate::kernel::Kernel;
use rjit_front::Ty;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};

const MAGIC: &[u8; 8] = b"RJITOBJ2";

/// The key of one specialization.
pub struct Key {
    hash: [u8; 32],
    name: &'static str,
}

impl Key {
    pub fn new(kernel: &'static Kernel, args: &[Ty], target: &str) -> Key {
        let mut text = String::new();
        text.push_str("rjit-cache-v1\n");
        text.push_str(&format!("rjit {}\nllvm {}\n", env!("CARGO_PKG_VERSION"), env!("RJIT_LLVM_VERSION")));
        text.push_str(&format!("target {target}\nopt {}\n", crate::engine::opt_level()));
        let args: Vec<String> = args.iter().map(Ty::to_string).collect();
        text.push_str(&format!("args ({})\n", args.join(", ")));
        let mut seen: Vec<*const Kernel> = Vec::new();
        describe(kernel, &mut seen, &mut text);
        Key { hash: Sha256::digest(text.as_bytes()).into(), name: kernel.desc.name }
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
fn describe(k: &'static Kernel, seen: &mut Vec<*const Kernel>, text: &mut String) {
    if seen.contains(&(k as *const Kernel)) {
        return;
    }
    seen.push(k);
    let d = &k.desc;
    text.push_str(&format!("fn {} {}:{} {:?}\n{}\n", d.name, d.file, d.base_line, d.options, d.source));
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
    let path = key.file(dir()?);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            log(key, args, &format!("miss ({}: {e})", path.display()));
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

/// Checks an entry against its key and checksum and returns its object code and return type.
fn parse(bytes: &[u8], key: &Key) -> Result<(Vec<u8>, Ty), &'static str> {
    let mut rest = bytes;
    let mut take = |n: usize| -> Result<&[u8], &'static str> {
        if rest.len() < n {
            return Err("truncated");
        }
        let (a, b) = rest.split_at(n);
        rest = b;
        Ok(a)
    };
    if take(8)? != MAGIC {
        return Err("not an rjit cache entry");
    }
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
    let obj_len = u64::from_le_bytes(take(8)?.try_into().expect("8 bytes")) as usize;
    let sum: [u8; 32] = take(32)?.try_into().expect("32 bytes");
    let object = take(obj_len)?;
    if !rest.is_empty() {
        return Err("trailing bytes");
    }
    if <[u8; 32]>::from(Sha256::digest(object)) != sum {
        return Err("checksum mismatch");
    }
    Ok((object.to_vec(), ret))
}

/// Stores an entry atomically. A failure is reported once per process and otherwise ignored: the
/// program runs on without a cache.
pub fn store(key: &Key, args: &[Ty], object: &[u8], ret: &Ty) {
    let Some(dir) = dir() else {
        warn_once("no cache directory could be determined (set RJIT_CACHE_DIR)");
        return;
    };
    let result = (|| -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let path = key.file(dir);
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        let symbol = key.symbol();
        tmp.write_all(MAGIC)?;
        tmp.write_all(&key.hash)?;
        tmp.write_all(&(symbol.len() as u32).to_le_bytes())?;
        tmp.write_all(symbol.as_bytes())?;
        let ret = rjit_front::signature::print(ret);
        tmp.write_all(&(ret.len() as u32).to_le_bytes())?;
        tmp.write_all(ret.as_bytes())?;
        tmp.write_all(&(object.len() as u64).to_le_bytes())?;
        tmp.write_all(&<[u8; 32]>::from(Sha256::digest(object)))?;
        tmp.write_all(object)?;
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
    use crate::kernel::{FnDesc, Options};

    const OPTS: Options = Options { parallel: false, fastmath: "", cache: true, boundscheck: true, inline: false };

    static G1: Kernel = Kernel::new(FnDesc { name: "g", source: "fn g() -> i64 { 1 }", base_line: 1, file: "t.rs", options: OPTS, callees: &[], sigs: &[], ret_inferred: false });
    static G2: Kernel = Kernel::new(FnDesc { name: "g", source: "fn g() -> i64 { 2 }", base_line: 1, file: "t.rs", options: OPTS, callees: &[], sigs: &[], ret_inferred: false });
    static G1_REF: &Kernel = &G1;
    static G2_REF: &Kernel = &G2;
    static F1: Kernel = Kernel::new(FnDesc { name: "f", source: "fn f() -> i64 { g() }", base_line: 3, file: "t.rs", options: OPTS, callees: &[("g", &G1_REF)], sigs: &[], ret_inferred: false });
    static F2: Kernel = Kernel::new(FnDesc { name: "f", source: "fn f() -> i64 { g() }", base_line: 3, file: "t.rs", options: OPTS, callees: &[("g", &G2_REF)], sigs: &[], ret_inferred: false });

    #[test]
    fn a_changed_callee_changes_the_callers_key() {
        let a = Key::new(&F1, &[], "x86_64 cpu +f");
        let b = Key::new(&F2, &[], "x86_64 cpu +f");
        assert_ne!(a.hash, b.hash);
        assert_eq!(a.hash, Key::new(&F1, &[], "x86_64 cpu +f").hash);
        // Other CPU features, another key.
        assert_ne!(a.hash, Key::new(&F1, &[], "x86_64 cpu -f").hash);
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
        let run = |k: &'static Kernel| unsafe { k.invoke::<i64>(&[], &[], &Vec::new) }.expect("runs");
        assert_eq!(run(&F1), 1);
        assert_eq!(run(&F2), 2);
        assert_eq!(std::fs::read_dir(tmp.path()).expect("dir").count(), 2);
    }

    #[test]
    fn entries_verify_before_they_are_trusted() {
        let key = Key::new(&F1, &[], "t");
        let other = Key::new(&F2, &[], "t");
        let mut entry = Vec::new();
        let sym = key.symbol();
        let object = b"object code".to_vec();
        entry.extend_from_slice(MAGIC);
        entry.extend_from_slice(&key.hash);
        entry.extend_from_slice(&(sym.len() as u32).to_le_bytes());
        entry.extend_from_slice(sym.as_bytes());
        entry.extend_from_slice(&4u32.to_le_bytes());
        entry.extend_from_slice(b"i64;");
        entry.extend_from_slice(&(object.len() as u64).to_le_bytes());
        entry.extend_from_slice(&<[u8; 32]>::from(Sha256::digest(&object)));
        entry.extend_from_slice(&object);
        assert_eq!(parse(&entry, &key), Err("unreadable return type"));
        let fix = entry.iter().position(|b| *b == b';').expect("marker");
        entry.remove(fix);
        entry[fix - 7..fix - 3].copy_from_slice(&3u32.to_le_bytes());
        assert_eq!(parse(&entry, &key), Ok((object.clone(), Ty::Scalar(rjit_front::Scalar::I64))));
        assert_eq!(parse(&entry, &other), Err("written for another function or version"));
        assert_eq!(parse(&entry[..entry.len() - 3], &key), Err("truncated"));
        let mut flipped = entry.clone();
        *flipped.last_mut().expect("bytes") ^= 1;
        assert_eq!(parse(&flipped, &key), Err("checksum mismatch"));
        assert_eq!(parse(b"garbage", &key), Err("truncated"));
        assert_eq!(parse(&[b'x'; 200], &key), Err("not an rjit cache entry"));
    }
}
