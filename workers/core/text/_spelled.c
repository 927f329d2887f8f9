/* _spelled: rewrite rules of text normalization in C, with their edits.

   SpelledRules(flags) takes a table of character classes (bytes, one per code point below 0x20000, built by
   workers/core/text/rules.py: spelled_flags()) and gives, in one pass over the text each:

     join_spelled(text)  what rules.SEPARATORS.sub(rules.join_spelled, text) gives
     cjk_space(text)     what rules.CJK_SPACE.sub("", text) gives

   Each returns None when the rule changes nothing, else (output, edits) where edits are
   offsets.edits(pattern, replacement, text): [(start, end, replacement)] of every match, replacements
   equal to their match included. The regular expressions and functions in rules.py stay the reference
   (and the path when this is not built); a test compares both on every corpus text and on random texts
   made of the characters the rules look at. Matching follows the patterns step by step (their
   possessive, bounded repetitions included), so it is linear in the length of the text.

   NicknameStarts(entries) finds where rules.NICKNAME_PATTERN may match: every position where one of its
   variants is written and the cheap part of its conditions holds (whole-word edges, the letter or digit
   before a spelled-out dot). `rules.sub_at` runs the pattern only there: most texts hold none. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define NFLAGS 0x20000
enum {
    SOFT = 1,     /* a soft separator: rules.SOFT */
    HARD = 2,     /* sentence punctuation that separates too: rules.HARD */
    CJK = 4,      /* rules.CJK */
    ALNUM = 8,    /* str.isalnum() */
    DIGIT = 16,   /* str.isdigit() */
    AZ = 32,      /* a-z */
    D09 = 64,     /* 0-9 */
    BLOCK = 128,  /* a-z 0-9 ' ’ / : a lone Latin unit is neither after nor before one */
};
#define SEP (SOFT | HARD)

typedef struct {
    PyObject_HEAD
    uint8_t flags[NFLAGS];
} SpelledRules;

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
    const uint8_t *flags;
} Text;

static inline uint32_t ch(const Text *t, Py_ssize_t i) { return PyUnicode_READ(t->kind, t->data, i); }

static inline uint8_t fl(const Text *t, Py_ssize_t i)
{
    uint32_t c = ch(t, i);
    return c < NFLAGS ? t->flags[c] : 0;
}

/* _UNIT_AHEAD at i: a CJK character, or a lone a-z / 0-9 (not followed by a-z 0-9 ' ’ /) */
static inline int unit_ahead(const Text *t, Py_ssize_t i)
{
    if (i >= t->n) return 0;
    uint8_t f = fl(t, i);
    if (f & CJK) return 1;
    return (f & (AZ | D09)) && !(i + 1 < t->n && (fl(t, i + 1) & BLOCK));
}

/* up to `most` characters with one of `mask` from i (a possessive repetition): the position after them */
static inline Py_ssize_t run_of(const Text *t, Py_ssize_t i, uint8_t mask, int most)
{
    for (int k = 0; k < most && i < t->n && (fl(t, i) & mask); k++) i++;
    return i;
}

