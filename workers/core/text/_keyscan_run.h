/* The whole lexicon scan in C: the pass, the patterns at their starts and the choice of spans, with no Python
 * object in between (_keyscan.c includes this once; split out only to keep each file short).
 *
 * Automaton.first(text, results) -> (topic, rest)      matcher.scan_first
 *   the pass over text (as scan()); the patterns of the first phase run where their starts were found (as
 *   matcher._run, with Group.run); the first phase's records collected into results (as matcher._collect);
 *   topic: whether it had a record. rest keeps what the second phase needs, in C arrays.
 * rest.second(results) -> bool                          matcher.scan_second
 *   the second phase's patterns, then its records collected into results; once.
 *
 * A pattern runs through its compiled pattern's own `match` (re), called from here: the matches are those of
 * matcher._run to the record. The groups of patterns (matcher.Group: suffixes, members, gate, follow) are read
 * once, on the first call of first(); the Automaton needs its `slots` (the Scanner's) for it.
 */
#ifndef MODWORKER_KEYSCAN_RUN_H
#define MODWORKER_KEYSCAN_RUN_H

static PyObject *str_lastindex, *str_end, *str_match;  /* interned at module init */

typedef struct CGroup {     /* a matcher.Group */
    Py_ssize_t npat;        /* its patterns; suffix j tries patterns j, j + 1, ... */
    PyObject **match;       /* the bound `match` of each suffix (owned) */
    long long *order;       /* each pattern's order at a position */
    Py_ssize_t *slot0, *nslots; /* each pattern's slots: Automaton.gslots[slot0 .. slot0 + nslots) */
    unsigned long long gate;
    Py_UCS4 *follow;        /* the characters that may come second in a match, ascending; NULL: any */
    Py_ssize_t nfollow;
} CGroup;

static void groups_free(Automaton *a) {
    for (Py_ssize_t g = 0; a->groups && g < a->ngroups; g++) {
        CGroup *c = &a->groups[g];
        for (Py_ssize_t j = 0; c->match && j < c->npat; j++) Py_XDECREF(c->match[j]);
        PyMem_Free(c->match), PyMem_Free(c->order), PyMem_Free(c->slot0), PyMem_Free(c->nslots);
        PyMem_Free(c->follow);
    }
    PyMem_Free(a->groups), PyMem_Free(a->grefs), PyMem_Free(a->gslots);
    a->groups = NULL, a->grefs = NULL, a->gslots = NULL, a->ngroups = 0, a->prepared = 0;
    for (Py_ssize_t k = 0; a->keys && k < a->nkeys; k++) a->keys[k].part[0].ngref = a->keys[k].part[1].ngref = 0;
}

static int groups_traverse(Automaton *a, visitproc visit, void *arg) {
    for (Py_ssize_t g = 0; a->groups && g < a->ngroups; g++)
        for (Py_ssize_t j = 0; a->groups[g].match && j < a->groups[g].npat; j++) Py_VISIT(a->groups[g].match[j]);
    return 0;
}

static int ucs4_cmp(const void *x, const void *y) {
    Py_UCS4 a = *(const Py_UCS4 *)x, b = *(const Py_UCS4 *)y;
    return (a > b) - (a < b);
}

/* An attribute of a group that must be a tuple (new reference), or NULL with the error set. */
static PyObject *tuple_attr(PyObject *o, const char *name) {
    PyObject *v = PyObject_GetAttrString(o, name);
    if (v && !PyTuple_Check(v)) {
        PyErr_Format(PyExc_TypeError, "a group's %s must be a tuple", name);
        Py_CLEAR(v);
    }
    return v;
}

