//! What rjit shows a user about a checked function: the typed IR line by line (`inspect_types`),
//! and the parallel plan (`parallel_diagnostics`, `annotate_html`): which loops and whole-array
//! operations run on the pool, what fuses, what runs serially and why, the reductions, and what
//! stays inside loops.
//!
//! Everything here reads the HIR and its types; it knows nothing of LLVM. The source text is the
//! position-preserving print the macro embeds (`source.rs`), whose line 1 is the `fn`'s line.

use crate::builtins::{Builtin, Method};
use crate::fusion::{is_array_reduction, is_elementwise, reduced};
use crate::hir::*;
use crate::infer::Typed;
use crate::prange::{self, RedOp};
use crate::ty::Ty;
use std::collections::HashMap;
use std::fmt::Write;

mod typed;
pub use typed::{loop_lines, typed_lines, typed_listing};

/// One unit of the parallel plan.
#[derive(Clone, Debug, PartialEq)]
pub enum RegionKind {
    /// A `prange` loop outlined and run in chunks on the pool.
    Prange {
        reductions: Vec<(String, RedOp, bool)>,
        private: Vec<String>,
        serial_loops: Vec<(u32, String)>,
        calls: Vec<String>,
        allocations: Vec<u32>,
        invariant: Vec<(u32, String)>,
    },
    /// An element-wise tree fused into one loop and one result array.
    Fused { ops: usize, arrays: usize },
    /// `a op= tree`: fused into the target, no temporary unless operands overlap it.
    InPlace { ops: usize },
    /// A whole-array reduction; `fused` when it reduces an element-wise tree computed in its loop.
    Reduction { fused: bool },
}

/// A region of the plan: its number, where it starts, the source it covers, and whether it runs on
/// the pool (`parallel`) or serially, with the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    pub id: usize,
    pub line: u32,
    pub text: String,
    pub kind: RegionKind,
    pub parallel: bool,
    pub why_serial: Option<String>,
}

/// The source text's lines, and snippets of it by span.
pub struct Source<'s> {
    lines: Vec<&'s str>,
    base_line: u32,
}

impl<'s> Source<'s> {
    pub fn new(text: &'s str, base_line: u32) -> Self {
        Source { lines: text.lines().collect(), base_line }
    }

    /// The user-file line numbers and text of the function.
    pub fn numbered(&self) -> impl Iterator<Item = (u32, &'s str)> + '_ {
        self.lines.iter().enumerate().map(|(i, l)| (self.base_line + i as u32, *l))
    }

    /// The text of expression `e`, on one line.
    pub fn snippet(&self, f: &Function, e: ExprId) -> String {
        let x = f.expr(e);
        self.between(x.span.start(), x.end.end())
    }

    fn between(&self, a: proc_macro2::LineColumn, b: proc_macro2::LineColumn) -> String {
        let mut out = String::new();
        for line in a.line..=b.line.max(a.line) {
            let Some(text) = self.lines.get(line.wrapping_sub(1)) else { break };
            let chars: Vec<char> = text.chars().collect();
            let from = if line == a.line { a.column.min(chars.len()) } else { 0 };
            let to = if line == b.line { b.column.min(chars.len()) } else { chars.len() };
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(chars[from.min(to)..to].iter());
            out = out.trim().to_string();
        }
        out
    }
}

/// The parallel plan of `f`: its `prange` loops and, in a `parallel` function, the whole-array
/// expressions, updates and reductions outside them, in source order.
pub fn plan(f: &Function, typed: &Typed, src: &Source<'_>, parallel: bool) -> Vec<Region> {
    let mut out = Vec::new();
    let mut cx = Planner { f, typed, src, parallel, out: &mut out };
    cx.block(&f.body, false);
    out.sort_by_key(|r| r.line);
    for (i, r) in out.iter_mut().enumerate() {
        r.id = i;
    }
    out
}

struct Planner<'a, 's> {
    f: &'a Function,
    typed: &'a Typed,
    src: &'a Source<'s>,
    parallel: bool,
    out: &'a mut Vec<Region>,
}

impl Planner<'_, '_> {
    fn line(&self, e: ExprId) -> u32 {
        self.f.pos(self.f.expr(e).span).line
    }

