/* memory.c - builds N instances of one variant and measures what they cost,
 * three ways, without ever touching an instance's __dict__.
 *
 * The sequence, in one fresh process per variant and mode:
 *
 *   gc.disable()                 collections cannot free anything here and
 *                                would only add noise; policy is recorded
 *   container = [None] * N       allocated and touched before the baseline
 *                                so its pages are not counted
 *   warm-up: 1000 instances      kept alive; sizes the class's shared keys
 *   gc.collect(); baseline       RSS (statm) + allocator accounting, or
 *                                tracemalloc's traced bytes
 *   create N, sampling RSS       ~200 samples of (instances, RSS, seconds)
 *   after                        same readings; difference / N
 *   free everything; gc.collect  RSS after free: what went back to the OS
 *
 * "allocated" is pymalloc's own count of bytes in allocated blocks (each
 * object at its 16-byte size class) plus glibc's for blocks above pymalloc's
 * 512-byte limit.  "requested" comes from tracemalloc, in its own process
 * because tracing slows creation and costs memory of its own. */
#include "memory.h"
#include "child.h"
#include "progress.h"
#include "results.h"
#include "sysmem.h"

#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exported by libpython 3.8-3.13 but declared in public headers only in
 * some versions. */
extern int _PyObject_DebugMallocStats(FILE *out);

#define TIMELINE_SAMPLES 200

long long
memory_pymalloc_allocated(void)
{
    char *text = NULL;
    size_t len = 0;
    long long v = -1;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL) {
        return -1;
    }
    int used = _PyObject_DebugMallocStats(f);
    fclose(f);
    if (used) {
        const char *key = "# bytes in allocated blocks";
        char *p = strstr(text, key);
        if (p) {
            p = strchr(p, '=');
            v = 0;
            for (p = p ? p + 1 : NULL; p && *p && *p != '\n'; p++) {
                if (*p >= '0' && *p <= '9') {
                    v = v * 10 + (*p - '0');
                }
            }
        }
    }
    free(text);
    return v;
}

/* Allocator accounting: pymalloc's blocks plus glibc's.  pymalloc takes its
 * arenas with mmap, not malloc, so the two never count the same bytes.  The
 * memstream buffer above is freed before glibc is asked. */
static long long
allocated_now(void)
{
    long long py = memory_pymalloc_allocated();
    long long c = sysmem_malloc_in_use();
    return (py < 0 ? 0 : py) + c;
}

const char *
memory_advice(long long n)
{
    if (n < MEMORY_MIN_REQUESTED_N) {
        return "RSS differences are noise, and 'requested' is mostly "
               "tracemalloc's own fixed cost (about 120 B per measurement, "
               "spread over N: 210 B for an 88 B instance at N = 1); trust "
               "'allocated' only, or use --n 1000 or more (100000 or more "
               "for 'resident')";
    }
    if (n < MEMORY_MIN_RELIABLE_N) {
        return "RSS differences are mostly noise (new objects first fill "
               "pages already resident); trust 'allocated' and 'requested', "
               "or use --n 100000 or more";
    }
    return NULL;
}

/* A new instance for index i (new reference), or NULL with an exception. */
static PyObject *
make_instance(scenario *sc, PyObject *factory, long long i, int unique)
{
    if (!unique) {
        return PyObject_Call(factory, sc->args, sc->kwargs);
    }
    PyObject *args = PyObject_CallFunction(sc->unique_args, "n",
                                           (Py_ssize_t)i);
    if (args == NULL) {
        return NULL;
    }
    if (!PyTuple_Check(args)) {
        PyErr_Format(PyExc_TypeError, "unique_args(%lld) returned %s, not "
                     "a tuple", i, Py_TYPE(args)->tp_name);
        Py_DECREF(args);
        return NULL;
    }
    PyObject *obj = PyObject_Call(factory, args, sc->kwargs);
    Py_DECREF(args);
    return obj;
}

/* Call gc.<method>(); -1 with a message on failure. */
static int
gc_call(PyObject *gc, const char *method, char *err)
{
    PyObject *r = PyObject_CallMethod(gc, method, NULL);
    if (r == NULL) {
        return interp_exc(err, "calling gc.%s()", method);
    }
    Py_DECREF(r);
    return 0;
}

