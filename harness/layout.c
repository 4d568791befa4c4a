/* layout.c - owns the layout model: for each variant, which separate
 * allocations one instance makes and how big each is, read from the running
 * interpreter, so a report can say why a measured number is what it is.
 *
 * What one instance of a class costs, by version (64-bit, GIL build):
 *
 *   3.8-3.10  object: basicsize (+ __dict__ and __weakref__ pointers)
 *                     + GC header (2 words)
 *             dict:   PyDictObject + GC header, sharing the class's keys
 *             values: one pointer per usable entry of the shared keys
 *   3.11      object: basicsize + GC header + pre-header (2 words: dict and
 *                     values pointers, Py_TPFLAGS_MANAGED_DICT)
 *             values: prefix (insertion order) + one pointer per entry the
 *                     shared keys can hold; no dict until someone asks
 *   3.12      as 3.11, the weakref pointer also in the pre-header
 *             (Py_TPFLAGS_MANAGED_WEAKREF): basicsize shrinks by a word
 *   3.13      values inline at the end of the object
 *             (Py_TPFLAGS_INLINE_VALUES): a single allocation
 *   3.14      as 3.13 for plain classes; inline values also for a subclass
 *             of a slots class and for '__dict__' in __slots__ (the flag
 *             read per type, so nothing to add here); a tuple caches its
 *             hash (ob_hash): basicsize 24 -> 32, read from the type
 *   3.15      as 3.14 (every variant of every shipped scenario measured
 *             the same bytes on 3.15.2 as on 3.14.10)
 *   slots     object only: basicsize holds one pointer per slot
 *
 * Each allocation is rounded to its allocator's size class: pymalloc's
 * 16-byte classes up to 512 bytes, glibc malloc's chunks above.
 *
 * Nothing here reads an instance's __dict__ attribute: on 3.11+ that
 * creates the dict it asks about.  The dict and values pointers are read
 * where the interpreter keeps them (the pre-header or tp_dictoffset), and
 * the class's shared keys through ht_cached_keys.  The keys' header is not
 * in any public header, so the few fields read are mirrored below, per
 * version, and checked for plausibility before use.  sys.getsizeof is
 * reported for contrast only: it includes the GC header and misses the
 * values array on 3.11-3.12. */
#include "layout.h"
#include "memory.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORD ((long long)sizeof(void *))
#ifdef Py_GIL_DISABLED
#define GC_HEADER 0LL /* the free-threaded build keeps GC state in the object */
#else
#define GC_HEADER (2 * WORD) /* PyGC_Head: _gc_next, _gc_prev (3.8+) */
#endif
#define PYMALLOC_MAX 512 /* SMALL_REQUEST_THRESHOLD, 3.8-3.15 */
#define USABLE_FRACTION(n) (((n) << 1) / 3)
#define ROUND_UP(n, a) (((n) + (a) - 1) / (a) * (a))

/* The head of PyDictKeysObject: the fields read here, in CPython's order. */
#if PY_VERSION_HEX < 0x030B0000
typedef struct { /* Objects/dict-common.h, 3.8-3.10 */
    Py_ssize_t dk_refcnt;
    Py_ssize_t dk_size;
    void *dk_lookup;
    Py_ssize_t dk_usable;
    Py_ssize_t dk_nentries;
} keys_head;
#else
typedef struct { /* Include/internal/pycore_dict.h, 3.11-3.15 */
    Py_ssize_t dk_refcnt;
    uint8_t dk_log2_size;
    uint8_t dk_log2_index_bytes;
    uint8_t dk_kind; /* 0: general entries, else unicode-keyed entries */
#ifdef Py_GIL_DISABLED
    uint8_t dk_mutex; /* PyMutex, 3.13+ free-threaded builds only */
#endif
    uint32_t dk_version;
    Py_ssize_t dk_usable;
    Py_ssize_t dk_nentries;
} keys_head;
#endif

typedef struct {
    int ok;
    long long size, usable, nentries, refcnt, index_bytes, entry_bytes;
} keys_info;

#define MAX_ALLOCS 4

typedef struct {
    const char *what;
    long long requested, allocated;
    char note[256];
} allocation;

