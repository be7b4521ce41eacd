"""Numpy-only scoring of a fitted classifier: the same probabilities as scikit-learn, faster.

A fitted :class:`~fazhi_nlp.classifier.Classifier` holds a scikit-learn ``Pipeline`` of a
``ColumnTransformer`` of ``TfidfVectorizer`` blocks and a ``LogisticRegression``.
:func:`arrays_from_pipeline` copies what scoring needs into :class:`FittedArrays` (numpy
arrays and a little metadata; it imports scikit-learn, lazily, to check types), and
:func:`arrays_to_npz` / :func:`arrays_from_npz` turn them into npz bytes and back (no pickle).
:class:`FastScorer` then reproduces ``ColumnTransformer.transform`` and
``Pipeline.predict_proba`` / ``predict`` with numpy alone, on the prepared columns of
:func:`fazhi_nlp.features.prepare_columns`:

* character n-grams: a batch of texts becomes one array of code points; the id of an n-gram
  is found from the id of its (n-1)-prefix and its last symbol in a hash table of the
  prefixes of vocabulary terms, so no Python code runs per n-gram and n-grams never cross
  texts;
* word n-grams: ``str.split`` (exactly ``(?u)\\S+``) and one C-level ``map(dict.get, ...)``,
  then the same scheme;
* counts per (row, column) by sorting; then the steps of ``TfidfTransformer.transform`` in
  the same order (``log`` then ``+ 1``, ``* idf``, row normalisation), block weights, and
  the product with the coefficients (the TF-IDF values are bit-for-bit scikit-learn's; the
  scores differ only by summation order, below 1e-14);
* probabilities as scikit-learn 1.9 computes them: softmax of the decision function for
  more than two classes, ``expit`` for two.

Options the classifier never uses but that are cheap to reproduce exactly are supported
(lowercase, binary, use_idf, norm 'l1'/None, scikit-learn's default token pattern);
anything else (a calibrated SVM, SGD, callables, stop words) is refused by
:func:`arrays_from_pipeline` with :class:`UnsupportedPipelineError` naming it, and the
Classifier then scores with scikit-learn.

Examples
--------
>>> from fazhi_nlp.classifier import Classifier
>>> from fazhi_nlp.features import prepare_columns
>>> clf = Classifier().fit(["组织集体学法", "开展普法宣传", "办理行政复议案件"],
...                        ["study_training", "publicity", "disputes"])
>>> scorer = FastScorer(arrays_from_pipeline(clf.pipeline_))
>>> columns = prepare_columns(["开展普法宣传活动"], words=False, heading=False)
>>> scorer.predict(columns).tolist()
['publicity']
>>> bool(abs(scorer.predict_proba(columns) - clf.pipeline_.predict_proba(columns)).max() < 1e-12)
True
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Any, Optional, Sequence, Union

import numpy as np

from .errors import InputError, ModelError

__all__ = ["BlockArrays", "FastScorer", "FittedArrays", "UnsupportedPipelineError",
           "arrays_from_npz", "arrays_from_pipeline", "arrays_to_npz", "top_two"]

FORMAT = "fazhi_nlp-arrays/1"
SPLIT_PATTERN = r"(?u)\S+"  # == str.split(): both use Python's Unicode whitespace
DEFAULT_PATTERN = r"(?u)\b\w\w+\b"  # scikit-learn's default token_pattern
_WHITE_SPACES = re.compile(r"\s\s+")  # CountVectorizer._white_spaces
_ANALYZERS = ("char", "word")
_NORMS = ("l1", "l2", None)


class UnsupportedPipelineError(ValueError):
    """The pipeline uses a part or an option that FastScorer cannot reproduce exactly."""


# --------------------------------------------------------------------------- the arrays


@dataclass
class BlockArrays:
    """One TfidfVectorizer of the ColumnTransformer, in output-column order.

    ``terms_utf8`` holds the vocabulary terms, sorted, concatenated and UTF-8 encoded
    (surrogatepass); ``term_offsets`` (length V+1) are code-point offsets into the decoded
    string; ``term_columns[i]`` is the column (within the block) of term ``i``; ``idf`` is
    ``idf_`` indexed by column, or None when ``use_idf`` is False. ``weight`` is the block's
    ``transformer_weights`` entry (None: not weighted).
    """

    name: str
    column: Union[int, str]
    analyzer: str
    token_pattern: Optional[str]
    ngram_range: tuple
    lowercase: bool
    binary: bool
    sublinear_tf: bool
    norm: Optional[str]
    encoding: str
    decode_error: str
    weight: Optional[float]
    terms_utf8: np.ndarray
    term_offsets: np.ndarray
    term_columns: np.ndarray
    idf: Optional[np.ndarray]

    @property
    def n_terms(self) -> int:
        return len(self.term_columns)

    def terms(self) -> list:
        """The vocabulary terms in stored (sorted) order."""
        text = self.terms_utf8.tobytes().decode("utf-8", "surrogatepass")
        off = self.term_offsets.tolist()
        return [text[a:b] for a, b in zip(off[:-1], off[1:])]

    def meta(self) -> dict:
        return {"name": self.name, "column": self.column, "analyzer": self.analyzer,
                "token_pattern": self.token_pattern, "ngram_range": list(self.ngram_range),
                "lowercase": self.lowercase, "binary": self.binary,
                "sublinear_tf": self.sublinear_tf, "norm": self.norm, "encoding": self.encoding,
                "decode_error": self.decode_error, "weight": self.weight,
                "use_idf": self.idf is not None, "n_terms": self.n_terms}


@dataclass
class FittedArrays:
    """Everything FastScorer needs: the blocks in column order and the linear model.

    ``coef`` is ``coef_`` (n_classes x n_features, or 1 x n_features for two classes),
    ``intercept`` is ``intercept_``, ``classes`` is ``classes_`` (object array for string
    labels). ``n_columns_in`` is the ColumnTransformer's ``n_features_in_`` (None if unknown).
    """

    blocks: list
    coef: np.ndarray
    intercept: np.ndarray
    classes: np.ndarray
    n_columns_in: Optional[int] = None
    info: dict = field(default_factory=dict)

    @property
    def n_features(self) -> int:
        return sum(b.n_terms for b in self.blocks)


def _encode_terms(terms: Sequence[str]) -> tuple:
    lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    offsets = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = "".join(terms).encode("utf-8", "surrogatepass")
    return np.frombuffer(data, dtype=np.uint8).copy(), offsets


def _is_scalar_column(col: Any) -> bool:
    return (isinstance(col, (int, np.integer)) and not isinstance(col, (bool, np.bool_))) \
        or isinstance(col, str)


def arrays_from_pipeline(pipeline: Any) -> FittedArrays:
    """Extract :class:`FittedArrays` from a fitted ``Pipeline([ColumnTransformer, LogisticRegression])``
    (or an object with such a ``pipeline_``, like fazhi_nlp's Classifier).

    Raises :class:`UnsupportedPipelineError` naming the first part or option that cannot be
    reproduced exactly.
    """
    import sklearn
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    if not isinstance(pipeline, Pipeline) and isinstance(getattr(pipeline, "pipeline_", None),
                                                         Pipeline):
        pipeline = pipeline.pipeline_
    if not isinstance(pipeline, Pipeline):
        raise UnsupportedPipelineError(f"expected a fitted sklearn Pipeline, got "
                                       f"{type(pipeline).__name__}")
    steps = [est for _, est in pipeline.steps if est not in (None, "passthrough")]
    if len(steps) != 2 or type(steps[0]) is not ColumnTransformer \
            or type(steps[1]) is not LogisticRegression:
        raise UnsupportedPipelineError(
            "expected Pipeline([ColumnTransformer, LogisticRegression]), got "
            f"{[type(s).__name__ for s in steps]}")
    ct, lr = steps
    if not hasattr(ct, "transformers_") or not hasattr(lr, "coef_"):
        raise UnsupportedPipelineError("the pipeline is not fitted")
    weights = ct.transformer_weights or {}
    blocks = []
    for name, trans, columns in ct.transformers_:
        if isinstance(trans, str) and trans == "drop":
            continue
        empty = (columns is None or (hasattr(columns, "__len__") and not isinstance(columns, str)
                                     and len(columns) == 0))
        if empty:
            continue
        if isinstance(trans, str):  # 'passthrough' remainder or block
            raise UnsupportedPipelineError(f"ColumnTransformer block {name!r} is {trans!r}; "
                                           "only TfidfVectorizer blocks are supported")
        if type(trans) is not TfidfVectorizer:
            raise UnsupportedPipelineError(f"ColumnTransformer block {name!r} is a "
                                           f"{type(trans).__name__}, not a TfidfVectorizer")
        if not _is_scalar_column(columns):
            raise UnsupportedPipelineError(f"block {name!r} selects columns {columns!r}; only "
                                           "a single int or str column is supported")
        blocks.append(_block_from_vectorizer(name, trans, columns, weights.get(name)))
    if not blocks:
        raise UnsupportedPipelineError("the ColumnTransformer has no TfidfVectorizer block")
    offset = 0
    for b in blocks:  # the output columns must be the blocks side by side, in order
        sl = ct.output_indices_.get(b.name)
        if sl is None or sl.start != offset or sl.stop != offset + b.n_terms:
            raise UnsupportedPipelineError(f"unexpected output columns for block {b.name!r}: "
                                           f"{sl}")
        offset += b.n_terms
    coef = np.ascontiguousarray(lr.coef_, dtype=np.float64)
    intercept = np.ascontiguousarray(np.atleast_1d(lr.intercept_), dtype=np.float64)
    classes = np.asarray(lr.classes_)
    if coef.dtype != lr.coef_.dtype:
        raise UnsupportedPipelineError(f"coef_ has dtype {lr.coef_.dtype}; float64 expected")
    if coef.ndim != 2 or coef.shape[1] != offset:
        raise UnsupportedPipelineError(f"coef_ has shape {coef.shape}; expected (k, {offset})")
    expected_rows = 1 if len(classes) <= 2 else len(classes)
    if coef.shape[0] != expected_rows or intercept.shape != (expected_rows,):
        raise UnsupportedPipelineError(f"coef_ {coef.shape} / intercept_ {intercept.shape} do "
                                       f"not fit {len(classes)} classes")
    n_in = getattr(ct, "n_features_in_", None)
    return FittedArrays(blocks=blocks, coef=coef, intercept=intercept, classes=classes,
                        n_columns_in=None if n_in is None else int(n_in),
                        info={"sklearn_version": sklearn.__version__,
                              "numpy_version": np.__version__})


def _block_from_vectorizer(name: str, vec: Any, column: Any, weight: Any) -> BlockArrays:
    def refuse(what: str) -> None:
        raise UnsupportedPipelineError(f"block {name!r}: {what} is not supported")

    if vec.input != "content":
        refuse(f"input={vec.input!r}")
    if not isinstance(vec.analyzer, str) or vec.analyzer not in _ANALYZERS:
        refuse(f"analyzer={vec.analyzer!r}")
    for attr in ("preprocessor", "tokenizer", "stop_words", "strip_accents"):
        if getattr(vec, attr) is not None:
            refuse(f"{attr}={getattr(vec, attr)!r}")
    if vec.analyzer == "word" and vec.token_pattern not in (SPLIT_PATTERN, DEFAULT_PATTERN):
        refuse(f"token_pattern={vec.token_pattern!r} (supported: {SPLIT_PATTERN!r}, "
               f"{DEFAULT_PATTERN!r})")
    if np.dtype(vec.dtype) != np.float64:
        refuse(f"dtype={vec.dtype!r}")
    if vec.norm not in _NORMS:
        refuse(f"norm={vec.norm!r}")
    lo, hi = (int(v) for v in vec.ngram_range)
    if not 1 <= lo <= hi:
        refuse(f"ngram_range={vec.ngram_range!r}")
    if weight is not None and not isinstance(weight, (int, float, np.integer, np.floating)):
        refuse(f"transformer weight {weight!r}")
    vocab = vec.vocabulary_
    terms = sorted(vocab)
    columns = np.fromiter((vocab[t] for t in terms), dtype=np.int64, count=len(terms))
    idf = None
    if vec.use_idf:
        idf = np.array(vec.idf_, dtype=np.float64, copy=True)
        if idf.dtype != np.asarray(vec.idf_).dtype:
            refuse(f"idf_ of dtype {np.asarray(vec.idf_).dtype}")
    utf8, offsets = _encode_terms(terms)
    col = column if isinstance(column, str) else int(column)
    return BlockArrays(
        name=str(name), column=col, analyzer=vec.analyzer,
        token_pattern=vec.token_pattern if vec.analyzer == "word" else None,
        ngram_range=(lo, hi), lowercase=bool(vec.lowercase), binary=bool(vec.binary),
        sublinear_tf=bool(vec.sublinear_tf), norm=vec.norm, encoding=str(vec.encoding),
        decode_error=str(vec.decode_error), weight=None if weight is None else float(weight),
        terms_utf8=utf8, term_offsets=offsets, term_columns=columns, idf=idf)


# --------------------------------------------------------------------------- to and from bytes


def arrays_to_npz(arrays: FittedArrays) -> tuple[bytes, dict]:
    """The npz bytes of ``arrays`` (numbers and UTF-8 bytes only, so they load with
    ``allow_pickle=False``) and the metadata that goes with them (options, string labels).

    The caller stores the metadata and the npz's sha256 (:mod:`fazhi_nlp.persist` puts both in
    the model card).
    """
    payload = {"coef": arrays.coef, "intercept": arrays.intercept}
    classes = np.asarray(arrays.classes)
    if all(isinstance(c, str) for c in classes.tolist()):
        classes_meta = {"kind": "str", "values": [str(c) for c in classes.tolist()]}
    elif classes.dtype.kind in "biuf":
        classes_meta = {"kind": "array"}
        payload["classes"] = classes
    else:
        raise UnsupportedPipelineError(f"classes of dtype {classes.dtype} cannot be saved "
                                       "without pickle")
    blocks_meta = []
    for i, b in enumerate(arrays.blocks):
        payload[f"b{i}_terms_utf8"] = b.terms_utf8
        payload[f"b{i}_term_offsets"] = b.term_offsets
        payload[f"b{i}_term_columns"] = b.term_columns
        if b.idf is not None:
            payload[f"b{i}_idf"] = b.idf
        blocks_meta.append(b.meta())
    for key, value in payload.items():
        if np.asarray(value).dtype.hasobject:
            raise UnsupportedPipelineError(f"array {key!r} holds Python objects")
    out = io.BytesIO()
    np.savez(out, **payload)
    meta = {"format": FORMAT, "blocks": blocks_meta, "classes": classes_meta,
            "n_columns_in": arrays.n_columns_in, "n_features": arrays.n_features,
            "info": arrays.info}
    return out.getvalue(), meta


def arrays_from_npz(data: bytes, meta: Any, where: str) -> FittedArrays:
    """The :class:`FittedArrays` of npz bytes and their metadata, as :func:`arrays_to_npz`
    wrote them. The npz is read with ``allow_pickle=False``; shapes, dtypes, offsets and the
    column ids are checked. Raises :class:`~fazhi_nlp.errors.ModelError` naming ``where``.
    """
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelError(f"{where}: the arrays' metadata is not {FORMAT!r}; save the model again")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            loaded = {k: npz[k] for k in npz.files}
    except Exception as err:  # any parse failure (bad zip, pickled member) is a refusal
        raise ModelError(f"{where} cannot be read as numeric arrays "
                         f"({type(err).__name__}: {err})") from None
    try:
        return _arrays_from_saved(meta, loaded)
    except ModelError as err:
        raise ModelError(f"{where}: {err}") from None
    except (KeyError, TypeError, ValueError, IndexError, UnicodeDecodeError) as err:
        raise ModelError(f"{where}: the arrays do not match their metadata "
                         f"({type(err).__name__}: {err}); save the model again") from None


def _arrays_from_saved(meta: dict, data: dict) -> FittedArrays:
    def need(cond: bool, what: str) -> None:
        if not cond:
            raise ModelError(f"inconsistent saved arrays: {what}")

    blocks = []
    for i, bm in enumerate(meta["blocks"]):
        utf8 = data[f"b{i}_terms_utf8"]
        offsets = data[f"b{i}_term_offsets"]
        columns = data[f"b{i}_term_columns"]
        idf = data.get(f"b{i}_idf") if bm["use_idf"] else None
        n = int(bm["n_terms"])
        need(utf8.dtype == np.uint8 and utf8.ndim == 1, f"block {i} terms")
        need(offsets.dtype == np.int64 and offsets.shape == (n + 1,), f"block {i} offsets")
        need(columns.dtype == np.int64 and columns.shape == (n,), f"block {i} columns")
        need(bool(np.array_equal(np.sort(columns), np.arange(n))), f"block {i} column ids")
        need(offsets[0] == 0 and bool(np.all(np.diff(offsets) >= 0)), f"block {i} offsets")
        need(bm["analyzer"] in _ANALYZERS and bm["norm"] in _NORMS, f"block {i} options")
        if bm["use_idf"]:
            need(idf is not None and idf.dtype == np.float64 and idf.shape == (n,),
                 f"block {i} idf")
        lo, hi = bm["ngram_range"]
        blocks.append(BlockArrays(
            name=bm["name"], column=bm["column"], analyzer=bm["analyzer"],
            token_pattern=bm["token_pattern"], ngram_range=(int(lo), int(hi)),
            lowercase=bool(bm["lowercase"]), binary=bool(bm["binary"]),
            sublinear_tf=bool(bm["sublinear_tf"]), norm=bm["norm"], encoding=bm["encoding"],
            decode_error=bm["decode_error"], weight=bm["weight"], terms_utf8=utf8,
            term_offsets=offsets, term_columns=columns, idf=idf))
        text = utf8.tobytes().decode("utf-8", "surrogatepass")
        need(len(text) == int(offsets[-1]), f"block {i} terms length")
    cm = meta["classes"]
    if cm["kind"] == "str":
        classes = np.empty(len(cm["values"]), dtype=object)
        classes[:] = cm["values"]
    else:
        classes = data["classes"]
    arrays = FittedArrays(blocks=blocks, coef=data["coef"], intercept=data["intercept"],
                          classes=classes, n_columns_in=meta.get("n_columns_in"),
                          info=meta.get("info") or {})
    k = 1 if len(classes) <= 2 else len(classes)
    need(arrays.coef.dtype == np.float64 and arrays.coef.shape == (k, arrays.n_features),
         "coef shape")
    need(arrays.intercept.dtype == np.float64 and arrays.intercept.shape == (k,),
         "intercept shape")
    need(arrays.n_features == meta["n_features"], "n_features")
    return arrays


# --------------------------------------------------------------------------- scoring


_GOLDEN = np.int64(-7046029254386353131)  # 0x9E3779B97F4A7C15 as int64 (products wrap)


class _HashTable:
    """A static open-addressing (linear probing) hash table from int64 keys >= 0 to their
    rank in the sorted key array, built and probed with whole-array numpy operations.

    ``invalid`` is a (negative) key whose home slot is empty: probing it costs one round.
    """

    def __init__(self, keys: np.ndarray):
        n = len(keys)
        bits = max(3, int(np.ceil(np.log2(max(4 * n, 1)))))  # load factor <= 1/4
        self.shift = np.int64(64 - bits)
        self.mask = np.int64((1 << bits) - 1)
        self.slots = np.full(1 << bits, -1, dtype=np.int64)  # the key in each slot, -1 empty
        self.values = np.full(1 << bits, -1, dtype=np.int64)  # its rank, -1 for empty
        pending = np.arange(n, dtype=np.int64)
        pos = self._hash(keys)
        while len(pending):
            free = self.slots[pos] == -1
            slot, first = np.unique(pos[free], return_index=True)
            winners = pending[free][first]  # one key per free slot; the others move on
            self.slots[slot] = keys[winners]
            self.values[slot] = winners
            lost = np.ones(len(pending), dtype=bool)
            lost[np.flatnonzero(free)[first]] = False
            pending, pos = pending[lost], (pos[lost] + 1) & self.mask
        self.invalid = np.int64(-1)
        while self.slots[self._hash(np.array([self.invalid]))[0]] != -1:
            self.invalid -= 1

    def _hash(self, keys: np.ndarray) -> np.ndarray:
        h = keys * _GOLDEN
        h >>= self.shift
        h &= self.mask
        return h

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Rank of each key, -1 when absent (keys must be >= 0 or ``invalid``)."""
        pos = self._hash(keys)
        found = self.slots.take(pos)
        out = self.values.take(pos)
        miss = found != keys
        out[miss] = -1
        miss &= found != -1  # collided: probe the next slots
        todo = np.flatnonzero(miss)
        while len(todo):
            pos = (pos[todo] + 1) & self.mask if len(todo) < len(pos) else (pos + 1) & self.mask
            q = keys[todo]
            found = self.slots.take(pos)
            hit = found == q
            out[todo[hit]] = self.values.take(pos[hit])
            more = ~hit & (found != -1)
            todo, pos = todo[more], pos[more]
        return out