    fn whole_array(&mut self, line: u32, text: String, kind: RegionKind) {
        let why = (!self.parallel).then(|| "the function is not compiled with `parallel`".to_string());
        let why = why.or_else(|| {
            Some(format!(
                "it is split across the pool only with at least {} elements and 2 rows",
                prange::MIN_SPLIT_ELEMS
            ))
        });
        self.out.push(Region { id: 0, line, text, kind, parallel: self.parallel, why_serial: why });
    }

    fn count_ops(&self, e: ExprId) -> (usize, usize) {
        if !is_elementwise(self.f, self.typed, e) {
            return (0, usize::from(matches!(self.typed.expr(e), Ty::Array(_))));
        }
        let kids: Vec<ExprId> = match &self.f.expr(e).kind {
            ExprKind::Binary(_, l, r) => vec![*l, *r],
            ExprKind::Unary(_, x) => vec![*x],
            ExprKind::Builtin { args, .. } => args.clone(),
            _ => Vec::new(),
        };
        kids.iter().map(|k| self.count_ops(*k)).fold((1, 0), |(o, a), (ko, ka)| (o + ko, a + ka))
    }

    /// The whole-array work in expression `e` outside `prange` loops: fused trees and reductions.
    fn expr(&mut self, e: ExprId) {
        let mut roots = Vec::new();
        let (f, typed) = (self.f, self.typed);
        // Element-wise roots are trees whose parent is not element-wise; walking outer first, a
        // tree's inner nodes are skipped once its root is taken.
        let mut inside: Vec<ExprId> = Vec::new();
        walk_expr(f, e, &mut |x| {
            if inside.contains(&x) {
                return;
            }
            if is_elementwise(f, typed, x) {
                walk_expr(f, x, &mut |y| {
                    if y != x && is_elementwise(f, typed, y) {
                        inside.push(y);
                    }
                });
                roots.push(x);
            } else if is_array_reduction(f, typed, x) {
                // A reduction of an element-wise tree computes the tree in its own loop.
                let arg = reduced(f, x);
                if is_elementwise(f, typed, arg) {
                    walk_expr(f, arg, &mut |y| inside.push(y));
                }
                roots.push(x);
            }
        });
        for x in roots {
            let text = self.src.snippet(f, x);
            let line = self.line(x);
            if is_elementwise(f, typed, x) {
                let (ops, arrays) = self.count_ops(x);
                self.whole_array(line, text, RegionKind::Fused { ops, arrays });
            } else {
                let fused = is_elementwise(f, typed, reduced(f, x));
                self.whole_array(line, text, RegionKind::Reduction { fused });
            }
        }
    }

    fn block(&mut self, b: &Block, unsafe_: bool) {
        let unsafe_ = unsafe_ || b.is_unsafe;
        for s in &b.stmts {
            match s {
                Stmt::For { var, range, body, parallel: true, span } => self.prange(*var, range, body, *span),
                Stmt::For { range, body, .. } => {
                    for e in [range.start, Some(range.stop), range.step].into_iter().flatten() {
                        self.expr(e);
                    }
                    self.block(body, unsafe_);
                }
                Stmt::ForIn { array, body, .. } => {
                    self.expr(*array);
                    self.block(body, unsafe_);
                }
                Stmt::While { cond, body } => {
                    self.expr(*cond);
                    self.block(body, unsafe_);
                }
                Stmt::Loop { body } => self.block(body, unsafe_),
                Stmt::OpAssign { place, value, span, .. } if self.place_is_array(place) => {
                    let (ops, _) = self.count_ops(*value);
                    let line = self.f.pos(*span).line;
                    let text = self.src.between(span.start(), self.f.expr(*value).end.end());
                    let mut roots = Vec::new();
                    walk_expr(self.f, *value, &mut |x| {
                        if is_array_reduction(self.f, self.typed, x) {
                            roots.push(x);
                        }
                    });
                    self.whole_array(line, text, RegionKind::InPlace { ops });
                    for r in roots {
                        let (line, text) = (self.line(r), self.src.snippet(self.f, r));
                        let fused = is_elementwise(self.f, self.typed, reduced(self.f, r));
                        self.whole_array(line, text, RegionKind::Reduction { fused });
                    }
                }
                Stmt::Let { init: e, .. }
                | Stmt::Assign { value: e, .. }
                | Stmt::OpAssign { value: e, .. }
                | Stmt::Expr(e)
                | Stmt::Return(Some(e), _)
                | Stmt::Assert { cond: e, .. } => {
                    self.expr_with_blocks(*e, unsafe_);
                }
                Stmt::Print { args, .. } => args.iter().for_each(|a| self.expr(*a)),
                _ => {}
            }
        }
        if let Some(t) = b.tail {
            self.expr_with_blocks(t, unsafe_);
        }
    }

