//! rjit against Numba and hand-written Rust, side by side in one run, on the benchmark kernels
//! (`benches/kernels`, `benches/numba/kernels.py`): `cargo run --release --example compare`.
//!
//! It creates `target/numba-venv` (Python's venv) and installs numpy and numba from PyPI into it
//! the first time; where Python or PyPI is unavailable it says why and compares rjit with
//! hand-written Rust alone. It prints one table (steady-state and first-call times, ratios), writes
//! it to `target/compare/table.md`, draws `target/compare/benchmarks.png`, and measures the peak
//! memory of the spike sampler in rjit and by hand (each in a child process).

#[path = "../benches/kernels/mod.rs"]
mod kernels;

use kernels::*;
use rjit::ndarray::Array1;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// First call (compile included for rjit) and the fastest steady call, in milliseconds (the
/// machines this runs on are shared: the fastest run is the least disturbed one).
#[derive(Clone, Copy, Debug, Default)]
struct Timing {
    first: f64,
    steady: f64,
}

/// Times `run` on fresh arguments from `setup`: once, then until `budget` (at least 5 times).
fn measure<A, R>(budget: Duration, mut setup: impl FnMut() -> A, mut run: impl FnMut(A) -> R) -> Timing {
    let args = setup();
    let t = Instant::now();
    std::hint::black_box(run(args));
    let first = t.elapsed().as_secs_f64() * 1e3;
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < budget && times.len() < 200) {
        let args = setup();
        let t = Instant::now();
        std::hint::black_box(run(args));
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    Timing { first, steady: times.iter().copied().fold(f64::INFINITY, f64::min) }
}

#[derive(Default)]
struct Row {
    rjit: Timing,
    hand: Timing,
    numba: Option<Timing>,
}

