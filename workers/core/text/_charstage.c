/* _charstage: the character stage of text normalization in C.

   CharTable(table_list, high, rare) copies charmap's mapping into flat arrays. Its methods give exactly
   charmap.translate, charmap.length_changes, and translate + the rare-character scan of normalize._steps
   (`_RARE.findall` + `frozenset`), in one pass. Built with GCC or Clang (__builtin_popcountll). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NLOW 0x20000          /* code points covered by table_list */
#define TAG 0x80000000u       /* entry: TAG | pool string number; otherwise the mapped code point */
#define SMALL 512             /* output characters kept on the stack */
#define FAIL ((uint32_t)-1)   /* encode() error */

#if PY_VERSION_HEX < 0x030C0000
#define READY(s) PyUnicode_READY(s)
#else
#define READY(s) 0
#endif

typedef struct { uint32_t cp, entry; } High;

typedef struct {
    PyObject_HEAD
    uint32_t *map;            /* NLOW entries */
    uint32_t *pool;           /* characters of the dropped / multi-character mappings */
    uint32_t *pool_off;       /* pool string i = pool[pool_off[i] .. pool_off[i + 1]] */
    uint32_t n_str;
    High *high;               /* code points >= NLOW that change, sorted by cp */
    Py_ssize_t n_high;
    uint32_t high_min, high_max;
    uint64_t *rare_bits;      /* bit c set: c is rare (c < rare_end) */
    uint32_t *rare_rank;      /* number of rare characters before word w of rare_bits */
    PyObject **rare_str;      /* the rare characters as str, by rank */
    uint32_t rare_end, n_rare;
} CharTable;

static inline int is_rare(const CharTable *t, uint32_t c)
{
    return c < t->rare_end && (t->rare_bits[c >> 6] >> (c & 63)) & 1;
}

/* ---- construction ---- */

/* An int's value; -1 when it is too big for a long. */
static long code_point(PyObject *v)
{
    int overflow;
    long c = PyLong_AsLongAndOverflow(v, &overflow);
    return overflow ? -1 : c;
}

/* One mapping value (int code point, str or None) -> entry, adding strs other than one character to the
   pool; FAIL on error. */
static uint32_t encode(CharTable *t, PyObject *v, const char *what)
{
    if (PyLong_Check(v)) {
        long c = code_point(v);
        if (c >= 0 && c <= 0x10FFFF) return (uint32_t)c;
        PyErr_Format(PyExc_ValueError, "CharTable: %s: code point %R out of range", what, v);
        return FAIL;
    }
    Py_ssize_t len = 0;
    if (PyUnicode_Check(v)) len = PyUnicode_GET_LENGTH(v);  /* made ready by pool_alloc */
    else if (v != Py_None) {
        PyErr_Format(PyExc_TypeError, "CharTable: %s values must be int, str or None, not %.100s", what,
                     Py_TYPE(v)->tp_name);
        return FAIL;
    }
    if (len == 1) return PyUnicode_READ_CHAR(v, 0);
    uint32_t start = t->pool_off[t->n_str];
    for (Py_ssize_t i = 0; i < len; i++) t->pool[start + i] = PyUnicode_READ_CHAR(v, i);
    t->pool_off[t->n_str + 1] = start + (uint32_t)len;
    return TAG | t->n_str++;
}

/* Allocates the pool for every str value of the list and the dict. */
static int pool_alloc(CharTable *t, PyObject *list, PyObject *high)
{
    Py_ssize_t chars = 0, pos = 0, n = NLOW + PyDict_GET_SIZE(high);
    PyObject *k, *v;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i < NLOW) v = PyList_GET_ITEM(list, i);
        else if (!PyDict_Next(high, &pos, &k, &v)) break;
        if (PyUnicode_Check(v) && READY(v) < 0) return -1;
        chars += PyUnicode_Check(v) ? PyUnicode_GET_LENGTH(v) : 0;
    }
    if (chars >= UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "CharTable: mapping too large");
        return -1;
    }
    t->pool = PyMem_Malloc((size_t)(chars + 1) * sizeof(uint32_t));
    t->pool_off = PyMem_Calloc((size_t)n + 1, sizeof(uint32_t));
    return t->pool == NULL || t->pool_off == NULL ? (PyErr_NoMemory(), -1) : 0;
}

static int high_cmp(const void *a, const void *b)
{
    uint32_t x = ((const High *)a)->cp, y = ((const High *)b)->cp;
    return (x > y) - (x < y);
}