/* One matcher.Group into a->groups[a->ngroups] (room made by the caller); slots appended to a->gslots. */
static int compile_group(Automaton *a, PyObject *group, Py_ssize_t *nslots, Py_ssize_t *cap) {
    CGroup *c = &a->groups[a->ngroups];
    memset(c, 0, sizeof(*c));
    int ok = -1;
    long long gate;
    PyObject *suffixes = tuple_attr(group, "suffixes"), *members = suffixes ? tuple_attr(group, "members") : NULL;
    PyObject *gate_obj = members ? PyObject_GetAttrString(group, "gate") : NULL;
    PyObject *follow = gate_obj ? PyObject_GetAttrString(group, "follow") : NULL;
    if (!follow || get_int(gate_obj, 0, INT64_MAX, &gate, a->ngroups, "a group's gate") < 0) goto done;
    if (follow != Py_None && !PyUnicode_Check(follow)) {
        PyErr_SetString(PyExc_TypeError, "a group's follow must be a str or None");
        goto done;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(suffixes);
    if (n == 0 || PyTuple_GET_SIZE(members) != n) {
        PyErr_SetString(PyExc_ValueError, "a group needs as many members as suffixes, and one at least");
        goto done;
    }
    a->ngroups++;  /* from here on groups_free frees it */
    c->npat = n, c->gate = (unsigned long long)gate;
    if (follow != Py_None) {  /* sorted here, whatever order it came in (the lookup bisects) */
        if (!(c->follow = PyUnicode_AsUCS4Copy(follow))) goto done;
        c->nfollow = PyUnicode_GET_LENGTH(follow);
        qsort(c->follow, (size_t)c->nfollow, sizeof(Py_UCS4), ucs4_cmp);
    }
    c->match = PyMem_Calloc((size_t)n, sizeof(PyObject *));
    c->order = PyMem_Calloc((size_t)n, sizeof(long long));
    c->slot0 = PyMem_Calloc((size_t)n, sizeof(Py_ssize_t));
    c->nslots = PyMem_Calloc((size_t)n, sizeof(Py_ssize_t));
    if (!c->match || !c->order || !c->slot0 || !c->nslots) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *m = PyTuple_GET_ITEM(members, j), *slots;
        if (!(c->match[j] = PyObject_GetAttr(PyTuple_GET_ITEM(suffixes, j), str_match))) goto done;
        if (!PyTuple_Check(m) || PyTuple_GET_SIZE(m) != 2 || !PyTuple_Check(slots = PyTuple_GET_ITEM(m, 1))) {
            PyErr_SetString(PyExc_TypeError, "a group's members must be (order, slots) pairs");
            goto done;
        }
        if (get_int(PyTuple_GET_ITEM(m, 0), LLONG_MIN, LLONG_MAX, &c->order[j], j, "an order") < 0) goto done;
        Py_ssize_t k = PyTuple_GET_SIZE(slots);
        if (grow((void **)&a->gslots, cap, *nslots + k, sizeof(long long)) < 0) goto done;
        c->slot0[j] = *nslots, c->nslots[j] = k;
        for (Py_ssize_t i = 0; i < k; i++)
            if (get_int(PyTuple_GET_ITEM(slots, i), 0, PyTuple_GET_SIZE(a->slot_names) - 1, &a->gslots[*nslots + i],
                        j, "a slot") < 0)
                goto done;
        *nslots += k;
    }
    ok = 0;
done:
    Py_XDECREF(suffixes), Py_XDECREF(members), Py_XDECREF(gate_obj), Py_XDECREF(follow);
    return ok;
}

