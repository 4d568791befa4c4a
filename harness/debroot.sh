#!/bin/sh
# debroot.sh - `make test-debian DIST=...`: the README's commands run in a
# fresh minimal Debian root of release DIST, as on a new machine that has
# only make and git: `make test`, then a short `make bench-versions` over
# every python3.X the release ships.  Root only (debootstrap, chroot,
# mounts).
#
#   harness/debroot.sh DIST     DIST is bookworm, trixie, sid or another
#                               release debootstrap knows; exit status 0
#                               only when make test and bench-versions
#                               both pass inside
#   harness/debroot.sh mirror   the mirror it would use, and where from
#
# The life of a run, one function each:
#   mirror   the host's Debian mirror: the first URI of a deb source that
#            is not a -security suite, read at run time from
#            /etc/apt/sources.list.d/*.sources (deb822) or the one-line
#            sources.list files; MIRROR=URL overrides
#   cache    .debian-roots/DIST (git-ignored): `debootstrap
#            --variant=minbase --include=make,git DIST`, built into
#            DIST.new and renamed only when complete, so an interrupted
#            build is never reused; later runs reuse it (REFRESH=1
#            rebuilds it)
#   copy     .debian-roots/run-DIST-PID: a copy of the cache, so every run
#            starts from the same untouched root; removed at exit
#   clone    `git clone` of the checkout's HEAD into /src of the copy
#            (committed work only: the tree's uncommitted changes are not
#            in it, and the console says so)
#   inside   in a private mount namespace (unshare -m): /proc, /sys, /dev
#            bind-mounted into the copy, unmounted on every way out
#            (Ctrl-C included; and a killed run leaves no mount in the
#            host's namespace, which ends with its last process); apt-get
#            update in the root, where an expired Release file is accepted
#            by the root's own apt only (Acquire::Check-Valid-Until=false
#            in its apt.conf.d, said on the console) and any other failure
#            of the mirror or the network fails the run; then the commands
#   results  the bench-versions directory copied to
#            results/debian-DIST-TIME/ of the checkout
#
# Environment: MIRROR, REFRESH, BENCH_ARGS (the short run's arguments,
# default below), DEBROOT_SOURCES (the apt source files read; tests).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SELF=$ROOT/harness/debroot.sh
CACHE=$ROOT/.debian-roots
BENCH_ARGS=${BENCH_ARGS:---quick --n 100000 person}
# The environment of every command in the root: nothing of the caller's.
ROOT_ENV="HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive"

say() {
    echo "debroot: $*" >&2
}

die() {
    echo "debroot: $*" >&2
    exit 1
}

# Print "URL FILE" for the host's Debian mirror; status 1 when none.
mirror() {
    if [ -n "${MIRROR:-}" ]; then
        echo "$MIRROR MIRROR"
        return 0
    fi
    files=${DEBROOT_SOURCES:-$(ls /etc/apt/sources.list.d/*.sources \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null)}
    for f in $files; do
        [ -r "$f" ] || continue
        case $f in
        *.sources) url=$(awk '
            # deb822: stanzas separated by blank lines; fields may repeat
            # their values across lines, the first value is enough.
            function flush() {
                if (types ~ /(^| )deb( |$)/ && suites !~ /-security/ \
                    && uri != "" && !done) { print uri; done = 1 }
                types = suites = uri = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            tolower($1) == "types:" { types = $0; sub(/^[^:]*:[ \t]*/, "", types) }
            tolower($1) == "uris:" { uri = $2 }
            tolower($1) == "suites:" { suites = $0 }
            END { flush() }' "$f") ;;
        *) url=$(awk '
            /^[ \t]*#/ { next }
            $1 == "deb" {
                i = 2
                if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                if ($(i + 1) !~ /-security/) { print $i; exit }
            }' "$f") ;;
        esac
        if [ -n "$url" ]; then
            echo "$url $f"
            return 0
        fi
    done
    return 1
}