/* rules.SEPARATORS matched at p (a separator): the end of the match, or -1 */
static Py_ssize_t separators_at(const Text *t, Py_ssize_t p)
{
    if (p < 1) return -1;
    /* (?<=_UNIT_BEHIND ANY_SEP): a CJK character, or a-z / 0-9 not after a-z 0-9 ' ’ / */
    uint8_t prev = fl(t, p - 1);
    if (!((prev & CJK) || ((prev & (AZ | D09)) && !(p >= 2 && (fl(t, p - 2) & BLOCK))))) return -1;
    /* three units or more: ANY_SEP{0,5}+ UNIT (ANY_SEP{1,6}+ UNIT){1,62}+ */
    Py_ssize_t j = run_of(t, p + 1, SEP, 5);
    if (unit_ahead(t, j)) {
        Py_ssize_t end = j + 1;
        int more = 0;
        while (more < 62) {
            Py_ssize_t q = run_of(t, end, SEP, 6);
            if (q == end || !unit_ahead(t, q)) break;
            end = q + 1;
            more++;
        }
        if (more) return end;
    }
    uint8_t first = fl(t, p);
    if (!(first & SOFT)) return -1;
    j = run_of(t, p + 1, SOFT, 5);
    /* two units, after a CJK character or a letter: SOFT{0,5}+ UNIT */
    if ((prev & (CJK | AZ)) && unit_ahead(t, j)) return j + 1;
    /* two units, before a CJK character or a lone letter */
    if (j < t->n) {
        uint8_t f = fl(t, j);
        if ((f & CJK) || ((f & AZ) && !(j + 1 < t->n && (fl(t, j + 1) & BLOCK)))) return j + 1;
    }
    /* digit, spaces, lone digit */
    if (ch(t, p) == ' ') {
        Py_ssize_t k = p + 1;
        for (int s = 0; s < 5 && k < t->n && ch(t, k) == ' '; s++) k++;
        if (k < t->n && (fl(t, k) & D09) && !(k + 1 < t->n && (fl(t, k + 1) & BLOCK))) return k + 1;
    }
    return -1;
}

/* rules.join_spelled on the match [s, e): 1 keeps the match, 0 keeps only its units (str.isalnum) */
static int keeps_match(const Text *t, Py_ssize_t s, Py_ssize_t e)
{
    int before_digit = (fl(t, s - 1) & DIGIT) != 0;
    if (e - s == 2)  /* one separator, one unit: "3-5", "1.5" stay */
        return (fl(t, e - 1) & DIGIT) && ch(t, s) != ' ' && before_digit;
    int units = 0, digits = 1, other = 0;
    for (Py_ssize_t i = s; i < e; i++) {
        uint8_t f = fl(t, i);
        if (f & ALNUM) {
            units++;
            digits &= (f & DIGIT) != 0;
        }
        uint32_t c = ch(t, i);
        other |= c != ' ' && !(c >= '0' && c <= '9');
    }
    return units == 2 && before_digit && digits && other;  /* three digits: "1.2.3", "1-2-3" stay */
}

/* ---- output: pieces of the text and replacements, and the edits ---- */

typedef struct {
    Py_UCS4 *buf;
    Py_ssize_t len, cap;
    PyObject *edits;
} Out;

static int out_put(Out *o, Py_UCS4 c)
{
    if (o->len == o->cap) {
        Py_ssize_t cap = o->cap ? o->cap * 2 : 256;
        Py_UCS4 *b = PyMem_Realloc(o->buf, (size_t)cap * sizeof(Py_UCS4));
        if (b == NULL) return PyErr_NoMemory(), -1;
        o->buf = b, o->cap = cap;
    }
    o->buf[o->len++] = c;
    return 0;
}

static int out_copy(Out *o, const Text *t, Py_ssize_t a, Py_ssize_t b)
{
    for (Py_ssize_t i = a; i < b; i++)
        if (out_put(o, ch(t, i)) < 0) return -1;
    return 0;
}

/* The edit (s, e, the output from `from` on) */
static int out_edit(Out *o, Py_ssize_t s, Py_ssize_t e, Py_ssize_t from)
{
    PyObject *r = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, o->buf + from, o->len - from);
    if (r == NULL) return -1;
    PyObject *item = Py_BuildValue("(nnN)", s, e, r);
    int err = item == NULL || PyList_Append(o->edits, item) < 0;
    Py_XDECREF(item);
    return err ? -1 : 0;
}

static PyObject *out_result(Out *o, int changed)
{
    PyObject *res = NULL;
    if (!changed) res = Py_NewRef(Py_None);
    else {
        PyObject *text = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, o->buf, o->len);
        if (text != NULL) res = PyTuple_Pack(2, text, o->edits);
        Py_XDECREF(text);
    }
    PyMem_Free(o->buf);
    Py_DECREF(o->edits);
    return res;
}

