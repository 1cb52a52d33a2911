/* The candidate stage as C: the postings sum of CandidateIndex.reach (reach) and stage 1
   of Screener._survivors (stage1, below).

   Optional and exact: hatch_build.py compiles it when a C compiler is present, and
   compliance/screening/kernel.py loads it unless COMPLIANCE_PURE_PYTHON=1 or the build
   is stale. The numpy form in index.py (_reach_numpy) is the reference; this function
   gives the same arrays bit for bit:

   - ids: the distinct name ids of the spans' postings, ascending (np.unique);
   - gain: per id, the span gains added in the order the postings appear, starting at
     0.0 (np.bincount with weights adds in input order);
   - mask: per id, the OR of the span bits (np.bitwise_or.at).

   reach(postings, key_postings, word_starts, word_lengths, word_gains, word_bits,
         key_starts, key_lengths, key_gain, key_bits, size, out_ids, out_gain, out_mask)
   -> number of ids written.

   postings and key_postings are C-contiguous int64 buffers of name ids in [0, size);
   the out_* buffers are writable int64 / float64 / int64 with room for every posting
   of the spans. The scratch arrays (one slot per name id) live for the process and are
   reset after each call; the GIL is held throughout. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static double *acc_gain = NULL;
static int64_t *acc_mask = NULL;
static unsigned char *seen = NULL;
static Py_ssize_t capacity = 0;

static int
grow(Py_ssize_t size)
{
    if (size <= capacity) {
        return 0;
    }
    double *g = (double *)PyMem_RawRealloc(acc_gain, (size_t)size * sizeof(double));
    if (g == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    acc_gain = g;
    int64_t *m = (int64_t *)PyMem_RawRealloc(acc_mask, (size_t)size * sizeof(int64_t));
    if (m == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    acc_mask = m;
    unsigned char *s = (unsigned char *)PyMem_RawRealloc(seen, (size_t)size);
    if (s == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memset(s + capacity, 0, (size_t)(size - capacity));
    seen = s;
    capacity = size;
    return 0;
}

/* Ascending sort of distinct ids, in place: quicksort (median of three) with insertion sort
   for short runs; inlined comparisons (qsort's callback cost three quarters of the kernel). */
static void
sort_ids(int64_t *a, Py_ssize_t n)
{
    while (n > 16) {
        int64_t x = a[0], y = a[n / 2], z = a[n - 1];
        int64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        Py_ssize_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) {
                i++;
            }
            while (a[j] > pivot) {
                j--;
            }
            if (i >= j) {
                break;
            }
            int64_t t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* a[0..j] <= pivot <= a[j+1..n-1]: recurse into the smaller part, loop on the other */
        Py_ssize_t left = j + 1;
        if (left < n - left) {
            sort_ids(a, left);
            a += left;
            n -= left;
        }
        else {
            sort_ids(a + left, n - left);
            n = left;
        }
    }
    for (Py_ssize_t i = 1; i < n; i++) {
        int64_t v = a[i];
        Py_ssize_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

/* Adds the postings of one group of spans; gains NULL means every span gets one_gain. */
static int
add_spans(const int64_t *postings, Py_ssize_t n_postings, PyObject *starts, PyObject *lengths,
          PyObject *gains, double one_gain, PyObject *bits, Py_ssize_t size, int64_t *ids,
          Py_ssize_t *n_ids, Py_ssize_t room)
{
    Py_ssize_t n = PyList_GET_SIZE(starts);
    if (PyList_GET_SIZE(lengths) != n || PyList_GET_SIZE(bits) != n ||
        (gains != NULL && PyList_GET_SIZE(gains) != n)) {
        PyErr_SetString(PyExc_ValueError, "reach: span lists differ in length");
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t start = PyLong_AsSsize_t(PyList_GET_ITEM(starts, i));
        Py_ssize_t length = PyLong_AsSsize_t(PyList_GET_ITEM(lengths, i));
        long long bit = PyLong_AsLongLong(PyList_GET_ITEM(bits, i));
        double gain = gains == NULL ? one_gain : PyFloat_AsDouble(PyList_GET_ITEM(gains, i));
        if (PyErr_Occurred()) {
            return -1;
        }
        if (start < 0 || length < 0 || start > n_postings - length) {
            PyErr_SetString(PyExc_IndexError, "reach: a span lies outside the postings");
            return -1;
        }
        const int64_t *p = postings + start;
        for (Py_ssize_t j = 0; j < length; j++) {
            int64_t name = p[j];
            if (name < 0 || name >= size) {
                PyErr_SetString(PyExc_IndexError, "reach: a name id is out of range");
                return -1;
            }
            if (!seen[name]) {
                if (*n_ids >= room) {
                    PyErr_SetString(PyExc_ValueError, "reach: output buffers too small");
                    return -1;
                }
                seen[name] = 1;
                acc_gain[name] = 0.0;
                acc_mask[name] = 0;
                ids[(*n_ids)++] = name;
            }
            acc_gain[name] += gain;
            acc_mask[name] |= (int64_t)bit;
        }
    }
    return 0;
}

static int
get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, int writable, const char *what)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0)) < 0) {
        return -1;
    }
    if (view->itemsize != itemsize || view->len % itemsize != 0) {
        PyErr_Format(PyExc_TypeError, "reach: %s must hold %zd-byte items", what, itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *
reach(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 14) {
        PyErr_SetString(PyExc_TypeError, "reach takes 14 arguments");
        return NULL;
    }
    for (int k = 2; k <= 9; k++) {
        if (k == 8) {
            continue;
        }
        if (!PyList_CheckExact(args[k])) {
            PyErr_SetString(PyExc_TypeError, "reach: spans must be lists");
            return NULL;
        }
    }
    double key_gain = PyFloat_AsDouble(args[8]);
    Py_ssize_t size = PyLong_AsSsize_t(args[10]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (size < 0 || grow(size) < 0) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_ValueError, "reach: negative size");
        }
        return NULL;
    }
    Py_buffer views[5];
    int got = 0;
    int64_t *ids = NULL;
    Py_ssize_t n_ids = 0;
    PyObject *result = NULL;
    const Py_ssize_t sizes[5] = {8, 8, 8, 8, 8};
    const int positions[5] = {0, 1, 11, 12, 13};
    const char *names[5] = {"postings", "key_postings", "out_ids", "out_gain", "out_mask"};
    for (; got < 5; got++) {
        if (get_buffer(args[positions[got]], &views[got], sizes[got], got >= 2, names[got]) < 0) {
            goto done;
        }
    }
    ids = (int64_t *)views[2].buf;
    Py_ssize_t room = views[2].len / 8;
    if (views[3].len / 8 < room || views[4].len / 8 < room) {
        PyErr_SetString(PyExc_ValueError, "reach: output buffers differ in length");
        goto done;
    }
    if (add_spans((const int64_t *)views[0].buf, views[0].len / 8, args[2], args[3], args[4], 0.0,
                  args[5], size, ids, &n_ids, room) < 0 ||
        add_spans((const int64_t *)views[1].buf, views[1].len / 8, args[6], args[7], NULL,
                  key_gain, args[9], size, ids, &n_ids, room) < 0) {
        goto done;
    }
    sort_ids(ids, n_ids);
    double *out_gain = (double *)views[3].buf;
    int64_t *out_mask = (int64_t *)views[4].buf;
    for (Py_ssize_t i = 0; i < n_ids; i++) {
        int64_t name = ids[i];
        out_gain[i] = acc_gain[name];
        out_mask[i] = acc_mask[name];
    }
    result = PyLong_FromSsize_t(n_ids);
