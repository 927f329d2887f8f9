/* The lexicon scan's hot loop in C: the Aho-Corasick pass of matcher.scan_first.
 *
 * Automaton(keys, values)
 *   keys:   list of non-empty str (any code point, astral ones included), no duplicates
 *   values: list of the same length; values[i] = (n, ascii_start, gates, one, two) as matcher.compile_scanner
 *           makes them: n = len(keys[i]), ascii_start a bool, gates an int in [0, 2**63), one/two None or a
 *           tuple (rank: int, order: int, slots: tuple[int, ...], groups: object or None)
 * scan(text) -> (records, pending, records2, pending2, found)
 *   what the loop of scan_first builds over every occurrence of every key (overlapping ones included):
 *   records are (rank, p, order, slot, end), pending entries (p, rank, groups) with the very groups object
 *   given; found is the OR of the gates of the keys found. The order inside each list is the order of the
 *   match ends (at one end, longest key first), which may differ from pyahocorasick's.
 *
 * Linear in len(text) + matches: goto transitions (a direct table at the root for the BMP, sorted child
 * arrays elsewhere), failure links and dictionary-suffix links. Holds the GIL throughout.
 *
 * collect(records, slots, results) -> bool
 *   matcher._collect over records given as 5-tuples of ints (_keyscan_collect.h).
 *
 * Automaton(keys, values, slots).first(text, results) -> (topic, rest), rest.second(results) -> bool
 *   the whole scan (matcher.scan_first and scan_second): the pass, the patterns at their starts and the
 *   choice of spans, with records and pending starts kept in C arrays (_keyscan_run.h).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ROOT_TABLE 0x10000 /* code points below this have a direct root transition */
#define LINEAR_MAX 8       /* children searched linearly up to this many, by bisection above */
#define FAIL(...) return (PyErr_Format(__VA_ARGS__), -1) /* raise, in a function returning an int */

#include "_keyscan_collect.h"

typedef struct {        /* what a key does in one phase */
    int has;            /* the part is not None */
    long long rank, order;
    Py_ssize_t slot0, nslots; /* its slots: Automaton.slots[slot0 .. slot0 + nslots) */
    PyObject *groups;   /* owned reference, NULL for None */
    int32_t gref0, ngref; /* its groups compiled (prepare_groups): Automaton.grefs[gref0 .. gref0 + ngref) */
} Part;

typedef struct {
    Py_ssize_t n;       /* length of the key */
    int ascii_start;    /* counts only at a word start */
    long long gates;    /* bits of the required literals the key is one of */
    Part part[2];       /* first and second phase */
} Key;

typedef struct {        /* a trie node */
    int32_t first, count; /* its children: Automaton.edges[first .. first + count), sorted by code point */
    int32_t fail;       /* failure link */
    int32_t out;        /* the key ending here, or -1 */
    int32_t dict;       /* nearest node on the failure chain where a key ends, or -1 */
} Node;

typedef struct { Py_UCS4 cp; int32_t to; } Edge;

typedef struct {
    PyObject_HEAD
    Py_ssize_t nkeys, nnodes;
    Key *keys;
    long long *slots;   /* the slots of all parts */
    int32_t *root;      /* root transition for each BMP code point (0: stay at the root) */
    Node *nodes;        /* node 0 is the root */
    Edge *edges;
    /* for first() (_keyscan_run.h): the Scanner's slots, and the groups of patterns compiled on first use */
    PyObject *slot_names;   /* tuple: slot -> (lexicon id, class), or NULL */
    struct CGroup *groups;
    Py_ssize_t ngroups;
    int32_t *grefs;         /* the groups of each part, by number */
    long long *gslots;      /* the slots of the groups' patterns */
    int prepared;
} Automaton;

/* Where emit() puts what it finds: Python lists (scan()) or C arrays (first()). */
typedef struct { Rec *r; Py_ssize_t n, cap; } Recs;
typedef struct { Py_ssize_t p; const Part *part; } Pend;  /* a pattern start to try: position and key part */
typedef struct { Pend *v; Py_ssize_t n, cap; } Pends;
typedef struct {
    PyObject **lists;       /* records, pending, records2, pending2 as lists of tuples; or NULL */
    Recs *recs[2];          /* else: the records and ... */
    Pends *pends[2];        /* ... the pending starts of each phase */
} Sink;

