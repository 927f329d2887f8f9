/* The text model's hot loop in C: which vocabulary n-grams a text holds, and the sum of their weights.
 *
 * workers/core/text_model.py keeps the reference implementation in Python (pyahocorasick finds the
 * vocabulary n-grams, numpy sums their weight rows); tests/unit/test_ngrams_ext.py checks that this module
 * gives the same rows, sums and strongest rows on every corpus text. Python's path costs about 60 us per
 * message, most of it one Python tuple per automaton match; this one a few microseconds.
 *
 * NgramScorer(grams, weights, ncat, fold=None)
 *   grams:   one entry per vocabulary row: a str of 1 to 3 characters (a character n-gram); a str "\x04" + word
 *            or "\x04" + word + " " + word (a Latin word or a pair of adjacent words, as
 *            text_model.word_features makes them); or None for a row this scorer does not look up itself
 *   weights: a C-contiguous float64 buffer of shape (len(grams), k)
 *   ncat:    the first ncat columns are categories, whose strongest row score() reports
 *   fold:    optional, a str of 65536 characters: fold[c] is what code point c folds to (text_model.fold: digits
 *            to 0, punctuation to a space); code points above 0xFFFF stay as they are
 * score(text, extra_rows) -> (sums, count, strongest)
 *   the distinct rows of the text's 1..3-character substrings found in the vocabulary, of its words (runs of
 *   a-z) and pairs of adjacent words found in the vocabulary, together with extra_rows, taken in ascending row order (so sums are added in a fixed order): sums = list of k column
 *   sums, count = number of distinct rows, strongest = per category the row of largest weight (first in row
 *   order on ties), or None when no row was found.
 *
 * score_normalized(text) -> score(START + fold(text).strip() + END): the normalized text is folded, stripped and
 *   framed here (strip: the characters str.isspace() calls whitespace), without making those strings
 * The category columns and the others (the subtypes') lie in separate tables: predict() (_ngrams_predict.h) reads
 *   a subtype row only for a category it keeps, so a text the model finds nothing in (most messages) reads 16
 *   bytes a row instead of 80. Each column's sum adds the same numbers in the same order either way.
 * locate(text, gram) -> (start, end): where the gram's core (without its word and edge marks) first occurs in
 *   fold(text), read through the fold table without making that string, or (0, 0): text_model._locate's answer
 * fold(text) -> the text with every character through the fold table (the tests compare the table with
 *   text_model.fold through it)
 * mean_probes() -> how many table slots a lookup of a vocabulary n-gram reads on average (about 1)
 *
 * The 1-grams below 0x10000 are read from a direct table of rows (`uni`, 256 KB), not through the slots: a third
 * of a text's lookups, each otherwise a random read in the 16 MB slot table.
 *
 * Pure: no I/O, holds the GIL throughout (calls never interleave on one scorer).
 */
#include "_ngrams_scan.h"

static void Scorer_dealloc(Scorer *s) {
    PyMem_Free(s->wslots);
    PyMem_Free(s->wchars);
    if (s->slots) table_free(s->slots, (size_t)(s->mask + 1) * sizeof(Slot));
    PyMem_Free(s->kbuf);
    PyMem_Free(s->wbuf);
    PyMem_Free(s->rows);
    if (s->cweights) table_free(s->cweights, (size_t)(s->nrows * s->ncat + 1) * sizeof(double));
    if (s->tweights) table_free(s->tweights, (size_t)(s->nrows * (s->k - s->ncat) + 1) * sizeof(double));
    PyMem_Free(s->seen);
    PyMem_Free(s->summary);
    PyMem_Free(s->sums);
    PyMem_Free(s->fold);
    PyMem_Free(s->uni);
    PyMem_Free(s->buf);
    PyMem_Free(s->bias), PyMem_Free(s->col_first), PyMem_Free(s->cols), PyMem_Free(s->col_subtype);
    Py_XDECREF(s->vocab);
    Py_TYPE(s)->tp_free((PyObject *)s);
}

/* Whether a word gram ("\x04" + characters) can be found: the scan reads runs of a-z, and pairs of them with a
 * space between. Its characters are kept one byte each. */
