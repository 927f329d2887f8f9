/* _offsets: mapping a span of the normalized text back through the rewrite steps, in C.
 *
 * map_span(steps, p, q) -> (p, q)
 *   steps: list of (text, edits), the last step first (Normalized._edits): `text` is a step's input, `edits` a
 *          list of (start, end, replacement) of its matches in it, in order (offsets.Edit)
 *   p <= q: positions of the last step's output (the first and the last character of a span)
 *   what Normalized._map_span's walk gives before the character stage: p mapped with offsets.inside's start
 *   side, q with its end side, one walk over each step's edits for both. (The walk in Python boxed every
 *   number of every edit it passed: a span of a disguised message, whose separators each left an edit, cost
 *   about 0.7 us.)
 *
 * Pure; holds the GIL throughout. tests/unit/test_offsets_ext.py compares it with the Python walk on every
 * corpus text's spans.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* One edit's fields, checked: 0, or -1 with the error set. */
static int edit_at(PyObject *edits, Py_ssize_t i, Py_ssize_t *s, Py_ssize_t *e, PyObject **r) {
    PyObject *t = PyList_GET_ITEM(edits, i);
    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 3 || !PyUnicode_Check(PyTuple_GET_ITEM(t, 2))) {
        PyErr_SetString(PyExc_TypeError, "an edit must be a tuple (start, end, replacement str)");
        return -1;
    }
    *s = PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 0));
    *e = PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 1));
    if ((*s == -1 || *e == -1) && PyErr_Occurred()) return -1;
    *r = PyTuple_GET_ITEM(t, 2);
    return 0;
}

/* offsets.inside: the input position of character j of the replacement r of the match [s, e) of text. */
static Py_ssize_t inside(PyObject *text, Py_ssize_t s, Py_ssize_t e, PyObject *r, Py_ssize_t j, int end_side) {
    Py_ssize_t rlen = PyUnicode_GET_LENGTH(r);
    if (rlen == e - s) return s + j;
    /* offsets.subsequence: r keeps a subsequence of text[s:e] (separators removed); character j's position */
    int tk = PyUnicode_KIND(text), rk = PyUnicode_KIND(r);
    const void *td = PyUnicode_DATA(text), *rd = PyUnicode_DATA(r);
    Py_ssize_t i = s, found = -1;
    for (Py_ssize_t k = 0; k < rlen; k++) {
        Py_UCS4 c = PyUnicode_READ(rk, rd, k);
        while (i < e && PyUnicode_READ(tk, td, i) != c) i++;
        if (i >= e) return end_side ? e - 1 : s;  /* not a subsequence: the whole match */
        if (k == j) found = i;
        i++;
    }
    return found >= 0 ? found : (end_side ? e - 1 : s);
}

static PyObject *map_span(PyObject *module, PyObject *args) {
    PyObject *steps;
    Py_ssize_t p, q;
    if (!PyArg_ParseTuple(args, "O!nn:map_span", &PyList_Type, &steps, &p, &q)) return NULL;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(steps); k++) {
        PyObject *step = PyList_GET_ITEM(steps, k);
        if (!PyTuple_Check(step) || PyTuple_GET_SIZE(step) != 2 || !PyUnicode_Check(PyTuple_GET_ITEM(step, 0))
                || !PyList_Check(PyTuple_GET_ITEM(step, 1))) {
            PyErr_SetString(PyExc_TypeError, "a step must be a tuple (text str, edits list)");
            return NULL;
        }
        PyObject *text = PyTuple_GET_ITEM(step, 0), *edits = PyTuple_GET_ITEM(step, 1);
        Py_ssize_t delta = 0, p_delta = 0;  /* output position - input position, before the current edit */
        int p_placed = 0;                   /* p <= q: p is placed first */
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(edits); i++) {
            Py_ssize_t s, e;
            PyObject *r;
            if (edit_at(edits, i, &s, &e, &r) < 0) return NULL;
            Py_ssize_t out_start = s + delta, rlen = PyUnicode_GET_LENGTH(r);
            if (!p_placed && p < out_start + rlen) {
                if (p >= out_start) p = inside(text, s, e, r, p - out_start, 0) + delta;
                p_delta = delta, p_placed = 1;
            }
            if (q < out_start) break;
            if (q < out_start + rlen) {
                q = inside(text, s, e, r, q - out_start, 1) + delta;
                break;
            }
            delta += rlen - (e - s);
        }
        p -= p_placed ? p_delta : delta;
        q -= delta;
    }
    return Py_BuildValue("(nn)", p, q);
}

static PyMethodDef offsets_methods[] = {
    {"map_span", map_span, METH_VARARGS,
     "map_span(steps, p, q) -> (p, q): Normalized._map_span's walk back through the rewrite steps."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef offsets_module = {
    PyModuleDef_HEAD_INIT, "_offsets", "Spans of the normalized text mapped back through the rewrite steps.", 0,
    offsets_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__offsets(void) { return PyModuleDef_Init(&offsets_module); }