static PyObject *out_fail(Out *o)
{
    PyMem_Free(o->buf);
    Py_DECREF(o->edits);
    return NULL;
}

/* Append position p to *list, made on first use; -1 with an error set */
static int append_position(PyObject **list, Py_ssize_t p)
{
    PyObject *pos = PyLong_FromSsize_t(p);
    if (pos == NULL || (*list == NULL && (*list = PyList_New(0)) == NULL) || PyList_Append(*list, pos) < 0) {
        Py_XDECREF(pos);
        Py_CLEAR(*list);
        return -1;
    }
    Py_DECREF(pos);
    return 0;
}

static int text_of(SpelledRules *self, PyObject *arg, Text *t)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "expected str, not %.100s", Py_TYPE(arg)->tp_name);
        return -1;
    }
    t->kind = PyUnicode_KIND(arg);
    t->data = PyUnicode_DATA(arg);
    t->n = PyUnicode_GET_LENGTH(arg);
    t->flags = self->flags;
    return 0;
}

static PyObject *SpelledRules_join_spelled(SpelledRules *self, PyObject *arg)
{
    Text t;
    if (text_of(self, arg, &t) < 0) return NULL;
    Out o = {NULL, 0, 0, PyList_New(0)};
    if (o.edits == NULL) return NULL;
    int changed = 0;
    Py_ssize_t copied = 0, i = 0;
    while (i < t.n) {
        Py_ssize_t e = (fl(&t, i) & SEP) ? separators_at(&t, i) : -1;
        if (e < 0) {
            i++;
            continue;
        }
        if (out_copy(&o, &t, copied, i) < 0) goto fail;
        Py_ssize_t from = o.len;
        if (keeps_match(&t, i, e)) {
            if (out_copy(&o, &t, i, e) < 0) goto fail;
        } else {
            for (Py_ssize_t k = i; k < e; k++)
                if ((e - i == 2 ? k == e - 1 : (fl(&t, k) & ALNUM) != 0) && out_put(&o, ch(&t, k)) < 0) goto fail;
            changed |= o.len - from != e - i;  /* units only: shorter, unless nothing was dropped */
        }
        if (out_edit(&o, i, e, from) < 0) goto fail;
        copied = i = e;
    }
    if (changed && out_copy(&o, &t, copied, t.n) < 0) goto fail;
    return out_result(&o, changed);
fail:
    return out_fail(&o);
}

static PyObject *SpelledRules_cjk_space(SpelledRules *self, PyObject *arg)
{
    Text t;
    if (text_of(self, arg, &t) < 0) return NULL;
    Out o = {NULL, 0, 0, PyList_New(0)};
    if (o.edits == NULL) return NULL;
    int changed = 0;
    Py_ssize_t copied = 0;
    for (Py_ssize_t i = 1; i + 1 < t.n; i++) {
        if (ch(&t, i) != ' ') continue;
        uint8_t prev = fl(&t, i - 1), next = fl(&t, i + 1);
        if (!(((prev & CJK) && (next & (AZ | D09 | CJK))) || ((prev & (AZ | D09)) && (next & CJK)))) continue;
        if (out_copy(&o, &t, copied, i) < 0 || out_edit(&o, i, i + 1, o.len) < 0) goto fail;
        copied = i + 1;
        changed = 1;
    }
    if (changed && out_copy(&o, &t, copied, t.n) < 0) goto fail;
    return out_result(&o, changed);
fail:
    return out_fail(&o);
}

/* ---- NicknameStarts ---- */

enum { BEFORE_ANY = 0, BEFORE_WORD_EDGE = 1, BEFORE_ALNUM = 2 };  /* the character before a variant */
enum { AFTER_ANY = 0, AFTER_WORD_EDGE = 1 };                      /* ... and after it */

typedef struct {
    Py_UCS4 c0, c1;     /* its first two characters (c1 0 for one character): the scan's tests read them here */
    Py_UCS4 *chars;
    Py_ssize_t len;
    int before, after;
} Variant;