static int build(CharTable *t, PyObject *list, PyObject *high, PyObject *rare)
{
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    t->map = PyMem_Malloc(NLOW * sizeof(uint32_t));
    t->high = PyMem_Malloc((size_t)(PyDict_GET_SIZE(high) + 1) * sizeof(High));
    if (t->map == NULL || t->high == NULL) return PyErr_NoMemory(), -1;
    if (pool_alloc(t, list, high) < 0) return -1;
    for (Py_ssize_t i = 0; i < NLOW; i++)
        if ((t->map[i] = encode(t, PyList_GET_ITEM(list, i), "table_list")) == FAIL) return -1;
    while (PyDict_Next(high, &pos, &k, &v)) {
        long cp = PyLong_Check(k) ? code_point(k) : -1;
        if (cp < NLOW || cp > 0x10FFFF) {
            PyErr_Format(PyLong_Check(k) ? PyExc_ValueError : PyExc_TypeError,
                         "CharTable: high keys must be int code points in [0x20000, 0x10FFFF], not %R", k);
            return -1;
        }
        uint32_t e = encode(t, v, "high");
        if (e == FAIL) return -1;
        t->high[t->n_high++] = (High){(uint32_t)cp, e};
    }
    uint32_t *off = PyMem_Realloc(t->pool_off, ((size_t)t->n_str + 1) * sizeof(uint32_t));
    if (off != NULL) t->pool_off = off;  /* sized for every value: keep the strings there are */
    qsort(t->high, (size_t)t->n_high, sizeof(High), high_cmp);
    t->high_min = t->n_high ? t->high[0].cp : 1;  /* min > max: none */
    t->high_max = t->n_high ? t->high[t->n_high - 1].cp : 0;

    /* rare: a bitmap, the rank of each 64-bit word, and a str per rare character */
    Py_ssize_t nr = PyUnicode_GET_LENGTH(rare);
    for (Py_ssize_t i = 0; i < nr; i++)
        if (PyUnicode_READ_CHAR(rare, i) >= t->rare_end) t->rare_end = PyUnicode_READ_CHAR(rare, i) + 1;
    size_t words = t->rare_end / 64 + 1;
    t->rare_bits = PyMem_Calloc(words, sizeof(uint64_t));
    t->rare_rank = PyMem_Calloc(words, sizeof(uint32_t));
    if (t->rare_bits == NULL || t->rare_rank == NULL) return PyErr_NoMemory(), -1;
    for (Py_ssize_t i = 0; i < nr; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(rare, i);
        t->rare_bits[c >> 6] |= (uint64_t)1 << (c & 63);
    }
    for (size_t w = 0; w < words; w++) {
        t->rare_rank[w] = t->n_rare;
        t->n_rare += (uint32_t)__builtin_popcountll(t->rare_bits[w]);
    }
    if ((t->rare_str = PyMem_Calloc(t->n_rare + 1, sizeof(PyObject *))) == NULL) return PyErr_NoMemory(), -1;
    for (uint32_t c = 0, r = 0; c < t->rare_end; c++)
        if (is_rare(t, c) && (t->rare_str[r++] = PyUnicode_FromOrdinal((int)c)) == NULL) return -1;
    return 0;
}

static void CharTable_dealloc(CharTable *t)
{
    PyTypeObject *tp = Py_TYPE(t);
    for (uint32_t r = 0; t->rare_str != NULL && r < t->n_rare; r++) Py_XDECREF(t->rare_str[r]);
    PyMem_Free(t->map); PyMem_Free(t->pool); PyMem_Free(t->pool_off); PyMem_Free(t->high);
    PyMem_Free(t->rare_bits); PyMem_Free(t->rare_rank); PyMem_Free(t->rare_str);
    tp->tp_free((PyObject *)t);
    Py_DECREF(tp);
}

static PyObject *CharTable_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"table_list", "high", "rare", NULL};
    PyObject *list, *high, *rare;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!U:CharTable", kwlist, &PyList_Type, &list,
                                     &PyDict_Type, &high, &rare) || READY(rare) < 0)
        return NULL;
    if (PyList_GET_SIZE(list) != NLOW)
        return PyErr_Format(PyExc_ValueError, "CharTable: table_list must have 0x20000 entries, not %zd",
                            PyList_GET_SIZE(list));
    CharTable *t = (CharTable *)type->tp_alloc(type, 0);
    if (t != NULL && build(t, list, high, rare) < 0) Py_CLEAR(t);
    return (PyObject *)t;
}

/* ---- lookups ---- */