typedef struct {
    int pymalloc;
    int nalloc;
    allocation a[MAX_ALLOCS];
} model;

static long long
size_class(long long n, int pymalloc)
{
    if (n <= 0) {
        return 0;
    }
    if (pymalloc && n <= PYMALLOC_MAX) {
        return ROUND_UP(n, 16);
    }
    /* glibc: an 8-byte size field, 16-byte alignment, 32 bytes at least. */
    long long c = ROUND_UP(n + 8, 16);
    return c < 32 ? 32 : c;
}

static void
add_alloc(model *m, const char *what, long long requested, const char *fmt,
          ...) __attribute__((format(printf, 4, 5)));

static void
add_alloc(model *m, const char *what, long long requested, const char *fmt,
          ...)
{
    if (m->nalloc == MAX_ALLOCS) {
        return;
    }
    allocation *a = &m->a[m->nalloc++];
    va_list ap;
    a->what = what;
    a->requested = requested;
    a->allocated = size_class(requested, m->pymalloc);
    va_start(ap, fmt);
    vsnprintf(a->note, sizeof a->note, fmt, ap);
    va_end(ap);
}

static void
read_keys(const void *k, keys_info *ki)
{
    memset(ki, 0, sizeof *ki);
    if (k == NULL) {
        return;
    }
    const keys_head *h = k;
#if PY_VERSION_HEX < 0x030B0000
    ki->size = h->dk_size;
    ki->index_bytes = ki->size * (ki->size <= 0xff ? 1
                                  : ki->size <= 0xffff ? 2
                                  : ki->size <= 0xffffffffLL ? 4 : 8);
    ki->entry_bytes = 3 * WORD;
#else
    if (h->dk_log2_size < 3 || h->dk_log2_size > 40) {
        return;
    }
    ki->size = 1LL << h->dk_log2_size;
    ki->index_bytes = 1LL << h->dk_log2_index_bytes;
    ki->entry_bytes = h->dk_kind ? 2 * WORD : 3 * WORD;
#endif
    ki->usable = h->dk_usable;
    ki->nentries = h->dk_nentries;
    ki->refcnt = h->dk_refcnt;
    ki->ok = ki->size >= 8 && (ki->size & (ki->size - 1)) == 0 &&
             ki->nentries >= 0 && ki->usable >= 0 &&
             ki->nentries + ki->usable <= ki->size && ki->refcnt >= 1;
}

/* The class's shared keys (borrowed, or NULL when it has none). */
static const void *
cached_keys(PyTypeObject *tp)
{
    if (!PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE)) {
        return NULL;
    }
    return ((PyHeapTypeObject *)tp)->ht_cached_keys;
}

static long long
preheader_size(PyTypeObject *tp)
{
#if PY_VERSION_HEX >= 0x030C0000
    return PyType_HasFeature(tp, Py_TPFLAGS_PREHEADER) ? 2 * WORD : 0;
#elif PY_VERSION_HEX >= 0x030B0000
    return PyType_HasFeature(tp, Py_TPFLAGS_MANAGED_DICT) ? 2 * WORD : 0;
#else
    (void)tp;
    return 0;
#endif
}

/* Where obj's dict and separate values array are, read without creating
 * either: *dict and *values are borrowed pointers or NULL. */
static void
instance_dict(PyObject *obj, PyObject **dict, void **values)
{
    PyTypeObject *tp = Py_TYPE(obj);
    *dict = NULL;
    *values = NULL;
#if PY_VERSION_HEX >= 0x030B0000
    if (PyType_HasFeature(tp, Py_TPFLAGS_MANAGED_DICT)) {
#if PY_VERSION_HEX >= 0x030D0000
        *dict = ((PyObject **)obj)[-3]; /* MANAGED_DICT_OFFSET */
#elif PY_VERSION_HEX >= 0x030C0000
        uintptr_t w = ((uintptr_t *)obj)[-3]; /* PyDictOrValues: tagged */
        if (w & 1) {
            *values = (void *)(w + 1);
        }
        else {
            *dict = (PyObject *)w;
        }
#else
        *values = ((void **)obj)[-4];
        *dict = ((PyObject **)obj)[-3];
#endif
        return;
    }
#endif
    Py_ssize_t off = tp->tp_dictoffset;
    if (off == 0) {
        return;
    }
    if (off < 0) { /* counted from the end of a variable-size object */
        Py_ssize_t n = Py_SIZE(obj) < 0 ? -Py_SIZE(obj) : Py_SIZE(obj);
        off += (Py_ssize_t)ROUND_UP(tp->tp_basicsize + n * tp->tp_itemsize,
                                    WORD);
    }
    *dict = *(PyObject **)((char *)obj + off);
}

