//! The texts of `inspect_types`, `inspect_asm` and `parallel_diagnostics`, made on demand from the
//! embedded source (re-checked with a specialization's argument types) and the kept LLVM IR, so
//! compiling pays nothing for them.

use crate::desc::FnDesc;
use crate::error::Error;
use crate::specialize::{compile_error, param_types, ParseCache, RuntimeCallees};
use rjit_front::report::{self, Source};
use rjit_front::{signature, Ty};

/// `kernel`'s body checked with these argument types (`None`: the declared ones), and its text.
fn checked<R>(
    kernel: &'static FnDesc,
    tys: Option<&[Ty]>,
    then: impl FnOnce(&rjit_front::Function, &rjit_front::Typed, &Source<'_>) -> R,
) -> Result<R, Error> {
    let cache = ParseCache::default();
    let f = cache.get(kernel, tys.unwrap_or(&[]))?;
    let declared: Vec<Ty> = f.params.iter().map(|p| p.ty.clone()).collect();
    let params = tys.map(|t| param_types(&declared, t));
    let typed = rjit_front::check(&f, params.as_deref(), &RuntimeCallees { kernel, cache: &cache })
        .map_err(|d| compile_error(kernel, &d))?;
    let src = Source::new(kernel.source, kernel.base_line);
    Ok(then(&f, &typed, &src))
}

/// One specialization's source, each line followed by its typed IR.
pub(crate) fn typed_listing(kernel: &'static FnDesc, tys: &[Ty]) -> String {
    let title = format!("{}{}", kernel.name, signature::print_args(tys));
    checked(kernel, Some(tys), |f, typed, src| report::typed_listing(&title, kernel.file, f, typed, src))
        .unwrap_or_else(|e| format!("{title}\n{e}\n"))
}

/// The parallel plan, for the types of the first specialization (`tys`) or the declared ones.
pub(crate) fn parallel_report(kernel: &'static FnDesc, tys: Option<&[Ty]>, level: u8) -> String {
    let d = &kernel;
    checked(kernel, tys, |f, typed, src| report::parallel_report(d.name, d.file, f, typed, src, d.options.parallel, level)).unwrap_or_else(|e| {
        format!("no parallel diagnostics for `{}`: {e}\n(call it once first when its parameter types are inferred or generic)\n", d.name)
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The page of `annotate_html`: the source with each line's inferred types, each loop marked
/// parallel, vectorized or serial (from LLVM's remarks), and the parallel diagnostics.
pub(crate) fn annotated_page(
    kernel: &'static FnDesc,
    tys: &[Ty],
    remarks: &[crate::engine::Remark],
    from_cache: bool,
) -> String {
    let d = &kernel;
    let title = format!("{}{}", d.name, signature::print_args(tys));
    let body = checked(kernel, Some(tys), |f, typed, src| {
        let types = report::typed_lines(f, typed);
        let loops = report::loop_lines(f);
        let regions = report::plan(f, typed, src, d.options.parallel);
        let diagnostics = report::parallel_report(d.name, d.file, f, typed, src, d.options.parallel, 4);
        let mut rows = String::new();
        for (n, line) in src.numbered() {
            let mut badges = Vec::new();
            let vectorized: Vec<&crate::engine::Remark> =
                remarks.iter().filter(|r| r.line == n && r.vectorized).collect();
            let missed: Vec<&crate::engine::Remark> = remarks.iter().filter(|r| r.line == n && !r.vectorized).collect();
            let is_loop = loops.iter().find(|(l, _)| *l == n).map(|(_, k)| *k);
            let region = regions.iter().find(|r| r.line == n);
            if region.is_some_and(|r| r.parallel) {
                badges.push(("parallel", "runs on the thread pool".to_string()));
            }
            if let Some(r) = vectorized.first() {
                badges.push(("vectorized", r.message.clone()));
            }
            if vectorized.is_empty() && (is_loop.is_some() || region.is_some()) && !region.is_some_and(|r| r.parallel) {
                let why = missed
                    .first()
                    .map_or_else(|| "a scalar loop: LLVM did not vectorize it".to_string(), |r| r.message.clone());
                badges.push(("serial", why));
            }
            let badges: String = badges
                .iter()
                .map(|(k, why)| format!("<span class=\"badge {k}\" title=\"{}\">{k}</span>", escape(why)))
                .collect();
            let ty_lines =
                types.get(&n).map(|v| v.iter().map(|t| escape(t)).collect::<Vec<_>>().join("\n")).unwrap_or_default();
            let class = if ty_lines.is_empty() { "line" } else { "line typed" };
            let _ = std::fmt::Write::write_fmt(
                &mut rows,
                format_args!("<tr class=\"{class}\" id=\"L{n}\"><td class=\"no\">{n}</td><td class=\"marks\">{badges}</td><td class=\"code\"><pre>{}</pre><pre class=\"types\">{ty_lines}</pre></td></tr>\n", escape(line.trim_end())),
            );
        }
        (rows, diagnostics)
    });
    let (rows, diagnostics) = match body {
        Ok(b) => b,
        Err(e) => (format!("<tr><td colspan=\"3\"><pre>{}</pre></td></tr>", escape(&e.to_string())), String::new()),
    };
    let cache_note = if from_cache {
        "<p class=\"note\">Loaded from the on-disk cache: LLVM did not run, so no loop is marked vectorized.</p>"
    } else {
        ""
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>rjit: {title}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #222; }}
h1 {{ font-size: 1.3em; }} table {{ border-collapse: collapse; }}
td {{ vertical-align: top; padding: 1px 6px; }} td.no {{ color: #888; text-align: right; }}
pre {{ margin: 0; font-family: monospace; font-size: 13px; }}
pre.types {{ color: #2a6b2a; font-size: 11px; display: none; }}
tr.typed:hover pre.types, body.show pre.types {{ display: block; }}
.badge {{ display: inline-block; font: bold 11px sans-serif; padding: 1px 5px; border-radius: 3px; margin-right: 3px; color: white; }}
.parallel {{ background: #1f6feb; }} .vectorized {{ background: #1a7f37; }} .serial {{ background: #9a6700; }}
.legend span {{ margin-right: 1em; }} .note {{ color: #9a6700; }}
</style></head>
<body class="show">
<h1>{title}</h1>
<p>File <code>{file}</code>. Each line is followed by its typed IR; loops are marked
<span class="badge parallel">parallel</span> (on the thread pool), <span class="badge vectorized">vectorized</span>
(LLVM's loop vectorizer said so) or <span class="badge serial">serial</span> (hover for LLVM's reason).</p>
{cache_note}
<table id="source">
{rows}</table>
<h2>Parallel diagnostics</h2>
<pre id="diagnostics">{diag}</pre>
</body></html>
"#,
        title = escape(&title),
        file = escape(d.file),
        diag = escape(&diagnostics),
    )
}
