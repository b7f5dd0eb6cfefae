//! Running a generated program: its inputs in every layout, the call compiled and interpreted,
//! and shrinking a program that disagrees to a smaller one that still does.

use super::*;

// ---------------------------------------------------------------- inputs

/// The arguments of one run, owned, in the layouts chosen.
#[derive(Clone)]
pub(super) struct Inputs {
    a: Array1<f64>,
    a_view: u8,
    b: Array2<f64>,
    b_layout: u8,
    v: Array1<i64>,
    v_reversed: bool,
    n: i64,
    x: f64,
}

pub(super) fn inputs(rng: &mut StdRng) -> Inputs {
    let len = rng.gen_range(0..6);
    let a_view = rng.gen_range(0..3);
    // Strided views read every other element of a longer array.
    let a_len = if a_view == 1 { 2 * len } else { len };
    let nice = |rng: &mut StdRng| (rng.gen_range(-16..17) as f64) * 0.25;
    let a = Array1::from_shape_fn(a_len, |_| nice(rng));
    let (r, c) = (rng.gen_range(0..4), rng.gen_range(0..5));
    let b_layout = rng.gen_range(0..4);
    let b = match b_layout {
        // Fortran order: a transposed C array.
        1 => Array2::from_shape_fn((c, r), |_| nice(rng)),
        // Every other column.
        2 => Array2::from_shape_fn((r, 2 * c), |_| nice(rng)),
        _ => Array2::from_shape_fn((r, c), |_| nice(rng)),
    };
    let vlen = rng.gen_range(0..5);
    let v = Array1::from_shape_fn(vlen, |_| {
        if rng.gen_bool(0.2) {
            i64::MAX - rng.gen_range(0..3)
        } else {
            rng.gen_range(-20..21)
        }
    });
    let x = [0.5, -2.25, 1e300, f64::NAN, f64::INFINITY, -0.0, 3.0][rng.gen_range(0..7)];
    Inputs { a, a_view, b, b_layout, v, v_reversed: rng.gen_bool(0.3), n: rng.gen_range(-2..7), x }
}

impl Inputs {
    pub(super) fn describe(&self) -> String {
        let a = ["contiguous", "strided", "reversed"][self.a_view as usize];
        let b = ["C", "F", "strided", "rows reversed"][self.b_layout as usize];
        format!(
            "a ({a}) = {}, b ({b}) = {}, v{} = {}, n = {}, x = {}",
            self.a,
            self.b,
            if self.v_reversed { " (reversed)" } else { "" },
            self.v,
            self.n,
            self.x
        )
    }
}

/// Calls `kernel` with views of `inp` in their layouts (writing into `inp`'s arrays), compiled or
/// interpreted.
pub(super) fn call(kernel: &'static Dispatcher, inp: &mut Inputs, interpret: bool) -> Result<f64, Error> {
    let a: ArrayView1<f64> = match inp.a_view {
        1 => inp.a.slice(s![..;2]),
        2 => inp.a.slice(s![..;-1]),
        _ => inp.a.view(),
    };
    let b: ArrayViewMut2<f64> = match inp.b_layout {
        1 => inp.b.view_mut().reversed_axes(),
        2 => inp.b.slice_mut(s![.., ..;2]),
        3 => inp.b.slice_mut(s![..;-1, ..]),
        _ => inp.b.view_mut(),
    };
    let v: ArrayViewMut1<i64> = if inp.v_reversed { inp.v.slice_mut(s![..;-1]) } else { inp.v.view_mut() };
    call5(kernel, (a, b, v, inp.n, inp.x), interpret)
}

// ---------------------------------------------------------------- running

pub(super) fn kernels(p: &Program) -> &'static Dispatcher {
    dispatcher("k", p.kernel_text(), "random_programs.rs", p.parallel, &[("h", p.helper_text())])
}

