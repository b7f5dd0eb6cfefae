//! rjit's integration tests, one binary (one link of LLVM) with a module per subject and the
//! fixtures they share in `common`. Run one subject with a filter: `cargo test --test suite kernels::`.

mod common;

mod aliasing;
mod annotate_html;
mod array_expressions;
mod arrays;
mod cache;
mod classic;
mod concurrency;
mod conformance_doc;
mod demos;
mod errors;
mod errors_doc;
mod fastmath;
mod generics;
mod hostile;
mod interpreter;
mod introspection;
mod kernels;
mod memory;
mod numpy;
mod parallel;
mod ports;
mod python;
mod race_oracle;
mod random;
mod random_programs;
mod safety;
mod shapes;
mod signatures;
mod sorting;
mod snapshots;
mod ui;
mod views;
