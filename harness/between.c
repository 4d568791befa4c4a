/* between.c - the estimate and interval across timing processes (see
 * between.h): Hodges-Lehmann of the per-process estimates, the Shamos
 * scale, and the quantile that makes the two a prediction interval for
 * the next run.
 *
 * Why not a mean and a t interval, as before: on a shared 2-core machine
 * about one timing process in five or ten runs an attribute access 1-3 ns
 * slower than the others throughout (the machine was busier: its matched
 * loops ran slower too, and it happens with the layout held fixed;
 * README), which against a net read of 0.5 ns (as the thread CPU clock
 * of then measured it: opclock.c) moved that process's ratio by half.  A mean and a standard deviation follow that one process: the
 * run that has one is wide, the next is narrow, and the verdict flips.
 * Over the processes of ten runs of `run person player width32` (5
 * processes each), resampled as runs of 8, the t interval held the next
 * run's ratio in 90% of pairs of runs, this one in 94%, and the create
 * intervals came out a fifth to a third narrower.  The two pairwise
 * statistics lose little on normal estimates (efficiency 95% and 86%) and
 * ignore up to 29% of outlying processes.
 *
 * Why some measurements are left out (stats_quiet): on a 2-CPU virtual
 * machine a neighbour on the host can compete for a CPU's cache or core,
 * and a repetition that ran then measured another machine.  Its matched
 * loop, the same statements for both variants without the attribute
 * access, says so: in one run of person, 7 of 16 processes had it at
 * 3.7-5.0 ns a statement against 2.95-2.96 in the others, and their read
 * ratios ranged over 0.79-1.13 where the quiet processes' lay within
 * 0.931-0.944.  On another machine the slow spells lasted milliseconds,
 * so the rule is applied to each pair of repetitions, not to a process's
 * median (pool_quiet.c says why, with figures).  And only where the quick
 * ones are at least half: on a machine busy for most of a run the quickest
 * gauge is the exception, a rare quiet spell, and the contended speed is
 * the machine this run measured.  In one run of person (Intel Xeon, KVM)
 * the matched loop of read ran at 3.9 ns a statement in 2 processes and
 * 4.5-8.2 in the other 14: measured against the quickest, 12 of 16
 * processes were left out, and of the 4 left one had a pair at 2.24 (the
 * others' 0.86-0.99), so the interval was [0.13, 10.8]; player create
 * kept 2 processes of 16 whose ratios all lay within 0.83-0.97, and its
 * interval was +-13.5%.  Leaving out the slower half instead (the rule
 * of 2026-12-03) kept pairs as contended as those it left out: in one
 * run 8 of read's 10 kept processes had loops at 4.0-5.9 ns against 3.9
 * quiet.  Replayed from the timing.json of ten runs of `run person player
 * width32` and two of `make bench` on that machine, keeping every pair
 * of such a row gave the same verdict in both bench runs for 64 of 69
 * rows against 53 of 69, inside 92.0% against 89.1%, and a median 95%
 * half-width of 2.6% against 3.0% (3.2% against 4.6% in the ten).
 *
 * Why q by simulation: the small-sample distribution of (HL' - HL) / S
 * has no closed form.  A fixed seed makes it a pure function of (k,
 * level): the same estimates give the same interval in every run. */
#include "between.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Past this many processes q is the large-k limit (simulating gets slow:
 * k^2 / 2 Walsh averages per estimate, and the limit is close by then). */
#define SIMULATED_MAX 64

static double
median_sorted(double *w, size_t m)
{
    stats_sort(w, m);
    return m % 2 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2;
}

/* Hodges-Lehmann estimate of x[0..n) (n >= 1); w holds n(n+1)/2. */
static double
hodges_lehmann(const double *x, size_t n, double *w)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i; j < n; j++) {
            w[m++] = (x[i] + x[j]) / 2;
        }
    }
    return median_sorted(w, m);
}

/* Shamos scale of x[0..n) (n >= 2): the median of |x[i] - x[j]|, i < j;
 * w holds n(n-1)/2.  (About 0.954 sd for normal values; q absorbs it.) */
static double
shamos(const double *x, size_t n, double *w)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            w[m++] = fabs(x[i] - x[j]);
        }
    }
    return median_sorted(w, m);
}

/* A deterministic normal deviate: splitmix64 and Box-Muller. */
static double
normal(uint64_t *state)
{
    double u[2];
    for (int i = 0; i < 2; i++) {
        uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        u[i] = ((double)(z >> 11) + 0.5) / 9007199254740992.0;
    }
    return sqrt(-2 * log(u[0])) * cos(2 * 3.141592653589793 * u[1]);
}

