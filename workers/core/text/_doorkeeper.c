/* _doorkeeper: which keys RecurringCache (workers/core/recurring.py) saw once, remembered by their hash.
 *
 * Doorkeeper(slots)          slots: a power of two
 *   seen_before(key) -> bool  whether the slot of hash(key) (its low bits) holds hash(key); when it does not,
 *                             the slot takes it. (The same as recurring._Doorkeeper: a table of slots, all 0 at
 *                             first, so a key whose hash is 0 counts as seen.)
 *   clear()                   every slot back to 0
 *
 * The Python table is a list of int objects, and a 64-bit hash is no small int: every offer boxed it, and
 * compared it with another boxed int somewhere in memory (~0.2 us an event, ~0.4 in the pipeline where those
 * ints are out of the caches). Here the slots are 8 bytes each, in one array.
 *
 * Pure; holds the GIL throughout. tests/unit/test_recurring_cache.py compares it with the Python table.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    Py_hash_t *slots;
    Py_ssize_t mask;
} Doorkeeper;

static int Doorkeeper_init(Doorkeeper *d, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"slots", NULL};
    Py_ssize_t n;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "n:Doorkeeper", kwlist, &n)) return -1;
    if (n < 1 || (n & (n - 1))) {
        PyErr_SetString(PyExc_ValueError, "slots must be a power of two");
        return -1;
    }
    Py_hash_t *slots = PyMem_Calloc((size_t)n, sizeof(Py_hash_t));
    if (!slots) {
        PyErr_NoMemory();
        return -1;
    }
    PyMem_Free(d->slots);
    d->slots = slots;
    d->mask = n - 1;
    return 0;
}

static void Doorkeeper_dealloc(Doorkeeper *d) {
    PyMem_Free(d->slots);
    Py_TYPE(d)->tp_free((PyObject *)d);
}

static PyObject *Doorkeeper_seen_before(Doorkeeper *d, PyObject *key) {
    if (!d->slots) {
        PyErr_SetString(PyExc_ValueError, "Doorkeeper not initialized");
        return NULL;
    }
    Py_hash_t h = PyObject_Hash(key);
    if (h == -1 && PyErr_Occurred()) return NULL;
    Py_hash_t *slot = &d->slots[(size_t)h & (size_t)d->mask];
    if (*slot == h) Py_RETURN_TRUE;
    *slot = h;
    Py_RETURN_FALSE;
}

static PyObject *Doorkeeper_clear(Doorkeeper *d, PyObject *unused) {
    if (d->slots) memset(d->slots, 0, (size_t)(d->mask + 1) * sizeof(Py_hash_t));
    Py_RETURN_NONE;
}

static PyMethodDef Doorkeeper_methods[] = {
    {"seen_before", (PyCFunction)Doorkeeper_seen_before, METH_O,
     "seen_before(key) -> whether hash(key) is in its slot; else it goes there"},
    {"clear", (PyCFunction)Doorkeeper_clear, METH_NOARGS, "every slot back to 0"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject DoorkeeperType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "workers.core.text._doorkeeper.Doorkeeper",
    .tp_basicsize = sizeof(Doorkeeper),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The hashes of keys seen once, one slot per low bits of the hash.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Doorkeeper_init,
    .tp_dealloc = (destructor)Doorkeeper_dealloc,
    .tp_methods = Doorkeeper_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_doorkeeper", "RecurringCache's doorkeeper in C.", -1, NULL,
};

PyMODINIT_FUNC PyInit__doorkeeper(void) {
    if (PyType_Ready(&DoorkeeperType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&DoorkeeperType);
    if (PyModule_AddObject(m, "Doorkeeper", (PyObject *)&DoorkeeperType) < 0) {
        Py_DECREF(&DoorkeeperType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
