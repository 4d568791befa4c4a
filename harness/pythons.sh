#!/bin/sh
# pythons.sh - finds the CPython interpreters slotbench can embed, and runs
# the suite on each of them (`make bench-versions`).
#
#   harness/pythons.sh list    one line per candidate, with the reason:
#                              "use VERSION PATH: why" on stdout, or
#                              "skip PATH: why" (and the package or step
#                              that would make it usable) on stderr
#   harness/pythons.sh bench   build one slotbench per usable interpreter
#                              (build/py<version>/), run the suite with each
#                              into one directory, then the cross-version
#                              table (slotbench versions) and charts
#                              (slotbench plot)
#
# Candidates, in this order (a version found twice is used once, the
# first): $PYTHONS when set (paths, or versions such as "3.12.1" looked up
# under $PYENV_ROOT); else the system's /usr/bin/python3, then every
# python3.X in $PYTHON_DIRS (default "/usr/bin /usr/local/bin": Debian's
# python3.13, python3.14 ... and self-built ones), every
# $PYENV_ROOT/versions/*/bin/python3 (PYENV_ROOT defaults to ~/.pyenv) and
# every uv-managed $UV_PYTHON_INSTALL_DIR/*/bin/python3 (uv's default
# ~/.local/share/uv/python).  Usable means: runs, is CPython 3.8 or later
# (the PyConfig API), was built with a shared libpython that is on disk,
# and has its python3-config (the embedding library: Debian's python3.X-dev).
#
# Environment for bench: ARGS (options and scenarios for `slotbench run`),
# OUT (directory for the runs, default results/versions-<time>), MAKE.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYENV_ROOT=${PYENV_ROOT:-$HOME/.pyenv}
UV_PYTHON_INSTALL_DIR=${UV_PYTHON_INSTALL_DIR:-$HOME/.local/share/uv/python}
PYTHON_DIRS=${PYTHON_DIRS:-/usr/bin /usr/local/bin}
MAKE=${MAKE:-make}

# The interpreters of one directory named python3.X (not python3.X-config,
# python3.Xm or the free-threaded python3.Xt), in version order.
versioned_in() {
    ls "$1" 2>/dev/null | grep -E '^python3\.[0-9]+$' | sort -V |
        while read -r name; do echo "$1/$name"; done
}

