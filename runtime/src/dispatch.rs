//! The dispatcher: one static `Dispatcher` per njit function, holding what the macro embedded and the
//! specializations compiled so far.
//!
//! The fast path is lock-free: the argument codes pack into a 64-bit key, looked up among a fixed
//! array of slots with atomic loads. A miss takes the kernel's mutex, compiles (once, however many
//! threads miss together), and publishes the entry in a slot: entry first, then key, with release
//! ordering, so a reader that sees the key sees the entry.

use crate::abi::{Entry, Ret};
use crate::compile::{self, Origin};
use crate::desc::FnDesc;
use crate::error::Error;
use crate::helpers::CallEnv;
use crate::Stats;
use rjit_front::{signature, Ty};
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

const SLOTS: usize = 16;

struct Slot {
    key: AtomicU64,
    entry: AtomicUsize,
}

struct Spec {
    tys: Vec<Ty>,
    ret: Ty,
    /// The optimized LLVM IR (empty when loaded from the cache).
    llvm_ir: String,
    /// Given by `sig = …` or `name::compile`: a signature calls may match.
    declared: bool,
    entry: Entry,
    /// Time to compile it, or to load it from the cache, in all and by stage.
    time: Duration,
    stages: compile::Stages,
    origin: Origin,
    /// LLVM's loop-vectorizer remarks, by line (none when loaded from the cache).
    remarks: Vec<compile::Remark>,
}

#[derive(Default)]
struct State {
    specs: Vec<Spec>,
    /// Argument codes seen so far → the entry they call (several codes may share one entry when a
    /// signature with `[:]` accepts C and strided arrays alike). Codes with `PARTIAL` set (a tuple
    /// under `-> _`) do not say everything: such routes also match on the full types.
    routes: Vec<(Vec<u16>, Option<Vec<Ty>>, Entry)>,
    sigs_compiled: bool,
}

pub struct Dispatcher {
    pub desc: &'static FnDesc,
    slots: [Slot; SLOTS],
    state: Mutex<State>,
    calls: [Shard; SHARDS],
}

/// Call counters: each thread counts in its own shard (a cache line of its own), so counting does
/// not bounce one line between cores.
const SHARDS: usize = 16;

#[repr(align(64))]
struct Shard(AtomicU64);

fn my_shard() -> usize {
    use std::cell::Cell;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local!(static SHARD: Cell<usize> = const { Cell::new(usize::MAX) });
    SHARD.with(|s| {
        if s.get() == usize::MAX {
            s.set(NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS);
        }
        s.get()
    })
}

/// Calls a compiled entry and takes its result.
///
/// # Safety
/// `entry` was compiled for the arguments `args` point to, and `R` is its return type.
#[inline(always)]
unsafe fn call_entry<R: Ret>(entry: Entry, args: &[*const u8]) -> Result<R, Error> {
    let mut ret = MaybeUninit::<R::Abi>::uninit();
    let mut env = CallEnv::new();
    // SAFETY: the caller's contract.
    unsafe { entry(args.as_ptr(), ret.as_mut_ptr().cast(), &mut env) };
    if env.status != 0 {
        return Err(env.take_error());
    }
    // SAFETY: with status 0 the entry wrote the return value.
    Ok(unsafe { R::from_abi(ret.assume_init()) })
}

/// The stack compilation runs on (virtual memory: only what is used is backed).
const COMPILE_STACK: usize = 256 << 20;

/// Runs `f` on a thread with a `COMPILE_STACK` stack and waits for it; a panic in `f` reaches the
/// caller as it would have. When no thread can start (a thread limit), `f` runs on the caller's
/// thread.
fn on_compile_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let work = Mutex::new(Some(f));
    let run = || work.lock().unwrap_or_else(|p| p.into_inner()).take().map(|f| f());
    let spawned = std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("rjit-compile".into())
            .stack_size(COMPILE_STACK)
            .spawn_scoped(s, run)
            .ok()?;
        Some(handle.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    match spawned.flatten() {
        Some(t) => t,
        None => run().expect("the work runs once"),
    }
}

