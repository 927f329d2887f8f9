/* The campaign fingerprint's hot loop in C: one 64-bit hash per shingle, and per bin the smallest.
 *
 * workers/core/fingerprint.py keeps the reference implementation in Python (`_shingle_bins_py`);
 * tests/unit/test_minhash_ext.py checks that both give the same counts and bins on every corpus text. In Python
 * a message's ~30 shingles cost ~20 us (a string and a hash object per shingle); here about one.
 *
 * shingle_bins(tokens, size, k) -> (count, mins)
 *   tokens: list of str; a shingle is `size` adjacent tokens joined by "\x1f" (as fingerprint.shingles makes
 *           them). Its hash: 64-bit FNV-1a over the shingle's code points, then the splitmix64 finalizer.
 *   count:  the number of distinct shingle hashes (the number of distinct shingles, barring a 64-bit collision)
 *   mins:   list of k entries: for bin b, the smallest h // k of the shingles with h % k == b; None if none.
 *
 * Pure: no I/O, no state between calls.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define SEPARATOR 0x1f
#define MAX_K 4096

static inline uint64_t finish(uint64_t h) {
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static PyObject *shingle_bins(PyObject *self, PyObject *args) {
    PyObject *tokens;
    Py_ssize_t size, k;
    if (!PyArg_ParseTuple(args, "O!nn", &PyList_Type, &tokens, &size, &k)) return NULL;
    if (size < 1 || k < 1 || k > MAX_K) {
        PyErr_Format(PyExc_ValueError, "size must be at least 1 and k between 1 and %d", MAX_K);
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(tokens);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyUnicode_Check(PyList_GET_ITEM(tokens, i))) {
            PyErr_SetString(PyExc_TypeError, "tokens must be a list of str");
            return NULL;
        }
    }
    Py_ssize_t windows = n >= size ? n - size + 1 : 0;
    uint64_t *hashes = PyMem_Malloc((size_t)(windows + 1) * sizeof(uint64_t));
    uint64_t mins[MAX_K];
    char filled[MAX_K];
    if (!hashes) return PyErr_NoMemory();
    memset(filled, 0, (size_t)k);
    for (Py_ssize_t i = 0; i < windows; i++) {
        uint64_t h = FNV_OFFSET;
        for (Py_ssize_t j = 0; j < size; j++) {
            PyObject *t = PyList_GET_ITEM(tokens, i + j);
            if (j) h = (h ^ SEPARATOR) * FNV_PRIME;
            int kind = PyUnicode_KIND(t);
            const void *data = PyUnicode_DATA(t);
            Py_ssize_t len = PyUnicode_GET_LENGTH(t);
            for (Py_ssize_t c = 0; c < len; c++) h = (h ^ (uint64_t)PyUnicode_READ(kind, data, c)) * FNV_PRIME;
        }
        h = finish(h);
        hashes[i] = h;
        uint64_t v = h / (uint64_t)k;
        Py_ssize_t b = (Py_ssize_t)(h % (uint64_t)k);
        if (!filled[b] || v < mins[b]) {
            mins[b] = v;
            filled[b] = 1;
        }
    }
    qsort(hashes, (size_t)windows, sizeof(uint64_t), compare_u64);
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < windows; i++) count += (i == 0 || hashes[i] != hashes[i - 1]);
    PyMem_Free(hashes);
    PyObject *out = PyList_New(k);
    if (!out) return NULL;
    for (Py_ssize_t b = 0; b < k; b++) {
        PyObject *v = filled[b] ? PyLong_FromUnsignedLongLong(mins[b]) : Py_NewRef(Py_None);
        if (!v) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, b, v);
    }
    return Py_BuildValue("(nN)", count, out);
}

static PyMethodDef methods[] = {
    {"shingle_bins", shingle_bins, METH_VARARGS,
     "shingle_bins(tokens, size, k) -> (count, mins): see the module's documentation."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_minhash", "The campaign fingerprint's shingle hashing in C (see _minhash.c).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__minhash(void) { return PyModule_Create(&module); }