static double
simulate_quantile(size_t k, double level)
{
    /* 20,000 simulated pairs of runs up to 16 processes: q to about 1%;
     * fewer past that, where each costs k^2 and q is smoother. */
    size_t nsim = k <= 16 ? 20000 : 20000 * 256 / (k * k);
    nsim = nsim < 2000 ? 2000 : nsim;
    double *a = sb_xmalloc(sizeof *a * k), *b = sb_xmalloc(sizeof *b * k);
    double *w = sb_xmalloc(sizeof *w * (k * (k + 1) / 2));
    double *v = sb_xmalloc(sizeof *v * nsim);
    uint64_t state = 20261201;
    for (size_t s = 0; s < nsim; s++) {
        for (size_t i = 0; i < k; i++) {
            a[i] = normal(&state);
            b[i] = normal(&state);
        }
        double spread = shamos(a, k, w);
        double d = fabs(hodges_lehmann(b, k, w) - hodges_lehmann(a, k, w));
        v[s] = spread > 0 ? d / spread : INFINITY;
    }
    stats_sort(v, nsim);
    size_t at = (size_t)ceil(level * (double)nsim);
    double q = v[at ? at - 1 : 0];
    free(a);
    free(b);
    free(w);
    free(v);
    return q;
}

double
stats_between_quantile(size_t k, double level)
{
    /* One entry per k (and level) asked: a run asks for one or two. */
    static struct {
        size_t k;
        double level, q;
    } cache[32];
    static size_t cached;
    if (k < 2 || !(level > 0 && level < 1)) {
        return NAN;
    }
    for (size_t i = 0; i < cached; i++) {
        if (cache[i].k == k && cache[i].level == level) {
            return cache[i].q;
        }
    }
    double q;
    if (k <= SIMULATED_MAX) {
        q = simulate_quantile(k, level);
    }
    else {
        /* HL's variance tends to pi/(3k) of the estimates' variance, the
         * Shamos scale to sqrt(2) * 0.6745 of their sd; the quantile of
         * Student's t with 10^4 degrees of freedom is the normal's. */
        q = stats_t_quantile((1 + level) / 2, 1e4) *
            sqrt(2 * 3.141592653589793 / (3.0 * (double)k)) /
            (sqrt(2.0) * 0.6744897501960817);
    }
    if (cached < sizeof cache / sizeof cache[0]) {
        cache[cached].k = k;
        cache[cached].level = level;
        cache[cached++].q = q;
    }
    return q;
}

/* The estimate and interval of the finite values of x[0..k) into est[3]
 * (estimate, low, high); returns how many values were used, -1 when
 * fewer than 2 or level is outside (0, 1). */
static long
robust_interval(const double *x, size_t k, double level, double est[3])
{
    size_t n = 0;
    double *v = sb_xmalloc(sizeof *v * (k ? k : 1));
    for (size_t i = 0; i < k; i++) {
        if (isfinite(x[i])) {
            v[n++] = x[i];
        }
    }
    double q = stats_between_quantile(n, level);
    if (n < 2 || isnan(q)) {
        free(v);
        return -1;
    }
    double *w = sb_xmalloc(sizeof *w * (n * (n + 1) / 2));
    double centre = hodges_lehmann(v, n, w);
    double half = q * shamos(v, n, w);
    est[0] = centre;
    est[1] = centre - half;
    est[2] = centre + half;
    free(v);
    free(w);
    return (long)n;
}

size_t
stats_quiet(const double *gauge, size_t k, double least, double tol,
            int *keep)
{
    size_t m = 0, quick = 0, out = 0;
    if (!isfinite(least)) {
        least = INFINITY;
        for (size_t i = 0; i < k; i++) {
            least = isfinite(gauge[i]) && gauge[i] < least ? gauge[i] : least;
        }
    }
    double limit = least * (1 + tol);
    for (size_t i = 0; i < k; i++) {
        m += isfinite(gauge[i]);
        quick += isfinite(gauge[i]) && gauge[i] <= limit;
    }
    /* Fewer than half quick: the contended speed is this run's machine. */
    for (size_t i = 0; i < k; i++) {
        keep[i] = 2 * quick < m || !isfinite(gauge[i]) || gauge[i] <= limit;
        out += !keep[i];
    }
    return out;
}

int
stats_between(const double *log_est, size_t k, double level, stats_ratio *r)
{
    double est[3];
    long n;
    memset(r, 0, sizeof *r);
    if ((n = robust_interval(log_est, k, level, est)) < 0) {
        return -1;
    }
    r->ratio = exp(est[0]);
    r->low = exp(est[1]);
    r->high = exp(est[2]);
    r->confidence = level;
    r->pairs = (size_t)n;
    return 0;
}

int
stats_between_diff(const double *x, size_t k, double level, stats_diff *d)
{
    double est[3];
    long n;
    memset(d, 0, sizeof *d);
    if ((n = robust_interval(x, k, level, est)) < 0) {
        return -1;
    }
    d->diff = est[0];
    d->low = est[1];
    d->high = est[2];
    d->confidence = level;
    d->pairs = (size_t)n;
    return 0;
}
