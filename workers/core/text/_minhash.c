/* The campaign fingerprint in C: one 64-bit hash per shingle, per bin the smallest, and the band keys.
 *
 * workers/core/fingerprint.py keeps the reference implementation in Python (`_shingle_bins_py`,
 * `_bands_py`); tests/unit/test_minhash_ext.py checks that both give the same bins and band keys on every corpus
 * text. In Python a message's ~30 shingles and 3 band keys cost ~20 us; here one or two.
 *
 * shingle_bins(tokens, size, k) -> (count, mins)
 *   tokens: list of str; a shingle is `size` adjacent tokens joined by "\x1f" (as fingerprint.shingles makes
 *           them). Its hash: 64-bit FNV-1a over the shingle's code points, then the splitmix64 finalizer.
 *   count:  the number of distinct shingle hashes (the number of distinct shingles, barring a 64-bit collision)
 *   mins:   list of k entries: for bin b, the smallest h // k of the shingles with h % k == b; None if none.
 *
 * Tokens may also be given as one str, joined by "\x1f" (as fingerprint.skeleton_joined makes it: "" is no
 * token), which spares making a str per token.
 *
 * shingle_bands(tokens, size, min_shingles, bands, rows) -> tuple of `bands` str (16 hex digits each), or ()
 *   when there are fewer than min_shingles (or no) distinct shingles. The k = bands * rows bins of
 *   shingle_bins; an empty bin takes the next non-empty bin's value plus step * ROTATE (mod 2^64), step being
 *   how far that bin is; band b's key is the splitmix64 finalizer of a 64-bit FNV-1a over the words b, then its
 *   rows bins (each word XORed in whole, then multiplied by the FNV prime).
 *
 * Pure: no I/O, no state between calls.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define SEPARATOR 0x1f
#define MAX_K 4096
#define ROTATE 0x9E3779B97F4A7C15ULL  /* densification offset per step (odd, 64-bit golden ratio) */

static inline uint64_t finish(uint64_t h) {
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

#define SMALL_SET 512  /* slots of the distinct-hash set kept on the stack */

/* The number of distinct values among h[0 .. n), or -1 (no memory): an open-addressing set (the values are
 * finished hashes, their low bits already mixed), not a sort (qsort's calls were most of a message's time). */
static Py_ssize_t distinct(const uint64_t *h, Py_ssize_t n) {
    uint64_t small[SMALL_SET];
    Py_ssize_t cap = 16;
    while (cap < 2 * n) cap <<= 1;
    uint64_t *set = cap <= SMALL_SET ? small : PyMem_Malloc((size_t)cap * sizeof(uint64_t));
    if (!set) return -1;
    memset(set, 0, (size_t)cap * sizeof(uint64_t));
    const uint64_t mask = (uint64_t)cap - 1;
    Py_ssize_t count = 0;
    int zero = 0;  /* 0 marks an empty slot: the value 0 is counted apart */
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t v = h[i];
        if (v == 0) {
            count += !zero;
            zero = 1;
            continue;
        }
        uint64_t j = v & mask;
        while (set[j] && set[j] != v) j = (j + 1) & mask;
        if (!set[j]) {
            set[j] = v;
            count++;
        }
    }
    if (set != small) PyMem_Free(set);
    return count;
}

typedef struct { int kind; const void *data; Py_ssize_t start, len; } Tok;  /* a token: characters of a str */

/* The tokens of a list of str, or of one str joined by SEPARATOR ("" is none); -1 with an error set. The
   caller frees *out. */
