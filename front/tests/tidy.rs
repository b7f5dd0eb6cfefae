//! House rules checked on the workspace's own sources: every Rust file opens with a `//!` doc
//! saying what it is for, and each crate's modules are layered in pipeline order (formatting and
//! clippy are gates in `.ci/run`).

use std::collections::{BTreeMap, BTreeSet};
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
/// comments aside). A file's `#[cfg(test)]` module (the last item, as clippy's
/// `items_after_test_module` keeps it) may use any stage and is not read.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
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
    let names: BTreeSet<String> = modules.iter().map(|(n, _)| n.clone()).collect();
    let mut graph = BTreeMap::new();
    for (name, files) in &modules {
        let mut uses = BTreeSet::new();
        for f in files {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            for line in text.lines().take_while(|l| l.trim() != "#[cfg(test)]") {
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

/// The modules `lib.rs` declares (`mod x;`, `pub mod x;`), in the order it declares them.
fn declared_order(lib: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(lib).expect("lib.rs");
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("pub(crate) mod "))
                .or_else(|| l.strip_prefix("mod "))?;
            rest.strip_suffix(';').map(str::to_string)
        })
        .collect()
}

/// The layering rule (ARCHITECTURE.md): each crate's `lib.rs` declares its modules in pipeline
/// order, and a module imports only from modules declared before it. So no two top-level modules
/// of a crate import each other, directly or through others.
#[test]
fn modules_import_only_from_stages_before_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for krate in ["front/src", "macros/src", "runtime/src"] {
        let src = root.join(krate);
        let order = declared_order(&src.join("lib.rs"));
        let graph = module_graph(&src);
        let mut wrong = Vec::new();
        for (module, uses) in &graph {
            let Some(at) = order.iter().position(|m| m == module) else {
                wrong.push(format!("`{module}` is not declared in lib.rs"));
                continue;
            };
            for u in uses {
                if order.iter().position(|m| m == u).is_none_or(|p| p > at) {
                    wrong.push(format!("`{module}` imports `{u}`, a stage declared after it"));
                }
            }
        }
        assert!(wrong.is_empty(), "{krate}: {}\norder: {order:?}", wrong.join("\n"));
        assert!(graph.len() >= 2 && order.len() == graph.len(), "{krate}: read {graph:?} against {order:?}");
    }
}

/// The rule catches what it is for: a graph with a back edge fails it.
#[test]
fn the_layering_check_sees_a_module_that_imports_a_later_one() {
    let dir = std::env::temp_dir().join(format!("rjit-tidy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    std::fs::write(dir.join("lib.rs"), "mod a;\nmod b;\n").expect("write");
    std::fs::write(dir.join("a.rs"), "//! a\nuse crate::b::X;\n#[cfg(test)]\nmod tests { use crate::b; }\n")
        .expect("write");
    std::fs::write(dir.join("b.rs"), "//! b\nuse crate::a::Y; // crate::c in a comment\n").expect("write");
    let graph = module_graph(&dir);
    assert_eq!(declared_order(&dir.join("lib.rs")), ["a", "b"]);
    assert_eq!(graph["a"].iter().collect::<Vec<_>>(), ["b"], "a refers to b outside its tests");
    assert_eq!(graph["b"].iter().collect::<Vec<_>>(), ["a"]);
    std::fs::write(dir.join("a.rs"), "//! a\n#[cfg(test)]\nmod tests { use crate::b; }\n").expect("write");
    assert!(module_graph(&dir)["a"].is_empty(), "a test module may use any stage");
    std::fs::remove_dir_all(&dir).ok();
}