/* tracemalloc.get_traced_memory()[0], or -1 with a message. */
static long long
traced_now(PyObject *tracemalloc, char *err)
{
    PyObject *r = PyObject_CallMethod(tracemalloc, "get_traced_memory", NULL);
    long long v = -1;
    if (r == NULL || !PyTuple_Check(r) || PyTuple_GET_SIZE(r) < 1) {
        Py_XDECREF(r);
        interp_exc(err, "reading tracemalloc.get_traced_memory()");
        return -1;
    }
    v = PyLong_AsLongLong(PyTuple_GET_ITEM(r, 0));
    Py_DECREF(r);
    if (v < 0 && PyErr_Occurred()) {
        interp_exc(err, "reading tracemalloc.get_traced_memory()");
        return -1;
    }
    return v;
}

static void
progress(const char *what, long long done, long long n, int final)
{
    static int tty = -1;
    if (tty < 0) { /* the harness's status line, when it draws one */
        tty = progress_child_may_redraw(fileno(child_progress()));
    }
    if (!tty) {
        return;
    }
    fprintf(child_progress(), "\r  %s: %lld/%lld instances%s", what, done,
            n,
            final ? "\r\033[K" : "");
}

/* Append to names (a JSON array) the threads other than the main one that
 * are alive now: those the threading module knows by name, then a count
 * of the others (started through _thread or from C), measured against the
 * threads0 the process had before the scenario was imported.  Returns how
 * many there are.  Nothing here raises: a census that cannot be taken is
 * no thread. */
static int
thread_census(int threads0, json_t *names)
{
    PyObject *threading = PyDict_GetItemString(PyImport_GetModuleDict(),
                                               "threading"); /* borrowed */
    PyObject *all = NULL, *main_thread = NULL;
    int now = sysmem_threads(), named = 0;
    int extra = threads0 > 0 && now > threads0 ? now - threads0 : 0;
    if (extra == 0) {
        return 0;
    }
    if (threading != NULL) {
        all = PyObject_CallMethod(threading, "enumerate", NULL);
        main_thread = PyObject_CallMethod(threading, "main_thread", NULL);
    }
    for (Py_ssize_t i = 0; all && PyList_Check(all) && main_thread &&
                           i < PyList_GET_SIZE(all); i++) {
        PyObject *t = PyList_GET_ITEM(all, i); /* borrowed */
        PyObject *name = t == main_thread ? NULL
                                          : PyObject_GetAttrString(t, "name");
        const char *s = name ? PyUnicode_AsUTF8(name) : NULL;
        if (s != NULL && named < extra) {
            json_array_append_new(names, results_text(s));
            named++;
        }
        Py_XDECREF(name);
    }
    Py_XDECREF(all);
    Py_XDECREF(main_thread);
    PyErr_Clear();
    if (extra > named) {
        char what[64];
        snprintf(what, sizeof what, "%d not started through threading",
                 extra - named);
        json_array_append_new(names, json_string(what));
    }
    return extra;
}

static int
cmp_pointer(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(PyObject *const *)a;
    uintptr_t y = (uintptr_t)*(PyObject *const *)b;
    return x < y ? -1 : x > y;
}

/* Are the objects of lists a and b all distinct?  1 yes, 0 no (*dup is
 * then one of the repeated objects, borrowed).  Sorts both lists' items
 * in place by address (their order no longer matters once the readings
 * are taken) and walks them together.  glibc's qsort may take a buffer
 * the size of a list: the caller reads the peak RSS first. */
static int
all_distinct(PyObject *a, PyObject *b, PyObject **dup)
{
    PyObject **x = ((PyListObject *)a)->ob_item;
    PyObject **y = ((PyListObject *)b)->ob_item;
    Py_ssize_t nx = PyList_GET_SIZE(a), ny = PyList_GET_SIZE(b), i, j;
    qsort(x, (size_t)nx, sizeof *x, cmp_pointer);
    qsort(y, (size_t)ny, sizeof *y, cmp_pointer);
    for (i = 1; i < nx; i++) {
        if (x[i] == x[i - 1]) {
            *dup = x[i];
            return 0;
        }
    }
    for (j = 1; j < ny; j++) {
        if (y[j] == y[j - 1]) {
            *dup = y[j];
            return 0;
        }
    }
    for (i = 0, j = 0; i < nx && j < ny;) {
        if (x[i] == y[j]) {
            *dup = x[i];
            return 0;
        }
        if ((uintptr_t)x[i] < (uintptr_t)y[j]) {
            i++;
        }
        else {
            j++;
        }
    }
    return 1;
}