/* The entry of a code point >= NLOW; the code point itself when it does not change. */
static inline uint32_t high_entry(const CharTable *t, uint32_t c)
{
    if (c < t->high_min || c > t->high_max) return c;
    Py_ssize_t lo = 0, hi = t->n_high;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (t->high[mid].cp < c) lo = mid + 1; else hi = mid;
    }
    return lo < t->n_high && t->high[lo].cp == c ? t->high[lo].entry : c;
}

static int check_str(PyObject *text, const char *fn)
{
    if (PyUnicode_Check(text)) return READY(text);
    PyErr_Format(PyExc_TypeError, "%s() argument must be str, not %.100s", fn, Py_TYPE(text)->tp_name);
    return -1;
}

/* ---- translate ---- */

typedef struct {
    uint32_t *buf;
    Py_ssize_t len, cap;
    PyObject *rare;           /* frozenset of the rare characters seen, made on the first one */
    uint32_t small[SMALL];
} Out;

/* The slow paths of push(): a bigger buffer; a rare character, added to the frozenset. */
static int grow(Out *o)
{
    Py_ssize_t cap = 2 * o->cap;
    uint32_t *b = NULL;
    if (cap < PY_SSIZE_T_MAX / 4)
        b = o->buf == o->small ? PyMem_Malloc((size_t)cap * sizeof(uint32_t))
                               : PyMem_Realloc(o->buf, (size_t)cap * sizeof(uint32_t));
    if (b == NULL) return PyErr_NoMemory(), -1;
    if (o->buf == o->small) memcpy(b, o->small, (size_t)o->len * sizeof(uint32_t));
    o->buf = b, o->cap = cap;
    return 0;
}

static int add_rare(const CharTable *t, Out *o, uint32_t c)
{
    uint64_t below = t->rare_bits[c >> 6] & ((UINT64_C(1) << (c & 63)) - 1);
    if (o->rare == NULL && (o->rare = PyFrozenSet_New(NULL)) == NULL) return -1;
    /* allowed on a brand new frozenset */
    return PySet_Add(o->rare, t->rare_str[t->rare_rank[c >> 6] + (uint32_t)__builtin_popcountll(below)]);
}

/* Appends one output character. */
static inline int push(const CharTable *t, Out *o, uint32_t c, int collect)
{
    if (o->len == o->cap && grow(o) < 0) return -1;
    o->buf[o->len++] = c;
    return collect && is_rare(t, c) ? add_rare(t, o, c) : 0;
}

/* Appends one character of the table's output after the high fix-up: charmap maps the code points
   >= NLOW once, on the output of table_list. */
static int put(const CharTable *t, Out *o, uint32_t c, int collect)
{
    uint32_t e = c < NLOW ? c : high_entry(t, c);
    if (!(e & TAG)) return push(t, o, e, collect);
    for (uint32_t i = t->pool_off[e & ~TAG]; i < t->pool_off[(e & ~TAG) + 1]; i++)
        if (push(t, o, t->pool[i], collect) < 0) return -1;
    return 0;
}

/* Appends the characters of a table entry that is not a code point < NLOW (the slow path). */
static int put_entry(const CharTable *t, Out *o, uint32_t e, int collect)
{
    if (!(e & TAG)) return put(t, o, e, collect);
    for (uint32_t i = t->pool_off[e & ~TAG]; i < t->pool_off[(e & ~TAG) + 1]; i++)
        if (put(t, o, t->pool[i], collect) < 0) return -1;
    return 0;
}

static Py_ALWAYS_INLINE inline int run(const CharTable *t, Out *o, int kind, const void *data, Py_ssize_t n,
                                       int collect)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        uint32_t c = PyUnicode_READ(kind, data, i);
        uint32_t e = c < NLOW ? t->map[c] : c;  /* past table_list: only the fix-up */
        if (e < NLOW ? push(t, o, e, collect) < 0 : put_entry(t, o, e, collect) < 0) return -1;
    }
    return 0;
}