/// Every kernel, serial and parallel: rjit's and the hand-written twin's timings.
fn measure_rust() -> Vec<(String, &'static str, Row)> {
    let b = Duration::from_millis(700);
    let mut rows = Vec::new();
    let mut add = |k: &str, v: &'static str, rjit: Timing, hand: Timing| {
        rows.push((k.to_string(), v, Row { rjit, hand, numba: None }))
    };
    let (w, h, it) = MANDEL;
    add(
        "mandelbrot",
        "serial",
        measure(b, || (), |_| mandelbrot(w, h, it)),
        measure(b, || (), |_| mandelbrot_hand(w, h, it)),
    );
    add(
        "mandelbrot",
        "parallel",
        measure(b, || (), |_| mandelbrot_par(w, h, it)),
        measure(b, || (), |_| mandelbrot_rayon(w, h, it)),
    );

    let pos0 = matrix(NBODY, 3, 1);
    let mass = Array1::from(uniform(NBODY, 2));
    let fresh = || (copy(&pos0), zeros(NBODY, 3));
    add(
        "nbody",
        "serial",
        measure(b, fresh, |(mut p, mut v)| nbody(p.view_mut(), v.view_mut(), mass.view(), 1e-6)),
        measure(b, fresh, |(mut p, mut v)| nbody_hand(&mut p, &mut v, &mass, 1e-6)),
    );
    add(
        "nbody",
        "parallel",
        measure(b, fresh, |(mut p, mut v)| nbody_par(p.view_mut(), v.view_mut(), mass.view(), 1e-6)),
        measure(b, fresh, |(mut p, mut v)| nbody_rayon(&mut p, &mut v, &mass, 1e-6)),
    );

    let x = matrix(PAIRS.0, PAIRS.1, 3);
    add(
        "pairwise_distances",
        "serial",
        measure(b, || (), |_| pairwise(x.view())),
        measure(b, || (), |_| pairwise_hand(&x)),
    );
    add(
        "pairwise_distances",
        "parallel",
        measure(b, || (), |_| pairwise_par(x.view())),
        measure(b, || (), |_| pairwise_rayon(&x)),
    );

    let u = matrix(JACOBI, JACOBI, 4);
    let mut o = zeros(JACOBI, JACOBI);
    let mut o2 = o.clone();
    add(
        "jacobi_2d",
        "serial",
        measure(b, || (), |_| jacobi(u.view(), o.view_mut())),
        measure(b, || (), |_| jacobi_hand(&u, &mut o2)),
    );
    add(
        "jacobi_2d",
        "parallel",
        measure(b, || (), |_| jacobi_par(u.view(), o.view_mut())),
        measure(b, || (), |_| jacobi_rayon(&u, &mut o2)),
    );

    let xs = uniform(HIST.0, 5);
    add(
        "histogram",
        "serial",
        measure(b, || (), |_| histogram(&xs, HIST.1)),
        measure(b, || (), |_| histogram_hand(&xs, HIST.1)),
    );
    add(
        "histogram",
        "parallel",
        measure(b, || (), |_| histogram_par(&xs, HIST.1)),
        measure(b, || (), |_| histogram_rayon(&xs, HIST.1)),
    );

    add(
        "monte_carlo_pi",
        "serial",
        measure(b, || (), |_| monte_carlo_pi(PI)),
        measure(b, || (), |_| monte_carlo_pi_hand(PI)),
    );
    add(
        "monte_carlo_pi",
        "parallel",
        measure(b, || (), |_| monte_carlo_pi_par(PI)),
        measure(b, || (), |_| monte_carlo_pi_rayon(PI)),
    );

    let (s, k, t) = bs_data(BS);
    let mut call = huge_vec(BS);
    call.resize(BS, 0.0);
    let mut call2 = call.clone();
    add(
        "black_scholes",
        "serial",
        measure(b, || (), |_| black_scholes(&s, &k, &t, 0.02, 0.3, &mut call)),
        measure(
            b,
            || (),
            |_| {
                black_scholes_hand(&s, &k, &t, 0.02, 0.3, &mut call2);
                std::hint::black_box(&call2);
            },
        ),
    );
    add(
        "black_scholes",
        "parallel",
        measure(b, || (), |_| black_scholes_par(&s, &k, &t, 0.02, 0.3, &mut call)),
        measure(
            b,
            || (),
            |_| {
                black_scholes_rayon(&s, &k, &t, 0.02, 0.3, &mut call2);
                std::hint::black_box(&call2);
            },
        ),
    );

    let (lx, ly, lw) = logreg_data();
    add(
        "logreg_gradient",
        "serial",
        measure(b, || (), |_| logreg_grad(lx.view(), &ly, &lw)),
        measure(b, || (), |_| logreg_grad_hand(&lx, &ly, &lw)),
    );
    add(
        "logreg_gradient",
        "parallel",
        measure(b, || (), |_| logreg_grad_par(lx.view(), &ly, &lw)),
        measure(b, || (), |_| logreg_grad_rayon(&lx, &ly, &lw)),
    );

    let (a, bm) = (matrix(MATMUL, MATMUL, 8), matrix(MATMUL, MATMUL, 9));
    add(
        "matmul_naive",
        "serial",
        measure(b, || (), |_| matmul(a.view(), bm.view())),
        measure(b, || (), |_| matmul_hand(&a, &bm)),
    );
    add(
        "matmul_naive",
        "parallel",
        measure(b, || (), |_| matmul_par(a.view(), bm.view())),
        measure(b, || (), |_| matmul_rayon(&a, &bm)),
    );

    let v = uniform(PREFIX, 10);
    let (mut p1, mut p2) = (huge_vec(PREFIX), huge_vec(PREFIX));
    p1.resize(PREFIX, 0.0);
    p2.resize(PREFIX, 0.0);
    add(
        "prefix_sum",
        "serial",
        measure(b, || (), |_| prefix_sum(&v, &mut p1)),
        measure(
            b,
            || (),
            |_| {
                prefix_sum_hand(&v, &mut p2);
                std::hint::black_box(&p2);
            },
        ),
    );

    let (iters, n) = SPIKES;
    let r = uniform(iters, 13);
    let h0 = matrix(iters, n, 14);
    let rv = Array1::from(r.clone());
    let b3 = Duration::from_secs(3);
    add(
        "spikes",
        "serial",
        measure(b3, || copy(&h0), |mut h| spikes(rv.view(), h.view_mut())),
        measure(b3, || copy(&h0), |mut h| spikes_hand(&r, &mut h)),
    );
    add(
        "spikes",
        "parallel",
        measure(b3, || copy(&h0), |mut h| spikes_par(rv.view(), h.view_mut())),
        measure(b3, || copy(&h0), |mut h| spikes_rayon(&r, &mut h)),
    );
    rows
}

