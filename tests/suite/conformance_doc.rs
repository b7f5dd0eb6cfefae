//! `docs/CONFORMANCE.md` maps each item of the language to its test; every test it names must exist.

#[test]
fn every_test_the_conformance_table_names_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/CONFORMANCE.md")).expect("docs/CONFORMANCE.md");
    let mut checked = 0;
    for cell in doc.split('`') {
        if let Some((file, name)) = cell.split_once("::") {
            if !(file.starts_with("tests/") || file.starts_with("front/tests/")) || !file.ends_with(".rs") {
                continue;
            }
            let src = std::fs::read_to_string(root.join(file))
                .unwrap_or_else(|_| panic!("docs/CONFORMANCE.md names {file}, which does not exist"));
            assert!(
                src.contains(&format!("fn {name}(")),
                "docs/CONFORMANCE.md names {file}::{name}, which does not exist"
            );
            checked += 1;
        } else if cell.starts_with("tests/ui/") && cell.ends_with(".rs") && !cell.contains('*') {
            assert!(root.join(cell).exists(), "docs/CONFORMANCE.md names {cell}, which does not exist");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} references found");
}