    /// An expression, descending into the blocks of `if` and `{ }` as statements.
    fn expr_with_blocks(&mut self, e: ExprId, unsafe_: bool) {
        match &self.f.expr(e).kind {
            ExprKind::If { cond, then, els } => {
                self.expr(*cond);
                self.block(then, unsafe_);
                if let Some(x) = els {
                    self.expr_with_blocks(*x, unsafe_);
                }
            }
            ExprKind::Block(b) => self.block(b, unsafe_),
            _ => self.expr(e),
        }
    }

    fn place_is_array(&self, p: &Place) -> bool {
        match p {
            Place::Local(l, _) => matches!(self.typed.local(*l), Ty::Array(_)),
            Place::Index(ix) => matches!(self.typed.expr(*ix), Ty::Array(_)),
            Place::Tuple(..) => false,
        }
    }

    fn prange(&mut self, var: Option<LocalId>, range: &Range, body: &Block, span: proc_macro2::Span) {
        let (f, typed) = (self.f, self.typed);
        let info = prange::analyze(f, typed, var, body, false, &mut Vec::new());
        let name = |l: LocalId| f.local(l).name.clone();
        let reductions =
            info.reductions.iter().map(|(l, op)| (name(*l), *op, matches!(typed.local(*l), Ty::Array(_)))).collect();
        let mut private: Vec<String> = info.private.iter().map(|l| name(*l)).collect();
        private.sort();
        let mut serial_loops = Vec::new();
        nested_loops(f, body, &mut serial_loops);
        let mut calls = Vec::new();
        let mut allocations = Vec::new();
        let mut invariant = Vec::new();
        let written = &info.written;
        let is_invariant = |e: ExprId| {
            let mut ok = true;
            walk_expr(f, e, &mut |x| match &f.expr(x).kind {
                ExprKind::Local(l) => ok &= !info.private.contains(l) && !written.contains(l),
                // Calls, random numbers and new arrays differ from one iteration to the next.
                ExprKind::Call { .. }
                | ExprKind::Builtin {
                    op: Builtin::Random(_) | Builtin::Alloc(_) | Builtin::Like(_) | Builtin::Arange | Builtin::Linspace,
                    ..
                } => ok = false,
                ExprKind::Method { method: Method::Copy, .. } => ok = false,
                _ => {}
            });
            ok
        };
        let mut seen_invariant: Vec<ExprId> = Vec::new();
        walk_exprs(f, body, &mut |x| {
            match &f.expr(x).kind {
                ExprKind::Call { path, .. } if !calls.contains(path) => calls.push(path.clone()),
                ExprKind::Builtin {
                    op: Builtin::Alloc(_) | Builtin::Like(_) | Builtin::Arange | Builtin::Linspace,
                    ..
                } => allocations.push(f.pos(f.expr(x).span).line),
                _ => {}
            }
            let trivial = matches!(
                f.expr(x).kind,
                ExprKind::Local(_) | ExprKind::Int(..) | ExprKind::Float(..) | ExprKind::Bool(_)
            );
            let inside_seen = seen_invariant.iter().any(|s| {
                let mut found = false;
                walk_expr(f, *s, &mut |y| found |= y == x);
                found
            });
            if !trivial && !inside_seen && is_invariant(x) {
                seen_invariant.push(x);
                invariant.push((f.pos(f.expr(x).span).line, self.src.snippet(f, x)));
            }
        });
        let start = range.start.map(|s| self.src.snippet(f, s));
        let stop = self.src.snippet(f, range.stop);
        let var_name = var.map(name).unwrap_or_else(|| "_".into());
        let text = match start {
            Some(s) => format!("for {var_name} in prange({s}, {stop})"),
            None => format!("for {var_name} in prange({stop})"),
        };
        let why = if !self.parallel {
            Some("the function is not compiled with `parallel`, so `prange` is `range`".to_string())
        } else {
            None
        };
        self.out.push(Region {
            id: 0,
            line: f.pos(span).line,
            text,
            kind: RegionKind::Prange { reductions, private, serial_loops, calls, allocations, invariant },
            parallel: self.parallel,
            why_serial: why,
        });
    }
}

/// Loops nested in a `prange` body (they run serially inside each chunk), with their header text.
fn nested_loops(f: &Function, b: &Block, out: &mut Vec<(u32, String)>) {
    for s in &b.stmts {
        match s {
            Stmt::For { body, parallel, span, .. } => {
                let what =
                    if *parallel { "prange loop nested in a parallel loop: runs serially" } else { "range loop" };
                out.push((f.pos(*span).line, what.to_string()));
                nested_loops(f, body, out);
            }
            Stmt::ForIn { body, array, .. } => {
                out.push((f.pos(f.expr(*array).span).line, "for-in loop".to_string()));
                nested_loops(f, body, out);
            }
            Stmt::While { body, cond } => {
                out.push((f.pos(f.expr(*cond).span).line, "while loop".to_string()));
                nested_loops(f, body, out);
            }
            Stmt::Loop { body } => nested_loops(f, body, out),
            _ => {}
        }
    }
}

fn red_name(op: RedOp) -> &'static str {
    match op {
        RedOp::Add => "+= (sum)",
        RedOp::Sub => "-= (sum of negatives)",
        RedOp::Mul => "*= (product)",
        RedOp::Min => "min",
        RedOp::Max => "max",
        RedOp::Minimum => "np.minimum",
        RedOp::Maximum => "np.maximum",
        RedOp::And => "&= (bitwise and)",
        RedOp::Or => "|= (bitwise or)",
        RedOp::Xor => "^= (bitwise xor)",
    }
}

