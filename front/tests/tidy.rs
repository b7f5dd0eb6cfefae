//! House rules checked on the workspace's own sources: every Rust file opens with a `//!` doc
//! saying what it is for, and the tree is formatted (`cargo fmt --check`, run by `.ci/run` with
//! clippy as a gate).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // Compile-fail cases and snapshot data are inputs, not modules.
        if p.is_dir() && !matches!(name, "ui" | "snapshots" | "target") {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_module_opens_with_a_doc_comment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["src", "front/src", "front/tests", "macros/src", "runtime/src", "tests", "benches", "examples"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {} files under {}", files.len(), root.display());
    let missing: Vec<String> = files
        .iter()
        .filter(|f| !std::fs::read_to_string(f).unwrap_or_default().starts_with("//!"))
        .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
        .collect();
    assert!(missing.is_empty(), "these files do not open with a `//!` doc comment:\n{}", missing.join("\n"));
}

/// Which top-level modules of a crate each module refers to (`crate::name` anywhere in its files,
/// comments aside).
fn module_graph(src: &Path) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut modules: Vec<(String, Vec<PathBuf>)> = Vec::new();
    for e in std::fs::read_dir(src).expect("src").flatten() {
        let p = e.path();
        let stem = p.file_stem().and_then(|n| n.to_str()).unwrap_or("").to_string();
        if p.is_dir() {
            let mut files = Vec::new();
            rust_files(&p, &mut files);
            modules.push((stem, files));
        } else if p.extension().is_some_and(|x| x == "rs") && stem != "lib" {
            modules.push((stem, vec![p]));
        }
    }
    let names: std::collections::BTreeSet<String> = modules.iter().map(|(n, _)| n.clone()).collect();
    let mut graph = std::collections::BTreeMap::new();
    for (name, files) in &modules {
        let mut uses = std::collections::BTreeSet::new();
        for f in files {
            for line in std::fs::read_to_string(f).unwrap_or_default().lines() {
                let code = line.split("//").next().unwrap_or("");
                for (i, _) in code.match_indices("crate::") {
                    let rest = &code[i + "crate::".len()..];
                    let target: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    // `rjit_crate::…` is another crate.
                    let before = code[..i].chars().last();
                    if names.contains(&target)
                        && target != *name
                        && !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    {
                        uses.insert(target);
                    }
                }
            }
        }
        graph.insert(name.clone(), uses);
    }
    graph
}

/// The groups of modules that import each other in a ring (strongly connected, more than one).
fn cycles(graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &String| {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(m) = todo.pop() {
            for n in graph.get(&m).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    todo.push(n.clone());
                }
            }
        }
        seen
    };
    let mut out: Vec<Vec<String>> = Vec::new();
    for m in graph.keys() {
        let from_m = reach(m);
        let ring: Vec<String> =
            graph.keys().filter(|n| *n == m || (from_m.contains(*n) && reach(n).contains(m))).cloned().collect();
        if ring.len() > 1 && !out.contains(&ring) {
            out.push(ring);
        }
    }
    out
}

/// The layering rule (ARCHITECTURE.md): a module imports only from stages before it, so the
/// top-level modules of each crate form no ring. The runtime still has the rings listed here,
/// each with what keeps it; the test fails when a new one appears or a listed one grows.
#[test]
fn no_new_import_cycles_between_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let known: &[&[&str]] = &[
        // codegen, the cache and the interpreter take the dispatcher (`&'static Kernel`) as a
        // function's identity, and the dispatcher calls the pipeline: a function's description
        // apart from its dispatcher breaks it.
        &["cache", "codegen", "compile", "inspect", "interp", "kernel", "specialize"],
    ];
    for krate in ["front/src", "macros/src", "runtime/src"] {
        let graph = module_graph(&root.join(krate));
        for ring in cycles(&graph) {
            let allowed = known.iter().any(|k| ring.iter().all(|m| k.contains(&m.as_str())));
            assert!(allowed, "{krate}: these modules import each other in a ring: {ring:?}\n{graph:#?}");
        }
    }
}