typedef struct {
    PyObject_HEAD
    Variant *variants;          /* sorted by first character */
    Py_ssize_t n;
    uint64_t first[0x10000 / 64]; /* bit c: a variant starts with c (8 KB: the scan's test stays in the L1 cache) */
    uint8_t group[0x10000];     /* first character (BMP) -> 1 + index of its first variant among the sorted */
} NicknameStarts;

static inline int az09(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* _whole's look-behind: not after [a-z0-9_./@#-] */
static inline int word_edge_before(Py_UCS4 c) { return !(az09(c) || c == '_' || c == '.' || c == '/' || c == '@'
                                                        || c == '#' || c == '-'); }

static int variant_at(const Text *t, Py_ssize_t p, const Variant *v)
{
    if (p + v->len > t->n) return 0;
    for (Py_ssize_t k = 0; k < v->len; k++)
        if (ch(t, p + k) != v->chars[k]) return 0;
    if (v->before != BEFORE_ANY) {
        if (p == 0) {
            if (v->before == BEFORE_ALNUM) return 0;
        } else {
            Py_UCS4 b = ch(t, p - 1);
            if (v->before == BEFORE_WORD_EDGE ? !word_edge_before(b) : !az09(b)) return 0;
        }
    }
    if (v->after == AFTER_WORD_EDGE) {  /* _whole's look-ahead: (?![a-z0-9_@/-]|\.[a-z0-9]) */
        Py_ssize_t e = p + v->len;
        if (e < t->n) {
            Py_UCS4 a = ch(t, e);
            if (az09(a) || a == '_' || a == '@' || a == '/' || a == '-') return 0;
            if (a == '.' && e + 1 < t->n && az09(ch(t, e + 1))) return 0;
        }
    }
    return 1;
}

static PyObject *NicknameStarts_starts(NicknameStarts *self, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "expected str, not %.100s", Py_TYPE(arg)->tp_name);
        return NULL;
    }
    Text t = {PyUnicode_KIND(arg), PyUnicode_DATA(arg), PyUnicode_GET_LENGTH(arg), NULL};
    PyObject *out = NULL;
    /* one loop per str kind: the first-character test reads the characters directly */
#define STARTS_LOOP(TYPE)                                                                                \
    for (Py_ssize_t p = 0; p < t.n; p++) {                                                               \
        Py_UCS4 c = ((const TYPE *)t.data)[p];                                                           \
        if (c >= 0x10000 || !((self->first[c >> 6] >> (c & 63)) & 1)) continue;                          \
        Py_UCS4 c2 = p + 1 < t.n ? ((const TYPE *)t.data)[p + 1] : 0;                                  \
        for (Py_ssize_t i = self->group[c] - 1; i < self->n && self->variants[i].c0 == c; i++) {         \
            const Variant *v = &self->variants[i];                                                       \
            if (v->len > 1 && v->c1 != c2) continue;  /* most fail on their second character */          \
            if (!variant_at(&t, p, v)) continue;                                                         \
            if (append_position(&out, p) < 0) return NULL;                                               \
            break;                                                                                       \
        }                                                                                                \
    }
    if (t.kind == PyUnicode_1BYTE_KIND) STARTS_LOOP(Py_UCS1)
    else if (t.kind == PyUnicode_2BYTE_KIND) STARTS_LOOP(Py_UCS2)
    else STARTS_LOOP(Py_UCS4)
#undef STARTS_LOOP
    return out != NULL ? out : Py_NewRef(Py_None);
}

static int variant_cmp(const void *a, const void *b)
{
    Py_UCS4 x = ((const Variant *)a)->c0, y = ((const Variant *)b)->c0;
    return (x > y) - (x < y);
}

static void NicknameStarts_dealloc(PyObject *obj)
{
    NicknameStarts *self = (NicknameStarts *)obj;
    for (Py_ssize_t i = 0; i < self->n; i++) PyMem_Free(self->variants[i].chars);
    PyMem_Free(self->variants);
    PyTypeObject *type = Py_TYPE(obj);
    type->tp_free(obj);
    Py_DECREF(type);
}