done:
    /* reset the scratch for the next call, on success or error */
    for (Py_ssize_t i = 0; i < n_ids; i++) {
        seen[ids[i]] = 0;
    }
    for (int k = 0; k < got; k++) {
        PyBuffer_Release(&views[k]);
    }
    return result;
}

/* Stage 1 of Screener._survivors over reach's output, in the numpy form's arithmetic:

   (fewest, count) = fewest_of(mask) per distinct mask; fewest = 0.0 where initials[id] > 0;
   most   = k * (support[id] + substance[id]);
   few    = count - initials[id] <= most_added
            && (margin > 0 ? gain >= margin * substance[id] - eps : 1);
   cost   = b * fewest; if few: cost = min(cost, most);
   base   = a * support[id] - r * cost;
   if person_on: base = base + (person[id] ? c + d * min(q, substance[id]) : 0.0);
   test   = (gain - e * substance[id]) + base;
   kept where test >= -eps.

   stage1(ids, gain, mask, initials, support, substance, person, fewest_of,
          a, r, b, person_on, c, d, q, e, eps, k, most_added, margin)
   -> (ids, masks, tests, costs, mosts) of the kept names, as lists, in id order. */

#define MAX_MASKS 256

static PyObject *
stage1(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 20) {
        PyErr_SetString(PyExc_TypeError, "stage1 takes 20 arguments");
        return NULL;
    }
    /* a, r, b, (person_on), c, d, q, e, eps, k, (most_added), margin: args[8..19] */
    double k[12];
    for (int i = 0; i < 12; i++) {
        if (i == 3 || i == 10) {
            continue;
        }
        k[i] = PyFloat_AsDouble(args[8 + i]);
    }
    int person_on = PyObject_IsTrue(args[11]);
    long long most_added = PyLong_AsLongLong(args[18]);
    if (PyErr_Occurred() || person_on < 0) {
        return NULL;
    }
    double a = k[0], r = k[1], b = k[2], c = k[4], d = k[5], q = k[6], e = k[7], eps = k[8];
    double kc = k[9], margin = k[11];
    PyObject *fewest_of = args[7];
    Py_buffer views[7];
    int got = 0;
    PyObject *out[5] = {NULL, NULL, NULL, NULL, NULL};
    PyObject *result = NULL;
    int64_t masks_seen[MAX_MASKS];
    double fewest_seen[MAX_MASKS];
    long long count_seen[MAX_MASKS];
    int n_masks = 0;
    const Py_ssize_t itemsizes[7] = {8, 8, 8, 8, 8, 8, 1};
    const char *names[7] = {"ids", "gain", "mask", "initials", "support", "substance", "person"};
    for (; got < 7; got++) {
        if (get_buffer(args[got], &views[got], itemsizes[got], 0, names[got]) < 0) {
            goto done;
        }
    }
    Py_ssize_t n = views[0].len / 8;
    if (views[1].len / 8 != n || views[2].len / 8 != n) {
        PyErr_SetString(PyExc_ValueError, "stage1: ids, gain and mask differ in length");
        goto done;
    }
    Py_ssize_t size = views[3].len / 8;
    if (views[4].len / 8 != size || views[5].len / 8 != size || views[6].len != size) {
        PyErr_SetString(PyExc_ValueError, "stage1: the per-name arrays differ in length");
        goto done;
    }
    const int64_t *ids = (const int64_t *)views[0].buf;
    const double *gain = (const double *)views[1].buf;
    const int64_t *mask = (const int64_t *)views[2].buf;
    const int64_t *initials = (const int64_t *)views[3].buf;
    const double *support = (const double *)views[4].buf;
    const double *substance = (const double *)views[5].buf;
    const unsigned char *person = (const unsigned char *)views[6].buf;
    for (int i = 0; i < 5; i++) {
        out[i] = PyList_New(0);
        if (out[i] == NULL) {
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t id = ids[i];
        if (id < 0 || id >= size) {
            PyErr_SetString(PyExc_IndexError, "stage1: a name id is out of range");
            goto done;
        }
        double fewest = 0.0;
        long long count = 0;
        int found = -1;
        for (int m = 0; m < n_masks; m++) {
            if (masks_seen[m] == mask[i]) {
                found = m;
                break;
            }
        }
        if (found < 0) {
            PyObject *key = PyLong_FromLongLong(mask[i]);
            if (key == NULL) {
                goto done;
            }
            PyObject *value = PyObject_CallOneArg(fewest_of, key);
            Py_DECREF(key);
            if (value == NULL) {
                goto done;
            }
            if (!PyTuple_Check(value) || PyTuple_GET_SIZE(value) != 2) {
                Py_DECREF(value);
                PyErr_SetString(PyExc_TypeError, "stage1: fewest_of must return (weight, count)");
                goto done;
            }
            fewest = PyFloat_AsDouble(PyTuple_GET_ITEM(value, 0));
            count = PyLong_AsLongLong(PyTuple_GET_ITEM(value, 1));
            Py_DECREF(value);
            if (PyErr_Occurred()) {
                goto done;
            }
            if (n_masks < MAX_MASKS) {
                masks_seen[n_masks] = mask[i];
                count_seen[n_masks] = count;
                fewest_seen[n_masks++] = fewest;
            }
        }
        else {
            fewest = fewest_seen[found];
            count = count_seen[found];
        }
        if (initials[id] > 0) {
            fewest = 0.0;
        }
        double most = kc * (support[id] + substance[id]);
        int few = count - (long long)initials[id] <= most_added;
        if (margin > 0.0) {
            few = few && gain[i] >= margin * substance[id] - eps;
        }
        double cost = b * fewest;
        if (few) {
            cost = cost <= most ? cost : most;
        }
        double base = a * support[id] - r * cost;
        if (person_on) {
            double least = q < substance[id] ? q : substance[id];
            base = base + (person[id] ? c + d * least : 0.0);
        }
        double test = (gain[i] - e * substance[id]) + base;
        if (!(test >= -eps)) {
            continue;
        }
        PyObject *items[5] = {PyLong_FromLongLong(id), PyLong_FromLongLong(mask[i]),
                              PyFloat_FromDouble(test), PyFloat_FromDouble(cost),
                              PyFloat_FromDouble(most)};
        int failed = 0;
        for (int j = 0; j < 5; j++) {
            if (items[j] == NULL || PyList_Append(out[j], items[j]) < 0) {
                failed = 1;
            }
            Py_XDECREF(items[j]);
        }
        if (failed) {
            goto done;
        }
    }
    result = PyTuple_Pack(5, out[0], out[1], out[2], out[3], out[4]);
done:
    for (int i = 0; i < 5; i++) {
        Py_XDECREF(out[i]);
    }
    for (int j = 0; j < got; j++) {
        PyBuffer_Release(&views[j]);
    }
    return result;
}

static PyMethodDef methods[] = {
    {"stage1", (PyCFunction)(void (*)(void))stage1, METH_FASTCALL,
     "Stage 1 of the pruning test over reach's output: the names that pass."},
    {"reach", (PyCFunction)(void (*)(void))reach, METH_FASTCALL,
     "The candidate stage's postings sum: distinct name ids, gains and masks."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_reach", "Candidate-stage kernel (see _reach.c).", -1, methods,
};

PyMODINIT_FUNC
PyInit__reach(void)
{
    return PyModule_Create(&module);
}