static Py_ssize_t tokens_of(PyObject *tokens, Tok **out) {
    *out = NULL;
    if (PyUnicode_Check(tokens)) {
        int kind = PyUnicode_KIND(tokens);
        const void *data = PyUnicode_DATA(tokens);
        Py_ssize_t len = PyUnicode_GET_LENGTH(tokens), n = len ? 1 : 0;
        for (Py_ssize_t i = 0; i < len; i++) n += PyUnicode_READ(kind, data, i) == SEPARATOR;
        Tok *t = PyMem_Malloc((size_t)(n + 1) * sizeof(Tok));
        if (!t) return PyErr_NoMemory(), -1;
        Py_ssize_t k = 0, from = 0;
        for (Py_ssize_t i = 0; len && i <= len; i++)
            if (i == len || PyUnicode_READ(kind, data, i) == SEPARATOR) {
                t[k++] = (Tok){kind, data, from, i - from};
                from = i + 1;
            }
        *out = t;
        return n;
    }
    if (!PyList_Check(tokens)) {
        PyErr_SetString(PyExc_TypeError, "tokens must be a list of str, or a str");
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(tokens);
    Tok *t = PyMem_Malloc((size_t)(n + 1) * sizeof(Tok));
    if (!t) return PyErr_NoMemory(), -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PyList_GET_ITEM(tokens, i);
        if (!PyUnicode_Check(x)) {
            PyMem_Free(t);
            PyErr_SetString(PyExc_TypeError, "tokens must be a list of str, or a str");
            return -1;
        }
        t[i] = (Tok){PyUnicode_KIND(x), PyUnicode_DATA(x), 0, PyUnicode_GET_LENGTH(x)};
    }
    *out = t;
    return n;
}