/// Numba's timings by (kernel, variant), or why there are none.
fn measure_numba(root: &Path) -> Result<HashMap<(String, String), Timing>, String> {
    let venv = root.join("target/numba-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        eprintln!("creating {} and installing numpy and numba from PyPI…", venv.display());
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .map_err(|e| format!("python3 is not available ({e})"))?;
        if !ok.success() {
            return Err("python3 -m venv failed (Debian: apt-get install python3-venv)".into());
        }
        let pip = Command::new(venv.join("bin/pip"))
            .args(["install", "-q", "numpy", "numba"])
            .status()
            .map_err(|e| e.to_string())?;
        if !pip.success() {
            let _ = std::fs::remove_dir_all(&venv);
            return Err("pip could not install numpy and numba (is PyPI reachable?)".into());
        }
    }
    let (iters, n) = SPIKES;
    let out = Command::new(&python)
        .arg(root.join("benches/numba/kernels.py"))
        .arg(iters.to_string())
        .arg(n.to_string())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("the Numba script failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let mut map = HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{e}: {line}"))?;
        let key = (
            v["kernel"].as_str().unwrap_or_default().to_string(),
            v["variant"].as_str().unwrap_or_default().to_string(),
        );
        map.insert(
            key,
            Timing {
                first: v["first_ms"].as_f64().unwrap_or(f64::NAN),
                steady: v["steady_ms"].as_f64().unwrap_or(f64::NAN),
            },
        );
    }
    Ok(map)
}

