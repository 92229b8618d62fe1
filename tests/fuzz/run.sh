#!/bin/sh
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang, ASan and
# UBSan into $BUILD, and runs each for FUZZ_SECONDS on a corpus seeded from
# the bundled samples, the reference reports and the test corpora.
# Prints "ok - TARGET (N runs, cov X)" or "not ok - TARGET (...)" per target
# and exits 1 when a target found a crash, a hang, a leak or undefined
# behaviour (the input is kept in $BUILD/artifacts/).
#
# Environment: BUILD (default build-fuzz), FUZZ_SECONDS (default 60),
# FUZZ_TARGETS (default: every tests/fuzz/fuzz_*.c), FUZZ_CC (default
# clang), JOBS (parallel compilations, default 2).
#
# The library sources are compiled here directly, with the fuzzer's
# instrumentation; the Makefile's own compiler rules are not used.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
BUILD=${BUILD:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
CC=${FUZZ_CC:-clang}
JOBS=${JOBS:-2}
REF=${REF:-tests/data/reference}

if ! command -v "$CC" >/dev/null 2>&1; then
    echo "not ok - fuzz: $CC is not installed (tools/install-deps.sh test)"
    exit 1
fi

SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
PKGS="libcjson cairo libpng fontconfig"
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
-fno-omit-frame-pointer -Wall -Wextra $SAN -Ibuild-fuzz/include -Ischema -Ianalyse -Irender \
$(pkg-config --cflags $PKGS 2>/dev/null)"
LIBS="$(pkg-config --libs $PKGS 2>/dev/null) -lm -lpthread"

mkdir -p "$BUILD/obj" "$BUILD/artifacts" || exit 2
# the public headers, staged as <rpiperf/...> as the main build does
make --no-print-directory -s BUILD="$BUILD" headers >/dev/null || exit 2

# ---- build ---------------------------------------------------------------

# An object is rebuilt when it is missing, or older than its source or than
# any header (or this script, which holds the flags).
newest_dep=$(ls -t schema/*.h schema/*.def analyse/*.h render/*.h \
    tests/fuzz/run.sh 2>/dev/null | head -1)
todo="$BUILD/todo"
: >"$todo"
objs=""
for src in schema/*.c analyse/*.c render/*.c; do
    [ -f "$src" ] || continue
    obj="$BUILD/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
    objs="$objs $obj"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_dep" -nt "$obj" ]; then
        printf '%s %s\n' "$src" "$obj" >>"$todo"
    fi
done
build_log="$BUILD/build.log"
: >"$build_log"
# shellcheck disable=SC2086
if [ -s "$todo" ] && ! xargs -n 2 -P "$JOBS" sh -c "$CC $CFLAGS -c \"\$0\" -o \"\$1\" || exit 255" \
        <"$todo" >>"$build_log" 2>&1; then
    echo "not ok - fuzz: the library sources do not compile with $CC"
    cat "$build_log"
    exit 1
fi

targets=${FUZZ_TARGETS:-$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c; done)}
for t in $targets; do
    # shellcheck disable=SC2086
    if ! $CC $CFLAGS "tests/fuzz/$t.c" $objs -o "$BUILD/$t" $LIBS \
            >>"$build_log" 2>&1; then
        echo "not ok - fuzz: $t does not build"
        cat "$build_log"
        exit 1
    fi
done

# ---- run -----------------------------------------------------------------

# seeds: copied into the target's own corpus directory (which keeps what
# the fuzzer finds between runs); the repository's files are never written
seed() {
    for f in samples/*.json "$REF"/upstream-writer/*.json \
             "$REF"/examples/*.json tests/data/invalid/*.json \
             tests/data/warn/*.json tests/data/hostile/*.json; do
        [ -f "$f" ] || continue
        cp "$f" "$1/seed-$(echo "$f" | tr '/.' '__')" 2>/dev/null
    done
}

status=0
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
for t in $targets; do
    case $t in
    fuzz_load) max_len=1048576 ;;
    *) max_len=262144 ;;
    esac
    corpus="$BUILD/corpus/$t"
    mkdir -p "$corpus"
    seed "$corpus"
    log="$BUILD/$t.log"
    "$BUILD/$t" -dict=tests/fuzz/json.dict -max_len="$max_len" -timeout=10 \
        -rss_limit_mb=2048 -max_total_time="$FUZZ_SECONDS" \
        -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t-" \
        "$corpus" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    if [ "$rc" -eq 0 ]; then
        echo "ok - $t (${runs:-0} runs, cov ${cov:-0}, ${FUZZ_SECONDS} s)"
    else
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        echo "not ok - $t (status $rc after ${runs:-?} runs; input: ${artifact:-none})"
        grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==|#[0-9]+ 0x' "$log" | head -40
        echo "# reproduce: $BUILD/$t ${artifact:-FILE}"
        status=1
    fi
done
exit $status
