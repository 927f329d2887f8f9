/* The n-gram scorer's internals (workers/core/text/_ngrams.c includes this once): the Scorer object, its hash
 * tables of n-grams and word features, and the scan and sum that score() and score_normalized() share.
 * Split out of _ngrams.c only to keep each file short; it is not an interface of its own.
 */
#ifndef MODWORKER_NGRAMS_SCAN_H
#define MODWORKER_NGRAMS_SCAN_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

/* The big tables (the n-gram slots, 16 MB for policy .32's model, and the weights: 5 MB of category columns and
 * 22 MB of subtype columns) are read at random, one line per n-gram: with 4 KB pages nearly every read also misses the TLB, and the page walks cost more than the reads. They are
 * mapped on their own and asked to be backed by 2 MB pages (transparent huge pages, `madvise` mode; a kernel
 * that refuses leaves ordinary pages, with the same results). Zero-filled, like calloc. */
static void *table_alloc(size_t size) {
    void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, size, MADV_HUGEPAGE);
#endif
    return p;
}

static void table_free(void *p, size_t size) {
    if (p) munmap(p, size ? size : 1);
}

/* One slot of the n-gram table: the key and its row side by side, so a probe touches one cache line. */
typedef struct {
    uint64_t key;       /* 0 = empty */
    int64_t row;
} Slot;

typedef struct {        /* a word feature's slot (likewise): row -1 when empty; two slots to a cache line */
    uint64_t hash;
    int32_t row, len;   /* its row, and its length in characters */
    uint64_t head;      /* its first WORD_HEAD characters, one byte each (word_head): most words end there */
    Py_ssize_t off;     /* its characters after those: wchars[off .. off + len - WORD_HEAD) */
} WSlot;

#define WORD_HEAD 8

typedef struct {        /* a word feature of the text being scored: its hash, its word and the word before */
    uint64_t hash;
    Py_ssize_t a, alen, b, blen;  /* text[a, a + alen), then (blen > 0) " " + text[b, b + blen) */
} WordKey;

typedef struct {
    PyObject_HEAD
    Slot *slots;        /* open addressing, mask + 1 slots (table_alloc) */
    uint64_t mask;
    int shift;          /* 64 - log2(mask + 1): slot_of's shift */
    Py_ssize_t nrows;   /* vocabulary size */
    Py_ssize_t k;       /* columns */
    Py_ssize_t ncat;
    double *cweights;   /* nrows * ncat: the categories' columns, owned copy (table_alloc) */
    double *tweights;   /* nrows * (k - ncat): the subtypes' columns, likewise (a row of 8 fills a cache line) */
    int32_t *rows;      /* the rows of the text being scored, ascending (take_rows) */
    Py_ssize_t nfound, rowslen;
    uint64_t *seen;     /* bitmap over rows, all zero between calls */
    Py_ssize_t seen_words;
    uint64_t *summary;  /* bitmap over the words of `seen` that have a bit set, all zero between calls: the sum
                         * visits only those words (in row order), not every word between the lowest and highest */
    Py_ssize_t summary_words;
    double *sums;       /* scratch, k */
    /* word features: open addressing on a 64-bit FNV-1a hash, each entry verified against its characters;
     * a slot holds all a probe reads before that check (one cache line, not one per array) */
    WSlot *wslots;
    uint64_t wmask;
    unsigned char *wchars; /* the characters of the word features (a-z and space) past their heads, in a row */
    Py_ssize_t nwords;
    int32_t *uni;       /* the row of each 1-gram below 0x10000, or -1 (UNI_SIZE entries): read directly, not
                         * through the slots (a third of a text's lookups, in 256 KB the cache keeps) */
    Py_UCS4 *fold;      /* optional: code point (below 0x10000) -> its folded code point (text_model.fold) */
    Py_UCS4 *buf;       /* scratch for score_normalized: START + folded, stripped text + END */
    Py_ssize_t buflen;
    uint64_t *kbuf;     /* scratch: the keys of a text's n-grams, in text order */
    Py_ssize_t kbuflen;
    WordKey *wbuf;      /* scratch: a text's word features, in text order */
    Py_ssize_t wbuflen;
    /* the model around the sums, for predict() (set_model, _ngrams_predict.h); bias NULL until set */
    double *bias;       /* k */
    double threshold;   /* the category probability that maps to 0.5 */
    Py_ssize_t norm_floor;
    Py_ssize_t *col_first, *cols, *col_subtype; /* category j's subtype columns: cols[col_first[j] ..
                                                 * col_first[j + 1]), each with its subtype's number */
    PyObject *vocab;    /* list of str: the gram of each row */
} Scorer;

