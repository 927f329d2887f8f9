/* The text model's predictions in C (_ngrams.c includes this once; split out only to keep each file short):
 * TextModel.predict's arithmetic on the sums, without a Python float, list or call per category.
 *
 * set_model(bias, threshold, norm_floor, subtype_columns, vocab)
 *   bias: k floats; threshold: the category probability that maps to 0.5; norm_floor: an int;
 *   subtype_columns: per category a list of (column, subtype number); vocab: the gram of each row (a list of str)
 * predict(text, floor) -> [(subtype number, score, start, end)], one per category kept, in category order:
 *   TextModel.predict of the normalized text (text_model.py holds it in Python, the reference: a test compares
 *   both on every corpus text at several floors). The same operations in the same order on doubles (the
 *   extension is built without floating-point contraction, -std=c11), libm's exp and sqrt as Python's math
 *   calls them, and Python's own round(x, 4); so the same numbers, bit for bit. (One difference: where
 *   math.exp would overflow, a raw score past any real model's reach, Python raises and this gives 0.)
 */
#ifndef MODWORKER_NGRAMS_PREDICT_H
#define MODWORKER_NGRAMS_PREDICT_H

#include <math.h>

static PyObject *Scorer_set_model(Scorer *s, PyObject *args) {
    PyObject *bias, *columns, *vocab;
    double threshold;
    Py_ssize_t norm_floor;
    if (!PyArg_ParseTuple(args, "O!dnO!O!:set_model", &PyList_Type, &bias, &threshold, &norm_floor, &PyList_Type,
                          &columns, &PyList_Type, &vocab))
        return NULL;
    if (PyList_GET_SIZE(bias) != s->k || PyList_GET_SIZE(columns) != s->ncat || PyList_GET_SIZE(vocab) != s->nrows
            || !(threshold > 0 && threshold < 1))
        return PyErr_Format(PyExc_ValueError, "set_model: %zd biases, %zd categories' columns and %zd grams needed, "
                            "and a threshold in (0, 1)", s->k, s->ncat, s->nrows);
    Py_ssize_t ncols = 0;
    for (Py_ssize_t j = 0; j < s->ncat; j++) {
        PyObject *c = PyList_GET_ITEM(columns, j);
        if (!PyList_Check(c)) return PyErr_Format(PyExc_TypeError, "set_model: a category's columns must be a list");
        ncols += PyList_GET_SIZE(c);
    }
    double *b = PyMem_Malloc((size_t)s->k * sizeof(double));
    Py_ssize_t *first = PyMem_Malloc((size_t)(s->ncat + 1) * sizeof(Py_ssize_t));
    Py_ssize_t *cols = PyMem_Malloc((size_t)(ncols + 1) * sizeof(Py_ssize_t));
    Py_ssize_t *sub = PyMem_Malloc((size_t)(ncols + 1) * sizeof(Py_ssize_t));
    if (!b || !first || !cols || !sub) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t c = 0; c < s->k; c++)
        if ((b[c] = PyFloat_AsDouble(PyList_GET_ITEM(bias, c))) == -1.0 && PyErr_Occurred()) goto fail;
    for (Py_ssize_t j = 0, at = 0; j < s->ncat; j++) {
        PyObject *c = PyList_GET_ITEM(columns, j);
        first[j] = at;
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(c); i++, at++) {
            if (!PyArg_ParseTuple(PyList_GET_ITEM(c, i), "nn", &cols[at], &sub[at])) goto fail;
            if (cols[at] < s->ncat || cols[at] >= s->k) {
                PyErr_Format(PyExc_ValueError, "set_model: subtype column %zd outside [ncat, k)", cols[at]);
                goto fail;
            }
        }
        first[j + 1] = at;
    }
    for (Py_ssize_t r = 0; r < s->nrows; r++)
        if (!PyUnicode_Check(PyList_GET_ITEM(vocab, r))) {
            PyErr_SetString(PyExc_TypeError, "set_model: the vocabulary must hold str");
            goto fail;
        }
    PyMem_Free(s->bias), PyMem_Free(s->col_first), PyMem_Free(s->cols), PyMem_Free(s->col_subtype);
    Py_XSETREF(s->vocab, Py_NewRef(vocab));
    s->bias = b, s->col_first = first, s->cols = cols, s->col_subtype = sub;
    s->threshold = threshold, s->norm_floor = norm_floor;
    Py_RETURN_NONE;
