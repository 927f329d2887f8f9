/* _needles: which of a few strings occur in a text, in one pass (handles.py's cheap checks before its
 * patterns: "微信" in text, "qq" in text, "@" in text, ...; twelve searches of the text were 2% of the core's
 * time).
 *
 * Needles(needles)   needles: a list of 1 to 64 non-empty str, each starting below U+10000
 * found(text) -> int  bit i set when needles[i] occurs in text (as `needles[i] in text`)
 *
 * Pure; holds the GIL throughout. tests/unit/test_needles_ext.py compares it with `in` on every corpus text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>

#define MAX_NEEDLES 64
#define FIRST_TABLE 0x10000

typedef struct {
    Py_UCS4 *chars;
    Py_ssize_t len;
    int bit;
} Needle;

typedef struct {
    PyObject_HEAD
    Needle *needles;         /* sorted by first character */
    Py_ssize_t n;
    uint8_t first[FIRST_TABLE]; /* 1 + the index of the first needle starting with this character; 0: none */
} Needles;

static int first_cmp(const void *a, const void *b) {
    Py_UCS4 x = ((const Needle *)a)->chars[0], y = ((const Needle *)b)->chars[0];
    return (x > y) - (x < y);
}

static void Needles_dealloc(Needles *self) {
    for (Py_ssize_t i = 0; self->needles && i < self->n; i++) PyMem_Free(self->needles[i].chars);
    PyMem_Free(self->needles);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Needles_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    PyObject *list;
    if (!PyArg_ParseTuple(args, "O!:Needles", &PyList_Type, &list)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(list);
    if (n < 1 || n > MAX_NEEDLES) return PyErr_Format(PyExc_ValueError, "Needles: 1 to %d needles", MAX_NEEDLES);
    Needles *self = (Needles *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    self->needles = PyMem_Calloc((size_t)n, sizeof(Needle));
    if (!self->needles) return Py_DECREF(self), PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = PyList_GET_ITEM(list, i);
        if (!PyUnicode_Check(s) || PyUnicode_GET_LENGTH(s) == 0 || PyUnicode_READ_CHAR(s, 0) >= FIRST_TABLE) {
            Py_DECREF(self);
            return PyErr_Format(PyExc_ValueError, "Needles: needle %zd must be a non-empty str starting below U+10000",
                                i);
        }
        Needle *nd = &self->needles[self->n];
        if (!(nd->chars = PyUnicode_AsUCS4Copy(s))) return Py_DECREF(self), NULL;
        nd->len = PyUnicode_GET_LENGTH(s), nd->bit = (int)i;
        self->n++;
    }
    qsort(self->needles, (size_t)self->n, sizeof(Needle), first_cmp);
    for (Py_ssize_t i = self->n - 1; i >= 0; i--) self->first[self->needles[i].chars[0]] = (uint8_t)(i + 1);
    return (PyObject *)self;
}

static PyObject *Needles_found(Needles *self, PyObject *text) {
    if (!PyUnicode_Check(text)) return PyErr_Format(PyExc_TypeError, "found() takes a str");
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    uint64_t found = 0, all = self->n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << self->n) - 1;
    for (Py_ssize_t p = 0; p < len && found != all; p++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, p);
        if (c >= FIRST_TABLE || !self->first[c]) continue;
        for (Py_ssize_t i = self->first[c] - 1; i < self->n && self->needles[i].chars[0] == c; i++) {
            const Needle *nd = &self->needles[i];
            if ((found >> nd->bit) & 1 || p + nd->len > len) continue;
            Py_ssize_t j = 1;
            while (j < nd->len && PyUnicode_READ(kind, data, p + j) == nd->chars[j]) j++;
            if (j == nd->len) found |= (uint64_t)1 << nd->bit;
        }
    }
    return PyLong_FromUnsignedLongLong(found);
}

static PyMethodDef Needles_methods[] = {
    {"found", (PyCFunction)Needles_found, METH_O, "found(text) -> int: bit i set when needles[i] is in text."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject NeedlesType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_needles.Needles",
    .tp_doc = "Needles(needles): which of them occur in a text, in one pass.",
    .tp_basicsize = sizeof(Needles),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = Needles_new,
    .tp_dealloc = (destructor)Needles_dealloc,
    .tp_methods = Needles_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_needles", "Which of a few strings occur in a text, in one pass (see _needles.c).", -1,
    NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__needles(void) {
    if (PyType_Ready(&NeedlesType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddObjectRef(m, "Needles", (PyObject *)&NeedlesType) < 0) Py_CLEAR(m);
    return m;
}
