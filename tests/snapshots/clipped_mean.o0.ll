; clipped_mean(f64[::1], f64, f64)
; ModuleID = 'clipped_mean'
source_filename = "clipped_mean"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@site.0 = private constant [39 x i8] c"clipped_mean\1Ftests/snapshots.rs\1F21\1F12\1F\00"
@site.1 = private constant [37 x i8] c"clipped_mean\1Ftests/snapshots.rs\1F0\1F0\1F\00"

define internal double @clipped_mean.0(i8* %0, { double*, [1 x i64], [1 x i64], i8* } %1, double %2, double %3) {
entry:
  %i93 = alloca i64, align 8
  %acc = alloca double, align 8
  %i54 = alloca i64, align 8
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
  store double %2, double* %lo, align 8
  store double %3, double* %hi, align 8
  %borrow = load { double*, [1 x i64], [1 x i64], i8* }, { double*, [1 x i64], [1 x i64], i8* }* %v, align 8
  %borrow1 = load double, double* %lo, align 8
  %borrow2 = load double, double* %hi, align 8
  %dims = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim = extractvalue [1 x i64] %dims, 0
  %dim3 = select i1 true, i64 %dim, i64 1
  %same = icmp eq i64 %dim, %dim3
  %one = icmp eq i64 %dim, 1
  %fits = or i1 %same, %one
  %bad = xor i1 %fits, true
  br i1 %bad, label %fail, label %ok

fail:                                             ; preds = %rc.done
  call void @rjit_fail(i8* %0, i8* getelementptr inbounds ([39 x i8], [39 x i8]* @site.0, i32 0, i32 0), i32 8, i64 0, i64 1, i64 %dim)
  ret double 0.000000e+00

ok:                                               ; preds = %rc.done
  %count4 = call { i64, i1 } @llvm.umul.with.overflow.i64(i64 1, i64 %dim3)
  %count5 = extractvalue { i64, i1 } %count4, 0
  %ovf = extractvalue { i64, i1 } %count4, 1
  %ovf6 = or i1 false, %ovf
  %count7 = select i1 %ovf6, i64 -1, i64 %count5
  %alloc = call i8* @rjit_alloc(i8* %0, i8* getelementptr inbounds ([39 x i8], [39 x i8]* @site.0, i32 0, i32 0), i64 %count7, i64 8, i64 8, i32 0)
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
  %dims8 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc, 1
  %dims9 = insertvalue [1 x i64] %dims8, i64 %dim3, 0
  %desc10 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc, [1 x i64] %dims9, 1
  %dims11 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc10, 2
  %dims12 = insertvalue [1 x i64] %dims11, i64 1, 0
  %desc13 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc10, [1 x i64] %dims12, 2
  %desc14 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc13, i8* %alloc, 3
  %dims15 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc14, 1
  %dim16 = extractvalue [1 x i64] %dims15, 0
  %dims17 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim18 = extractvalue [1 x i64] %dims17, 0
  %dims19 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim20 = extractvalue [1 x i64] %dims19, 0
  %same21 = icmp eq i64 %dim18, %dim16
  %one22 = icmp eq i64 %dim18, 1
  %fits23 = or i1 %same21, %one22
  %bad24 = xor i1 %fits23, true
  br i1 %bad24, label %fail25, label %ok26

fail25:                                           ; preds = %alloc.ok
  call void @rjit_fail(i8* %0, i8* getelementptr inbounds ([39 x i8], [39 x i8]* @site.0, i32 0, i32 0), i32 8, i64 0, i64 %dim16, i64 %dim18)
  ret double 0.000000e+00

ok26:                                             ; preds = %alloc.ok
  %stride = select i1 %same21, i64 1, i64 0
  %data27 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 0
  %meminfo28 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 3
  %desc29 = insertvalue { double*, [1 x i64], [1 x i64], i8* } undef, double* %data27, 0
  %dims30 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc29, 1
  %dims31 = insertvalue [1 x i64] %dims30, i64 %dim16, 0
  %desc32 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc29, [1 x i64] %dims31, 1
  %dims33 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc32, 2
  %dims34 = insertvalue [1 x i64] %dims33, i64 %stride, 0
  %desc35 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc32, [1 x i64] %dims34, 2
  %desc36 = insertvalue { double*, [1 x i64], [1 x i64], i8* } %desc35, i8* %meminfo28, 3
  %dims37 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim38 = extractvalue [1 x i64] %dims37, 0
  %same39 = icmp eq i64 %dim38, %dim16
  %shaped = and i1 true, %same39
  br i1 %shaped, label %flat, label %general

flat:                                             ; preds = %ok26
  %dims40 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc14, 1
  %dim41 = extractvalue [1 x i64] %dims40, 0
  %size = mul i64 1, %dim41
  %data42 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc14, 0
  %data43 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow, 0
  store i64 0, i64* %i, align 8
  br label %loop.head

general:                                          ; preds = %ok26
  %dims52 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc14, 1
  %dim53 = extractvalue [1 x i64] %dims52, 0
  store i64 0, i64* %i54, align 8
  br label %loop.head55

fused.done:                                       ; preds = %loop.exit57, %loop.exit
  %old = load { double*, [1 x i64], [1 x i64], i8* }, { double*, [1 x i64], [1 x i64], i8* }* %c, align 8
  store { double*, [1 x i64], [1 x i64], i8* } %desc14, { double*, [1 x i64], [1 x i64], i8* }* %c, align 8
  %meminfo83 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %old, 3
  %owned84 = icmp ne i8* %meminfo83, null
  br i1 %owned84, label %rc85, label %rc.done86

loop.head:                                        ; preds = %loop.body, %flat
  %i44 = load i64, i64* %i, align 8
  %more = icmp slt i64 %i44, %size
  br i1 %more, label %loop.body, label %loop.exit

loop.body:                                        ; preds = %loop.head
  %elem = getelementptr inbounds double, double* %data42, i64 %i44
  %elem45 = getelementptr inbounds double, double* %data43, i64 %i44
  %elem46 = load double, double* %elem45, align 8
  %pick = fcmp ogt double %elem46, %borrow1
  %mm = select i1 %pick, double %elem46, double %borrow1
  %xnan = fcmp uno double %elem46, %elem46
  %mm47 = select i1 %xnan, double %elem46, double %mm
  %pick48 = fcmp olt double %mm47, %borrow2
  %mm49 = select i1 %pick48, double %mm47, double %borrow2
  %xnan50 = fcmp uno double %mm47, %mm47
  %mm51 = select i1 %xnan50, double %mm47, double %mm49
  store double %mm51, double* %elem, align 8
  %next = add i64 %i44, 1
  store i64 %next, i64* %i, align 8
  br label %loop.head

loop.exit:                                        ; preds = %loop.head
  br label %fused.done

loop.head55:                                      ; preds = %loop.body56, %general
  %i58 = load i64, i64* %i54, align 8
  %more59 = icmp slt i64 %i58, %dim53
  br i1 %more59, label %loop.body56, label %loop.exit57

loop.body56:                                      ; preds = %loop.head55
  %dims60 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc14, 1
  %dim61 = extractvalue [1 x i64] %dims60, 0
  %off = mul i64 %i58, 1
  %off62 = add i64 0, %off
  %data63 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc14, 0
  %elem64 = getelementptr inbounds double, double* %data63, i64 %off62
  %dims65 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc36, 1
  %dim66 = extractvalue [1 x i64] %dims65, 0
  %dims67 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc36, 2
  %dim68 = extractvalue [1 x i64] %dims67, 0
  %off69 = mul i64 %i58, %dim68
  %off70 = add i64 0, %off69
  %data71 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %desc36, 0
  %elem72 = getelementptr inbounds double, double* %data71, i64 %off70
  %elem73 = load double, double* %elem72, align 8
  %pick74 = fcmp ogt double %elem73, %borrow1
  %mm75 = select i1 %pick74, double %elem73, double %borrow1
  %xnan76 = fcmp uno double %elem73, %elem73
  %mm77 = select i1 %xnan76, double %elem73, double %mm75
  %pick78 = fcmp olt double %mm77, %borrow2
  %mm79 = select i1 %pick78, double %mm77, double %borrow2
  %xnan80 = fcmp uno double %mm77, %mm77
  %mm81 = select i1 %xnan80, double %mm77, double %mm79
  store double %mm81, double* %elem64, align 8
  %next82 = add i64 %i58, 1
  store i64 %next82, i64* %i54, align 8
  br label %loop.head55

loop.exit57:                                      ; preds = %loop.head55
  br label %fused.done

rc85:                                             ; preds = %fused.done
  %count87 = bitcast i8* %meminfo83 to i64*
  %5 = atomicrmw sub i64* %count87, i64 1 acq_rel, align 8
  %last = icmp eq i64 %5, 1
  br i1 %last, label %rc.free, label %rc.done86

rc.done86:                                        ; preds = %rc.free, %rc85, %fused.done
  %borrow88 = load { double*, [1 x i64], [1 x i64], i8* }, { double*, [1 x i64], [1 x i64], i8* }* %c, align 8
  store double 0.000000e+00, double* %acc, align 8
  %dims89 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow88, 1
  %dim90 = extractvalue [1 x i64] %dims89, 0
  %size91 = mul i64 1, %dim90
  %data92 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow88, 0
  store i64 0, i64* %i93, align 8
  br label %loop.head94

rc.free:                                          ; preds = %rc85
  call void @rjit_free(i8* %0, i8* %meminfo83)
  br label %rc.done86

loop.head94:                                      ; preds = %loop.body95, %rc.done86
  %i97 = load i64, i64* %i93, align 8
  %more98 = icmp slt i64 %i97, %size91
  br i1 %more98, label %loop.body95, label %loop.exit96

loop.body95:                                      ; preds = %loop.head94
  %elem99 = getelementptr inbounds double, double* %data92, i64 %i97
  %elem100 = load double, double* %elem99, align 8
  %acc101 = load double, double* %acc, align 8
  %fadd = fadd double %acc101, %elem100
  store double %fadd, double* %acc, align 8
  %next102 = add i64 %i97, 1
  store i64 %next102, i64* %i93, align 8
  br label %loop.head94

loop.exit96:                                      ; preds = %loop.head94
  %total = load double, double* %acc, align 8
  %dims103 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %borrow88, 1
  %dim104 = extractvalue [1 x i64] %dims103, 0
  %size105 = mul i64 1, %dim104
  %sitofp = sitofp i64 %size105 to double
  %fdiv = fdiv double %total, %sitofp
  %local = load { double*, [1 x i64], [1 x i64], i8* }, { double*, [1 x i64], [1 x i64], i8* }* %v, align 8
  %meminfo106 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %local, 3
  %owned107 = icmp ne i8* %meminfo106, null
  br i1 %owned107, label %rc108, label %rc.done109

rc108:                                            ; preds = %loop.exit96
  %count110 = bitcast i8* %meminfo106 to i64*
  %6 = atomicrmw sub i64* %count110, i64 1 acq_rel, align 8
  %last111 = icmp eq i64 %6, 1
  br i1 %last111, label %rc.free112, label %rc.done109

rc.done109:                                       ; preds = %rc.free112, %rc108, %loop.exit96
  %local113 = load { double*, [1 x i64], [1 x i64], i8* }, { double*, [1 x i64], [1 x i64], i8* }* %c, align 8
  %meminfo114 = extractvalue { double*, [1 x i64], [1 x i64], i8* } %local113, 3
  %owned115 = icmp ne i8* %meminfo114, null
  br i1 %owned115, label %rc116, label %rc.done117

rc.free112:                                       ; preds = %rc108
  call void @rjit_free(i8* %0, i8* %meminfo106)
  br label %rc.done109

rc116:                                            ; preds = %rc.done109
  %count118 = bitcast i8* %meminfo114 to i64*
  %7 = atomicrmw sub i64* %count118, i64 1 acq_rel, align 8
  %last119 = icmp eq i64 %7, 1
  br i1 %last119, label %rc.free120, label %rc.done117

rc.done117:                                       ; preds = %rc.free120, %rc116, %rc.done109
  ret double %fdiv

rc.free120:                                       ; preds = %rc116
  call void @rjit_free(i8* %0, i8* %meminfo114)
  br label %rc.done117
}

; Function Attrs: cold
declare void @rjit_fail(i8*, i8*, i32, i64, i64, i64) #0

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare { i64, i1 } @llvm.umul.with.overflow.i64(i64, i64) #1

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

attributes #0 = { cold }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }

!llvm.module.flags = !{!0}

!0 = !{i32 2, !"Debug Info Version", i32 3}