static int findable_word(PyObject *g) {
    for (Py_ssize_t i = 1; i < PyUnicode_GET_LENGTH(g); i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(g, i);
        if ((c < 'a' || c > 'z') && c != ' ') return 0;
    }
    return 1;
}

static int Scorer_init(Scorer *s, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"grams", "weights", "ncat", "fold", NULL};
    PyObject *grams, *weights, *fold = Py_None;
    Py_buffer buf;
    Py_ssize_t ncat;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!On|O", kwlist, &PyList_Type, &grams, &weights, &ncat, &fold))
        return -1;
    if (fold != Py_None) {
        if (!PyUnicode_Check(fold) || PyUnicode_GET_LENGTH(fold) != FOLD_SIZE) {
            PyErr_SetString(PyExc_ValueError, "fold must be a str of 65536 characters (the folded form of each)");
            return -1;
        }
        s->fold = PyMem_Malloc(FOLD_SIZE * sizeof(Py_UCS4));
        if (!s->fold) {
            PyErr_NoMemory();
            return -1;
        }
        for (Py_ssize_t c = 0; c < FOLD_SIZE; c++) s->fold[c] = PyUnicode_READ_CHAR(fold, c);
    }
    if (PyObject_GetBuffer(weights, &buf, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return -1;
    int ok = 0;
    Py_ssize_t n = PyList_GET_SIZE(grams);
    if (buf.ndim != 2 || buf.shape == NULL || buf.shape[0] != n || buf.itemsize != sizeof(double)
            || buf.format == NULL || strcmp(buf.format, "d") != 0) {
        PyErr_SetString(PyExc_ValueError, "weights must be a C-contiguous float64 array of shape (len(grams), k)");
        goto done;
    }
    if (ncat < 0 || ncat > buf.shape[1] || ncat > 64) {
        PyErr_SetString(PyExc_ValueError, "ncat must be between 0 and the number of columns, and at most 64");
        goto done;
    }
    s->nrows = n;
    s->k = buf.shape[1];
    s->ncat = ncat;
    uint64_t cap = 16;
    while (cap < (uint64_t)n * 2) cap <<= 1;
    s->mask = cap - 1;
    s->shift = 64 - __builtin_ctzll(cap);
    s->slots = table_alloc(cap * sizeof(Slot));
    s->cweights = table_alloc((size_t)(n * ncat + 1) * sizeof(double));
    s->tweights = table_alloc((size_t)(n * (s->k - ncat) + 1) * sizeof(double));
    s->rows = PyMem_Malloc((size_t)(n + 1) * sizeof(int32_t));
    s->seen_words = n / 64 + 1;
    s->seen = PyMem_Calloc(s->seen_words, sizeof(uint64_t));
    s->summary_words = s->seen_words / 64 + 1;
    s->summary = PyMem_Calloc(s->summary_words, sizeof(uint64_t));
    s->sums = PyMem_Malloc((size_t)(s->k + 1) * sizeof(double));
    s->uni = PyMem_Malloc(UNI_SIZE * sizeof(int32_t));
    if (!s->uni || !s->slots || !s->cweights || !s->tweights || !s->rows || !s->seen || !s->summary || !s->sums) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t c = 0; c < UNI_SIZE; c++) s->uni[c] = -1;
    const Py_ssize_t nt = s->k - ncat;
    for (Py_ssize_t r = 0; r < n; r++) {  /* each row's columns split: the categories', the subtypes' */
        const double *from = (const double *)buf.buf + r * s->k;
        memcpy(s->cweights + r * ncat, from, (size_t)ncat * sizeof(double));
        memcpy(s->tweights + r * nt, from + ncat, (size_t)nt * sizeof(double));
    }
    Py_ssize_t nwords = 0, nchars = 0;
    for (Py_ssize_t r = 0; r < n; r++) {
        PyObject *g = PyList_GET_ITEM(grams, r);
        if (g == Py_None) continue;
        if (!PyUnicode_Check(g)) {
            PyErr_SetString(PyExc_TypeError, "grams must hold str or None");
            goto done;
        }
        if (PyUnicode_GET_LENGTH(g) > 1 && PyUnicode_READ_CHAR(g, 0) == 0x04) {
            if (!findable_word(g)) continue;
            nwords++;
            if (PyUnicode_GET_LENGTH(g) - 1 > WORD_HEAD) nchars += PyUnicode_GET_LENGTH(g) - 1 - WORD_HEAD;
        }
    }
    uint64_t wcap = 16;
    while (wcap < (uint64_t)nwords * 2) wcap <<= 1;
    s->wmask = wcap - 1;
    s->wslots = PyMem_Calloc(wcap, sizeof(WSlot));
    s->wchars = PyMem_Malloc((size_t)(nchars + 1));
    if (!s->wslots || !s->wchars) {
        PyErr_NoMemory();
        goto done;
    }
    for (uint64_t i = 0; i < wcap; i++) s->wslots[i].row = -1;
    Py_ssize_t woff = 0;  /* where the next word's characters go */
    for (Py_ssize_t r = 0; r < n; r++) {
        PyObject *g = PyList_GET_ITEM(grams, r);
        if (g == Py_None) continue;
        Py_ssize_t len = PyUnicode_GET_LENGTH(g);
        if (len > 1 && PyUnicode_READ_CHAR(g, 0) == 0x04) {
            if (!findable_word(g)) continue;  /* the scan never finds it: no slot */
            Py_ssize_t off = woff;
            uint64_t h = FNV_OFFSET, head = 0;
            for (Py_ssize_t i = 1; i < len; i++) {
                Py_UCS4 c = PyUnicode_READ_CHAR(g, i);
                if (i - 1 < WORD_HEAD) head = word_byte(head, i - 1, c);
                else s->wchars[woff++] = (unsigned char)c;
                h = fnv(h, c);
            }
            uint64_t i = h & s->wmask;
            while (s->wslots[i].row >= 0) {
                const WSlot *o = &s->wslots[i];
                if (o->hash == h && o->len == len - 1 && o->head == head
                        && memcmp(s->wchars + o->off, s->wchars + off, (size_t)(woff - off)) == 0) {
                    PyErr_Format(PyExc_ValueError, "gram %zd repeats an earlier gram", r);
                    goto done;
                }
                i = (i + 1) & s->wmask;
            }
            s->wslots[i] = (WSlot){h, (int32_t)r, (int32_t)(len - 1), head, off};
            s->nwords++;
            continue;
        }
        if (len < 1 || len > 3) {
            PyErr_Format(PyExc_ValueError, "gram %zd has %zd characters, must have 1 to 3", r, len);
            goto done;
        }
        uint64_t cs[3];
        for (Py_ssize_t i = 0; i < len; i++) cs[i] = PyUnicode_READ_CHAR(g, i);
        uint64_t key = pack(cs, (int)len), i = slot_of(key, s->shift);
        while (s->slots[i].key && s->slots[i].key != key) i = (i + 1) & s->mask;
        if (s->slots[i].key == key) {
            PyErr_Format(PyExc_ValueError, "gram %zd repeats an earlier gram", r);
            goto done;
        }
        s->slots[i].key = key;
        s->slots[i].row = r;
        if (len == 1 && cs[0] < UNI_SIZE) s->uni[cs[0]] = (int32_t)r;
    }
    ok = 1;
done:
    PyBuffer_Release(&buf);
    return ok ? 0 : -1;
}