#define FOLD_SIZE 0x10000
#define UNI_SIZE 0x10000
#define START_MARK 0x02
#define END_MARK 0x03

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static inline uint64_t fnv(uint64_t h, Py_UCS4 c) {
    return (h ^ (uint64_t)c) * FNV_PRIME;
}

/* Up to three code points (each below 0x110000, so c + 1 fits in 21 bits) packed into one non-zero key. */
static inline uint64_t pack(const uint64_t *cs, int n) {
    uint64_t key = 0;
    for (int i = 0; i < n; i++) key |= (cs[i] + 1) << (21 * i);
    return key;
}

/* Fibonacci hashing: the top bits of key * 2^64/phi. (The low bits of a product hear nothing of the key's high
 * bits, where a 3-gram keeps its third character: a slot taken from them put every 3-gram that shares its first
 * two characters in one run of the table, 15 probes on average instead of about 1.) */
static inline uint64_t slot_of(uint64_t key, int shift) {
    return (key * 0x9E3779B97F4A7C15ULL) >> shift;
}

static inline int32_t lookup(const Scorer *s, uint64_t key) {
    uint64_t i = slot_of(key, s->shift);
    while (s->slots[i].key) {
        if (s->slots[i].key == key) return (int32_t)s->slots[i].row;
        i = (i + 1) & s->mask;
    }
    return -1;
}

/* Grow a scratch buffer of `*cap` items of `item` bytes to at least `need` items; 0, or -1 with the error set. */
static int reserve(void **buf, Py_ssize_t *cap, Py_ssize_t need, size_t item) {
    if (need <= *cap) return 0;
    void *grown = PyMem_Realloc(*buf, (size_t)need * item);
    if (!grown) {
        PyErr_NoMemory();
        return -1;
    }
    *buf = grown;
    *cap = need;
    return 0;
}

/* Room for the keys of a text of n code points (at most three n-grams end at each); 0, or -1 with the error set. */
static int reserve_keys(Scorer *s, Py_ssize_t n) {
    if (reserve((void **)&s->wbuf, &s->wbuflen, n + 1, sizeof(WordKey)) < 0) return -1;  /* a word and a pair
                                                                                             * per two characters */
    return reserve((void **)&s->kbuf, &s->kbuflen, 3 * n + 1, sizeof(uint64_t));
}

/* How many probes ahead the table's slots are asked for: the table (16 MB) does not fit in the cache, and probes
 * one after the other would wait for each miss in turn; asked for early, the misses overlap. */
#define PROBE_AHEAD 12


/* A word feature's characters (a-z and the space of a pair: below 0x80) one byte each, from the first. */
static inline uint64_t word_byte(uint64_t head, Py_ssize_t i, Py_UCS4 c) {
    return head | ((uint64_t)c << (8 * i));
}

/* The hash of the word feature made of text[a, a + alen), then (when blen > 0) " " and text[b, b + blen). */
static uint64_t word_hash(int kind, const void *data, Py_ssize_t a, Py_ssize_t alen, Py_ssize_t b,
                          Py_ssize_t blen) {
    uint64_t h = FNV_OFFSET;
    for (Py_ssize_t i = 0; i < alen; i++) h = fnv(h, PyUnicode_READ(kind, data, a + i));
    if (blen > 0) {
        h = fnv(h, ' ');
        for (Py_ssize_t i = 0; i < blen; i++) h = fnv(h, PyUnicode_READ(kind, data, b + i));
    }
    return h;
}

/* Its row, or -1 (its hash given): the slot's head and, past it, wchars are compared with the text. */
static int32_t word_row(const Scorer *s, uint64_t h, int kind, const void *data, Py_ssize_t a, Py_ssize_t alen,
                        Py_ssize_t b, Py_ssize_t blen) {
    Py_ssize_t len = blen > 0 ? alen + 1 + blen : alen;
    for (uint64_t i = h & s->wmask; s->wslots[i].row >= 0; i = (i + 1) & s->wmask) {
        const WSlot *e = &s->wslots[i];
        if (e->hash != h || e->len != len) continue;
        uint64_t head = 0;
        const unsigned char *tail = s->wchars + e->off;
        Py_ssize_t j = 0, same = 1;
        for (; j < len && same; j++) {
            Py_UCS4 c = j < alen ? PyUnicode_READ(kind, data, a + j)
                        : j == alen ? ' ' : PyUnicode_READ(kind, data, b + j - alen - 1);
            if (j < WORD_HEAD) head = word_byte(head, j, c);
            else same = tail[j - WORD_HEAD] == c;
        }
        if (same && head == e->head) return e->row;
    }
    return -1;
}

