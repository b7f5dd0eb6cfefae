; clipped_mean(f64[::1], f64, f64)
; ModuleID = 'clipped_mean'
source_filename = "clipped_mean"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@site.0 = private constant [45 x i8] c"clipped_mean\1Ftests/suite/snapshots.rs\1F21\1F12\1F\00"
@site.1 = private constant [43 x i8] c"clipped_mean\1Ftests/suite/snapshots.rs\1F0\1F0\1F\00"

define internal double @clipped_mean.0(i8* %0, { double*, [1 x i64], [1 x i64], i8* } %1, double %2, double %3) {
entry:
  %i96 = alloca i64, align 8
  %acc = alloca double, align 8
  %i57 = alloca i64, align 8
  %i = alloca i64, align 8
  %hi = alloca double, align 8
  %lo = alloca double, align 8
  %c = alloca { double*, [1 x i64], [1 x i64], i8* }, align 8
  %v = alloca { double*, [1 x i64], [1 x i64], i8* }, align 8
  store { double*, [1 x i64], [1 x i64], i8* } zeroinitializer, { double*, [1 x i64], [1 x i64], i8* }* %v, align 8
  store { double*, [1 x i64], [1 x i64], i8* } zeroinitializer, { double*, [1 x i64], [1 x i64], i8* }* %c, align 8
  store { double*, [1 x i64], [1 x i64], i8* } %1, { double*, [1 x i64], [1 x i64], i8* }* %v, align 8
  %meminfo = extractvalue { double*, [1 x i64], [1 x i64], i8* } %1, 3
  %owned = icmp ne i8* %meminfo, null
  store double 0.000000e+00, double* %lo, align 8
  store double 0.000000e+00, double* %hi, align 8
  br i1 %owned, label %rc, label %rc.done

rc:                                               ; preds = %entry
  %count = bitcast i8* %meminfo to i64*
  %4 = atomicrmw add i64* %count, i64 1 monotonic, align 8
  br label %rc.done

rc.done:                                          ; preds = %rc, %entry
  %dims = extractvalue { double*, [1 x i64], [1 x i64], i8* } %1, 1
  %dim = extractvalue [1 x i64] %dims, 0
  %dim.ok = icmp sge i64 %dim, 0
  call void @llvm.assume(i1 %dim.ok)
  store double %2, double* %lo, align 8
  store double %3, double* %hi, align 8
  %borrow = load { double*, [1 x i64], [1 x i64], i8* }, { double*, [1 x i64], [1 x i64], i8* }* %v, align 8
  %borrow1 = load double, double* %lo, align 8
  %borrow2 = load double, double* %hi, align 8
  %dims3 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim4 = extractvalue [1 x i64] %dims3, 0
  %dim5 = select i1 true, i64 %dim4, i64 1
  %same = icmp eq i64 %dim4, %dim5
  %one = icmp eq i64 %dim4, 1
  %fits = or i1 %same, %one
  %bad = xor i1 %fits, true
  br i1 %bad, label %fail, label %ok

fail:                                             ; preds = %rc.done
  call void @rjit_fail(i8* %0, i8* getelementptr inbounds ([45 x i8], [45 x i8]* @site.0, i32 0, i32 0), i32 8, i64 0, i64 1, i64 %dim4)
  ret double 0.000000e+00

ok:                                               ; preds = %rc.done
  %count6 = call { i64, i1 } @llvm.umul.with.overflow.i64(i64 1, i64 %dim5)
  %count7 = extractvalue { i64, i1 } %count6, 0
  %ovf = extractvalue { i64, i1 } %count6, 1
  %too.long = icmp slt i64 %dim5, 0
  %ovf8 = or i1 %ovf, %too.long
  %ovf9 = or i1 false, %ovf8
  %count10 = select i1 %ovf9, i64 -1, i64 %count7
  %alloc = call i8* @rjit_alloc(i8* %0, i8* getelementptr inbounds ([45 x i8], [45 x i8]* @site.0, i32 0, i32 0), i64 %count10, i64 8, i64 8, i32 0)
  %failed = icmp eq i8* %alloc, null
  br i1 %failed, label %alloc.failed, label %alloc.ok

alloc.failed:                                     ; preds = %ok
  ret double 0.000000e+00

alloc.ok:                                         ; preds = %ok
  %words = bitcast i8* %alloc to i8**
  %data.slot = getelementptr inbounds i8*, i8** %words, i64 1
  %raw = load i8*, i8** %data.slot, align 8
  %data = bitcast i8* %raw to double*
  %desc = insertvalue { double*, [1 x i64], [1 x i64], i8* } undef, double* %data, 0
  %dims11 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc, 1
  %dims12 = insertvalue [1 x i64] %dims11, i64 %dim5, 0
  %desc13 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc, [1 x i64] %dims12, 1
  %dims14 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc13, 2
  %dims15 = insertvalue [1 x i64] %dims14, i64 1, 0
  %desc16 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc13, [1 x i64] %dims15, 2
  %desc17 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc16, i8* %alloc, 3
  %dims18 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc17, 1
  %dim19 = extractvalue [1 x i64] %dims18, 0
  %dims20 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim21 = extractvalue [1 x i64] %dims20, 0
  %dims22 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim23 = extractvalue [1 x i64] %dims22, 0
  %same24 = icmp eq i64 %dim21, %dim19
  %one25 = icmp eq i64 %dim21, 1
  %fits26 = or i1 %same24, %one25
  %bad27 = xor i1 %fits26, true
  br i1 %bad27, label %fail28, label %ok29

fail28:                                           ; preds = %alloc.ok
  call void @rjit_fail(i8* %0, i8* getelementptr inbounds ([45 x i8], [45 x i8]* @site.0, i32 0, i32 0), i32 8, i64 0, i64 %dim19, i64 %dim21)
  ret double 0.000000e+00

ok29:                                             ; preds = %alloc.ok
  %stride = select i1 %same24, i64 1, i64 0
  %data30 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 0
  %meminfo31 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 3
  %desc32 = insertvalue { double*, [1 x i64], [1 x i64], i8* } undef, double* %data30, 0
  %dims33 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc32, 1
  %dims34 = insertvalue [1 x i64] %dims33, i64 %dim19, 0
  %desc35 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc32, [1 x i64] %dims34, 1
  %dims36 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc35, 2
  %dims37 = insertvalue [1 x i64] %dims36, i64 %stride, 0
  %desc38 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc35, [1 x i64] %dims37, 2
  %desc39 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc38, i8* %meminfo31, 3
  %dims40 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim41 = extractvalue [1 x i64] %dims40, 0
  %same42 = icmp eq i64 %dim41, %dim19
  %shaped = and i1 true, %same42
  br i1 %shaped, label %flat, label %general

flat:                                             ; preds = %ok29
  %dims43 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc17, 1
  %dim44 = extractvalue [1 x i64] %dims43, 0
  %size = mul i64 1, %dim44
  %data45 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc17, 0
  %data46 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 0
  store i64 0, i64* %i, align 8
  br label %loop.head

general:                                          ; preds = %ok29
  %dims55 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc17, 1
  %dim56 = extractvalue [1 x i64] %dims55, 0
  store i64 0, i64* %i57, align 8
  br label %loop.head58

fused.done:                                       ; preds = %loop.exit60, %loop.exit
  %old = load { double*, [1 x i64], [1 x i64], i8* }, { double*, [1 x i64], [1 x i64], i8* }* %c, align 8
  store { double*, [1 x i64], [1 x i64], i8* } %desc17, { double*, [1 x i64], [1 x i64], i8* }* %c, align 8
  %meminfo86 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %old, 3
  %owned87 = icmp ne i8* %meminfo86, null
  br i1 %owned87, label %rc88, label %rc.done89

loop.head:                                        ; preds = %loop.body, %flat
  %i47 = load i64, i64* %i, align 8
  %more = icmp slt i64 %i47, %size
  br i1 %more, label %loop.body, label %loop.exit

loop.body:                                        ; preds = %loop.head
  %elem = getelementptr inbounds double, double* %data45, i64 %i47
  %elem48 = getelementptr inbounds double, double* %data46, i64 %i47
  %elem49 = load double, double* %elem48, align 8
  %pick = fcmp ogt double %elem49, %borrow1
  %mm = select i1 %pick, double %elem49, double %borrow1
  %xnan = fcmp uno double %elem49, %elem49
  %mm50 = select i1 %xnan, double %elem49, double %mm
  %pick51 = fcmp olt double %mm50, %borrow2
  %mm52 = select i1 %pick51, double %mm50, double %borrow2
  %xnan53 = fcmp uno double %mm50, %mm50
  %mm54 = select i1 %xnan53, double %mm50, double %mm52
  store double %mm54, double* %elem, align 8
  %next = add i64 %i47, 1
  store i64 %next, i64* %i, align 8
  br label %loop.head

loop.exit:                                        ; preds = %loop.head
  br label %fused.done

loop.head58:                                      ; preds = %loop.body59, %general
  %i61 = load i64, i64* %i57, align 8
  %more62 = icmp slt i64 %i61, %dim56
  br i1 %more62, label %loop.body59, label %loop.exit60

loop.body59:                                      ; preds = %loop.head58
  %dims63 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc17, 1
  %dim64 = extractvalue [1 x i64] %dims63, 0
  %off = mul i64 %i61, 1
  %off65 = add i64 0, %off
  %data66 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc17, 0
  %elem67 = getelementptr inbounds double, double* %data66, i64 %off65
  %dims68 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc39, 1
  %dim69 = extractvalue [1 x i64] %dims68, 0
  %dims70 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc39, 2
  %dim71 = extractvalue [1 x i64] %dims70, 0
  %off72 = mul i64 %i61, %dim71
  %off73 = add i64 0, %off72
  %data74 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc39, 0
  %elem75 = getelementptr inbounds double, double* %data74, i64 %off73
  %elem76 = load double, double* %elem75, align 8
  %pick77 = fcmp ogt double %elem76, %borrow1
  %mm78 = select i1 %pick77, double %elem76, double %borrow1
  %xnan79 = fcmp uno double %elem76, %elem76
  %mm80 = select i1 %xnan79, double %elem76, double %mm78
  %pick81 = fcmp olt double %mm80, %borrow2
  %mm82 = select i1 %pick81, double %mm80, double %borrow2
  %xnan83 = fcmp uno double %mm80, %mm80
  %mm84 = select i1 %xnan83, double %mm80, double %mm82
  store double %mm84, double* %elem67, align 8
  %next85 = add i64 %i61, 1
  store i64 %next85, i64* %i57, align 8
  br label %loop.head58

loop.exit60:                                      ; preds = %loop.head58
  br label %fused.done

rc88:                                             ; preds = %fused.done
  %count90 = bitcast i8* %meminfo86 to i64*
  %5 = atomicrmw sub i64* %count90, i64 1 acq_rel, align 8
  %last = icmp eq i64 %5, 1
  br i1 %last, label %rc.free, label %rc.done89

rc.done89:                                        ; preds = %rc.free, %rc88, %fused.done
  %borrow91 = load { double*, [1 x i64], [1 x i64], i8* }, { double*, [1 x i64], [1 x i64], i8* }* %c, align 8
  store double 0.000000e+00, double* %acc, align 8
  %dims92 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow91, 1
  %dim93 = extractvalue [1 x i64] %dims92, 0
  %size94 = mul i64 1, %dim93
  %data95 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow91, 0
  store i64 0, i64* %i96, align 8
  br label %loop.head97

rc.free:                                          ; preds = %rc88
  call void @rjit_free(i8* %0, i8* %meminfo86)
  br label %rc.done89

loop.head97:                                      ; preds = %loop.body98, %rc.done89
  %i100 = load i64, i64* %i96, align 8
  %more101 = icmp slt i64 %i100, %size94
  br i1 %more101, label %loop.body98, label %loop.exit99

loop.body98:                                      ; preds = %loop.head97
  %elem102 = getelementptr inbounds double, double* %data95, i64 %i100
  %elem103 = load double, double* %elem102, align 8
  %acc104 = load double, double* %acc, align 8
  %fadd = fadd double %acc104, %elem103
  store double %fadd, double* %acc, align 8
  %next105 = add i64 %i100, 1
  store i64 %next105, i64* %i96, align 8
  br label %loop.head97

loop.exit99:                                      ; preds = %loop.head97
  %total = load double, double* %acc, align 8
  %dims106 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow91, 1
  %dim107 = extractvalue [1 x i64] %dims106, 0
  %size108 = mul i64 1, %dim107
  %sitofp = sitofp i64 %size108 to double
  %fdiv = fdiv double %total, %sitofp
  %local = load { double*, [1 x i64], [1 x i64], i8* }, { double*, [1 x i64], [1 x i64], i8* }* %v, align 8
  %meminfo109 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %local, 3
  %owned110 = icmp ne i8* %meminfo109, null
  br i1 %owned110, label %rc111, label %rc.done112

rc111:                                            ; preds = %loop.exit99
  %count113 = bitcast i8* %meminfo109 to i64*
  %6 = atomicrmw sub i64* %count113, i64 1 acq_rel, align 8
  %last114 = icmp eq i64 %6, 1
  br i1 %last114, label %rc.free115, label %rc.done112

rc.done112:                                       ; preds = %rc.free115, %rc111, %loop.exit99
  %local116 = load { double*, [1 x i64], [1 x i64], i8* }, { double*, [1 x i64], [1 x i64], i8* }* %c, align 8
  %meminfo117 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %local116, 3
  %owned118 = icmp ne i8* %meminfo117, null
  br i1 %owned118, label %rc119, label %rc.done120

rc.free115:                                       ; preds = %rc111
  call void @rjit_free(i8* %0, i8* %meminfo109)
  br label %rc.done112

rc119:                                            ; preds = %rc.done112
  %count121 = bitcast i8* %meminfo117 to i64*
  %7 = atomicrmw sub i64* %count121, i64 1 acq_rel, align 8
  %last122 = icmp eq i64 %7, 1
  br i1 %last122, label %rc.free123, label %rc.done120

rc.done120:                                       ; preds = %rc.free123, %rc119, %rc.done112
  ret double %fdiv

rc.free123:                                       ; preds = %rc119
  call void @rjit_free(i8* %0, i8* %meminfo117)
  br label %rc.done120
}