static int grow(void **v, Py_ssize_t *cap, Py_ssize_t need, size_t item) {
    if (need <= *cap) return 0;
    Py_ssize_t c = *cap ? *cap * 2 : 32;
    if (c < need) c = need;
    void *g = PyMem_Realloc(*v, (size_t)c * item);
    if (!g) { PyErr_NoMemory(); return -1; }
    *v = g, *cap = c;
    return 0;
}

static int push_rec(Recs *r, long long rank, long long p, long long order, long long slot, long long end) {
    if (grow((void **)&r->r, &r->cap, r->n + 1, sizeof(Rec)) < 0) return -1;
    r->r[r->n++] = (Rec){{rank, p, order, slot, end}};
    return 0;
}

static void groups_free(Automaton *a);  /* _keyscan_run.h */

/* --- construction ------------------------------------------------------------------------------------ */

static void Automaton_free(Automaton *a) {
    if (a->keys)
        for (Py_ssize_t k = 0; k < a->nkeys; k++) {
            Py_CLEAR(a->keys[k].part[0].groups);
            Py_CLEAR(a->keys[k].part[1].groups);
        }
    groups_free(a);
    Py_CLEAR(a->slot_names);
    PyMem_Free(a->keys), PyMem_Free(a->slots), PyMem_Free(a->root), PyMem_Free(a->nodes), PyMem_Free(a->edges);
    a->keys = NULL, a->slots = NULL, a->root = NULL, a->nodes = NULL, a->edges = NULL;
    a->nkeys = a->nnodes = 0;
}

/* An int in [lo, hi] into *out; TypeError if not an int, ValueError if out of range. */
static int get_int(PyObject *o, long long lo, long long hi, long long *out, Py_ssize_t i, const char *what) {
    if (!PyLong_Check(o))
        FAIL(PyExc_TypeError, "values[%zd]: %s must be an int, not %.80s", i, what, Py_TYPE(o)->tp_name);
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (overflow || v < lo || v > hi)
        FAIL(PyExc_ValueError, "values[%zd]: %s out of range [%lld, %lld]", i, what, lo, hi);
    *out = v;
    return 0;
}

/* One phase's part of values[i]: None or (rank, order, slots, groups). Slots are appended to a->slots. */
static int parse_part(Automaton *a, PyObject *o, Part *part, Py_ssize_t *nslots, Py_ssize_t *cap, Py_ssize_t i) {
    if (o == Py_None) return 0;
    if (!PyTuple_Check(o) || PyTuple_GET_SIZE(o) != 4)
        FAIL(PyExc_TypeError, "values[%zd]: a part must be None or a tuple (rank, order, slots, groups)", i);
    PyObject *slots = PyTuple_GET_ITEM(o, 2);
    if (get_int(PyTuple_GET_ITEM(o, 0), LLONG_MIN, LLONG_MAX, &part->rank, i, "rank") < 0
            || get_int(PyTuple_GET_ITEM(o, 1), LLONG_MIN, LLONG_MAX, &part->order, i, "order") < 0)
        return -1;
    if (!PyTuple_Check(slots)) FAIL(PyExc_TypeError, "values[%zd]: slots must be a tuple of int", i);
    Py_ssize_t m = PyTuple_GET_SIZE(slots);
    if (*nslots + m > *cap) { /* grow the shared slot array */
        Py_ssize_t c = (*cap ? *cap * 2 : 256) + m;
        long long *s = PyMem_Realloc(a->slots, (size_t)c * sizeof(long long));
        if (!s) { PyErr_NoMemory(); return -1; }
        a->slots = s, *cap = c;
    }
    part->slot0 = *nslots, part->nslots = m;
    for (Py_ssize_t j = 0; j < m; j++)
        if (get_int(PyTuple_GET_ITEM(slots, j), LLONG_MIN, LLONG_MAX, &a->slots[*nslots + j], i, "a slot") < 0)
            return -1;
    *nslots += m;
    PyObject *groups = PyTuple_GET_ITEM(o, 3);
    part->groups = groups == Py_None ? NULL : Py_NewRef(groups);
    part->has = 1;
    return 0;
}