impl std::fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatcher").field("name", &self.desc.name).finish_non_exhaustive()
    }
}

/// Packs per-argument codes (9 bits each: dtype, rank, layout, mutability) into a non-zero key; 0
/// when there are too many arguments for the fast path, or a code does not say everything.
#[inline(always)]
fn pack(codes: &[u16]) -> u64 {
    if codes.len() > 7 || codes.iter().any(|c| c & crate::abi::PARTIAL != 0) {
        return 0;
    }
    let mut key = 1u64 << 63;
    for (i, c) in codes.iter().enumerate() {
        key |= u64::from(*c & 0x1ff) << (9 * i);
    }
    key
}

impl Dispatcher {
    pub const fn new(desc: &'static FnDesc) -> Dispatcher {
        Dispatcher {
            desc,
            slots: [const { Slot { key: AtomicU64::new(0), entry: AtomicUsize::new(0) } }; SLOTS],
            state: Mutex::new(State { specs: Vec::new(), routes: Vec::new(), sigs_compiled: false }),
            calls: [const { Shard(AtomicU64::new(0)) }; SHARDS],
        }
    }

    #[inline(always)]
    fn lookup(&self, key: u64) -> Option<Entry> {
        for slot in &self.slots {
            let k = slot.key.load(Ordering::Acquire);
            if k == key {
                let e = slot.entry.load(Ordering::Relaxed);
                // SAFETY: only `publish` stores entries, and only addresses of compiled entries.
                return Some(unsafe { std::mem::transmute::<usize, Entry>(e) });
            }
            if k == 0 {
                return None;
            }
        }
        None
    }

    /// Calls the specialization for these arguments, compiling it first if needed.
    ///
    /// # Safety
    /// `args` point to the ABI values whose codes are `codes`, and `R` is the function's return type.
    #[inline]
    pub unsafe fn invoke<R: Ret>(
        &'static self,
        codes: &[u16],
        args: &[*const u8],
        tys: &dyn Fn() -> Vec<Ty>,
    ) -> Result<R, Error> {
        // An atomic add on this thread's shard: exact, and uncontended unless more than `SHARDS`
        // threads call at once.
        self.calls[my_shard()].0.fetch_add(1, Ordering::Relaxed);
        let key = pack(codes);
        match self.lookup(key) {
            // SAFETY: the caller's contract; the entry was compiled for exactly these codes.
            Some(e) if key != 0 => unsafe { call_entry(e, args) },
            // SAFETY: the caller's contract.
            _ => unsafe { self.slow_call(key, codes, args, tys) },
        }
    }

    /// A call the fast path could not make: the first with these codes, one with too many
    /// arguments for a key, or any call when the interpreter runs calls (`config::Interpreter`).
    ///
    /// # Safety
    /// As for [`invoke`](Self::invoke).
    #[cold]
    #[inline(never)]
    unsafe fn slow_call<R: Ret>(
        &'static self,
        key: u64,
        codes: &[u16],
        args: &[*const u8],
        tys: &dyn Fn() -> Vec<Ty>,
    ) -> Result<R, Error> {
        use crate::config::Interpreter;
        // SAFETY (all three): the caller's contract, passed on.
        match crate::config::config().interpreter {
            Interpreter::Off => unsafe {
                call_entry(self.specialize_on_compile_stack(key, codes, tys, R::ty())?, args)
            },
            Interpreter::Only => unsafe { crate::interp::interpret(self.desc, self.interpreted_types(tys)?, args) },
            Interpreter::Differential => unsafe {
                let entry = self.specialize_on_compile_stack(key, codes, tys, R::ty())?;
                let (target, _) = self.interpreted_types(tys)?;
                crate::interp::differential(self.desc, entry, target, tys(), args)
            },
        }
    }

    /// Runs this call in the reference interpreter (`name::interpret`): the same checks and results
    /// as compiled code, slowly, and nothing compiled.
    ///
    /// # Safety
    /// As for [`invoke`](Self::invoke).
    pub unsafe fn interpret<R: Ret>(&'static self, args: &[*const u8], tys: &dyn Fn() -> Vec<Ty>) -> Result<R, Error> {
        self.calls[my_shard()].0.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract.
        unsafe { crate::interp::interpret(self.desc, self.interpreted_types(tys)?, args) }
    }