/// What running `p` on the inputs found: `None` when compiled code and the interpreter agree,
/// `Some(description)` when they do not. `Err` when the program is not one the macro accepts.
pub(super) fn run(p: &Program, inputs: &[Inputs]) -> Result<Option<String>, String> {
    for text in [p.kernel_text(), p.helper_text()] {
        let diags = rjit_front::check_text(&text);
        if !diags.is_empty() {
            return Err(format!("{}\n{text}", diags.iter().map(|d| d.text()).collect::<Vec<_>>().join("; ")));
        }
    }
    let k = kernels(p);
    for inp in inputs {
        let (mut c, mut i) = (inp.clone(), inp.clone());
        let compiled = call(k, &mut c, false);
        if let Err(Error::Compile { message, .. }) = &compiled {
            return Err(message.clone());
        }
        let interpreted = call(k, &mut i, true);
        let same_value = match (&compiled, &interpreted) {
            (Ok(x), Ok(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
            (Err(x), Err(y)) => x == y,
            _ => false,
        };
        let same_f = |x: &f64, y: &f64| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan());
        let ok_arrays = compiled.is_err() || (c.b.iter().zip(&i.b).all(|(x, y)| same_f(x, y)) && c.v == i.v);
        if !same_value || !ok_arrays {
            return Ok(Some(format!(
                "inputs: {}\ncompiled: {compiled:?}, b = {}, v = {}\ninterpreted: {interpreted:?}, b = {}, v = {}",
                inp.describe(),
                c.b,
                c.v,
                i.b,
                i.v
            )));
        }
    }
    Ok(None)
}

/// Every program one step simpler than `p`: a statement dropped, a loop or branch replaced by its
/// body, an expression replaced by a literal or by one of its operands.
pub(super) fn simpler(p: &Program) -> Vec<Program> {
    pub(super) fn blocks(b: &[S]) -> Vec<Vec<S>> {
        let mut out = Vec::new();
        for i in 0..b.len() {
            let mut c = b.to_vec();
            c.remove(i);
            out.push(c);
            if let Some(body) = &b[i].body {
                let mut c = b.to_vec();
                c.splice(i..=i, body.iter().cloned());
                out.push(c);
                for nb in blocks(body) {
                    let mut c = b.to_vec();
                    c[i].body = Some(nb);
                    out.push(c);
                }
            }
            if let Some(els) = &b[i].els {
                let mut c = b.to_vec();
                c[i].els = None;
                out.push(c);
                for nb in blocks(els) {
                    let mut c = b.to_vec();
                    c[i].els = Some(nb);
                    out.push(c);
                }
            }
            for (j, part) in b[i].head.iter().enumerate() {
                if let P::X(e) = part {
                    for ne in exprs(e) {
                        let mut c = b.to_vec();
                        c[i].head[j] = P::X(ne);
                        out.push(c);
                    }
                }
            }
        }
        out
    }
    pub(super) fn exprs(e: &E) -> Vec<E> {
        let mut out = Vec::new();
        if let K::Op(pieces, kids) = &e.k {
            out.push(E::simplest(e.ty));
            for k in kids.iter().filter(|k| k.ty == e.ty) {
                out.push(k.clone());
            }
            for (i, k) in kids.iter().enumerate() {
                for nk in exprs(k) {
                    let mut kids2 = kids.clone();
                    kids2[i] = nk;
                    out.push(E::op(e.ty, pieces.clone(), kids2));
                }
            }
        } else if !matches!(&e.k, K::Leaf(s) if *s == match e.ty { T::F => "1.5", T::I => "2i64", T::B => "true" }) {
            out.push(E::simplest(e.ty));
        }
        out
    }
    let mut out: Vec<Program> = blocks(&p.body).into_iter().map(|body| Program { body, ..p.clone() }).collect();
    out.extend(exprs(&p.helper).into_iter().map(|helper| Program { helper, ..p.clone() }));
    if p.parallel {
        out.push(Program { parallel: false, ..p.clone() });
    }
    out
}

/// Shrinks a failing program while it still fails (on the inputs that showed it).
pub(super) fn shrink(mut p: Program, inputs: &[Inputs]) -> (Program, String) {
    let mut why = run(&p, inputs).ok().flatten().expect("a failing program");
    'outer: for _ in 0..200 {
        for q in simpler(&p) {
            if let Ok(Some(w)) = run(&q, inputs) {
                p = q;
                why = w;
                continue 'outer;
            }
        }
        break;
    }
    (p, why)
}

pub(super) fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