/// A one-line description of a region.
pub fn describe(r: &Region) -> String {
    let how = if r.parallel { "parallel" } else { "serial" };
    match &r.kind {
        RegionKind::Prange { .. } => format!("prange loop ({how})"),
        RegionKind::Fused { ops, arrays } => {
            format!("array expression: {ops} operation(s) on {arrays} array operand(s) fused into one loop ({how})")
        }
        RegionKind::InPlace { ops } => {
            format!("in-place array update: {ops} operation(s) fused into the target ({how})")
        }
        RegionKind::Reduction { fused: true } => {
            format!("array reduction fused with its element-wise expression ({how})")
        }
        RegionKind::Reduction { .. } => format!("array reduction ({how})"),
    }
}

/// The text of `name::parallel_diagnostics(level)`, levels 1 to 4 (see DSL.md §6).
pub fn parallel_report(
    name: &str,
    file: &str,
    f: &Function,
    typed: &Typed,
    src: &Source<'_>,
    is_parallel: bool,
    level: u8,
) -> String {
    let regions = plan(f, typed, src, is_parallel);
    let rule = "=".repeat(80);
    let mut o = String::new();
    let _ = writeln!(o, "{rule}\n Parallel diagnostics for `{name}` ({file}:{})\n{rule}", src.base_line);
    if !is_parallel {
        let _ = writeln!(o, "`{name}` is not compiled with `parallel`: every loop and array operation runs serially (`prange` is `range`).");
    }
    // The listing: the source with each region's number at its line.
    let _ = writeln!(o, "\nParallel region listing (#n: a region, described below)");
    let width = src.numbered().map(|(_, l)| l.trim_end().chars().count()).max().unwrap_or(0).min(100) + 2;
    let mut at_line: HashMap<u32, Vec<usize>> = HashMap::new();
    for r in &regions {
        at_line.entry(r.line).or_default().push(r.id);
    }
    for (n, line) in src.numbered() {
        let marks = at_line
            .get(&n)
            .map(|ids| ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        let text = line.trim_end();
        if marks.is_empty() {
            let _ = writeln!(o, "{n:>5} | {text}");
        } else {
            let pad = width.saturating_sub(text.chars().count());
            let _ = writeln!(o, "{n:>5} | {text}{}| {marks}", "-".repeat(pad));
        }
    }
    let _ = writeln!(o, "\nRegions");
    if regions.is_empty() {
        let _ = writeln!(o, "  none: no prange loop and no whole-array operation");
    }
    for r in &regions {
        let _ = writeln!(o, "  #{} line {}: {}\n      {}", r.id, r.line, describe(r), r.text);
        if !r.parallel {
            if let Some(w) = &r.why_serial {
                let _ = writeln!(o, "      serial: {w}");
            }
        } else if !matches!(r.kind, RegionKind::Prange { .. }) {
            if let Some(w) = &r.why_serial {
                let _ = writeln!(o, "      note: {w}");
            }
        }
    }
    if level >= 2 {
        let _ = writeln!(o, "\n{}", section("Fusion"));
        let fused: Vec<&Region> = regions
            .iter()
            .filter(|r| matches!(r.kind, RegionKind::Fused { .. } | RegionKind::InPlace { .. }))
            .collect();
        if fused.is_empty() {
            let _ = writeln!(o, "No element-wise array expression to fuse.");
        }
        for r in &fused {
            match r.kind {
                RegionKind::Fused { ops, .. } => {
                    let _ = writeln!(o, "#{}: {ops} element-wise operation(s) fused into one loop writing one new array (no temporaries).", r.id);
                }
                RegionKind::InPlace { ops } => {
                    let _ = writeln!(o, "#{}: the right side ({ops} operation(s)) fused into the update of its target: no new array, unless an operand overlaps the target (then it is computed first, as NumPy does).", r.id);
                }
                _ => {}
            }
        }
        for r in &regions {
            if let RegionKind::Reduction { fused: true } = r.kind {
                let _ = writeln!(o, "#{}: the reduced element-wise expression is computed inside the reduction's loop (no array in between).", r.id);
            }
        }
        let loops = regions.iter().filter(|r| matches!(r.kind, RegionKind::Prange { .. })).count();
        if loops > 1 {
            let _ = writeln!(o, "{loops} prange loops are not fused with each other: each is its own parallel region.");
        }
        if regions.len() > 1 {
            let _ = writeln!(o, "Separate statements are not fused together: each region above is its own loop.");
        }
    }
    if level >= 3 {
        let _ = writeln!(o, "\n{}", section("Loop nests"));
        for r in &regions {
            if let RegionKind::Prange { serial_loops, calls, .. } = &r.kind {
                let _ =
                    writeln!(o, "+--#{} line {} ({})", r.id, r.line, if r.parallel { "parallel" } else { "serial" });
                for (line, what) in serial_loops {
                    let _ = writeln!(o, "   +-- line {line}: {what} (serial, inside each chunk)");
                }
                for c in calls {
                    let _ = writeln!(o, "   +-- call `{c}`: runs inside each chunk; its own prange loops and array operations run serially there");
                }
            }
        }
        let _ = writeln!(o, "Whole-array operations inside a prange body run serially in their chunk.");
    }
    if level >= 4 {
        let _ = writeln!(o, "\n{}", section("Reductions, private variables, hoisting"));
        for r in &regions {
            let RegionKind::Prange { reductions, private, allocations, invariant, .. } = &r.kind else { continue };
            let _ = writeln!(o, "#{} line {}:", r.id, r.line);
            if reductions.is_empty() {
                let _ = writeln!(o, "  reductions: none");
            }
            for (v, op, array) in reductions {
                let what = if *array {
                    "array, each chunk reducing into a copy of its own"
                } else {
                    "scalar, one accumulator per chunk"
                };
                let _ = writeln!(o, "  reduction: `{v}` {} ({what}; chunks combined in chunk order, so the result does not depend on the thread count)", red_name(*op));
            }
            let _ = writeln!(
                o,
                "  private to each iteration: {}",
                if private.is_empty() {
                    "none".to_string()
                } else {
                    private.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                }
            );
            if allocations.is_empty() {
                let _ = writeln!(o, "  allocation hoisting: no allocation in the loop body");
            }
            for line in allocations {
                let _ = writeln!(o, "  allocation hoisting: line {line} allocates in every iteration (not hoisted: each iteration owns its array)");
            }
            if invariant.is_empty() {
                let _ = writeln!(o, "  loop-invariant code: none found");
            }
            for (line, text) in invariant {
                let _ = writeln!(o, "  loop-invariant code: line {line}: `{text}` (left to LLVM's loop-invariant code motion, which hoists it when it cannot fail)");
            }
        }
    }
    o
}

fn section(title: &str) -> String {
    let side = 78usize.saturating_sub(title.len()) / 2;
    format!("{} {title} {}", "-".repeat(side), "-".repeat(78 - side - title.len()))
}