fn numba_version(root: &Path) -> String {
    let py = root.join("target/numba-venv/bin/python");
    Command::new(py)
        .args(["-c", "import numba, numpy; print(f'Numba {numba.__version__}, NumPy {numpy.__version__}')"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// Peak resident memory (VmHWM) of this process, in MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Child mode: runs the spike sampler once (rjit or by hand) and prints the peak memory.
fn peak_child(which: &str) {
    let (iters, n) = SPIKES;
    let r = uniform(iters, 13);
    let mut h = matrix(iters, n, 14);
    let base = peak_mb();
    let out =
        if which == "rjit" { spikes(Array1::from(r).view(), h.view_mut()).to_vec() } else { spikes_hand(&r, &mut h) };
    std::hint::black_box(out);
    println!("PEAK {} {}", peak_mb(), base);
}

fn peak_of(which: &str) -> Option<(f64, f64)> {
    let out = Command::new(std::env::current_exe().ok()?).args(["--peak", which]).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("PEAK "))?;
    let mut it = line.split_whitespace().skip(1).map(|x| x.parse::<f64>().ok());
    Some((it.next()??, it.next()??))
}

fn chart(path: &Path, rows: &[(String, &'static str, Row)]) -> Result<(), String> {
    use plotters::prelude::*;
    let font = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf"]
        .iter()
        .find_map(|p| std::fs::read(p).ok())
        .ok_or("no DejaVu Sans font to draw text with (Debian: apt-get install fonts-dejavu-core)")?;
    plotters::style::register_font("sans-serif", FontStyle::Normal, Box::leak(font.into_boxed_slice()))
        .map_err(|_| "the font could not be loaded")?;
    let serial: Vec<&(String, &'static str, Row)> = rows.iter().filter(|r| r.1 == "serial").collect();
    let ratio = |t: f64, hand: f64| t / hand;
    let ymax = serial
        .iter()
        .flat_map(|r| {
            [ratio(r.2.rjit.steady, r.2.hand.steady), r.2.numba.map_or(0.0, |n| ratio(n.steady, r.2.hand.steady))]
        })
        .fold(1.5f64, f64::max)
        .min(4.0)
        * 1.1;
    let root = BitMapBackend::new(path, (1400, 700)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut c = ChartBuilder::on(&root)
        .caption(
            "Steady-state time relative to hand-written Rust (serial kernels; lower is faster)",
            ("sans-serif", 22),
        )
        .margin(20)
        .x_label_area_size(90)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..serial.len() as f64, 0f64..ymax)
        .map_err(|e| e.to_string())?;
    let names: Vec<String> = serial.iter().map(|r| r.0.clone()).collect();
    c.configure_mesh()
        .disable_x_mesh()
        .x_labels(serial.len() * 2 + 1)
        .x_label_formatter(&|x| {
            let i = x.floor() as usize;
            if (x - i as f64 - 0.5).abs() < 0.01 {
                names.get(i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .x_label_style(("sans-serif", 15))
        .y_desc("time / hand-written time")
        .y_label_style(("sans-serif", 15))
        .draw()
        .map_err(|e| e.to_string())?;
    let series = [
        ("hand-written Rust", RGBColor(120, 120, 120)),
        ("rjit", RGBColor(31, 111, 235)),
        ("Numba", RGBColor(230, 120, 20)),
    ];
    for (s, (label, color)) in series.iter().enumerate() {
        let bars: Vec<Rectangle<(f64, f64)>> = serial
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let v = match s {
                    0 => 1.0,
                    1 => ratio(r.2.rjit.steady, r.2.hand.steady),
                    _ => ratio(r.2.numba?.steady, r.2.hand.steady),
                };
                let x0 = i as f64 + 0.12 + 0.25 * s as f64;
                Some(Rectangle::new([(x0, 0.0), (x0 + 0.23, v.min(ymax))], color.filled()))
            })
            .collect();
        let color = *color;
        c.draw_series(bars)
            .map_err(|e| e.to_string())?
            .label(*label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
    }
    c.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(("sans-serif", 16))
        .background_style(WHITE)
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "--peak" {
        return peak_child(&args[2]);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // Rounds of (rjit and hand-written Rust, then Numba) alternate, and each side keeps its fastest
    // steady time over the rounds: a burst of load from the machine's other tenants then slows one
    // round, not one side. First calls are the first round's (a fresh process for each side).
    let rounds: usize = std::env::var("RJIT_COMPARE_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    eprintln!("measuring rjit and hand-written Rust ({} threads), round 1 of {rounds}…", rjit::num_threads());
    let mut rows = measure_rust();
    eprintln!("checking every rjit result against hand-written Rust…");
    check();
    eprintln!("measuring Numba, round 1 of {rounds}…");
    let mut numba = measure_numba(&root);
    for round in 2..=rounds {
        eprintln!("round {round} of {rounds}…");
        for (row, again) in rows.iter_mut().zip(measure_rust()) {
            row.2.rjit.steady = row.2.rjit.steady.min(again.2.rjit.steady);
            row.2.hand.steady = row.2.hand.steady.min(again.2.hand.steady);
        }
        if let (Ok(map), Ok(again)) = (&mut numba, measure_numba(&root)) {
            for (key, t) in again {
                if let Some(best) = map.get_mut(&key) {
                    best.steady = best.steady.min(t.steady);
                }
            }
        }
    }
    match &numba {
        Ok(map) => {
            for (k, v, row) in rows.iter_mut() {
                row.numba = map.get(&(k.clone(), v.to_string())).copied();
            }
        }
        Err(why) => eprintln!("Numba comparison skipped: {why}"),
    }
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let mut md = format!(
        "Measured on {cpu}, {} threads; {}; times in ms, the fastest of repeated runs over {rounds} alternating rounds (first call: one run, compilation included). Ratios below 1 mean rjit is faster.\n\n",
        rjit::num_threads(),
        if numba.is_ok() { numba_version(&root) } else { "Numba not measured".into() }
    );
    md.push_str("| kernel | variant | Numba | rjit | hand-written | rjit / Numba | rjit / hand | Numba first call | rjit first call |\n|---|---|---|---|---|---|---|---|---|\n");
    let f = |x: f64| {
        if x >= 100.0 {
            format!("{x:.0}")
        } else if x >= 10.0 {
            format!("{x:.1}")
        } else {
            format!("{x:.2}")
        }
    };
    for (k, v, r) in &rows {
        let (nb, nbf, vs) = match r.numba {
            Some(n) => (f(n.steady), f(n.first), format!("{:.2}", r.rjit.steady / n.steady)),
            None => ("–".into(), "–".into(), "–".into()),
        };
        let hand = if *v == "parallel" { format!("{} (rayon)", f(r.hand.steady)) } else { f(r.hand.steady) };
        md.push_str(&format!(
            "| {k} | {v} | {nb} | {} | {hand} | {vs} | {:.2} | {nbf} | {} |\n",
            f(r.rjit.steady),
            r.rjit.steady / r.hand.steady,
            f(r.rjit.first)
        ));
    }
    if let (Some((rj, rb)), Some((hd, hb))) = (peak_of("rjit"), peak_of("hand")) {
        md.push_str(&format!(
            "\nPeak memory of the spike sampler ({} × {} f64, one process each): rjit {rj:.0} MB, hand-written {hd:.0} MB (the data alone: {rb:.0} and {hb:.0} MB before the call).\n",
            SPIKES.0, SPIKES.1
        ));
    }
    println!("{md}");
    let out = root.join("target/compare");
    std::fs::create_dir_all(&out).expect("target/compare");
    std::fs::write(out.join("table.md"), &md).expect("table written");
    match chart(&out.join("benchmarks.png"), &rows) {
        Ok(()) => eprintln!("wrote {} and {}", out.join("table.md").display(), out.join("benchmarks.png").display()),
        Err(e) => eprintln!("no chart: {e}"),
    }
}