    /// The parameter types the interpreter runs a call with (the closest declared signature, as
    /// for compiled calls), and under `-> _` the return type the caller asks for.
    pub(crate) fn interpreted_types(&self, tys: &dyn Fn() -> Vec<Ty>) -> Result<(Vec<Ty>, Option<Ty>), Error> {
        let mut given = tys();
        let expected = if self.desc.ret_inferred { given.pop() } else { None };
        self.check_boundary(&given)?;
        if self.desc.sigs.is_empty() {
            return Ok((given, expected));
        }
        let declared = self.desc.sigs.iter().map(|s| self.sig_params(s)).collect::<Result<Vec<_>, _>>()?;
        Ok((self.best_signature(declared.iter(), &given)?, expected))
    }

    /// [`specialize`](Self::specialize) on a thread of its own with a large stack: parsing and
    /// LLVM recurse deeply, and the caller's thread may have a small stack.
    #[cold]
    #[inline(never)]
    fn specialize_on_compile_stack(
        &'static self,
        key: u64,
        codes: &[u16],
        tys: &dyn Fn() -> Vec<Ty>,
        rust_ret: Ty,
    ) -> Result<Entry, Error> {
        let all = tys();
        on_compile_stack(|| self.specialize(key, codes, &|| all.clone(), rust_ret))
    }