candidates() {
    if [ -n "${PYTHONS:-}" ]; then
        for p in $PYTHONS; do
            case $p in
            */*) echo "$p" ;;
            *) echo "$PYENV_ROOT/versions/$p/bin/python3" ;;
            esac
        done
        return
    fi
    echo /usr/bin/python3
    for dir in $PYTHON_DIRS; do
        versioned_in "$dir"
    done
    for d in $(ls -d "$PYENV_ROOT"/versions/*/ 2>/dev/null | sort -V); do
        d=${d%/}
        [ -d "$d" ] || continue
        if [ -x "$d/bin/python3" ]; then
            echo "$d/bin/python3"
        else
            echo "$d/bin/python"
        fi
    done
    # uv names them cpython-3.12.1-linux-x86_64-gnu: version order.
    for d in $(ls -d "$UV_PYTHON_INSTALL_DIR"/*/ 2>/dev/null | sort -V); do
        d=${d%/}
        [ -e "$d/bin/python3" ] && echo "$d/bin/python3"
    done
}

# Where py comes from, as the words of a reason: "pyenv", "uv", "system"
# (a /usr/bin interpreter: Debian's packages) or "local".
origin() {
    case $1 in
    "$PYENV_ROOT"/versions/*) echo pyenv ;;
    "$UV_PYTHON_INSTALL_DIR"/*) echo uv ;;
    /usr/bin/*) echo system ;;
    *) echo local ;;
    esac
}

# The package or step that gives py ($1, version $2, origin $3) what it
# lacks for embedding: a shared libpython and its python3-config.
fix_for() {
    py=$1 version=$2 from=$3
    minor=${version%.*}
    case $from in
    system)
        if [ "$py" = /usr/bin/python3 ]; then
            pkg=python3-dev
        else
            pkg=python$minor-dev
        fi
        echo "install $pkg (as root: apt-get install --no-install-recommends $pkg)" ;;
    pyenv)
        name=${py#"$PYENV_ROOT"/versions/}
        echo "rebuild it shared: env PYTHON_CONFIGURE_OPTS=--enable-shared pyenv install --force ${name%%/*}" ;;
    uv) echo "uv's build has no shared libpython or python3-config: use pyenv's or the system's $minor" ;;
    *) echo "rebuild it with ./configure --enable-shared" ;;
    esac
}

# The version of a usable interpreter on stdout; otherwise the reason on
# stdout and status 1.
check() {
    py=$1
    if [ ! -e "$py" ]; then
        echo "not found"
        return 1
    fi
    if [ ! -x "$py" ]; then
        echo "not executable"
        return 1
    fi
    # Python 2 must get as far as printing its version: no f-strings here.
    info=$("$py" -c 'import sys, os, sysconfig
v = sys.version_info
shared = sysconfig.get_config_var("Py_ENABLE_SHARED")
lib = os.path.join(sysconfig.get_config_var("LIBDIR") or "", sysconfig.get_config_var("LDLIBRARY") or "")
impl = getattr(sys, "implementation", None)
print("%d.%d.%d %s %s %s" % (v[0], v[1], v[2], impl.name if impl else "cpython", shared or 0, lib))' 2>/dev/null) || {
        echo "does not run"
        return 1
    }
    set -- $info
    version=$1 impl=$2 shared=$3 lib=${4:-}
    from=$(origin "$py")
    if [ "$impl" != cpython ]; then
        echo "$impl $version is not CPython"
        return 1
    fi
    major=${version%%.*}
    minor=${version#*.}
    minor=${minor%%.*}
    if [ "$major" -lt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -lt 8 ]; }; then
        echo "Python $version is too old: slotbench embeds through the PyConfig API of 3.8+"
        return 1
    fi
    if [ "$shared" != 1 ]; then
        echo "Python $version is not embeddable: built without --enable-shared (no shared libpython); $(fix_for "$py" "$version" "$from")"
        return 1
    fi
    if [ ! -f "$lib" ]; then
        echo "Python $version is not embeddable: its shared libpython $lib is missing; $(fix_for "$py" "$version" "$from")"
        return 1
    fi
    # /usr/bin/python3 is built with pkg-config's python3-embed (Makefile).
    if [ "$py" != /usr/bin/python3 ] && ! command -v "$py-config" >/dev/null 2>&1; then
        echo "Python $version has no $py-config to build against; $(fix_for "$py" "$version" "$from")"
        return 1
    fi
    case $from in
    system) why="the system's interpreter" ;;
    pyenv) why="pyenv's" ;;
    uv) why="uv-managed" ;;
    *) why="found in $(dirname "$py")" ;;
    esac
    if [ "$py" = /usr/bin/python3 ]; then
        config="pkg-config's python3-embed"
    else
        config=$(basename "$py")-config
    fi
    echo "$version $why, embeddable: $(basename "$lib") and $config"
}

# "VERSION PATH: why" for each usable interpreter on stdout, the skips
# on stderr; a version found twice is used once (the first).
usable() {
    seen=" "
    for py in $(candidates); do
        if v=$(check "$py"); then
            why=${v#* }
            v=${v%% *}
            case $seen in
            *" $v="*)
                first=${seen#*" $v="}
                echo "skip $py: Python $v already found (${first%% *})" >&2 ;;
            *) seen="$seen$v=$py "; echo "$v $py: $why" ;;
            esac
        else
            echo "skip $py: $v" >&2
        fi
    done
}

cmd_list() {
    usable | while read -r v line; do
        echo "use $v $line"
    done
}

cmd_bench() {
    list=$(usable) || exit 1
    if [ -z "$list" ]; then
        echo "pythons.sh: no usable interpreter found" >&2
        exit 1
    fi
    out=${OUT:-$ROOT/results/versions-$(date +%Y%m%d-%H%M%S)}
    mkdir -p "$out" || exit 1
    dirs="" failed=""
    # One line per version: read from the list, not a pipe, so that dirs
    # survives the loop.
    set -f
    for line in $(echo "$list" | sed 's/: .*//' | tr ' ' '|'); do
        v=${line%%|*}
        py=${line#*|}
        if [ "$py" = /usr/bin/python3 ]; then
            bin=$ROOT/build/slotbench
        else
            bin=$ROOT/build/py$v/slotbench
        fi
        echo "pythons.sh: Python $v ($py): building $bin" >&2
        if ! $MAKE -C "$ROOT" --no-print-directory binary PYTHON="$py" >&2; then
            echo "pythons.sh: skip $py: the build against Python $v failed" >&2
            failed="$failed $v"
            continue
        fi
        before=$(ls "$out")
        # shellcheck disable=SC2086
        "$bin" run --out "$out" ${ARGS:-} >&2
        rc=$?
        new=""
        for d in $(ls "$out"); do
            case " $(echo $before) " in *" $d "*) ;; *) [ "$d" != latest ] && new=$d ;; esac
        done
        if [ -z "$new" ]; then
            echo "pythons.sh: Python $v: the run made no results directory" >&2
            failed="$failed $v"
            continue
        fi
        [ "$rc" -eq 0 ] || failed="$failed $v"
        dirs="$dirs $out/$new"
    done
    set +f
    [ -n "$dirs" ] || exit 1
    # The table and charts come from the first binary that was built: each
    # only reads the TSV files.
    any=$ROOT/build/slotbench
    [ -x "$any" ] || any=$(ls "$ROOT"/build/py*/slotbench | head -n 1)
    # shellcheck disable=SC2086
    "$any" versions --out "$out" $dirs || exit 1
    if "$any" --help 2>&1 | grep -q '^  plot'; then
        # shellcheck disable=SC2086
        "$any" plot $dirs || echo "pythons.sh: plot failed" >&2
    else
        echo "pythons.sh: this slotbench has no plot command yet: no charts" >&2
    fi
    echo "pythons.sh: runs, versions.tsv and versions.md in $out" >&2
    if [ -n "$failed" ]; then
        echo "pythons.sh: with failures:$failed (see each run's failures.tsv)" >&2
        exit 1
    fi
}

case ${1:-list} in
list) cmd_list ;;
bench) cmd_bench ;;
*) echo "usage: harness/pythons.sh [list|bench]" >&2; exit 2 ;;
esac