#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030D0000
/* new_values(size) of 3.11-3.12: an insertion-order prefix, then values. */
static long long
values_array_bytes(long long size)
{
    return ROUND_UP(size + 2, WORD) + size * WORD;
}
#endif

/* The dict an instance already has (3.8-3.10 always; 3.11+ only when
 * something materialized it). */
static void
model_dict(model *m, PyObject *dict)
{
    PyDictObject *d = (PyDictObject *)dict;
    keys_info k;
    add_alloc(m, "dict", (long long)sizeof(PyDictObject) + GC_HEADER,
              "PyDictObject %zu + GC header %lld", sizeof(PyDictObject),
              GC_HEADER);
    read_keys(d->ma_keys, &k);
    if (!k.ok) {
        add_alloc(m, "keys?", 0, "dict keys unreadable: not modelled");
        return;
    }
    if (d->ma_values == NULL) {
        long long bytes = (long long)sizeof(keys_head) + k.index_bytes +
                          USABLE_FRACTION(k.size) * k.entry_bytes;
        add_alloc(m, "keys", bytes, "own keys (not shared): header %zu + "
                  "%lld index bytes + %lld entries x %lld",
                  sizeof(keys_head), k.index_bytes, USABLE_FRACTION(k.size),
                  k.entry_bytes);
        return;
    }
#if PY_VERSION_HEX < 0x030B0000
    add_alloc(m, "values", USABLE_FRACTION(k.size) * WORD,
              "split table: %lld values x %lld (2/3 of the shared keys' %lld)",
              USABLE_FRACTION(k.size), WORD, k.size);
#elif PY_VERSION_HEX < 0x030D0000
    long long size = k.nentries + (k.usable > 1 ? k.usable - 1 : k.usable);
    add_alloc(m, "values", values_array_bytes(size),
              "values taken over by the dict: prefix %lld + %lld x %lld",
              ROUND_UP(size + 2, WORD), size, WORD);
#else
    const uint8_t *v = (const uint8_t *)d->ma_values;
    if (!v[2]) { /* not embedded in the object: a values array of its own */
        long long cap = v[0];
        add_alloc(m, "values", ROUND_UP(cap, WORD) + (cap + 1) * WORD,
                  "values array of %lld", cap);
    }
#endif
}

/* Fill m for one instance (obj) of its type. */
static void
model_instance(model *m, PyObject *obj, json_t *row)
{
    PyTypeObject *tp = Py_TYPE(obj);
    long long basic = tp->tp_basicsize, item = tp->tp_itemsize, nitems = 0;
    long long pre = preheader_size(tp);
    long long gc = PyType_IS_GC(tp) ? GC_HEADER : 0;
    long long inline_values = 0;
    keys_info shared;
    PyObject *dict;
    void *values;
    char extra[160] = "";

    read_keys(cached_keys(tp), &shared);
    if (item != 0) {
        nitems = Py_SIZE(obj) < 0 ? -Py_SIZE(obj) : Py_SIZE(obj);
        /* A subclass goes through PyType_GenericAlloc, which allocates one
         * item more (a sentinel); the builtin itself (PyTuple_New) not. */
        if (PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE) &&
            tp->tp_alloc == PyType_GenericAlloc) {
            nitems++;
        }
        snprintf(extra, sizeof extra, " + %lld items x %lld", nitems, item);
    }
#if PY_VERSION_HEX >= 0x030D0000
    if (PyType_HasFeature(tp, Py_TPFLAGS_INLINE_VALUES) && shared.ok) {
        long long size = shared.nentries + shared.usable;
        inline_values = ROUND_UP(size, WORD) + (size + 1) * WORD;
        snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
                 " + inline values %lld (%lld slots)", inline_values, size);
    }