static int parse_value(Automaton *a, PyObject *key, PyObject *v, Key *k, Py_ssize_t *nslots, Py_ssize_t *cap,
                       Py_ssize_t i) {
    long long n;
    if (!PyTuple_Check(v) || PyTuple_GET_SIZE(v) != 5)
        FAIL(PyExc_TypeError, "values[%zd] must be a tuple (n, ascii_start, gates, one, two)", i);
    if (get_int(PyTuple_GET_ITEM(v, 0), 0, PY_SSIZE_T_MAX, &n, i, "n") < 0) return -1;
    if (n != PyUnicode_GET_LENGTH(key))
        FAIL(PyExc_ValueError, "values[%zd]: n (%lld) is not the length of its key (%zd)", i, n,
             PyUnicode_GET_LENGTH(key));
    k->n = (Py_ssize_t)n;
    if (!PyBool_Check(PyTuple_GET_ITEM(v, 1)))
        FAIL(PyExc_TypeError, "values[%zd]: ascii_start must be a bool", i);
    k->ascii_start = PyTuple_GET_ITEM(v, 1) == Py_True;
    if (get_int(PyTuple_GET_ITEM(v, 2), 0, INT64_MAX, &k->gates, i, "gates (a 63-bit mask)") < 0) return -1;
    if (parse_part(a, PyTuple_GET_ITEM(v, 3), &k->part[0], nslots, cap, i) < 0) return -1;
    return parse_part(a, PyTuple_GET_ITEM(v, 4), &k->part[1], nslots, cap, i);
}

typedef struct { const Py_UCS4 *s; Py_ssize_t len, key; } Entry; /* a key's code points, for sorting */

static int entry_cmp(const void *x, const void *y) {
    const Entry *a = x, *b = y;
    Py_ssize_t m = a->len < b->len ? a->len : b->len;
    for (Py_ssize_t i = 0; i < m; i++)
        if (a->s[i] != b->s[i]) return a->s[i] < b->s[i] ? -1 : 1;
    return (a->len > b->len) - (a->len < b->len);
}

static inline int32_t child(const Edge *e, int32_t n, Py_UCS4 c) { /* among n sorted edges: goto c, or -1 */
    if (n <= LINEAR_MAX) {
        for (int32_t i = 0; i < n; i++)
            if (e[i].cp == c) return e[i].to;
        return -1;
    }
    int32_t lo = 0, hi = n;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (e[mid].cp < c) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && e[lo].cp == c ? e[lo].to : -1;
}

/* The state after reading c in state s: goto, else follow failure links (to the root's direct table). */
static inline int32_t step(const Node *nodes, const Edge *edges, const int32_t *root, int32_t s, Py_UCS4 c) {
    for (;;) {
        const Node *v = &nodes[s];
        if (s == 0) {
            if (c < ROOT_TABLE) return root[c];
            int32_t t = child(edges + v->first, v->count, c);
            return t < 0 ? 0 : t;
        }
        int32_t t = child(edges + v->first, v->count, c);
        if (t >= 0) return t;
        s = v->fail;
    }
}

/* The trie, from the keys sorted by code points: a key shares with the trie exactly its common prefix with
 * the previous key, and each node's children are created in increasing code point order. */