static PyObject *Scorer_score(Scorer *s, PyObject *args) {
    PyObject *text, *extra = Py_None;
    if (!PyArg_ParseTuple(args, "U|O", &text, &extra)) return NULL;
    if (extra != Py_None && !PyList_Check(extra)) {
        PyErr_SetString(PyExc_TypeError, "extra_rows must be a list of row numbers or None");
        return NULL;
    }
    Py_ssize_t lo = s->summary_words, hi = -1;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (reserve_keys(s, n) < 0) return NULL;
#define AT_TEXT(i) PyUnicode_READ(kind, data, (i))
    SCORE_BODY(AT_TEXT)
    WORDS_BODY(AT_TEXT, kind, data)
#undef AT_TEXT
    return finish_score(s, extra, lo, hi);
}

static inline Py_UCS4 fold_char(const Scorer *s, Py_UCS4 c) {
    return c < FOLD_SIZE ? s->fold[c] : c;
}

/* START + the folded text stripped of whitespace at both ends + END, into s->buf; its length, or -1. */
static Py_ssize_t fold_into_buffer(Scorer *s, PyObject *text) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), a = 0, b = n;
    while (a < b && Py_UNICODE_ISSPACE(fold_char(s, PyUnicode_READ(kind, data, a)))) a++;
    while (b > a && Py_UNICODE_ISSPACE(fold_char(s, PyUnicode_READ(kind, data, b - 1)))) b--;
    Py_ssize_t need = b - a + 2;
    if (reserve((void **)&s->buf, &s->buflen, need, sizeof(Py_UCS4)) < 0) return -1;
    s->buf[0] = START_MARK;
    for (Py_ssize_t i = a; i < b; i++) s->buf[i - a + 1] = fold_char(s, PyUnicode_READ(kind, data, i));
    s->buf[need - 1] = END_MARK;
    return need;
}