/* The groups of every part compiled, each distinct group object once. */
static int prepare_groups(Automaton *a) {
    if (a->prepared) return 0;
    if (!a->slot_names) {
        PyErr_SetString(PyExc_ValueError, "first() needs the Automaton made with its slots");
        return -1;
    }
    for (Py_ssize_t k = 0; k < a->nkeys; k++)  /* the words' slots, checked against the slots given */
        for (int ph = 0; ph < 2; ph++)
            for (Py_ssize_t j = 0; j < a->keys[k].part[ph].nslots; j++) {
                long long s = a->slots[a->keys[k].part[ph].slot0 + j];
                if (s < 0 || s >= PyTuple_GET_SIZE(a->slot_names)) {
                    PyErr_Format(PyExc_IndexError, "slot %lld out of range", s);
                    return -1;
                }
            }
    PyObject *seen = PyDict_New();  /* id(group) -> its number */
    Py_ssize_t nrefs = 0, refcap = 0, gcap = 0, nslots = 0, scap = 0;
    int ok = -1;
    if (!seen) return -1;
    for (Py_ssize_t k = 0; k < a->nkeys; k++) {
        for (int ph = 0; ph < 2; ph++) {
            Part *part = &a->keys[k].part[ph];
            if (!part->groups) continue;
            if (!PyTuple_Check(part->groups)) {
                PyErr_SetString(PyExc_TypeError, "a part's groups must be a tuple");
                goto done;
            }
            Py_ssize_t n = PyTuple_GET_SIZE(part->groups);
            if (grow((void **)&a->grefs, &refcap, nrefs + n, sizeof(int32_t)) < 0) goto done;
            part->gref0 = (int32_t)nrefs, part->ngref = (int32_t)n;
            for (Py_ssize_t i = 0; i < n; i++) {
                PyObject *g = PyTuple_GET_ITEM(part->groups, i), *id = PyLong_FromVoidPtr(g);
                PyObject *known = id ? PyDict_GetItemWithError(seen, id) : NULL;
                Py_ssize_t number = known ? PyLong_AsSsize_t(known) : a->ngroups;
                if (!known && !PyErr_Occurred()) {  /* a group not met before */
                    PyObject *n_obj = PyLong_FromSsize_t(number);
                    if (n_obj && PyDict_SetItem(seen, id, n_obj) == 0
                            && grow((void **)&a->groups, &gcap, a->ngroups + 1, sizeof(CGroup)) == 0)
                        (void)compile_group(a, g, &nslots, &scap);
                    Py_XDECREF(n_obj);
                }
                Py_XDECREF(id);
                if (PyErr_Occurred()) goto done;
                a->grefs[nrefs++] = (int32_t)number;
            }
        }
    }
    a->prepared = 1;
    ok = 0;
done:
    Py_DECREF(seen);
    if (ok < 0) groups_free(a);
    return ok;
}

/* Whether c is among the n ascending code points of set. */
static int among(const Py_UCS4 *set, Py_ssize_t n, Py_UCS4 c) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (set[mid] < c) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && set[lo] == c;
}

/* matcher._run: each pending start's groups (whose gate is open: one of its required literals was found; and
 * whose `follow` holds the character after the start), and Group.run for each that matches; their records
 * appended to out. */
static int run_pending(const Automaton *a, PyObject *text, const Pends *pends, unsigned long long required,
                       Recs *out) {
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < pends->n; i++) {
        const Pend *q = &pends->v[i];
        PyObject *args[2] = {text, NULL};
        for (int32_t r = 0; r < q->part->ngref; r++) {
            const CGroup *g = &a->groups[a->grefs[q->part->gref0 + r]];
            if (g->gate && !(g->gate & required)) continue;
            if (g->follow && (q->p + 1 >= len || !among(g->follow, g->nfollow, PyUnicode_READ(kind, data, q->p + 1))))
                continue;
            if (!args[1] && !(args[1] = PyLong_FromSsize_t(q->p))) return -1;
            PyObject *m = PyObject_Vectorcall(g->match[0], args, 2, NULL);
            for (Py_ssize_t j = 0; m && m != Py_None;) {  /* Group.run */
                PyObject *li = PyObject_GetAttr(m, str_lastindex);
                PyObject *e = li ? PyObject_CallMethodNoArgs(m, str_end) : NULL;
                long last = li ? PyLong_AsLong(li) : -1;
                long long end = e ? PyLong_AsLongLong(e) : -1;
                Py_XDECREF(li);
                Py_XDECREF(e);
                Py_CLEAR(m);
                if (PyErr_Occurred()) break;
                if (last < 1 || j + last - 1 >= g->npat) {
                    PyErr_SetString(PyExc_RuntimeError, "a group's match has no lastindex among its patterns");
                    break;
                }
                j += last - 1;
                for (Py_ssize_t s = 0; s < g->nslots[j]; s++)
                    if (push_rec(out, q->part->rank, q->p, g->order[j], a->gslots[g->slot0[j] + s], end) < 0) break;
                if (PyErr_Occurred() || ++j == g->npat) break;
                m = PyObject_Vectorcall(g->match[j], args, 2, NULL);
            }
            Py_XDECREF(m);
            if (PyErr_Occurred()) {
                Py_DECREF(args[1]);
                return -1;
            }
        }
        Py_XDECREF(args[1]);
    }
    return 0;
}