/* charmap.translate(text); with `rare_out`, also the frozenset of rare characters of the result (or NULL). */
static PyObject *translate_impl(CharTable *t, PyObject *text, PyObject **rare_out)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0;
    const void *data = PyUnicode_DATA(text);
    int collect = rare_out != NULL, kind = PyUnicode_KIND(text), ascii = PyUnicode_IS_ASCII(text), err = 0;
    if (ascii) {  /* str.lower: the same str when there is nothing to change (and no rare character) */
        const Py_UCS1 *s = data;
        while (i < n && !(s[i] >= 'A' && s[i] <= 'Z') && !(collect && is_rare(t, s[i]))) i++;
        if (i == n && PyUnicode_CheckExact(text)) return Py_NewRef(text);
    }
    Out o;  /* not zeroed as a whole: `small` is written before it is read */
    o.buf = o.small, o.len = 0, o.cap = SMALL, o.rare = NULL;
    if (n > SMALL && (o.buf = PyMem_Malloc((size_t)(o.cap = n + 16) * sizeof(uint32_t))) == NULL)
        return PyErr_NoMemory();
    if (ascii) {
        for (i = 0; i < n && !err; i++) {
            uint32_t c = ((const Py_UCS1 *)data)[i];
            err = push(t, &o, c >= 'A' && c <= 'Z' ? c + 32 : c, collect);
        }
    } else {  /* one loop per str kind */
        err = kind == 1 ? run(t, &o, 1, data, n, collect)
            : kind == 2 ? run(t, &o, 2, data, n, collect) : run(t, &o, 4, data, n, collect);
    }
    /* a canonical str: the narrowest kind that holds the result */
    PyObject *res = err ? NULL : PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, o.buf, o.len);
    if (o.buf != o.small) PyMem_Free(o.buf);
    if (res != NULL && collect) *rare_out = o.rare;
    else Py_XDECREF(o.rare);
    return res;
}

static PyObject *CharTable_translate(CharTable *t, PyObject *text)
{
    return check_str(text, "translate") < 0 ? NULL : translate_impl(t, text, NULL);
}

static PyObject *CharTable_translate_rare(CharTable *t, PyObject *text)
{
    PyObject *rare = NULL, *res;
    if (check_str(text, "translate_rare") < 0 || (res = translate_impl(t, text, &rare)) == NULL) return NULL;
    PyObject *pair = PyTuple_Pack(2, res, rare != NULL ? rare : Py_None);
    Py_DECREF(res);
    Py_XDECREF(rare);
    return pair;
}

/* ---- length_changes ---- */

static PyObject *CharTable_length_changes(CharTable *t, PyObject *text)
{
    if (check_str(text, "length_changes") < 0) return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL || PyUnicode_IS_ASCII(text)) return out;  /* ASCII takes str.lower: no change */
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        uint32_t c = PyUnicode_READ(kind, data, i);
        uint32_t e = c < NLOW ? t->map[c] : high_entry(t, c);  /* no fix-up: length of the mapping itself */
        uint32_t len = e & TAG ? t->pool_off[(e & ~TAG) + 1] - t->pool_off[e & ~TAG] : 1;
        if (len == 1) continue;
        PyObject *item = Py_BuildValue("(nI)", i, len);
        int err = item == NULL || PyList_Append(out, item) < 0;
        Py_XDECREF(item);
        if (err) return Py_DECREF(out), NULL;
    }
    return out;
}

/* ---- type and module ---- */

static PyMethodDef CharTable_methods[] = {
    {"translate", (PyCFunction)CharTable_translate, METH_O, "charmap.translate(text)."},
    {"length_changes", (PyCFunction)CharTable_length_changes, METH_O,
     "charmap.length_changes(text): [(position, mapped length)] of the characters not mapped to one."},
    {"translate_rare", (PyCFunction)CharTable_translate_rare, METH_O,
     "(translate(text), frozenset of the rare characters of the result, or None when there is none)."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot CharTable_slots[] = {
    {Py_tp_new, CharTable_new}, {Py_tp_dealloc, CharTable_dealloc}, {Py_tp_methods, CharTable_methods},
    {Py_tp_doc, "CharTable(table_list, high, rare): the character stage as compact C arrays."}, {0, NULL},
};

static PyType_Spec CharTable_spec = {
    "_charstage.CharTable", sizeof(CharTable), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE, CharTable_slots,
};

static int charstage_exec(PyObject *m)
{
    PyObject *type = PyType_FromModuleAndSpec(m, &CharTable_spec, NULL);
    if (type == NULL) return -1;
    int err = PyModule_AddObjectRef(m, "CharTable", type);
    Py_DECREF(type);
    return err;
}

static PyModuleDef_Slot charstage_slots[] = {{Py_mod_exec, charstage_exec}, {0, NULL}};

static struct PyModuleDef charstage_module = {
    PyModuleDef_HEAD_INIT, "_charstage", "The character stage of text normalization.", 0, NULL,
    charstage_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__charstage(void) { return PyModuleDef_Init(&charstage_module); }