/* 0 when `text` is a str and the scorer has a fold table; else -1 with the error set. */
static int check_foldable(const Scorer *s, PyObject *text, const char *method) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "%s takes a str", method);
        return -1;
    }
    if (s->fold == NULL) {
        PyErr_SetString(PyExc_ValueError, "this scorer was made without a fold table");
        return -1;
    }
    return 0;
}

/* The rows of START + fold(text).strip() + END taken (s->rows, s->nfound); 0, or -1 on error. */
static int rows_folded(Scorer *s, PyObject *text) {
    Py_ssize_t n = fold_into_buffer(s, text);
    if (n < 0 || reserve_keys(s, n) < 0) return -1;
    Py_ssize_t lo = s->summary_words, hi = -1;
    const Py_UCS4 *buf = s->buf;
#define AT_BUF(i) buf[(i)]
    SCORE_BODY(AT_BUF)
    WORDS_BODY(AT_BUF, PyUnicode_4BYTE_KIND, buf)
#undef AT_BUF
    take_rows(s, lo, hi, 1);
    return 0;
}

static PyObject *Scorer_score_normalized(Scorer *s, PyObject *text) {
    if (check_foldable(s, text, "score_normalized") < 0 || rows_folded(s, text) < 0) return NULL;
    return rows_result(s);
}

static PyObject *Scorer_fold(Scorer *s, PyObject *text) {
    if (check_foldable(s, text, "fold") < 0) return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_UCS4 maxchar = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = fold_char(s, PyUnicode_READ(kind, data, i));
        if (c > maxchar) maxchar = c;
    }
    PyObject *out = PyUnicode_New(n, maxchar);
    if (!out) return NULL;
    int okind = PyUnicode_KIND(out);
    void *odata = PyUnicode_DATA(out);
    for (Py_ssize_t i = 0; i < n; i++) PyUnicode_WRITE(okind, odata, i, fold_char(s, PyUnicode_READ(kind, data, i)));
    return out;
}

/* locate(text, gram) -> (start, end): text_model._locate(fold(text), gram) without making the folded text. The
 * core of the gram (without its word mark "\x04" and the edge marks "\x02" / "\x03" at either end) is looked for
 * in the text read through the fold table; its first occurrence, or (0, 0). */