static int build(Automaton *a, PyObject *keys, Py_ssize_t total, Py_ssize_t maxlen) {
    int ok = -1;
    Py_ssize_t nk = a->nkeys, nn = total + 1;
    Py_UCS4 *buf = PyMem_Malloc((size_t)(total + 1) * sizeof(Py_UCS4));
    Entry *ent = PyMem_Malloc((size_t)(nk + 1) * sizeof(Entry));
    int32_t *path = PyMem_Malloc((size_t)(maxlen + 1) * sizeof(int32_t));
    int32_t *par = PyMem_Malloc((size_t)nn * sizeof(int32_t));     /* parent of each node */
    Py_UCS4 *ncp = PyMem_Malloc((size_t)nn * sizeof(Py_UCS4));     /* code point into each node */
    int32_t *queue = PyMem_Malloc((size_t)nn * sizeof(int32_t));
    Node *nodes = a->nodes = PyMem_Calloc((size_t)nn, sizeof(Node));
    Edge *edges = a->edges = PyMem_Malloc((size_t)nn * sizeof(Edge));
    a->root = PyMem_Calloc(ROOT_TABLE, sizeof(int32_t));
    if (!buf || !ent || !path || !par || !ncp || !queue || !nodes || !edges || !a->root) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t off = 0; /* the keys' code points, then sorted */
    for (Py_ssize_t k = 0; k < nk; k++) {
        PyObject *key = PyList_GET_ITEM(keys, k);
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        if (!PyUnicode_AsUCS4(key, buf + off, len, 0)) goto done;
        ent[k] = (Entry){buf + off, len, k};
        off += len;
    }
    qsort(ent, (size_t)nk, sizeof(Entry), entry_cmp);
    int32_t n = 1; /* the trie: node 0 is the root */
    nodes[0].out = -1;
    path[0] = 0;
    for (Py_ssize_t e = 0; e < nk; e++) {
        Py_ssize_t lcp = 0;
        if (e) {
            Py_ssize_t m = ent[e].len < ent[e - 1].len ? ent[e].len : ent[e - 1].len;
            while (lcp < m && ent[e].s[lcp] == ent[e - 1].s[lcp]) lcp++;
            if (lcp == ent[e].len) {
                PyErr_Format(PyExc_ValueError, "duplicate key: keys[%zd] == keys[%zd]", ent[e].key, ent[e - 1].key);
                goto done;
            }
        }
        for (Py_ssize_t j = lcp; j < ent[e].len; j++, n++) {
            par[n] = path[j], ncp[n] = ent[e].s[j], nodes[n].out = -1;
            nodes[path[j]].count++;
            path[j + 1] = n;
        }
        nodes[path[ent[e].len]].out = (int32_t)ent[e].key;
    }
    a->nnodes = n;
    for (int32_t v = 1; v < n; v++) nodes[v].first = nodes[v - 1].first + nodes[v - 1].count; /* edges by parent */
    for (int32_t v = 0; v < n; v++) queue[v] = nodes[v].first; /* next free edge of each parent */
    for (int32_t v = 1; v < n; v++) /* in creation order: sorted by code point within a parent */
        edges[queue[par[v]]++] = (Edge){ncp[v], v};
    for (int32_t i = 0; i < nodes[0].count; i++) /* the root's direct table */
        if (edges[i].cp < ROOT_TABLE) a->root[edges[i].cp] = edges[i].to;
    int32_t head = 0, tail = 0; /* failure and dictionary links, breadth first */
    nodes[0].fail = 0, nodes[0].dict = -1;
    queue[tail++] = 0;
    while (head < tail) {
        int32_t u = queue[head++];
        for (int32_t i = nodes[u].first; i < nodes[u].first + nodes[u].count; i++) {
            int32_t v = edges[i].to, f = u == 0 ? 0 : step(nodes, edges, a->root, nodes[u].fail, edges[i].cp);
            nodes[v].fail = f;
            nodes[v].dict = nodes[f].out >= 0 ? f : nodes[f].dict;
            queue[tail++] = v;
        }
    }
    ok = 0;
done:
    PyMem_Free(buf), PyMem_Free(ent), PyMem_Free(path), PyMem_Free(par), PyMem_Free(ncp), PyMem_Free(queue);
    return ok;
}