/* Mark a row found; *lo and *hi track the lowest and highest word of `summary` in use. */
static inline void mark(Scorer *s, int32_t row, Py_ssize_t *lo, Py_ssize_t *hi) {
    /* the row's category weights are summed after the scan: ask for their cache line now, so that its miss
     * overlaps the scan instead of following the others at the end */
    __builtin_prefetch(s->cweights + (Py_ssize_t)row * s->ncat);
    Py_ssize_t w = row >> 6, sw = w >> 6;
    s->seen[w] |= 1ULL << (row & 63);
    s->summary[sw] |= 1ULL << (w & 63);
    if (sw < *lo) *lo = sw;
    if (sw > *hi) *hi = sw;
}

/* The scoring of a text given as `n` code points read by `at(i)` (see score() in the module documentation):
 * first the keys of every 1-, 2- and 3-gram, then their lookups, each slot asked for PROBE_AHEAD probes before it
 * is read. The caller has reserved the keys' room (reserve_keys). */
#define SCORE_BODY(AT)                                                                                       \
    Py_ssize_t nk = 0;                                                                                       \
    {                                                                                                        \
        uint64_t c0 = 0, c1 = 0, c2;  /* c0, c1: the two characters before position i, plus one (0 = none) */\
        uint64_t *keys = s->kbuf;                                                                            \
        for (Py_ssize_t i = 0; i < n; i++) {                                                                 \
            c2 = (uint64_t)AT(i) + 1;                                                                        \
            if (c2 <= UNI_SIZE) {  /* a 1-gram: its row read directly */                                    \
                int32_t r1 = s->uni[c2 - 1];                                                                 \
                if (r1 >= 0) mark(s, r1, &lo, &hi);                                                          \
            } else {                                                                                         \
                keys[nk++] = c2;                                                                             \
            }                                                                                                \
            if (c1) {                                                                                        \
                keys[nk++] = c1 | (c2 << 21);                                                                \
                if (c0) keys[nk++] = c0 | (c1 << 21) | (c2 << 42);                                           \
            }                                                                                                \
            c0 = c1;                                                                                         \
            c1 = c2;                                                                                         \
        }                                                                                                    \
        for (Py_ssize_t j = 0; j < nk && j < PROBE_AHEAD; j++)                                               \
            __builtin_prefetch(s->slots + slot_of(keys[j], s->shift));                                        \
        for (Py_ssize_t j = 0; j < nk; j++) {                                                                \
            if (j + PROBE_AHEAD < nk) __builtin_prefetch(s->slots + slot_of(keys[j + PROBE_AHEAD], s->shift)); \
            int32_t r = lookup(s, keys[j]);                                                                  \
            if (r >= 0) mark(s, r, &lo, &hi);                                                                \
        }                                                                                                    \
    }

/* Clear both bitmaps between lo and hi; with `keep`, the rows set there go to s->rows, ascending (s->nfound). */
static void take_rows(Scorer *s, Py_ssize_t lo, Py_ssize_t hi, int keep) {
    Py_ssize_t count = 0;
    for (Py_ssize_t sw = lo; sw <= hi; sw++) {
        uint64_t words = s->summary[sw];
        s->summary[sw] = 0;
        for (; words; words &= words - 1) {
            Py_ssize_t w = (sw << 6) + __builtin_ctzll(words);
            uint64_t bits = s->seen[w];
            s->seen[w] = 0;
            for (; keep && bits; bits &= bits - 1) s->rows[count++] = (int32_t)((w << 6) + __builtin_ctzll(bits));
        }
    }
    s->nfound = count;
}

/* The sums of the subtype columns (k - ncat of them) over the rows of the text scored last, into out: the rows in
 * ascending order, as the categories' (each column's sum adds the same numbers in the same order as before the
 * columns were split in two tables). Their lines (one a row) are asked for PROBE_AHEAD rows ahead. */
static void sum_subtypes(const Scorer *s, double *out) {
    const Py_ssize_t nt = s->k - s->ncat, count = s->nfound;
    for (Py_ssize_t c = 0; c < nt; c++) out[c] = 0.0;
    if (nt == 0) return;
    for (Py_ssize_t i = 0; i < count && i < PROBE_AHEAD; i++) __builtin_prefetch(s->tweights + s->rows[i] * nt);
    for (Py_ssize_t i = 0; i < count; i++) {
        if (i + PROBE_AHEAD < count) __builtin_prefetch(s->tweights + s->rows[i + PROBE_AHEAD] * nt);
        const double *wr = s->tweights + (Py_ssize_t)s->rows[i] * nt;
        for (Py_ssize_t c = 0; c < nt; c++) out[c] += wr[c];
    }
}

/* The category columns' sums over the rows taken (s->rows), in their order, into sums[0 .. ncat), and per
 * category the row of largest weight (the first in row order on ties) into strongest (when there is a row). */