    #[cold]
    #[inline(never)]
    fn specialize(
        &'static self,
        key: u64,
        codes: &[u16],
        tys: &dyn Fn() -> Vec<Ty>,
        rust_ret: Ty,
    ) -> Result<Entry, Error> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let partial = codes.iter().any(|c| c & crate::abi::PARTIAL != 0);
        let full = partial.then(tys);
        if let Some((.., e)) = state.routes.iter().find(|(c, t, _)| c == codes && *t == full) {
            return Ok(*e);
        }
        let mut given = full.clone().unwrap_or_else(tys);
        let expected_ret = if self.desc.ret_inferred { given.pop() } else { None };
        self.check_boundary(&given)?;
        let target = if self.desc.sigs.is_empty() {
            given
        } else {
            if !state.sigs_compiled {
                for sig in self.desc.sigs {
                    let params = self.sig_params(sig)?;
                    self.spec_entry(&mut state, params, true)?;
                }
                state.sigs_compiled = true;
            }
            self.choose(&state, &given)?
        };
        let entry = self.spec_entry(&mut state, target.clone(), false)?;
        // What the caller's Rust type receives must be what the code returns: under `-> _` the
        // type the caller chose, else the declared one as Rust resolved its spelling.
        {
            let expected = expected_ret.unwrap_or(rust_ret);
            let actual = &state.specs.iter().find(|s| s.tys == target).expect("just compiled").ret;
            if !signature::ret_matches(&expected, actual) {
                return Err(Error::ReturnTypeMismatch {
                    function: self.desc.name.to_string(),
                    expected: signature::print(&expected),
                    found: signature::print(actual),
                });
            }
        }
        let n = state.routes.len();
        state.routes.push((codes.to_vec(), full, entry));
        if key != 0 && n < SLOTS && crate::config::config().interpreter == crate::config::Interpreter::Off {
            self.slots[n].entry.store(entry as usize, Ordering::Relaxed);
            self.slots[n].key.store(key, Ordering::Release);
        }
        Ok(entry)
    }

    /// The argument types Rust passes must be the parameter types the body is checked with. They
    /// differ only when a type's spelling means something else where the function is defined
    /// (`type f64 = f32;`): the macro has rustc check that too, and this check keeps such code
    /// from ever reading memory as another type.
    fn check_boundary(&self, given: &[Ty]) -> Result<(), Error> {
        let first = |d: Vec<rjit_front::Diag>| Error::Compile {
            function: self.desc.name.to_string(),
            message: d.first().map(|d| d.text()).unwrap_or_default(),
        };
        let item = rjit_front::parse_item(self.desc.source).map_err(first)?;
        let subst = rjit_front::boundary::bind(&item, given);
        let f = rjit_front::lower_fn(&item, self.desc.base_line, &subst, self.desc.frozen_globals()).map_err(first)?;
        let mismatch = |what: String| {
            Error::Compile {
            function: self.desc.name.to_string(),
            message: format!("{what}: the type's name means another type where the function is defined (a type alias or a shadowed name); write the type by its real name"),
        }
        };
        if f.params.len() != given.len() {
            return Err(mismatch(format!(
                "{} parameters are declared, but Rust passes {} arguments",
                f.params.len(),
                given.len()
            )));
        }
        for (p, g) in f.params.iter().zip(given) {
            let same = match (&p.ty, g) {
                (Ty::Unknown, _) => true,
                (Ty::Array(d), Ty::Array(a)) => d.elem == a.elem && d.ndim == a.ndim && d.mutable == a.mutable,
                (d, a) => d == a,
            };
            if !same {
                return Err(mismatch(format!(
                    "parameter `{}` is declared `{}`, but Rust passes `{}`",
                    f.local(p.local).name,
                    p.ty,
                    g
                )));
            }
        }
        Ok(())
    }

    /// The entry of the specialization for `tys`, compiled (or loaded) if it does not exist yet.
    fn spec_entry(&'static self, state: &mut State, tys: Vec<Ty>, declared: bool) -> Result<Entry, Error> {
        if let Some(s) = state.specs.iter_mut().find(|s| s.tys == tys) {
            s.declared |= declared;
            return Ok(s.entry);
        }
        let start = std::time::Instant::now();
        let c = compile::compile(self.desc, &tys)?;
        let entry = c.entry;
        state.specs.push(Spec {
            tys,
            ret: c.ret,
            llvm_ir: c.llvm_ir,
            declared,
            entry,
            time: start.elapsed(),
            stages: c.stages,
            origin: c.origin,
            remarks: c.remarks,
        });
        Ok(entry)
    }

    /// A signature's parameter types, checked against the function's declared ones.
    fn sig_params(&self, text: &str) -> Result<Vec<Ty>, Error> {
        let invalid = |message: String| Error::InvalidSignature { function: self.desc.name.to_string(), message };
        let sig = signature::parse(text).map_err(invalid)?;
        let first = |d: Vec<rjit_front::Diag>| invalid(d.first().map(|d| d.text()).unwrap_or_default());
        let item = rjit_front::parse_item(self.desc.source).map_err(first)?;
        let subst = rjit_front::boundary::bind(&item, &sig.params);
        let f = rjit_front::lower_fn(&item, self.desc.base_line, &subst, self.desc.frozen_globals()).map_err(first)?;
        let declared: Vec<Ty> = f.params.iter().map(|p| p.ty.clone()).collect();
        signature::apply(&sig, &declared, &f.ret).map_err(invalid)
    }

    /// The declared signature that fits `given` best (most layouts matching exactly).
    fn choose(&self, state: &State, given: &[Ty]) -> Result<Vec<Ty>, Error> {
        self.best_signature(state.specs.iter().filter(|s| s.declared).map(|s| &s.tys), given)
    }

    /// Among `declared` parameter lists, the one accepting `given` with the most exact matches.
    fn best_signature<'a>(&self, declared: impl Iterator<Item = &'a Vec<Ty>>, given: &[Ty]) -> Result<Vec<Ty>, Error> {
        let exact = |tys: &[Ty]| tys.iter().zip(given).filter(|(a, b)| a == b).count();
        declared.filter(|tys| signature::accepts(tys, given)).max_by_key(|tys| exact(tys)).cloned().ok_or_else(|| {
            Error::NoMatchingSignature {
                function: self.desc.name.to_string(),
                given: signature::print_args(given),
                accepted: self.desc.sigs.iter().map(|s| s.to_string()).collect(),
            }
        })
    }

    /// Compiles the specialization a signature names, ahead of its first call.
    pub fn compile_sig(&'static self, text: &str) -> Result<(), Error> {
        on_compile_stack(|| {
            let params = self.sig_params(text)?;
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            self.spec_entry(&mut state, params, true).map(|_| ())
        })
    }

    /// The argument types of each compiled specialization, as `name(f32[::1], u64, f32)`.
    pub fn signatures(&self) -> Vec<String> {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.specs.iter().map(|s| signature::print_args(&s.tys)).collect()
    }

    /// The optimized LLVM IR of every specialization compiled in this process, each under its
    /// argument types.
    pub fn inspect_llvm(&self) -> String {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state
            .specs
            .iter()
            .map(|s| {
                let body =
                    if s.llvm_ir.is_empty() { "; loaded from the cache: no IR was generated\n" } else { &s.llvm_ir };
                format!("; {}{}\n{body}", self.desc.name, signature::print_args(&s.tys))
            })
            .collect()
    }

    /// Each specialization's source with its typed IR, as `inspect_types` shows it.
    pub fn inspect_types(&'static self) -> String {
        let tys: Vec<Vec<Ty>> =
            self.state.lock().unwrap_or_else(|p| p.into_inner()).specs.iter().map(|s| s.tys.clone()).collect();
        if tys.is_empty() {
            return format!(
                "`{}` has no specialization yet: call it (or `{}::compile(\"…\")`) first\n",
                self.desc.name, self.desc.name
            );
        }
        tys.iter().map(|t| crate::inspect::typed_listing(self.desc, t)).collect::<Vec<_>>().join("\n")
    }

    /// Each specialization's assembly for the host CPU (made again from its kept LLVM IR).
    pub fn inspect_asm(&self) -> String {
        let specs: Vec<(Vec<Ty>, String)> = self
            .state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .specs
            .iter()
            .map(|s| (s.tys.clone(), s.llvm_ir.clone()))
            .collect();
        specs
            .iter()
            .map(|(tys, ir)| {
                let asm = if ir.is_empty() {
                    "; loaded from the cache: no IR was kept to make assembly from\n".to_string()
                } else {
                    crate::engine::with_engine(|e| e.assembly(ir))
                        .and_then(|r| r)
                        .unwrap_or_else(|e| format!("; no assembly: {e}\n"))
                };
                format!("; {}{}\n{asm}", self.desc.name, signature::print_args(tys))
            })
            .collect()
    }

    /// Writes a self-contained HTML page of the first specialization: the source with each line's
    /// types, loops marked parallel, vectorized or serial, and the parallel diagnostics.
    pub fn annotate_html(&'static self, path: &std::path::Path) -> std::io::Result<()> {
        let first = self
            .state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .specs
            .first()
            .map(|s| (s.tys.clone(), s.remarks.clone(), s.origin == Origin::Cached));
        let Some((tys, remarks, cached)) = first else {
            return Err(std::io::Error::other(format!(
                "`{}` has no specialization yet: call it (or `{}::compile(\"…\")`) first",
                self.desc.name, self.desc.name
            )));
        };
        std::fs::write(path, crate::inspect::annotated_page(self.desc, &tys, &remarks, cached))
    }

    /// The parallel plan (DSL.md §6), for the first specialization's types, or the declared ones
    /// before any call. `level` 1–4 adds detail.
    pub fn parallel_diagnostics(&'static self, level: u8) -> String {
        let first = self.state.lock().unwrap_or_else(|p| p.into_inner()).specs.first().map(|s| s.tys.clone());
        crate::inspect::parallel_report(self.desc, first.as_deref(), level.clamp(1, 4))
    }

    pub fn stats(&self) -> Stats {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let time = |o: Origin| state.specs.iter().filter(|s| s.origin == o).map(|s| s.time).sum();
        let mut stages = compile::Stages::default();
        for s in &state.specs {
            stages += s.stages;
        }
        Stats {
            specializations: state.specs.len(),
            cache_hits: state.specs.iter().filter(|s| s.origin == Origin::Cached).count(),
            compile_time: time(Origin::Compiled),
            cache_load_time: time(Origin::Cached),
            stages,
            calls: self.calls.iter().map(|s| s.0.load(Ordering::Relaxed)).sum(),
        }
    }
}
