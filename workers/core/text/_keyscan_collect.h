/* The lexicon scan's choice of spans (matcher._collect) in C: _keyscan.c includes this once. Split out of
 * _keyscan.c only to keep each file short; it is not an interface of its own.
 *
 * collect_recs(recs, n, slots, results): the records (rank, p, order, slot, end) sorted, each slot's spans
 * chosen as matcher.keep chooses them (within a class matches do not overlap: the leftmost, then the longest,
 * stays, in the order the records are met), and results[lexicon id][class] = [(start, end), ...] for the slots
 * found, in the order of their first record; slots[slot] = (lexicon id, class). The sort, the choice and the
 * lists are made in C arrays; Python objects only for what is returned.
 */
#ifndef MODWORKER_KEYSCAN_COLLECT_H
#define MODWORKER_KEYSCAN_COLLECT_H

typedef struct { long long k[5]; } Rec;  /* (rank, p, order, slot, end) */
typedef struct { long long start, end; } Span;
typedef struct { Span *s; Py_ssize_t n; } SpanList;  /* room for as many spans as the slot has records */

static int rec_cmp(const void *a, const void *b) {
    const long long *x = ((const Rec *)a)->k, *y = ((const Rec *)b)->k;
    for (int j = 0; j < 5; j++)
        if (x[j] != y[j]) return x[j] < y[j] ? -1 : 1;
    return 0;
}

static Py_ssize_t first_at_or_after(const SpanList *l, Py_ssize_t lo, long long start) {
    /* bisect_left(spans, (start,), lo): the first span whose start is >= start */
    Py_ssize_t hi = l->n;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (l->s[mid].start < start) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* matcher.keep (and the append before it in matcher._collect); the list has room for one more span */
static void keep(SpanList *l, long long start, long long end) {
    Py_ssize_t lo = l->n;
    if (l->n && l->s[l->n - 1].end > start) {
        lo = first_at_or_after(l, 0, start);
        if (lo && l->s[lo - 1].end > start) lo--;
        Py_ssize_t hi = first_at_or_after(l, lo, end);
        if (lo < hi) {
            Span f = l->s[lo];  /* the leftmost of those overlapping */
            if (f.start < start || (f.start == start && -f.end <= -end)) return;
            memmove(l->s + lo, l->s + hi, (size_t)(l->n - hi) * sizeof(Span));
            l->n -= hi - lo;
        }
    }
    memmove(l->s + lo + 1, l->s + lo, (size_t)(l->n - lo) * sizeof(Span));
    l->s[lo] = (Span){start, end};
    l->n++;
}

static PyObject *spans_list(const SpanList *l) {
    PyObject *out = PyList_New(l->n);
    for (Py_ssize_t i = 0; out && i < l->n; i++) {
        PyObject *t = Py_BuildValue("(LL)", l->s[i].start, l->s[i].end);
        if (!t) Py_CLEAR(out);
        else PyList_SET_ITEM(out, i, t);
    }
    return out;
}

/* slot -> its number among the slots of the current call, -1 when it has none (kept between calls, and
   reset after each: the GIL makes it one call at a time) */
static Py_ssize_t *slot_found = NULL, slot_found_cap = 0;

#define COLLECT_SMALL 64  /* records handled with arrays on the stack */

/* results[lexicon id][class] = its spans, for the records recs[0 .. n) (sorted here, in place; each slot below
 * PyTuple_GET_SIZE(slots), checked by the caller). 1 when there was a record, 0 when none, -1 on error. */
static int collect_recs(Rec *recs, Py_ssize_t n, PyObject *slots, PyObject *results) {
    if (n == 0) return 0;
    Py_ssize_t nslots = PyTuple_GET_SIZE(slots);
    if (nslots > slot_found_cap) {
        Py_ssize_t *g = PyMem_Realloc(slot_found, (size_t)nslots * sizeof(Py_ssize_t));
        if (!g) { PyErr_NoMemory(); return -1; }
        for (Py_ssize_t i = slot_found_cap; i < nslots; i++) g[i] = -1;
        slot_found = g, slot_found_cap = nslots;
    }
    Span small_pool[COLLECT_SMALL];
    SpanList small_lists[COLLECT_SMALL];
    Py_ssize_t small_slot[COLLECT_SMALL];
    Span *pool = small_pool;
    SpanList *lists = small_lists;
    Py_ssize_t *slot_of = small_slot, nfound = 0;
    int res = -1;
    if (n > COLLECT_SMALL) {
        pool = PyMem_Malloc((size_t)n * sizeof(Span));
        lists = PyMem_Malloc((size_t)n * sizeof(SpanList));
        slot_of = PyMem_Malloc((size_t)n * sizeof(Py_ssize_t));
        if (!pool || !lists || !slot_of) { PyErr_NoMemory(); goto done; }
    }
    if (n <= COLLECT_SMALL) {  /* a few records: insertion sort (glibc's qsort allocates a buffer) */
        for (Py_ssize_t i = 1; i < n; i++) {
            Rec r = recs[i];
            Py_ssize_t j = i;
            for (; j > 0 && rec_cmp(&recs[j - 1], &r) > 0; j--) recs[j] = recs[j - 1];
            recs[j] = r;
        }
    } else {
        qsort(recs, (size_t)n, sizeof(Rec), rec_cmp);
    }
    /* the slots in the order of their first record, each with room for as many spans as it has records */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t s = (Py_ssize_t)recs[i].k[3];
        if (slot_found[s] < 0) {
            slot_found[s] = nfound;
            slot_of[nfound] = s;
            lists[nfound++].n = 0;
        }
        lists[slot_found[s]].n++;  /* counting for now */
    }
    for (Py_ssize_t f = 0, used = 0; f < nfound; f++) {
        lists[f].s = pool + used;
        used += lists[f].n;
        lists[f].n = 0;
    }
    for (Py_ssize_t i = 0; i < n; i++) keep(&lists[slot_found[recs[i].k[3]]], recs[i].k[1], recs[i].k[4]);
    for (Py_ssize_t f = 0; f < nfound; f++) {
        PyObject *slot = PyTuple_GET_ITEM(slots, slot_of[f]);
        if (!PyTuple_Check(slot) || PyTuple_GET_SIZE(slot) != 2) {
            PyErr_SetString(PyExc_TypeError, "collect: slots must be (lexicon id, class) pairs");
            goto done;
        }
        PyObject *lid = PyTuple_GET_ITEM(slot, 0), *cls = PyTuple_GET_ITEM(slot, 1);
        PyObject *spans = spans_list(&lists[f]);
        if (!spans) goto done;
        PyObject *classes = PyDict_GetItemWithError(results, lid);
        int err;
        if (classes) err = PyDict_SetItem(classes, cls, spans);
        else if (PyErr_Occurred()) err = -1;
        else {
            PyObject *d = PyDict_New();
            err = !d || PyDict_SetItem(d, cls, spans) < 0 || PyDict_SetItem(results, lid, d) < 0;
            Py_XDECREF(d);
        }
        Py_DECREF(spans);
        if (err) goto done;
    }
    res = 1;
done:
    for (Py_ssize_t f = 0; f < nfound; f++) slot_found[slot_of[f]] = -1;
    if (pool != small_pool) {
        PyMem_Free(pool);
        PyMem_Free(lists);
        PyMem_Free(slot_of);
    }
    return res;
}