static int Automaton_init(Automaton *a, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"keys", "values", "slots", NULL};
    PyObject *keys, *values, *slot_names = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!|O!:Automaton", kwlist, &PyList_Type, &keys, &PyList_Type,
                                     &values, &PyTuple_Type, &slot_names))
        return -1;
    Automaton_free(a); /* __init__ called again */
    a->slot_names = Py_XNewRef(slot_names);
    Py_ssize_t nk = PyList_GET_SIZE(keys), total = 0, maxlen = 0, nslots = 0, cap = 0;
    if (PyList_GET_SIZE(values) != nk) {
        PyErr_SetString(PyExc_ValueError, "keys and values must have the same length");
        return -1;
    }
    a->keys = PyMem_Calloc((size_t)nk + 1, sizeof(Key));
    if (!a->keys) { PyErr_NoMemory(); return -1; }
    a->nkeys = nk;
    for (Py_ssize_t i = 0; i < nk; i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        if (!PyUnicode_Check(key) || PyUnicode_READY(key) < 0 || PyUnicode_GET_LENGTH(key) == 0) {
            if (!PyErr_Occurred())
                PyErr_Format(PyUnicode_Check(key) ? PyExc_ValueError : PyExc_TypeError,
                             "keys[%zd] must be a non-empty str", i);
            goto error;
        }
        if (parse_value(a, key, PyList_GET_ITEM(values, i), &a->keys[i], &nslots, &cap, i) < 0) goto error;
        total += PyUnicode_GET_LENGTH(key);
        if (PyUnicode_GET_LENGTH(key) > maxlen) maxlen = PyUnicode_GET_LENGTH(key);
        if (total >= INT32_MAX) { PyErr_SetString(PyExc_ValueError, "keys too long in total"); goto error; }
    }
    if (build(a, keys, total, maxlen) == 0) return 0;
error:
    Automaton_free(a);
    return -1;
}

/* --- scan --------------------------------------------------------------------------------------------- */

/* Append (a, b, c, d, e) or (a, b, c) (when five is 0) to list. */
static int append_tuple(PyObject *list, int five, long long a, long long b, long long c, long long d, long long e,
                        PyObject *obj) {
    PyObject *t = PyTuple_New(five ? 5 : 3);
    if (!t) return -1;
    long long v[5] = {a, b, c, d, e};
    for (int j = 0; j < (five ? 5 : 2); j++) {
        PyObject *x = PyLong_FromLongLong(v[j]);
        if (!x) { Py_DECREF(t); return -1; }
        PyTuple_SET_ITEM(t, j, x);
    }
    if (!five) PyTuple_SET_ITEM(t, 2, Py_NewRef(obj));
    int r = PyList_Append(list, t);
    Py_DECREF(t);
    return r;
}

/* The key k found ending at last: its records and pending entries, as the loop of scan_first makes them. */
static int emit(const Automaton *a, const Key *k, int kind, const void *data, Py_ssize_t last,
                const Sink *sink, unsigned long long *found) {
    if (k->gates) {
        *found |= (unsigned long long)k->gates;
        if (!k->part[0].has && !k->part[1].has) return 0;
    }
    Py_ssize_t p = last - k->n + 1;
    if (k->ascii_start && p) {
        Py_UCS4 c = PyUnicode_READ(kind, data, p - 1);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return 0; /* not at a word start */
    }
    for (int ph = 0; ph < 2; ph++) {
        const Part *part = &k->part[ph];
        if (!part->has) continue;
        if (!sink->lists) {
            for (Py_ssize_t j = 0; j < part->nslots; j++)
                if (push_rec(sink->recs[ph], part->rank, p, part->order, a->slots[part->slot0 + j], last + 1) < 0)
                    return -1;
            Pends *q = sink->pends[ph];
            if (part->groups) {
                if (grow((void **)&q->v, &q->cap, q->n + 1, sizeof(Pend)) < 0) return -1;
                q->v[q->n++] = (Pend){p, part};
            }
            continue;
        }
        for (Py_ssize_t j = 0; j < part->nslots; j++)
            if (append_tuple(sink->lists[2 * ph], 1, part->rank, p, part->order, a->slots[part->slot0 + j],
                             last + 1, NULL) < 0)
                return -1;
        if (part->groups && append_tuple(sink->lists[2 * ph + 1], 0, p, part->rank, 0, 0, 0, part->groups) < 0)
            return -1;
    }
    return 0;
}

/* The walk of the automaton over the text: every key found, to emit(). */
static int walk(const Automaton *a, PyObject *text, const Sink *sink, unsigned long long *found) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    const Node *nodes = a->nodes;
    const Edge *edges = a->edges;
    const int32_t *root = a->root;
    int32_t s = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        s = step(nodes, edges, root, s, PyUnicode_READ(kind, data, i));
        for (int32_t m = nodes[s].out >= 0 ? s : nodes[s].dict; m >= 0; m = nodes[m].dict) /* keys ending here */
            if (emit(a, &a->keys[nodes[m].out], kind, data, i, sink, found) < 0) return -1;
    }
    return 0;
}

