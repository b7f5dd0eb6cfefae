//! Records the LLVM version the runtime links and a fingerprint of rjit's own sources (both part
//! of every cache key), and says plainly what to do when LLVM 14 is missing; compiles the C++
//! shim that sets fast-math flags.

use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Command;

/// Hashes every file under `dir` (paths and contents, in a fixed order).
fn hash_tree(dir: &Path, root: &Path, h: &mut Sha256) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            hash_tree(&p, root, h);
        } else if let Ok(bytes) = std::fs::read(&p) {
            h.update(p.strip_prefix(root).unwrap_or(&p).to_string_lossy().as_bytes());
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-env-changed=LLVM_SYS_140_PREFIX");
    // The sources that decide what code rjit generates: the runtime's and the frontend's (beside
    // it in the workspace; a packaged runtime hashes its own and names the frontend's version).
    let manifest = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut h = Sha256::new();
    for dir in [manifest.join("src"), manifest.join("../front/src")] {
        println!("cargo:rerun-if-changed={}", dir.display());
        hash_tree(&dir, &manifest, &mut h);
    }
    let fingerprint: String = h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=RJIT_SOURCE_FINGERPRINT={fingerprint}");
    let candidates: Vec<String> = std::env::var("LLVM_SYS_140_PREFIX")
        .map(|p| vec![format!("{p}/bin/llvm-config")])
        .unwrap_or_default()
        .into_iter()
        .chain(["llvm-config-14", "/usr/lib/llvm-14/bin/llvm-config", "llvm-config"].map(String::from))
        .collect();
    let version = candidates.iter().find_map(|c| {
        let out = Command::new(c).arg("--version").output().ok()?;
        let v = String::from_utf8(out.stdout).ok()?.trim().to_string();
        v.starts_with("14.").then(|| (v, c.clone()))
    });
    match &version {
        Some((v, _)) => println!("cargo:rustc-env=RJIT_LLVM_VERSION={v}"),
        None => {
            println!("cargo:warning=rjit: LLVM 14 was not found; install it (Debian/Ubuntu: `apt-get install llvm-14-dev`) or set LLVM_SYS_140_PREFIX");
            println!("cargo:rustc-env=RJIT_LLVM_VERSION=14");
        }
    }
    // The fast-math shim, compiled against LLVM's own headers.
    println!("cargo:rerun-if-changed=src/fastmath.cpp");
    let include = version
        .and_then(|(_, config)| Command::new(config).arg("--includedir").output().ok())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "/usr/lib/llvm-14/include".to_string());
    cc::Build::new()
        .cpp(true)
        .file("src/fastmath.cpp")
        .include(include)
        .flag("-std=c++14")
        .flag("-fno-exceptions")
        .flag("-fno-rtti")
        .define("__STDC_CONSTANT_MACROS", None)
        .define("__STDC_FORMAT_MACROS", None)
        .define("__STDC_LIMIT_MACROS", None)
        .warnings(false)
        .compile("rjit_fastmath");
}