# The cached minimal root of $DIST, built when missing.
cache() {
    base=$CACHE/$DIST
    if [ -f "$base/.slotbench-root" ] && [ -z "${REFRESH:-}" ]; then
        say "reusing the cached $DIST root $base ($(cat "$base/.slotbench-root"); REFRESH=1 rebuilds it)"
        return 0
    fi
    command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing: apt-get install -y --no-install-recommends debootstrap"
    [ -f "/usr/share/debootstrap/scripts/$DIST" ] ||
        die "this debootstrap knows no release '$DIST' (/usr/share/debootstrap/scripts/)"
    new=$base.new
    remove_copy "$new" || die "cannot remove the unfinished $new"
    mkdir -p "$CACHE" || die "cannot create $CACHE"
    say "building a minimal $DIST root: debootstrap --variant=minbase --include=make,git $DIST $new $url (a few minutes; cached for the next runs)"
    t0=$(date +%s)
    # In its own mount namespace: the /proc and /sys debootstrap mounts in
    # the new root cannot outlive it, even when it is killed.
    if ! unshare --mount --propagation private debootstrap --variant=minbase --include=make,git "$DIST" "$new" "$url" >"$CACHE/$DIST.log" 2>&1; then
        tail -n 20 "$CACHE/$DIST.log" >&2
        die "debootstrap of $DIST from $url failed (the mirror or the network?): see $CACHE/$DIST.log"
    fi
    echo "debootstrap --variant=minbase --include=make,git $DIST $url on $(date -u +%Y-%m-%d)" >"$new/.slotbench-root"
    remove_copy "$base" || die "cannot remove the old $base"
    mv "$new" "$base" || die "cannot rename $new to $base"
    say "built the $DIST root in $(($(date +%s) - t0)) s"
}

# Processes whose root directory is $1 (a run left behind).
processes_in() {
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
    done
}

# Remove a run copy: its processes first; never while something is
# mounted below it (a bind mount of /dev would take the host's with it).
remove_copy() {
    dir=$1
    [ -d "$dir" ] || return 0
    for p in $(processes_in "$dir"); do
        kill -KILL "$p" 2>/dev/null
    done
    if grep -q " $dir/" /proc/mounts; then
        say "not removing $dir: something is still mounted below it"
        return 1
    fi
    rm -rf "$dir"
}

cleanup() {
    [ -n "${run:-}" ] && remove_copy "$run"
}

# The whole target: outside the mount namespace.
main() {
    [ "$(id -u)" -eq 0 ] || die "building a Debian root needs root (debootstrap, chroot, mounts): run as root: make test-debian DIST=$DIST"
    command -v unshare >/dev/null 2>&1 || die "unshare (util-linux) is missing"
    command -v git >/dev/null 2>&1 || die "git is missing: apt-get install -y --no-install-recommends git"
    case $DIST in
    *[!a-z0-9-]* | -*) die "DIST must be a release name such as bookworm, trixie or sid, not '$DIST'" ;;
    esac
    found=$(mirror) || die "no Debian mirror in the host's apt sources: set MIRROR=URL"
    # shellcheck disable=SC2086
    set -- $found
    url=$1
    say "mirror $url (from $2)"
    cache
    # Copies of runs killed earlier: no mount of theirs is left in this
    # namespace (each ran in its own), so they are plain directories.
    for old in "$CACHE"/run-"$DIST"-*; do
        [ -d "$old" ] || continue
        kill -0 "${old##*-}" 2>/dev/null || remove_copy "$old"
    done
    run=$CACHE/run-$DIST-$$
    trap cleanup EXIT
    trap 'say "interrupted (SIGINT): removing $run"; exit 130' INT
    trap 'say "stopped (SIGTERM): removing $run"; exit 143' TERM
    trap 'say "stopped (SIGHUP): removing $run"; exit 129' HUP
    say "copying the root to $run"
    cp -a "$CACHE/$DIST" "$run" || die "cannot copy the $DIST root"
    rev=$(git -C "$ROOT" rev-parse --short HEAD) || die "$ROOT is not a git checkout"
    # A detached HEAD (as CI checks out) is cloned detached.
    git -c advice.detachedHead=false clone --quiet "$ROOT" "$run/src" ||
        die "git clone of $ROOT failed"
    [ "$(git -C "$run/src" rev-parse --short HEAD)" = "$rev" ] ||
        die "the clone in the root is not at the checkout's HEAD $rev"
    if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
        say "note: the checkout has uncommitted changes: the root tests the commit $rev without them"
    fi
    say "cloned $rev into /src of the $DIST root"
    cp /etc/resolv.conf "$run/etc/resolv.conf" || die "cannot copy /etc/resolv.conf into the root"
    t0=$(date +%s)
    unshare --mount --propagation private sh "$SELF" __inside "$run" "$DIST"
    rc=$?
    stamp=$(date +%Y%m%d-%H%M%S)
    for d in "$run"/src/results/versions-*; do
        [ -d "$d" ] || continue
        mkdir -p "$ROOT/results" && cp -a "$d" "$ROOT/results/debian-$DIST-$stamp" &&
            say "the bench-versions results are in results/debian-$DIST-$stamp"
    done
    if [ "$rc" -eq 0 ]; then
        say "$DIST: make test and make bench-versions passed ($(($(date +%s) - t0)) s in the root)"
    else
        say "$DIST: FAILED (status $rc, after $(($(date +%s) - t0)) s in the root)"
    fi
    exit "$rc"
}