static PyObject *Automaton_scan(Automaton *a, PyObject *text) {
    if (!PyUnicode_Check(text))
        return PyErr_Format(PyExc_TypeError, "scan() needs a str, not %.80s", Py_TYPE(text)->tp_name);
    if (!a->root) return PyErr_Format(PyExc_RuntimeError, "Automaton not initialized");
    if (PyUnicode_READY(text) < 0) return NULL;
    PyObject *lists[4] = {PyList_New(0), PyList_New(0), PyList_New(0), PyList_New(0)}, *result = NULL;
    unsigned long long found = 0;
    if (!lists[0] || !lists[1] || !lists[2] || !lists[3]) goto done;
    Sink sink = {lists, {NULL, NULL}, {NULL, NULL}};
    if (walk(a, text, &sink, &found) < 0) goto done;
    PyObject *f = PyLong_FromUnsignedLongLong(found);
    if (f) result = PyTuple_Pack(5, lists[0], lists[1], lists[2], lists[3], f);
    Py_XDECREF(f);
done:
    for (int j = 0; j < 4; j++) Py_XDECREF(lists[j]);
    return result;
}

#include "_keyscan_run.h"

static PyMethodDef module_methods[] = {
    {"collect", keyscan_collect, METH_VARARGS,
     "collect(records, slots, results) -> bool: matcher._collect in C (see _keyscan.c)"},
    {NULL, NULL, 0, NULL},
};

/* --- type and module ---------------------------------------------------------------------------------- */

static int Automaton_traverse(Automaton *a, visitproc visit, void *arg) {
    for (Py_ssize_t k = 0; a->keys && k < a->nkeys; k++) {
        Py_VISIT(a->keys[k].part[0].groups);
        Py_VISIT(a->keys[k].part[1].groups);
    }
    Py_VISIT(a->slot_names);
    return groups_traverse(a, visit, arg);
}

static int Automaton_clear(Automaton *a) { Automaton_free(a); return 0; }

static void Automaton_dealloc(Automaton *a) {
    PyObject_GC_UnTrack(a);
    Automaton_free(a);
    Py_TYPE(a)->tp_free((PyObject *)a);
}

static PyObject *Automaton_nodes(Automaton *a, PyObject *Py_UNUSED(x)) { return PyLong_FromSsize_t(a->nnodes); }

static PyMethodDef Automaton_methods[] = {
    {"scan", (PyCFunction)Automaton_scan, METH_O,
     "scan(text) -> (records, pending, records2, pending2, found), as the loop of matcher.scan_first builds them"},
    {"nodes", (PyCFunction)Automaton_nodes, METH_NOARGS, "nodes() -> number of trie nodes, the root included"},
    {"first", (PyCFunction)Automaton_first, METH_VARARGS,
     "first(text, results) -> (topic, rest): matcher.scan_first, wholly in C (see _keyscan_run.h)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject AutomatonType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_keyscan.Automaton",
    .tp_doc = "Automaton(keys, values): Aho-Corasick automaton over the keys of matcher.compile_scanner",
    .tp_basicsize = sizeof(Automaton),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Automaton_init,
    .tp_dealloc = (destructor)Automaton_dealloc,
    .tp_traverse = (traverseproc)Automaton_traverse,
    .tp_clear = (inquiry)Automaton_clear,
    .tp_methods = Automaton_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_keyscan", "The Aho-Corasick pass of matcher.scan_first in C (see _keyscan.c).", -1,
    module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__keyscan(void) {
    if (PyType_Ready(&AutomatonType) < 0 || PyType_Ready(&RestType) < 0) return NULL;
    if (!(str_lastindex = PyUnicode_InternFromString("lastindex")) || !(str_end = PyUnicode_InternFromString("end"))
            || !(str_match = PyUnicode_InternFromString("match")))
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    if (PyModule_AddObjectRef(m, "Automaton", (PyObject *)&AutomatonType) < 0
            || PyModule_AddObjectRef(m, "Rest", (PyObject *)&RestType) < 0)
        Py_CLEAR(m);
    return m;
}