#endif
    add_alloc(m, "object", basic + item * nitems + gc + pre + inline_values,
              "basicsize %lld%s + GC header %lld + pre-header %lld", basic,
              extra, gc, pre);

    instance_dict(obj, &dict, &values);
#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030D0000
    if (values != NULL && shared.ok) {
        /* init_inline_values: usable is decremented (down to 1) per new
         * instance, then nentries + usable values are allocated. */
        long long size = shared.nentries +
                         (shared.usable > 1 ? shared.usable - 1
                                            : shared.usable);
        add_alloc(m, "values", values_array_bytes(size),
                  "prefix %lld + %lld values x %lld", ROUND_UP(size + 2, WORD),
                  size, WORD);
    }
    else if (values != NULL) {
        add_alloc(m, "values?", 0, "shared keys unreadable: not modelled");
    }
#else
    (void)values;
#endif
    if (dict != NULL && PyDict_Check(dict)) {
        model_dict(m, dict);
    }

    json_object_set_new(row, "type", json_string(tp->tp_name));
    json_object_set_new(row, "basicsize", json_integer(basic));
    json_object_set_new(row, "itemsize", json_integer(item));
    json_object_set_new(row, "nitems", json_integer(nitems));
    json_object_set_new(row, "dictoffset", json_integer(tp->tp_dictoffset));
    json_object_set_new(row, "weaklistoffset",
                        json_integer(tp->tp_weaklistoffset));
    json_object_set_new(row, "gc_header", json_integer(gc));
    json_object_set_new(row, "preheader", json_integer(pre));
    /* null: the flag does not exist in this version */
#if PY_VERSION_HEX >= 0x030B0000
    json_object_set_new(row, "managed_dict", json_boolean(
        PyType_HasFeature(tp, Py_TPFLAGS_MANAGED_DICT)));
#else
    json_object_set_new(row, "managed_dict", json_null());
#endif
#if PY_VERSION_HEX >= 0x030C0000
    json_object_set_new(row, "managed_weakref", json_boolean(
        PyType_HasFeature(tp, Py_TPFLAGS_MANAGED_WEAKREF)));
#else
    json_object_set_new(row, "managed_weakref", json_null());
#endif
#if PY_VERSION_HEX >= 0x030D0000
    json_object_set_new(row, "inline_values", json_boolean(
        PyType_HasFeature(tp, Py_TPFLAGS_INLINE_VALUES)));
#else
    json_object_set_new(row, "inline_values", json_null());
#endif
    if (shared.ok) {
        json_object_set_new(row, "shared_keys", json_pack(
            "{s:I,s:I,s:I}", "size", shared.size, "nentries",
            shared.nentries, "usable", shared.usable));
    }
    else {
        json_object_set_new(row, "shared_keys", json_null());
    }
}

static void
model_to_json(const model *m, json_t *row)
{
    json_t *allocs = json_array();
    long long req = 0, alloc = 0;
    sb_buf explain = {0};
    for (int i = 0; i < m->nalloc; i++) {
        const allocation *a = &m->a[i];
        json_array_append_new(allocs, json_pack(
            "{s:s,s:I,s:I,s:s}", "what", a->what, "requested", a->requested,
            "allocated", a->allocated, "note", a->note));
        req += a->requested;
        alloc += a->allocated;
        sb_buf_printf(&explain, "%s%s %lld", i ? " + " : "", a->what,
                      a->allocated);
        if (a->allocated != a->requested) {
            sb_buf_printf(&explain, " (%lld)", a->requested);
        }
    }
    json_object_set_new(row, "allocations", allocs);
    json_object_set_new(row, "model_requested_bytes", json_integer(req));
    json_object_set_new(row, "model_allocated_bytes", json_integer(alloc));
    json_object_set_new(row, "explain", json_string(m->nalloc ? explain.data
                                                               : "nothing"));
    sb_buf_free(&explain);
}