# In the root, as root, with a clean environment.
in_root() {
    # shellcheck disable=SC2086
    chroot "$run" env -i $ROOT_ENV CI="${CI:-}" sh -c "$1"
}

unmount_all() {
    for m in dev sys proc; do
        mountpoint -q "$run/$m" && { umount -R "$run/$m" 2>/dev/null || umount -R -l "$run/$m"; }
    done
}

# apt-get update in the root: an expired Release accepted there only,
# every other failure fatal.
update_root() {
    log=$run/tmp/apt-update.log
    in_root 'apt-get -q update' >"$log" 2>&1
    rc=$?
    if grep -Eq 'is expired|is not valid yet' "$log"; then
        grep -E 'is expired|is not valid yet' "$log" | head -n 2 | sed 's/^/debroot:   /' >&2
        say "the $DIST archive's Release file is out of date at this mirror (its snapshot lags the calendar): the root's apt ignores Valid-Until (/etc/apt/apt.conf.d/99slotbench-valid-until, in the root only)"
        echo 'Acquire::Check-Valid-Until "false";' >"$run/etc/apt/apt.conf.d/99slotbench-valid-until"
        in_root 'apt-get -q update' >"$log" 2>&1
        rc=$?
    fi
    if [ "$rc" -ne 0 ] || grep -Eq '^(E:|W: Failed to fetch|Err:)' "$log"; then
        cat "$log" >&2
        die "apt-get update in the $DIST root failed: the mirror or the network (see above)"
    fi
}

# Run one step in the root, timed.
step() {
    say "== $DIST: $1"
    t=$(date +%s)
    in_root "cd /src && $1" </dev/null || die "$DIST: $1 failed"
    say "== $DIST: $1 passed ($(($(date +%s) - t)) s)"
}

inside() {
    run=$1 DIST=$2
    trap unmount_all EXIT
    # apt-get and dpkg finish the package they are installing first.
    trap 'say "interrupted (SIGINT): unmounting"; exit 130' INT
    trap 'say "stopped (SIGTERM): unmounting"; exit 143' TERM
    trap 'say "stopped (SIGHUP): unmounting"; exit 129' HUP
    # /dev recursively: the tests open ptys (/dev/pts) and CPython uses
    # /dev/shm.
    if ! { mount --bind /proc "$run/proc" && mount --bind /sys "$run/sys" &&
        mount --rbind /dev "$run/dev"; }; then
        die "cannot mount /proc, /sys, /dev in the root"
    fi
    update_root
    step "make test"
    # Every python3.X of the release that can be embedded (it has a -dev
    # package), each through the README's way to get it.
    pys=$(in_root 'apt-cache pkgnames python3. | grep -Ex "python3\.[0-9]+" | sort -V | tr "\n" " "')
    list=/usr/bin/python3
    for p in $pys; do
        in_root "apt-cache show $p-dev" >/dev/null 2>&1 || continue
        step "PYTHON=/usr/bin/$p sh harness/deps.sh"
        list="$list /usr/bin/$p"
    done
    say "$DIST ships: $pys"
    step "make bench-versions PYTHONS='$list' ARGS='$BENCH_ARGS'"
}

case ${1:-} in
mirror) mirror || die "no Debian mirror in the apt sources" ;;
__inside) shift; inside "$@" ;;
"" | -*) echo "usage: harness/debroot.sh DIST | mirror   (make test-debian DIST=bookworm|trixie|sid)" >&2; exit 2 ;;
*) DIST=$1; main ;;
esac