static void category_sums(const Scorer *s, double *sums, Py_ssize_t *strongest) {
    const Py_ssize_t ncat = s->ncat, count = s->nfound;
    double best[64];
    for (Py_ssize_t c = 0; c < ncat; c++) sums[c] = 0.0;
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t row = s->rows[i];
        const double *wr = s->cweights + row * ncat;
        for (Py_ssize_t c = 0; c < ncat; c++) {
            sums[c] += wr[c];
            if (i == 0 || wr[c] > best[c]) {
                best[c] = wr[c];
                strongest[c] = row;
            }
        }
    }
}

static PyObject *float_list(const double *values, Py_ssize_t n) {
    PyObject *out = PyList_New(n);
    if (!out) return NULL;
    for (Py_ssize_t c = 0; c < n; c++) {
        PyObject *v = PyFloat_FromDouble(values[c]);
        if (!v) { Py_DECREF(out); return NULL; }
        PyList_SET_ITEM(out, c, v);
    }
    return out;
}

/* (sums, count, strongest) of the rows taken: the sums of every column. */
static PyObject *rows_result(Scorer *s) {
    const Py_ssize_t ncat = s->ncat, count = s->nfound;
    double *sums = s->sums;
    Py_ssize_t strongest[64];
    category_sums(s, sums, strongest);
    sum_subtypes(s, sums + ncat);
    PyObject *out_sums = float_list(sums, s->k);
    if (!out_sums) return NULL;
    PyObject *out_strongest;
    if (count == 0) {
        out_strongest = Py_NewRef(Py_None);
    } else {
        out_strongest = PyList_New(ncat);
        if (!out_strongest) { Py_DECREF(out_sums); return NULL; }
        for (Py_ssize_t c = 0; c < ncat; c++) PyList_SET_ITEM(out_strongest, c, PyLong_FromSsize_t(strongest[c]));
    }
    return Py_BuildValue("(NnN)", out_sums, count, out_strongest);
}

/* rows_result of the rows marked (plus `extra`). */
static PyObject *finish_score(Scorer *s, PyObject *extra, Py_ssize_t lo, Py_ssize_t hi) {
    if (extra != Py_None) {
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(extra); j++) {
            Py_ssize_t r = PyLong_AsSsize_t(PyList_GET_ITEM(extra, j));
            if (r == -1 && PyErr_Occurred()) goto fail;
            if (r < 0 || r >= s->nrows) {
                PyErr_Format(PyExc_IndexError, "extra row %zd is outside the vocabulary", r);
                goto fail;
            }
            mark(s, (int32_t)r, &lo, &hi);
        }
    }
    take_rows(s, lo, hi, 1);
    return rows_result(s);
fail:
    take_rows(s, lo, hi, 0);  /* leave both bitmaps clean for the next call */
    return NULL;
}

/* Word features: runs of a-z, and each with the run before it. Their hashes first (into s->wbuf), each slot
 * asked for then; the lookups after, when the slots have arrived. The caller has reserved the room
 * (reserve_words). */
#define WORDS_BODY(AT, KIND, DATA)                                                                           \
    if (s->nwords) {                                                                                         \
        Py_ssize_t nw = 0, prev = -1, prevlen = 0;                                                           \
        WordKey *wk = s->wbuf;                                                                               \
        for (Py_ssize_t i = 0; i < n;) {                                                                     \
            Py_UCS4 c = AT(i);                                                                               \
            if (c < 'a' || c > 'z') { i++; continue; }                                                       \
            Py_ssize_t start = i;                                                                            \
            while (i < n && (c = AT(i)) >= 'a' && c <= 'z') i++;                                             \
            wk[nw] = (WordKey){word_hash(KIND, DATA, start, i - start, 0, 0), start, i - start, 0, 0};       \
            __builtin_prefetch(s->wslots + (wk[nw].hash & s->wmask));                                        \
            nw++;                                                                                            \
            if (prev >= 0) {                                                                                 \
                wk[nw] = (WordKey){word_hash(KIND, DATA, prev, prevlen, start, i - start), prev, prevlen,    \
                                   start, i - start};                                                        \
                __builtin_prefetch(s->wslots + (wk[nw].hash & s->wmask));                                    \
                nw++;                                                                                        \
            }                                                                                                \
            prev = start;                                                                                    \
            prevlen = i - start;                                                                             \
        }                                                                                                    \
        for (Py_ssize_t j = 0; j < nw; j++) {                                                                \
            int32_t r = word_row(s, wk[j].hash, KIND, DATA, wk[j].a, wk[j].alen, wk[j].b, wk[j].blen);       \
            if (r >= 0) mark(s, r, &lo, &hi);                                                                \
        }                                                                                                    \
    }


#endif