/* sys.getsizeof(obj), or -1: for contrast only, never the model. */
static long long
getsizeof(PyObject *obj)
{
    PyObject *sys = PyImport_ImportModule("sys");
    PyObject *r = sys ? PyObject_CallMethod(sys, "getsizeof", "(O)", obj)
                      : NULL;
    long long v = r ? PyLong_AsLongLong(r) : -1;
    Py_XDECREF(r);
    Py_XDECREF(sys);
    PyErr_Clear();
    return v;
}

/* One row for variant vi: warm up as memory.c does, then model the next
 * instance.  NULL with a message when the constructor raises or the
 * instance is one of the warm-up ones (refused). */
static json_t *
layout_variant(scenario *sc, size_t vi, int pymalloc, char *err)
{
    scenario_variant *v = &sc->variants[vi];
    PyObject *warm = PyList_New(MEMORY_WARMUP), *probe = NULL;
    model m;
    json_t *row;

    if (warm == NULL) {
        interp_exc(err, "allocating the warm-up list");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < MEMORY_WARMUP; i++) {
        PyObject *obj = PyObject_Call(v->factory, sc->args, sc->kwargs);
        if (obj == NULL) {
            interp_exc(err, "%s: building warm-up instance %zd of "
                            "VARIANTS['%s']", sc->path, i, v->label);
            Py_DECREF(warm);
            return NULL;
        }
        PyList_SET_ITEM(warm, i, obj);
    }
    probe = PyObject_Call(v->factory, sc->args, sc->kwargs);
    if (probe == NULL) {
        interp_exc(err, "%s: building an instance of VARIANTS['%s']",
                   sc->path, v->label);
        Py_DECREF(warm);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < MEMORY_WARMUP; i++) {
        if (probe == PyList_GET_ITEM(warm, i)) {
            /* No bytes per call to model: refused as memory.c does. */
            char what[100];
            snprintf(what, sizeof what, "one object came back more than "
                     "once in %d calls", MEMORY_WARMUP + 1);
            scenario_refusal(sc, v, what, err);
            Py_DECREF(probe);
            Py_DECREF(warm);
            return NULL;
        }
    }
    memset(&m, 0, sizeof m);
    m.pymalloc = pymalloc;
    row = json_object();
    json_object_set_new(row, "scenario", json_string(sc->name));
    json_object_set_new(row, "variant", json_string(v->label));
    json_object_set_new(row, "kind", json_string(variant_kind_name(v->kind)));
    model_instance(&m, probe, row);
    model_to_json(&m, row);
    json_object_set_new(row, "getsizeof", json_integer(getsizeof(probe)));
    Py_DECREF(probe);
    Py_DECREF(warm);
    return row;
}

json_t *
layout_describe(scenario *sc, int vi, char *err)
{
    int pymalloc = memory_pymalloc_allocated() >= 0;
    json_t *row = layout_variant(sc, (size_t)vi, pymalloc, err);
    if (row != NULL) {
        json_object_set_new(row, "pymalloc", json_boolean(pymalloc));
    }
    return row;
}

void
layout_compare(json_t *row, json_t *memory_row)
{
    json_t *alloc = json_object_get(memory_row, "allocated_bytes");
    json_t *req = json_object_get(memory_row, "requested_bytes");
    json_t *res = json_object_get(memory_row, "resident_bytes");
    double model = (double)json_integer_value(
        json_object_get(row, "model_allocated_bytes"));
    if (alloc) {
        json_object_set(row, "measured_allocated_bytes", alloc);
    }
    if (req) {
        json_object_set(row, "measured_requested_bytes", req);
    }
    if (res) {
        json_object_set(row, "resident_bytes", res);
    }
    if (!json_is_number(alloc)) {
        json_object_set_new(row, "agrees", json_null());
        return;
    }
    double measured = json_number_value(alloc);
    double diff = model > 0 ? 100.0 * (measured - model) / model
                            : (measured > 0.5 ? 100.0 : 0.0);
    json_object_set_new(row, "diff_pct", json_real(diff));
    json_object_set_new(row, "agrees", json_string(
        diff <= LAYOUT_TOLERANCE_PCT && diff >= -LAYOUT_TOLERANCE_PCT
            ? "yes" : "no"));
}