json_t *
memory_measure(scenario *sc, int vi, long long n, int unique,
               memory_mode mode, int threads0, char *err)
{
    scenario_variant *v = &sc->variants[vi];
    PyObject *gc = NULL, *tracemalloc = NULL, *container = NULL, *warm = NULL,
             *dup = NULL;
    json_t *out = NULL, *timeline = NULL;
    json_t *threads_import = json_array(), *threads_created = json_array();
    /* Samples go to a fixed array: allocating JSON inside the loop would be
     * counted as the instances' memory. */
    struct { long long instances, rss; double seconds; }
        samples[TIMELINE_SAMPLES + 2];
    size_t nsamples = 0;
    long long rss0 = 0, rss1 = 0, alloc0 = 0, alloc1 = 0, traced0 = 0,
              traced1 = 0, step;
    double t0, t1;
    char what[200];

    snprintf(what, sizeof what, "%s/%s%s [%s]", sc->name, v->label,
             unique ? " (unique args)" : "",
             mode == MEMORY_RESIDENT ? "resident" : "tracemalloc");

    /* Threads the scenario left running allocate and free while the
     * instances are counted: named, and the figure marked. */
    thread_census(threads0, threads_import);
    gc = PyImport_ImportModule("gc");
    if (gc == NULL) {
        interp_exc(err, "importing gc");
        goto error;
    }
    if (gc_call(gc, "disable", err) < 0) {
        goto error;
    }
    container = PyList_New((Py_ssize_t)n);
    warm = PyList_New(MEMORY_WARMUP);
    if (container == NULL || warm == NULL) {
        interp_exc(err, "allocating a list for %lld instances", n);
        goto error;
    }
    /* Writing every slot makes the container's pages resident now. */
    for (Py_ssize_t i = 0; i < (Py_ssize_t)n; i++) {
        Py_INCREF(Py_None);
        PyList_SET_ITEM(container, i, Py_None);
    }
    for (Py_ssize_t i = 0; i < MEMORY_WARMUP; i++) {
        PyObject *obj = make_instance(sc, v->factory, n + i, unique);
        if (obj == NULL) {
            interp_exc(err, "%s: building warm-up instance %zd of "
                            "VARIANTS['%s']", sc->path, i, v->label);
            goto error;
        }
        PyList_SET_ITEM(warm, i, obj);
    }
    if (mode == MEMORY_REQUESTED) {
        tracemalloc = PyImport_ImportModule("tracemalloc");
        PyObject *r = tracemalloc
            ? PyObject_CallMethod(tracemalloc, "start", NULL) : NULL;
        if (r == NULL) {
            interp_exc(err, "starting tracemalloc");
            goto error;
        }
        Py_DECREF(r);
    }
    if (gc_call(gc, "collect", err) < 0) {
        goto error;
    }

    /* The first progress call opens its stream (fdopen mallocs a FILE):
     * made before the baseline, or that memory is counted as the
     * instances'.  Under ASan it was a fresh allocator region, 70-160 kB
     * resident, between the first sample and the second. */
    progress(what, 0, n, 0);
    if (mode == MEMORY_RESIDENT) {
        alloc0 = allocated_now();
        rss0 = sysmem_rss();
    }
    else if ((traced0 = traced_now(tracemalloc, err)) < 0) {
        goto error;
    }
    step = (n + TIMELINE_SAMPLES - 1) / TIMELINE_SAMPLES;
    t0 = sb_now();
    samples[nsamples].instances = 0;
    samples[nsamples].rss = rss0;
    samples[nsamples++].seconds = 0.0;
    for (long long i = 0; i < n; i++) {
        PyObject *obj = make_instance(sc, v->factory, i, unique);
        if (obj == NULL) {
            interp_exc(err, "%s: building instance %lld of VARIANTS['%s']",
                       sc->path, i, v->label);
            goto error;
        }
        PyList_SetItem(container, (Py_ssize_t)i, obj); /* steals obj */
        if ((i + 1) % step == 0 || i + 1 == n) {
            if (mode == MEMORY_RESIDENT && nsamples < TIMELINE_SAMPLES + 2) {
                samples[nsamples].instances = i + 1;
                samples[nsamples].rss = sysmem_rss();
                samples[nsamples++].seconds = sb_now() - t0;
            }
            progress(what, i + 1, n, 0);
        }
    }
    t1 = sb_now();
    progress(what, n, n, 1);
    if (mode == MEMORY_RESIDENT) {
        rss1 = sysmem_rss();
        alloc1 = allocated_now();
    }
    else if ((traced1 = traced_now(tracemalloc, err)) < 0) {
        goto error;
    }

    /* The process's peak so far: what follows (the census, the sort's
     * buffer) is not the instances'. */
    long long peak = sysmem_peak_rss();
    thread_census(threads0, threads_created);
    if (!all_distinct(container, warm, &dup)) {
        char what[200];
        snprintf(what, sizeof what, "one object (a %s) came back more than "
                 "once in %lld calls", Py_TYPE(dup)->tp_name,
                 n + MEMORY_WARMUP);
        scenario_refusal(sc, v, what, err);
        goto error;
    }
    if (mode == MEMORY_RESIDENT && sysmem_malloc_counted() &&
        alloc1 - alloc0 < (long long)sizeof(PyObject) * n) {
        /* Every new object takes at least its header: less means the
         * instances existed before (a pool built at import, say). */
        char what[200];
        snprintf(what, sizeof what, "%lld calls allocated %.1f B per "
                 "instance, less than the %zu B header of any new object",
                 n, (double)(alloc1 - alloc0) / (double)n, sizeof(PyObject));
        scenario_refusal(sc, v, what, err);
        goto error;
    }

    out = json_object();
    json_object_set_new(out, "threads_after_import", threads_import);
    json_object_set_new(out, "threads_after_creation", threads_created);
    threads_import = threads_created = NULL;
    json_object_set_new(out, "scenario", json_string(sc->name));
    json_object_set_new(out, "variant", json_string(v->label));
    json_object_set_new(out, "kind", json_string(variant_kind_name(v->kind)));
    json_object_set_new(out, "args", json_string(unique ? "unique" : "shared"));
    json_object_set_new(out, "n", json_integer(n));
    json_object_set_new(out, "warmup", json_integer(MEMORY_WARMUP));
    json_object_set_new(out, "seconds", json_real(t1 - t0));
    json_object_set_new(out, "gc", json_string(
        "disabled during creation; gc.collect() before the baseline and "
        "after freeing"));
    if (mode == MEMORY_RESIDENT) {
        json_object_set_new(out, "resident_bytes",
                            json_real((double)(rss1 - rss0) / (double)n));
        json_object_set_new(out, "allocated_bytes",
                            json_real((double)(alloc1 - alloc0) / (double)n));
        json_object_set_new(out, "baseline_rss_bytes", json_integer(rss0));
        json_object_set_new(out, "malloc_counted",
                            json_boolean(sysmem_malloc_counted()));
        json_object_set_new(out, "rss_bytes", json_integer(rss1));
        timeline = json_array();
        for (size_t k = 0; k < nsamples; k++) {
            json_array_append_new(timeline, json_pack("[I,I,f]",
                samples[k].instances, samples[k].rss, samples[k].seconds));
        }
        json_object_set_new(out, "timeline", timeline);
        timeline = NULL;
    }
    else {
        json_object_set_new(out, "requested_bytes",
                            json_real((double)(traced1 - traced0) / (double)n));
    }

    /* Free everything and see what the allocator gives back. */
    Py_CLEAR(container);
    Py_CLEAR(warm);
    if (gc_call(gc, "collect", err) < 0) {
        goto error;
    }
    json_object_set_new(out, "peak_rss_bytes", json_integer(peak));
    json_object_set_new(out, "rss_after_free_bytes", json_integer(sysmem_rss()));
    Py_XDECREF(tracemalloc);
    Py_DECREF(gc);
    return out;

error:
    json_decref(out);
    json_decref(timeline);
    json_decref(threads_import);
    json_decref(threads_created);
    Py_XDECREF(container);
    Py_XDECREF(warm);
    Py_XDECREF(tracemalloc);
    Py_XDECREF(gc);
    return NULL;
}