static PyObject *NicknameStarts_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *entries;
    if (!PyArg_ParseTuple(args, "O!:NicknameStarts", &PyList_Type, &entries)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(entries);
    if (n > 254) return PyErr_Format(PyExc_ValueError, "NicknameStarts: at most 254 variants, not %zd", n);
    NicknameStarts *self = (NicknameStarts *)type->tp_alloc(type, 0);
    if (self == NULL) return NULL;
    self->variants = PyMem_Calloc((size_t)n + 1, sizeof(Variant));
    if (self->variants == NULL) return Py_DECREF(self), PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text;
        int before, after;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(entries, i), "Uii:NicknameStarts entry", &text, &before, &after))
            return Py_DECREF(self), NULL;
        Py_ssize_t len = PyUnicode_GET_LENGTH(text);
        if (len == 0 || PyUnicode_READ_CHAR(text, 0) >= 0x10000 || before < 0 || before > 2 || after < 0 || after > 1)
            return Py_DECREF(self), PyErr_Format(PyExc_ValueError, "NicknameStarts: bad entry %zd", i);
        Variant *v = &self->variants[self->n];
        if ((v->chars = PyUnicode_AsUCS4Copy(text)) == NULL) return Py_DECREF(self), NULL;
        v->len = len, v->before = before, v->after = after;
        v->c0 = v->chars[0], v->c1 = len > 1 ? v->chars[1] : 0;
        self->n++;
    }
    /* stable order is not needed: a position is a candidate when any of its variants is */
    qsort(self->variants, (size_t)self->n, sizeof(Variant), variant_cmp);
    for (Py_ssize_t i = self->n - 1; i >= 0; i--) {
        Py_UCS4 c = self->variants[i].chars[0];
        self->group[c] = (uint8_t)(i + 1);
        self->first[c >> 6] |= 1ULL << (c & 63);
    }
    return (PyObject *)self;
}

static PyMethodDef NicknameStarts_methods[] = {
    {"starts", (PyCFunction)NicknameStarts_starts, METH_O,
     "The positions where rules.NICKNAME_PATTERN may match, ascending; None when there is none."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot NicknameStarts_slots[] = {
    {Py_tp_new, NicknameStarts_new}, {Py_tp_dealloc, NicknameStarts_dealloc},
    {Py_tp_methods, NicknameStarts_methods},
    {Py_tp_doc, "NicknameStarts([(variant, before, after)]): where the nickname rule may match."}, {0, NULL},
};

static PyType_Spec NicknameStarts_spec = {
    "_spelled.NicknameStarts", sizeof(NicknameStarts), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
    NicknameStarts_slots,
};

/* ---- leetspeak: the trigger, and where rules.LEET may match ---- */

static inline int leet_char(Py_UCS4 c) { return c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7'
                                                || c == '@' || c == '$'; }
static inline int leet_word_char(Py_UCS4 c) { return az09(c) || c == '@' || c == '$'; }

static PyObject *SpelledRules_leet_triggered(SpelledRules *self, PyObject *arg)
{
    Text t;
    if (text_of(self, arg, &t) < 0) return NULL;
    for (Py_ssize_t i = 0; i < t.n; i++) {  /* rules.LEET_TRIGGER: [013457@$] after or before a letter */
        if (!leet_char(ch(&t, i))) continue;
        Py_UCS4 b = i ? ch(&t, i - 1) : 0, a = i + 1 < t.n ? ch(&t, i + 1) : 0;
        if ((b >= 'a' && b <= 'z') || (a >= 'a' && a <= 'z')) Py_RETURN_TRUE;
    }
    Py_RETURN_FALSE;
}

static PyObject *SpelledRules_leet_starts(SpelledRules *self, PyObject *arg)
{
    Text t;
    if (text_of(self, arg, &t) < 0) return NULL;
    PyObject *out = NULL;
    Py_ssize_t p = 0;
    while (p < t.n) {
        if (!leet_word_char(ch(&t, p))) {
            p++;
            continue;
        }
        Py_ssize_t e = p;  /* the word [a-z0-9@$]* from p */
        int letter = 0, leet = 0;
        for (; e < t.n && leet_word_char(ch(&t, e)); e++) {
            Py_UCS4 c = ch(&t, e);
            letter |= c >= 'a' && c <= 'z';
            leet |= leet_char(c);
        }
        /* rules.LEET starts a word (not after [a-z0-9@$_./#:\-]) holding a letter and one of [013457@$] */
        Py_UCS4 b = p ? ch(&t, p - 1) : 0;
        int start = !(p && (b == '_' || b == '.' || b == '/' || b == '#' || b == ':' || b == '\\' || b == '-'));
        if (start && letter && leet && append_position(&out, p) < 0) return NULL;
        p = e;
    }
    return out != NULL ? out : Py_NewRef(Py_None);
}

static PyObject *SpelledRules_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Py_buffer flags;
    if (!PyArg_ParseTuple(args, "y*:SpelledRules", &flags)) return NULL;
    if (flags.len != NFLAGS) {
        PyErr_Format(PyExc_ValueError, "SpelledRules: flags must hold %d bytes, not %zd", NFLAGS, flags.len);
        PyBuffer_Release(&flags);
        return NULL;
    }
    SpelledRules *self = (SpelledRules *)type->tp_alloc(type, 0);
    if (self != NULL) memcpy(self->flags, flags.buf, NFLAGS);
    PyBuffer_Release(&flags);
    return (PyObject *)self;
}

static void SpelledRules_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    type->tp_free(self);
    Py_DECREF(type);
}