fail:
    PyMem_Free(b), PyMem_Free(first), PyMem_Free(cols), PyMem_Free(sub);
    return NULL;
}

/* round(x, 4) as Python rounds it (correctly rounded): scoring.round4's shortcut (x * 10000 is within 1e-12 of
 * its exact value, so away from a half-way point its nearest integer k is exact, and k / 10000 is the float
 * nearest to k / 10^4), else through Python's own float.__round__ (0.4 us a call). */
static PyObject *round4(double x) {
    double y = x * 10000.0;
    if (y > -1e8 && y < 1e8) {
        double low = floor(y), frac = y - low;
        if (fabs(frac - 0.5) > 1e-7) {
            double k = frac > 0.5 ? low + 1.0 : low;
            return PyFloat_FromDouble(k != 0.0 ? k / 10000.0 : copysign(0.0, x));
        }
    }
    PyObject *f = PyFloat_FromDouble(x);
    if (!f) return NULL;
    PyObject *r = PyObject_CallMethod(f, "__round__", "i", 4);
    Py_DECREF(f);
    return r;
}

static PyObject *Scorer_predict(Scorer *s, PyObject *args) {
    PyObject *text;
    double floor;
    if (!PyArg_ParseTuple(args, "Ud:predict", &text, &floor)) return NULL;
    if (!s->bias) return PyErr_Format(PyExc_ValueError, "predict() needs set_model() first");
    if (check_foldable(s, text, "predict") < 0 || rows_folded(s, text) < 0) return NULL;
    const Py_ssize_t ncat = s->ncat, count = s->nfound;
    double *sums = s->sums;
    Py_ssize_t strongest[64];
    category_sums(s, sums, strongest);
    const double *bias = s->bias, t = s->threshold;
    const double scale = count ? sqrt((double)(count > s->norm_floor ? count : s->norm_floor)) : 1.0;
    int subtypes_summed = 0;
    PyObject *out = PyList_New(0);
    for (Py_ssize_t j = 0; out && j < ncat; j++) {
        double z = count ? sums[j] / scale + bias[j] : bias[j];
        double p = 1.0 / (1.0 + exp(-z));
        double raw = p < t ? 0.5 * p / t : 0.5 + 0.5 * (p - t) / (1 - t);  /* TextModel.calibrate */
        if (raw < floor - 1e-4) continue;  /* rounding moves it by 0.00005 at most: below the floor either way */
        PyObject *score = round4(raw);
        if (!score) { Py_CLEAR(out); break; }
        if (PyFloat_AS_DOUBLE(score) < floor) { Py_DECREF(score); continue; }
        if (!subtypes_summed) {  /* only the categories' columns so far */
            sum_subtypes(s, sums + ncat);
            subtypes_summed = 1;
        }
        Py_ssize_t best = -1;
        double best_z = 0.0;
        for (Py_ssize_t i = s->col_first[j]; i < s->col_first[j + 1]; i++) {  /* on a tie the later subtype */
            Py_ssize_t col = s->cols[i];
            double zc = count ? sums[col] / scale + bias[col] : bias[col];
            if (best < 0 || zc >= best_z) best = s->col_subtype[i], best_z = zc;
        }
        Py_ssize_t start = 0, end = 0;
        if (count) locate_in(s, text, PyList_GET_ITEM(s->vocab, strongest[j]), &start, &end);
        PyObject *item = Py_BuildValue("(nNnn)", best, score, start, end);
        if (!item || PyList_Append(out, item) < 0) Py_CLEAR(out);
        Py_XDECREF(item);
    }
    return out;
}

#endif