typedef struct {            /* what the second phase needs */
    PyObject_HEAD
    Automaton *automaton;   /* owned */
    PyObject *text;         /* owned */
    Recs recs;
    Pends pends;
    unsigned long long found;
    int done;
} Rest;

static void Rest_dealloc(Rest *r) {
    Py_XDECREF(r->automaton), Py_XDECREF(r->text);
    PyMem_Free(r->recs.r), PyMem_Free(r->pends.v);
    Py_TYPE(r)->tp_free((PyObject *)r);
}

/* The records of one phase with its patterns' records added, collected into results: 1, 0 or -1. */
static int finish_phase(const Automaton *a, PyObject *text, Recs *recs, const Pends *pends, unsigned long long found,
                        PyObject *results) {
    if (run_pending(a, text, pends, found, recs) < 0) return -1;
    return collect_recs(recs->r, recs->n, a->slot_names, results);
}

static PyObject *Rest_second(Rest *r, PyObject *results) {
    if (!PyDict_Check(results)) return PyErr_Format(PyExc_TypeError, "second() needs a dict");
    if (r->done) return PyErr_Format(PyExc_RuntimeError, "the second phase of this scan has run already");
    r->done = 1;
    int found = finish_phase(r->automaton, r->text, &r->recs, &r->pends, r->found, results);
    PyMem_Free(r->recs.r), PyMem_Free(r->pends.v);
    r->recs = (Recs){NULL, 0, 0}, r->pends = (Pends){NULL, 0, 0};
    return found < 0 ? NULL : PyBool_FromLong(found);
}

static PyMethodDef Rest_methods[] = {
    {"second", (PyCFunction)Rest_second, METH_O, "second(results) -> bool: matcher.scan_second (once)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject RestType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_keyscan.Rest",
    .tp_doc = "The second phase of a scan begun by Automaton.first()",
    .tp_basicsize = sizeof(Rest),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = (destructor)Rest_dealloc,
    .tp_methods = Rest_methods,
};

static PyObject *Automaton_first(Automaton *a, PyObject *args) {
    PyObject *text, *results;
    if (!PyArg_ParseTuple(args, "UO!:first", &text, &PyDict_Type, &results)) return NULL;
    if (!a->root) return PyErr_Format(PyExc_RuntimeError, "Automaton not initialized");
    if (prepare_groups(a) < 0) return NULL;
    Rest *rest = PyObject_New(Rest, &RestType);
    if (!rest) return NULL;
    rest->automaton = (Automaton *)Py_NewRef(a), rest->text = Py_NewRef(text);
    rest->recs = (Recs){NULL, 0, 0}, rest->pends = (Pends){NULL, 0, 0}, rest->found = 0, rest->done = 0;
    Recs recs = {NULL, 0, 0};
    Pends pends = {NULL, 0, 0};
    Sink sink = {NULL, {&recs, &rest->recs}, {&pends, &rest->pends}};
    int topic = walk(a, text, &sink, &rest->found);
    if (topic == 0) topic = finish_phase(a, text, &recs, &pends, rest->found, results);
    PyMem_Free(recs.r), PyMem_Free(pends.v);
    if (topic < 0) {
        Py_DECREF(rest);
        return NULL;
    }
    return Py_BuildValue("(NN)", PyBool_FromLong(topic), (PyObject *)rest);
}

#endif