static PyMethodDef SpelledRules_methods[] = {
    {"join_spelled", (PyCFunction)SpelledRules_join_spelled, METH_O,
     "rules.SEPARATORS.sub(rules.join_spelled, text): None when nothing changes, else (text, edits)."},
    {"cjk_space", (PyCFunction)SpelledRules_cjk_space, METH_O,
     "rules.CJK_SPACE.sub('', text): None when nothing changes, else (text, edits)."},
    {"leet_triggered", (PyCFunction)SpelledRules_leet_triggered, METH_O,
     "rules.LEET_TRIGGER.search(text) is not None."},
    {"leet_starts", (PyCFunction)SpelledRules_leet_starts, METH_O,
     "The word starts where rules.LEET may match (ascending), or None."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot SpelledRules_slots[] = {
    {Py_tp_new, SpelledRules_new}, {Py_tp_dealloc, SpelledRules_dealloc}, {Py_tp_methods, SpelledRules_methods},
    {Py_tp_doc, "SpelledRules(flags): two rewrite rules of normalization in C."}, {0, NULL},
};

static PyType_Spec SpelledRules_spec = {
    "_spelled.SpelledRules", sizeof(SpelledRules), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
    SpelledRules_slots,
};

static int add_type(PyObject *m, PyType_Spec *spec, const char *name)
{
    PyObject *type = PyType_FromModuleAndSpec(m, spec, NULL);
    if (type == NULL) return -1;
    int err = PyModule_AddObjectRef(m, name, type);
    Py_DECREF(type);
    return err;
}

static int spelled_exec(PyObject *m)
{
    return add_type(m, &SpelledRules_spec, "SpelledRules") < 0 ? -1
         : add_type(m, &NicknameStarts_spec, "NicknameStarts");
}

static PyModuleDef_Slot spelled_slots[] = {{Py_mod_exec, spelled_exec}, {0, NULL}};

static struct PyModuleDef spelled_module = {
    PyModuleDef_HEAD_INIT, "_spelled", "Rewrite rules of text normalization.", 0, NULL, spelled_slots, NULL,
    NULL, NULL,
};

PyMODINIT_FUNC PyInit__spelled(void) { return PyModuleDef_Init(&spelled_module); }