/* The distinct-shingle count and the bins of `tokens` (filled[b] = 0: bin b is empty); -1 with an error set. */
static Py_ssize_t bins_of(PyObject *tokens, Py_ssize_t size, Py_ssize_t k, uint64_t *mins, char *filled) {
    if (size < 1 || k < 1 || k > MAX_K) {
        PyErr_Format(PyExc_ValueError, "size must be at least 1 and k between 1 and %d", MAX_K);
        return -1;
    }
    Tok *toks;
    Py_ssize_t n = tokens_of(tokens, &toks);
    if (n < 0) return -1;
    Py_ssize_t windows = n >= size ? n - size + 1 : 0;
    uint64_t *hashes = PyMem_Malloc((size_t)(windows + 1) * sizeof(uint64_t));
    if (!hashes) {
        PyMem_Free(toks);
        PyErr_NoMemory();
        return -1;
    }
    memset(filled, 0, (size_t)k);
    for (Py_ssize_t i = 0; i < windows; i++) {
        uint64_t h = FNV_OFFSET;
        for (Py_ssize_t j = 0; j < size; j++) {
            const Tok *t = &toks[i + j];
            if (j) h = (h ^ SEPARATOR) * FNV_PRIME;
            for (Py_ssize_t c = t->start; c < t->start + t->len; c++)
                h = (h ^ (uint64_t)PyUnicode_READ(t->kind, t->data, c)) * FNV_PRIME;
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
    Py_ssize_t count = distinct(hashes, windows);
    PyMem_Free(hashes);
    PyMem_Free(toks);
    if (count < 0) PyErr_NoMemory();
    return count;
}

static PyObject *shingle_bins(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *tokens;
    Py_ssize_t size, k;
    uint64_t mins[MAX_K];
    char filled[MAX_K];
    if (!PyArg_ParseTuple(args, "Onn", &tokens, &size, &k)) return NULL;
    Py_ssize_t count = bins_of(tokens, size, k, mins, filled);
    if (count < 0) return NULL;
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

static PyObject *shingle_bands(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *tokens;
    Py_ssize_t size, min_shingles, bands, rows;
    uint64_t mins[MAX_K];
    char filled[MAX_K];
    if (!PyArg_ParseTuple(args, "Onnnn", &tokens, &size, &min_shingles, &bands, &rows)) return NULL;
    if (bands < 1 || rows < 1 || bands > MAX_K / rows) {
        PyErr_Format(PyExc_ValueError, "bands and rows must be at least 1, with bands * rows at most %d", MAX_K);
        return NULL;
    }
    Py_ssize_t k = bands * rows;
    Py_ssize_t count = bins_of(tokens, size, k, mins, filled);
    if (count < 0) return NULL;
    if (count == 0 || count < min_shingles) return PyTuple_New(0);
    uint64_t dense[MAX_K];
    for (Py_ssize_t j = 0; j < k; j++) {
        if (filled[j]) {
            dense[j] = mins[j];
            continue;
        }
        Py_ssize_t step = 1;
        while (!filled[(j + step) % k]) step++;
        dense[j] = mins[(j + step) % k] + (uint64_t)step * ROTATE;
    }
    PyObject *out = PyTuple_New(bands);
    if (!out) return NULL;
    for (Py_ssize_t b = 0; b < bands; b++) {
        uint64_t h = (FNV_OFFSET ^ (uint64_t)b) * FNV_PRIME;
        for (Py_ssize_t r = 0; r < rows; r++) h = (h ^ dense[b * rows + r]) * FNV_PRIME;
        char hex[16];  /* "%016llx", without snprintf (a tenth of the time: it was most of this function's) */
        uint64_t v = finish(h);
        for (int d = 15; d >= 0; d--, v >>= 4) hex[d] = "0123456789abcdef"[v & 15];
        PyObject *key = PyUnicode_FromStringAndSize(hex, 16);
        if (!key) {
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(out, b, key);
    }
    return out;
}

/* skeleton_join(text, max_tokens) -> (joined, letters, count): with fingerprint.py's regexes,
 *   tokens = _TOKEN.findall(_DIGITS.sub("", text))[:max_tokens]
 *   joined = "\x1f".join(tokens), letters = sum(map(len, tokens)), count = len(tokens)
 * in one pass. As Python's re (Unicode mode) reads them: \d is Py_UNICODE_ISDECIMAL, \w is
 * Py_UNICODE_ISALNUM or '_'. A decimal digit is deleted (it neither ends nor starts a word); a CJK ideograph
 * (the ranges of _CJK) is a token of its own; a letter (\w, not \d, not '_', not CJK) extends the current word;
 * anything else ends it. */
static inline int is_cjk(Py_UCS4 c) {
    return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
           (c >= 0x20000 && c <= 0x3134f);
}

static PyObject *skeleton_join(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *text;
    Py_ssize_t max_tokens;
    if (!PyArg_ParseTuple(args, "Un", &text, &max_tokens)) return NULL;
    if (max_tokens < 0) {
        PyErr_SetString(PyExc_ValueError, "max_tokens must be at least 0");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    /* at most one separator per token and one token per character: 2n code points, in the kind of the text */
    void *buf = PyMem_Malloc((size_t)(2 * n + 1) * (size_t)kind);
    if (!buf) return PyErr_NoMemory();
    Py_ssize_t out = 0, letters = 0, count = 0;
    int in_word = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        int letter, cjk = 0;
        if (c < 128) {
            if (c >= '0' && c <= '9') continue;
            letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        } else {
            if (Py_UNICODE_ISDECIMAL(c)) continue;
            cjk = is_cjk(c);
            letter = !cjk && Py_UNICODE_ISALNUM(c);
        }
        if (!cjk && !letter) {
            in_word = 0;
            continue;
        }
        if (cjk || !in_word) {  /* a new token */
            if (count == max_tokens) break;
            if (count++) PyUnicode_WRITE(kind, buf, out++, SEPARATOR);
            in_word = letter;
        }
        PyUnicode_WRITE(kind, buf, out++, c);
        letters++;
    }
    PyObject *joined = PyUnicode_FromKindAndData(kind, buf, out);  /* narrows to the smallest kind */
    PyMem_Free(buf);
    if (!joined) return NULL;
    return Py_BuildValue("(Nnn)", joined, letters, count);
}

static PyMethodDef methods[] = {
    {"shingle_bins", shingle_bins, METH_VARARGS,
     "shingle_bins(tokens, size, k) -> (count, mins): see the module's documentation."},
    {"shingle_bands", shingle_bands, METH_VARARGS,
     "shingle_bands(tokens, size, min_shingles, bands, rows) -> band keys: see the module's documentation."},
    {"skeleton_join", skeleton_join, METH_VARARGS,
     "skeleton_join(text, max_tokens) -> (joined, letters, count): see skeleton_join in _minhash.c."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_minhash", "The campaign fingerprint in C (see _minhash.c).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__minhash(void) { return PyModule_Create(&module); }