/* text_model._locate(fold(text), gram) into *start, *end (0, 0 when not found). */
static void locate_in(const Scorer *s, PyObject *text, PyObject *gram, Py_ssize_t *start, Py_ssize_t *end) {
    int gkind = PyUnicode_KIND(gram), tkind = PyUnicode_KIND(text);
    const void *gdata = PyUnicode_DATA(gram), *tdata = PyUnicode_DATA(text);
    Py_ssize_t a = 0, b = PyUnicode_GET_LENGTH(gram), n = PyUnicode_GET_LENGTH(text);
    *start = *end = 0;
    if (b > 0 && PyUnicode_READ(gkind, gdata, 0) == 0x04) a = 1;
    while (a < b) {
        Py_UCS4 c = PyUnicode_READ(gkind, gdata, a);
        if (c != START_MARK && c != END_MARK) break;
        a++;
    }
    while (b > a) {
        Py_UCS4 c = PyUnicode_READ(gkind, gdata, b - 1);
        if (c != START_MARK && c != END_MARK) break;
        b--;
    }
    Py_ssize_t m = b - a;
    if (m == 0 || m > n) return;
    Py_UCS4 first = PyUnicode_READ(gkind, gdata, a);
    for (Py_ssize_t i = 0; i + m <= n; i++) {
        if (fold_char(s, PyUnicode_READ(tkind, tdata, i)) != first) continue;
        Py_ssize_t j = 1;
        while (j < m && fold_char(s, PyUnicode_READ(tkind, tdata, i + j)) == PyUnicode_READ(gkind, gdata, a + j)) j++;
        if (j == m) {
            *start = i, *end = i + m;
            return;
        }
    }
}

static PyObject *Scorer_locate(Scorer *s, PyObject *args) {
    PyObject *text, *gram;
    if (!PyArg_ParseTuple(args, "UU", &text, &gram)) return NULL;
    if (s->fold == NULL) {
        PyErr_SetString(PyExc_ValueError, "this scorer was made without a fold table");
        return NULL;
    }
    Py_ssize_t start, end;
    locate_in(s, text, gram, &start, &end);
    return Py_BuildValue("(nn)", start, end);
}

#include "_ngrams_predict.h"

/* The mean number of slots a lookup of a vocabulary n-gram reads (1.0 = every n-gram in its own home slot). */
static PyObject *Scorer_mean_probes(Scorer *s, PyObject *unused) {
    (void)unused;
    uint64_t found = 0, probes = 0;
    for (uint64_t i = 0; s->slots && i <= s->mask; i++) {
        if (!s->slots[i].key) continue;
        found++;
        probes += ((i - slot_of(s->slots[i].key, s->shift)) & s->mask) + 1;
    }
    return PyFloat_FromDouble(found ? (double)probes / (double)found : 0.0);
}

static PyMethodDef Scorer_methods[] = {
    {"locate", (PyCFunction)Scorer_locate, METH_VARARGS,
     "locate(text, gram) -> (start, end): where the gram's core first occurs in fold(text) (text_model._locate)."},
    {"mean_probes", (PyCFunction)Scorer_mean_probes, METH_NOARGS,
     "mean_probes() -> the mean number of table slots a lookup of a vocabulary n-gram reads."},
    {"score", (PyCFunction)Scorer_score, METH_VARARGS,
     "score(text, extra_rows=None) -> (sums, count, strongest): see the module's documentation."},
    {"score_normalized", (PyCFunction)Scorer_score_normalized, METH_O,
     "score_normalized(text) -> score(START + fold(text).strip() + END), with the fold table."},
    {"set_model", (PyCFunction)Scorer_set_model, METH_VARARGS,
     "set_model(bias, threshold, norm_floor, subtype_columns, vocab): what predict() needs (_ngrams_predict.h)."},
    {"predict", (PyCFunction)Scorer_predict, METH_VARARGS,
     "predict(text, floor) -> [(subtype, score, start, end)]: TextModel.predict's answers (_ngrams_predict.h)."},
    {"fold", (PyCFunction)Scorer_fold, METH_O, "fold(text) -> the text through the fold table (text_model.fold)."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScorerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "workers.core.text._ngrams.NgramScorer",
    .tp_basicsize = sizeof(Scorer),
    .tp_dealloc = (destructor)Scorer_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The distinct vocabulary n-grams (1 to 3 characters) of a text and the sums of their weight rows.",
    .tp_methods = Scorer_methods,
    .tp_init = (initproc)Scorer_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_ngrams", "The text model's n-gram scoring in C (see _ngrams.c).", -1, NULL, NULL, NULL,
    NULL, NULL,
};

PyMODINIT_FUNC PyInit__ngrams(void) {
    if (PyType_Ready(&ScorerType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    if (PyModule_AddObjectRef(m, "NgramScorer", (PyObject *)&ScorerType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