class _Levels:
    """N-gram lookup of one block, built from its vocabulary.

    Symbols are code points (char) or tokens (word), first mapped to dense ids
    ``0..A-1`` (A = symbols occurring in some term). The id of a k-gram is its rank among the
    distinct k-prefixes of vocabulary terms; it is found from the id ``p`` of its
    (k-1)-prefix and its last symbol ``s`` by looking up the key ``p * A + s`` in a hash table
    of the keys of level k. ``colmap[k-1][id]`` is the block column of the k-gram, or -1 when
    it is only a prefix of longer terms (each colmap ends with an extra -1, the column of
    id -1: "no n-gram").
    """

    def __init__(self, sym: np.ndarray, lengths: np.ndarray, columns: np.ndarray,
                 n_symbols: int, ngram_range: tuple):
        lo, hi = ngram_range
        if len(lengths) and (lengths.min() < lo or lengths.max() > hi):
            raise ModelError(f"a vocabulary term has a length outside {ngram_range}")
        self.A = np.int64(max(n_symbols, 1))
        self.lo, self.hi = lo, hi
        self.n_terms = len(columns)
        if self.n_terms >= 1 << 31:
            raise ModelError("a block has 2**31 terms or more")
        starts = np.zeros(len(lengths), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        self.tables: list = [None]
        self.colmap: list = []
        ids = None
        for k in range(1, hi + 1):
            sel = lengths >= k
            last = sym[starts[sel] + (k - 1)]
            if k == 1:
                level_ids, size = last, int(n_symbols)
            else:
                pair = ids[sel] * self.A + last
                keys, level_ids = np.unique(pair, return_inverse=True)
                level_ids = level_ids.reshape(-1)
                self.tables.append(_HashTable(keys))
                size = len(keys)
            colmap = np.full(size + 1, -1, dtype=np.int64)
            exact = lengths[sel] == k
            colmap[level_ids[exact]] = columns[sel][exact]
            self.colmap.append(colmap)
            ids = np.full(len(lengths), -1, dtype=np.int64)
            ids[sel] = level_ids

    def count(self, sym: np.ndarray, lengths: np.ndarray) -> tuple:
        """Rows, block columns and counts (sorted by row, then column) of the vocabulary
        n-grams of the texts whose symbol ids are ``sym``: text ``i`` holds ``lengths[i]``
        symbols followed by one separator, -1 like every unknown symbol, so that no n-gram
        spans two texts."""
        n_rows = len(lengths)
        # each hit is packed as row << bits | column, in uint32 when that fits (faster sort)
        bits = max(1, (self.n_terms - 1).bit_length())
        dtype = np.uint32 if (n_rows << bits) <= 1 << 32 else np.int64
        row_of = np.repeat(np.arange(n_rows, dtype=dtype) << dtype(bits), lengths + 1)
        found = []
        g = sym
        for k in range(1, self.hi + 1):
            if k > 1:  # ids of the k-grams starting at 0 .. len(g) - 2
                table = self.tables[k - 1]
                prev, last = g[:-1], sym[k - 1:]
                key = prev * self.A
                key += last
                bad = prev < 0
                bad |= last < 0
                key[bad] = table.invalid
                g = table.lookup(key)
            if k >= self.lo:
                col = self.colmap[k - 1].take(g)
                at = np.flatnonzero(col >= 0)
                packed = row_of.take(at)
                packed |= col.take(at).astype(dtype)
                found.append(packed)
        combined = np.concatenate(found) if len(found) > 1 else found[0]
        if len(combined) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        combined.sort()
        first = np.empty(len(combined), dtype=bool)
        first[0] = True
        np.not_equal(combined[1:], combined[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        counts = np.empty(len(starts), dtype=np.int64)
        np.subtract(starts[1:], starts[:-1], out=counts[:-1])
        counts[-1] = len(combined) - starts[-1]
        uniq = combined.take(starts)
        rows = (uniq >> dtype(bits)).astype(np.int64)
        cols = (uniq & dtype((1 << bits) - 1)).astype(np.int64)
        return rows, cols, counts


class _BlockScorer:
    def __init__(self, block: BlockArrays):
        self.block = block
        terms = block.terms()
        self.n_terms = len(terms)
        columns = block.term_columns
        if block.analyzer == "char":
            text = "".join(terms)
            codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            codes = codes.astype(np.int64)
            lengths = np.diff(block.term_offsets)
            alphabet = np.unique(codes)
            size = int(alphabet[-1]) + 2 if len(alphabet) else 1
            self.table = np.full(size, -1, dtype=np.int64)  # code point -> symbol id
            self.table[alphabet] = np.arange(len(alphabet))
            sym = np.searchsorted(alphabet, codes)
            n_symbols = len(alphabet)
            self.tokens = None
        else:
            split = [t.split(" ") for t in terms]
            lengths = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
            flat = list(chain.from_iterable(split))
            alphabet = sorted(set(flat))
            self.tokens = dict(zip(alphabet, range(len(alphabet))))
            sym = np.fromiter(map(self.tokens.__getitem__, flat), dtype=np.int64,
                              count=len(flat))
            n_symbols = len(alphabet)
            self.pattern = None if block.token_pattern == SPLIT_PATTERN \
                else re.compile(block.token_pattern)
            self.sep = "\x00\uffff\x00"
            while self.sep in self.tokens:
                self.sep += "\x00"
            self.sep_tokens = dict(self.tokens)
            self.sep_tokens[self.sep] = -2
        self.levels = _Levels(sym, lengths, columns, n_symbols, block.ngram_range)

    def _texts(self, texts: list) -> list:
        b = self.block
        if set(map(type, texts)) - {str}:
            texts = [self._decode(t, i) for i, t in enumerate(texts)]
        if b.lowercase:
            texts = [t.lower() for t in texts]
        return texts

    def _decode(self, doc: Any, i: int) -> str:
        if isinstance(doc, bytes):
            return doc.decode(self.block.encoding, self.block.decode_error)
        if isinstance(doc, str):
            return str(doc)
        if isinstance(doc, float) and doc != doc:
            raise ValueError(f"row {i} of column {self.block.column!r} is NaN: np.nan is an "
                             "invalid document, expected byte or unicode string")
        raise TypeError(f"row {i} of column {self.block.column!r} is a {type(doc).__name__} "
                        f"({doc!r:.60}), not a str")

    def symbols(self, texts: list) -> tuple:
        texts = self._texts(texts)
        if self.block.analyzer == "char":
            # one separator after each text: any character (its symbol is set to -1 below)
            # that is not whitespace, so a whitespace run found lies inside one text
            joined = "\x00".join(texts) + "\x00"
            if _WHITE_SPACES.search(joined) is not None:
                texts = [_WHITE_SPACES.sub(" ", t) for t in texts]
                joined = "\x00".join(texts) + "\x00"
            lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
            codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            table = self.table
            sym = table[np.minimum(codes, len(table) - 1)]
            if not texts:
                sym = sym[:0]
            sym[np.cumsum(lengths + 1) - 1] = -1
        elif self.pattern is None and texts:
            # all texts at once: joined with a separator token (id -2) that no vocabulary
            # term holds; spaces around it keep tokens from merging across texts
            tokens = f" {self.sep} ".join(texts).split()
            tokens.append(self.sep)
            sym = np.fromiter(map(self.sep_tokens.get, tokens, repeat(-1)), dtype=np.int64,
                              count=len(tokens))
            ends = np.flatnonzero(sym == -2)
            if len(ends) == len(texts):  # else some text holds the separator as a token
                sym[ends] = -1
                lengths = np.diff(ends, prepend=-1) - 1
                return sym, lengths
        if self.block.analyzer == "word":
            split = str.split if self.pattern is None else self.pattern.findall
            tokens = list(map(split, texts))
            lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
            # one separator (None: not a token, so id -1) after each text's tokens
            flat = list(chain.from_iterable(map(list.__add__, tokens, repeat([None]))))
            sym = np.fromiter(map(self.tokens.get, flat, repeat(-1)), dtype=np.int64,
                              count=len(flat))
        return sym, lengths

    def transform(self, texts: list) -> tuple:
        """Rows, block columns and TF-IDF values (CSR order) of ``texts``."""
        b = self.block
        sym, lengths = self.symbols(texts)
        rows, cols, counts = self.levels.count(sym, lengths)
        data = counts.astype(np.float64)
        if b.binary:
            data[:] = 1.0
        if b.sublinear_tf:
            np.log(data, data)
            data += 1.0
        if b.idf is not None:
            data *= b.idf.take(cols)
        if b.norm is not None:
            n = len(texts)
            if b.norm == "l2":
                sums = np.bincount(rows, weights=data * data, minlength=n).astype(np.float64)
                np.sqrt(sums, sums)
            else:
                sums = np.bincount(rows, weights=np.abs(data), minlength=n).astype(np.float64)
            div = sums.take(rows)
            nz = div != 0.0
            if nz.all():
                data /= div
            else:
                data[nz] /= div[nz]
        if b.weight is not None:
            data = data * b.weight
        return rows, cols, data


class FastScorer:
    """Scores prepared columns like the fitted pipeline, with numpy only.

    ``prepared_columns`` is what the pipeline's ColumnTransformer reads: a 2-D array (or
    list of rows) whose columns are selected by int, or a mapping / DataFrame-like object
    whose columns are selected by name.
    """

    def __init__(self, arrays: FittedArrays, chunk_rows: int = 4096,
                 score_entries: int = 1 << 15):
        self.arrays = arrays
        self.blocks = [_BlockScorer(b) for b in arrays.blocks]
        self.offsets = np.cumsum([0] + [s.n_terms for s in self.blocks])
        self.n_features = int(self.offsets[-1])
        self.coef = np.ascontiguousarray(arrays.coef, dtype=np.float64)
        self.coef_t = np.ascontiguousarray(self.coef.T)  # a column's coefficients side by side (gathers 2x faster)
        self.intercept = np.asarray(arrays.intercept, dtype=np.float64)
        self.classes = arrays.classes
        self.chunk_rows = int(chunk_rows)
        self.score_entries = int(score_entries)

    # -- input
    def columns(self, prepared: Any) -> dict:
        """``{column: list of its values}`` for the columns the blocks read."""
        arr = None
        out = {}
        for column in dict.fromkeys(b.column for b in self.arrays.blocks):
            if isinstance(prepared, dict) or isinstance(column, str):
                values = prepared[column]
            elif hasattr(prepared, "iloc"):  # a DataFrame selected by position
                values = prepared.iloc[:, column]
            else:
                if arr is None:
                    arr = prepared if isinstance(prepared, np.ndarray) \
                        else np.asarray(prepared, dtype=object)
                    if arr.ndim != 2:
                        raise ValueError(f"expected a 2-D array of prepared columns, got "
                                         f"shape {arr.shape}")
                    n_in = self.arrays.n_columns_in
                    if n_in is not None and arr.shape[1] != n_in:
                        raise ValueError(f"X has {arr.shape[1]} features, but "
                                         f"ColumnTransformer is expecting {n_in} features "
                                         "as input.")
                values = arr[:, column]
            out[column] = values.tolist() if hasattr(values, "tolist") else list(values)
        if len({len(v) for v in out.values()}) > 1:
            raise ValueError("the prepared columns have different lengths")
        return out

    # -- features
    def _block_parts(self, cols: dict) -> tuple:
        """Number of rows and, per block, (rows, global columns, values) in CSR order."""
        n = len(next(iter(cols.values())))
        parts = []
        for i, scorer in enumerate(self.blocks):
            rows, c, data = scorer.transform(cols[scorer.block.column])
            parts.append((rows, c + self.offsets[i], data))
        return n, parts

    def transform(self, prepared_columns: Any) -> tuple:
        """``(indptr, indices, data)`` of the CSR matrix ``ColumnTransformer.transform`` gives
        (shape ``(n_rows, n_features)``)."""
        n, parts = self._block_parts(self.columns(prepared_columns))
        counts = [np.bincount(r, minlength=n) for r, _, _ in parts]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.sum(counts, axis=0), out=indptr[1:])
        if len(parts) == 1:
            return indptr, parts[0][1], parts[0][2]
        nnz = int(indptr[-1])
        indices = np.empty(nnz, dtype=np.int64)
        data = np.empty(nnz, dtype=np.float64)
        before = indptr[:-1].copy()  # where the current block starts in each row
        for (rows, c, vals), cnt in zip(parts, counts):
            block_ptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(cnt, out=block_ptr[1:])
            dest = before[rows] + (np.arange(len(rows), dtype=np.int64) - block_ptr[rows])
            indices[dest] = c
            data[dest] = vals
            before += cnt
        return indptr, indices, data

    def _scores(self, n: int, parts: list) -> np.ndarray:
        """``X @ coef.T + intercept`` from the blocks' CSR entries: per block, the
        coefficients of each entry's column times its value, summed per row with
        ``np.add.reduceat`` (a row's entries are contiguous), a slice of about
        ``score_entries`` entries at a time (to stay in cache); blocks are then added."""
        k = self.coef.shape[0]
        total = np.zeros((k, n), dtype=np.float64)
        for rows, cols, data in parts:
            nnz = len(rows)
            if nnz == 0:
                continue
            counts = np.bincount(rows, minlength=n)
            indptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(counts, out=indptr[1:])
            cuts = np.searchsorted(indptr, np.arange(0, nnz, max(1, self.score_entries)),
                                   side="right") - 1
            cuts = np.unique(np.concatenate([[0], cuts, [n]]))
            for r0, r1 in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
                a, b = int(indptr[r0]), int(indptr[r1])
                if a == b:
                    continue
                contrib = np.take(self.coef_t, cols[a:b], axis=0)
                contrib *= data[a:b, None]
                # reduceat over the rows that have entries (starts strictly increasing: each
                # segment is one row's entries; empty rows keep 0)
                filled = np.flatnonzero(counts[r0:r1]) + r0
                total[:, filled] += np.add.reduceat(contrib, indptr[filled] - a, axis=0).T
        scores = total.T.copy()
        scores += self.intercept
        return scores

    def decision_function(self, prepared_columns: Any) -> np.ndarray:
        """``X @ coef_.T + intercept_``, each row accumulated in CSR order, in chunks of
        ``chunk_rows`` rows."""
        cols = self.columns(prepared_columns)
        n = len(next(iter(cols.values())))
        step = max(1, self.chunk_rows)
        out = [self._scores(*self._block_parts({c: v[a:a + step] for c, v in cols.items()}))
               for a in range(0, n, step)]
        if not out:
            return np.zeros((0, self.coef.shape[0]))
        return np.concatenate(out) if len(out) > 1 else out[0]

    def predict_proba(self, prepared_columns: Any) -> np.ndarray:
        """Class probabilities, columns in ``classes`` order, as ``Pipeline.predict_proba``."""
        scores = self.decision_function(prepared_columns)
        if len(self.classes) <= 2:  # LogisticRegression._predict_proba_lr: expit, stacked
            prob = scores.reshape(-1)
            prob = 1.0 / (1.0 + np.exp(-prob))
            return np.stack([1 - prob, prob], axis=1)
        # sklearn.utils.extmath.softmax, step by step
        scores -= np.reshape(np.max(scores, axis=1), (-1, 1))
        np.exp(scores, out=scores)
        scores /= np.reshape(np.sum(scores, axis=1), (-1, 1))
        return scores

    def predict(self, prepared_columns: Any) -> np.ndarray:
        """Labels, as ``Pipeline.predict`` (argmax of the decision function)."""
        scores = self.decision_function(prepared_columns)
        if len(self.classes) <= 2:
            idx = (scores.reshape(-1) > 0).astype(np.intp)
        else:
            idx = np.argmax(scores, axis=1)
        return np.take(self.classes, idx, axis=0)


def top_two(proba: Any, classes: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The best label and the runner-up of each row of ``proba`` (columns in ``classes`` order).

    Ties go to the earlier class. With a single class the runner-up is None, probability 0.0.

    Returns
    -------
    labels, probabilities, runner_up, runner_up_probabilities : ndarray
        One entry per row; labels are object arrays holding ``classes``' values as given.

    Examples
    --------
    >>> labels, p, runner_up, q = top_two([[0.2, 0.5, 0.3], [0.4, 0.2, 0.4]], ["a", "b", "c"])
    >>> labels.tolist(), p.tolist(), runner_up.tolist(), q.tolist()
    (['b', 'a'], [0.5, 0.4], ['c', 'c'], [0.3, 0.4])
    >>> [a.tolist() for a in top_two([[1.0]], ["general"])]
    [['general'], [1.0], [None], [0.0]]
    """
    proba = np.asarray(proba, dtype=float)
    classes = np.asarray(classes, dtype=object)
    if proba.ndim != 2 or proba.shape[1] != len(classes) or not len(classes):
        raise InputError(f"top_two needs an (n, n_classes) array with n_classes = "
                         f"{len(classes)} >= 1, got shape {proba.shape}")
    order = np.argsort(-proba, axis=1, kind="stable")
    rows = np.arange(len(proba))
    if len(classes) == 1:
        runner_up = np.full(len(proba), None, dtype=object)
        runner_up_proba = np.zeros(len(proba))
    else:
        runner_up, runner_up_proba = classes[order[:, 1]], proba[rows, order[:, 1]]
    return classes[order[:, 0]], proba[rows, order[:, 0]], runner_up, runner_up_proba