/* collect(records, slots, results) -> bool: the records given as a list of 5-tuples of ints. */
static PyObject *keyscan_collect(PyObject *module, PyObject *args) {
    PyObject *records, *slots, *results;
    if (!PyArg_ParseTuple(args, "O!O!O!:collect", &PyList_Type, &records, &PyTuple_Type, &slots, &PyDict_Type,
                          &results))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(records), nslots = PyTuple_GET_SIZE(slots);
    if (n == 0) Py_RETURN_FALSE;
    Rec small_recs[COLLECT_SMALL];
    Rec *recs = n > COLLECT_SMALL ? PyMem_Malloc((size_t)n * sizeof(Rec)) : small_recs;
    if (!recs) return PyErr_NoMemory();
    int found = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(records, i);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 5) {
            PyErr_SetString(PyExc_TypeError, "collect: records must be 5-tuples of ints");
            goto done;
        }
        for (int j = 0; j < 5; j++) {
            recs[i].k[j] = PyLong_AsLongLong(PyTuple_GET_ITEM(t, j));
            if (recs[i].k[j] == -1 && PyErr_Occurred()) goto done;
        }
        if (recs[i].k[3] < 0 || recs[i].k[3] >= nslots) {
            PyErr_Format(PyExc_IndexError, "collect: slot %lld out of range", recs[i].k[3]);
            goto done;
        }
    }
    found = collect_recs(recs, n, slots, results);
done:
    if (recs != small_recs) PyMem_Free(recs);
    return found < 0 ? NULL : PyBool_FromLong(found);
}

#endif