; Function Attrs: inaccessiblememonly nofree nosync nounwind willreturn
declare void @llvm.assume(i1 noundef) #0

; Function Attrs: cold
declare void @rjit_fail(i8*, i8*, i32, i64, i64, i64) #1

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare { i64, i1 } @llvm.umul.with.overflow.i64(i64, i64) #2

declare i8* @rjit_alloc(i8*, i8*, i64, i64, i64, i32)

declare void @rjit_free(i8*, i8*)

define void @rjit_entry_clipped_mean_2(i8** %0, i8* %1, i8* %2) {
entry:
  %arg.slot = getelementptr inbounds i8*, i8** %0, i64 0
  %arg.ptr = load i8*, i8** %arg.slot, align 8
  %arg.typed = bitcast i8* %arg.ptr to { double*, [1 x i64], [1 x i64] }*
  %arg = load { double*, [1 x i64], [1 x i64] }, { double*, [1 x i64], [1 x i64] }* %arg.typed, align 8
  %f = extractvalue { double*, [1 x i64], [1 x i64] } %arg, 0
  %arg1 = insertvalue { double*, [1 x i64], [1 x i64], i8* } undef, double* %f, 0
  %f2 = extractvalue { double*, [1 x i64], [1 x i64] } %arg, 1
  %arg3 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %arg1, [1 x i64] %f2, 1
  %f4 = extractvalue { double*, [1 x i64], [1 x i64] } %arg, 2
  %arg5 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %arg3, [1 x i64] %f4, 2
  %arg6 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %arg5, i8* null, 3
  %arg.slot7 = getelementptr inbounds i8*, i8** %0, i64 1
  %arg.ptr8 = load i8*, i8** %arg.slot7, align 8
  %arg.typed9 = bitcast i8* %arg.ptr8 to double*
  %arg10 = load double, double* %arg.typed9, align 8
  %arg.slot11 = getelementptr inbounds i8*, i8** %0, i64 2
  %arg.ptr12 = load i8*, i8** %arg.slot11, align 8
  %arg.typed13 = bitcast i8* %arg.ptr12 to double*
  %arg14 = load double, double* %arg.typed13, align 8
  %result = call double @clipped_mean.0(i8* %2, { double*, [1 x i64], [1 x i64], i8* } %arg6, double %arg10, double %arg14)
  %status.ptr = bitcast i8* %2 to i32*
  %status = load i32, i32* %status.ptr, align 4
  %failed = icmp ne i32 %status, 0
  br i1 %failed, label %done, label %ok

ok:                                               ; preds = %entry
  %ret = bitcast i8* %1 to double*
  store double %result, double* %ret, align 8
  br label %done

done:                                             ; preds = %ok, %entry
  ret void
}

attributes #0 = { inaccessiblememonly nofree nosync nounwind willreturn }
attributes #1 = { cold }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }

!llvm.module.flags = !{!0}

!0 = !{i32 2, !"Debug Info Version", i32 3}
