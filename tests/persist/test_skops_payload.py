"""The strict reader of skops payloads: the same models as skops itself, and nothing outside the list."""

from __future__ import annotations

import io
import json
import sys
import time
import zipfile

import numpy as np
import pytest

from stance import persist
from stance.persist import ArtefactError, UntrustedArtefactError, load
from stance.persist import skops_payload as sp
from tests.paths import SEEDS
from tests.persist.helpers import TEXTS, manifest_for, small_model, write_container


def node(loader: str, module: str, cls: str, **fields) -> dict:
    return {"__loader__": loader, "__module__": module, "__class__": cls, **fields}


def json_value(value) -> dict:
    return node("JsonNode", "builtins", type(value).__name__, content=json.dumps(value))


def dict_node(items: dict) -> dict:
    keys = node("ListNode", "builtins", "list", content=[node("TypeNode", "builtins", "str") for _ in items])
    return node("DictNode", "builtins", "dict", content=items, key_types=keys)


def payload(root: dict, files: dict[str, bytes] | None = None, *, protocol: int = 2,
            compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as z:
        z.writestr("schema.json", json.dumps({**root, "protocol": protocol, "_skops_version": "0.16.0"}))
        for name, data in (files or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


CLEANER = node("ObjectNode", "stance.text.clean", "Cleaner", content=dict_node(
    {"steps": node("TupleNode", "builtins", "tuple", content=[node("FunctionNode", "stance.text.normalize", "strip_html")])}))


def test_a_crafted_tree_of_allowed_types_is_rebuilt():
    cleaner = sp.loads_allowed(payload(CLEANER), "x")
    assert type(cleaner).__name__ == "Cleaner" and cleaner.transform(["<b>Hà</b> Nội"]) == ["Hà Nội"]


@pytest.mark.parametrize("task", ["topic", "stance"])
def test_the_strict_reader_rebuilds_the_shipped_models_exactly_as_skops_does(task):
    import skops.io

    from stance.persist import container

    _, body = container.unpack((persist.PRETRAINED / f"{task}.stance").read_bytes(), task)
    ours = sp.loads_allowed(body, task)
    theirs = skops.io.loads(body, trusted=skops.io.get_untrusted_types(data=body))
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    assert np.array_equal(ours.predict_proba(texts), theirs.predict_proba(texts))
    assert ours.get_params(deep=True).keys() == theirs.get_params(deep=True).keys()
    assert _vocabulary(ours) == _vocabulary(theirs)


def _vocabulary(model) -> dict:
    """The n-gram vocabulary of a shipped model (the stance model's is its passage model's)."""
    final = model[-1]
    if hasattr(final, "passage_"):
        return final.passage_.features_.vocabulary_
    return final.features_.transformer_list[0][1].vocabulary_


@pytest.fixture()
def evil_module(tmp_path, monkeypatch):
    """A module whose import creates a marker file (import runs its code): the strict reader must not import it."""
    marker = tmp_path / "IMPORTED"
    (tmp_path / "evil_mod_7f3a.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).touch()\nclass Evil:\n    pass\ndef run():\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield marker
    sys.modules.pop("evil_mod_7f3a", None)


@pytest.mark.parametrize(
    "root,listed",
    [
        (node("ObjectNode", "evil_mod_7f3a", "Evil"), "evil_mod_7f3a.Evil"),
        (node("FunctionNode", "evil_mod_7f3a", "run"), "evil_mod_7f3a.run"),
        (node("TypeNode", "evil_mod_7f3a", "Evil"), "evil_mod_7f3a.Evil"),
        (dict_node({"a": node("ObjectNode", "evil_mod_7f3a", "Evil")}), "evil_mod_7f3a.Evil"),
        (node("ObjectNode", "stance.text.clean", "Cleaner", content=node("ObjectNode", "evil_mod_7f3a", "Evil")),
         "evil_mod_7f3a.Evil"),
    ],
    ids=["object", "function", "type", "in-dict", "as-attributes"],
)
def test_a_type_outside_the_list_is_refused_without_importing_it(tmp_path, evil_module, root, listed):
    data = payload(root)
    path = write_container(tmp_path / "m.stance", manifest_for(data), data)
    with pytest.raises(UntrustedArtefactError, match=f"not on stance's list of safe types \\({listed}\\)"):
        load(path)
    assert not evil_module.exists() and "evil_mod_7f3a" not in sys.modules


def test_trusted_loading_does_import_it(tmp_path, evil_module):
    # The refusal above means something only because loading with trust runs the module's code.
    data = payload(node("ObjectNode", "evil_mod_7f3a", "Evil"))
    with pytest.raises(ArtefactError, match="not a classifier"):
        load(write_container(tmp_path / "m.stance", manifest_for(data), data), trusted=True)
    assert evil_module.exists()


@pytest.mark.parametrize(
    "root,listed",
    [
        (node("FunctionNode", "posix", "system"), "posix.system"),
        (node("FunctionNode", "builtins", "eval"), "builtins.eval"),
        (node("ObjectNode", "sklearn.svm._classes", "SVC"), "sklearn.svm._classes.SVC"),
        (node("MethodNode", "stance.text.clean", "Cleaner", content={"func": "fit", "obj": CLEANER}),
         "MethodNode (stance.text.clean.Cleaner)"),
        (node("ReduceNode", "sklearn.tree._tree", "Tree"), "ReduceNode (sklearn.tree._tree.Tree)"),
        (node("OperatorFuncNode", "operator", "attrgetter"), "OperatorFuncNode (operator.attrgetter)"),
        (node("NdArrayNode", "numpy", "ndarray", type="json", content=[], shape=json_value(0)),
         "arrays of Python objects (numpy.ndarray)"),
    ],
    ids=["os.system", "eval", "other-sklearn-estimator", "method", "reduce", "operator", "object-array"],
)
def test_node_kinds_and_types_outside_the_list_need_trust(root, listed):
    with pytest.raises(UntrustedArtefactError, match=f"\\({listed.replace('(', '.').replace(')', '.')}\\)"):
        sp.loads_allowed(payload(root), "x")
    assert sp.disallowed(payload(root), "x") == [listed]


def test_another_protocol_needs_trust():
    with pytest.raises(UntrustedArtefactError, match="skops protocol 99"):
        sp.loads_allowed(payload(CLEANER, protocol=99), "x")


def _array(header_shape: str, data: bytes, descr: str = "<f8") -> bytes:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {header_shape}, }}".encode()
    header += b" " * (63 - len(header) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + data


ARRAY = node("NdArrayNode", "numpy", "ndarray", type="numpy", file="a.npy")


@pytest.mark.parametrize(
    "root,files,match",
    [
        (ARRAY, {"a.npy": _array(f"({10**12},)", b"\x00" * 16)}, "header does not match its bytes"),
        (ARRAY, {"a.npy": _array(f"({2**62}, {2**62})", b"")}, "header does not match its bytes"),
        (ARRAY, {"a.npy": _array("(2,)", b"\x00" * 16, descr="|O")}, "header does not match its bytes"),
        (ARRAY, {"a.npy": b"\x93NUMPY garbage"}, "bad header"),
        (ARRAY, {}, "names a missing entry"),
        ({"__loader__": "ObjectNode"}, {}, "node without __loader__, __module__ and __class__"),
        (node("ListNode", "builtins", "list", content="abc"), {}, "malformed list"),
        (node("DictNode", "builtins", "dict", content=[]), {}, "malformed dict"),
        (node("JsonNode", "builtins", "str", content=5), {}, "malformed JSON value"),
        (node("ListNode", "builtins", "list", content=[node("CachedNode", "builtins", "list", __id__=1)], __id__=1),
         {}, "refers to an object before it is complete"),
        (node("CachedNode", "builtins", "list", __id__=42), {}, "refers to an object before it is complete"),
        (node("JsonNode", "builtins", "str", content="[1, 2]"), {}, "JSON value that is not a scalar"),
        (dict_node({"a": json_value(1), "b": json_value(2)}) | {"key_types": node("ListNode", "builtins", "list", content=[])},
         {}, "key types do not match"),
        (node("ObjectNode", "stance.features.vectorizer", "TextVectorizer", content=dict_node(
            {"_packed_terms": json_value(5), "vectorizer_": json_value(None)})), {}, "cannot rebuild the model"),
    ],
    ids=["huge-shape", "overflowing-shape", "object-dtype", "bad-npy", "missing-entry", "no-module", "list-not-list",
         "dict-not-dict", "json-not-str", "cycle", "dangling-id", "json-list", "key-types", "bad-setstate"],
)
def test_malformed_payloads_fail_fast_with_artefact_error(root, files, match):
    start = time.perf_counter()
    with pytest.raises(ArtefactError, match=match) as info:
        sp.loads_allowed(payload(root, files), "m.stance")
    assert not isinstance(info.value, UntrustedArtefactError) and str(info.value).startswith("m.stance: ")
    assert time.perf_counter() - start < 1


def test_deep_trees_and_deep_schemas_are_refused():
    deep = json_value(1)
    for _ in range(100):
        deep = node("ListNode", "builtins", "list", content=[deep])
    with pytest.raises(ArtefactError, match="deeper than 64 levels"):
        sp.loads_allowed(payload(deep), "x")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("schema.json", "[" * 100_000)
    with pytest.raises(ArtefactError, match="nested too deeply"):
        sp.loads_allowed(buffer.getvalue(), "x")


def test_zip_level_limits(monkeypatch):
    data = sp.dumps(small_model())
    monkeypatch.setattr(sp, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ArtefactError, match="would unpack to .* bytes, more than 1000"):
        sp.loads_allowed(data, "x")
    with pytest.raises(ArtefactError, match="compression other than deflate"):
        sp.loads_allowed(payload(CLEANER, compression=zipfile.ZIP_BZIP2), "x")
    with pytest.raises(ArtefactError, match="not a skops file"):
        sp.loads_allowed(b"PK\x03\x04 not really a zip", "x")
    with pytest.raises(ArtefactError, match="no schema.json"):
        sp.loads_allowed(payload(CLEANER)[:0] or _zip_without_schema(), "x")


def _zip_without_schema() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("a.npy", b"")
    return buffer.getvalue()


def test_a_corrupted_entry_is_an_artefact_error():
    data = bytearray(sp.dumps(small_model()))
    data[len(data) // 3] ^= 0xFF  # inside some compressed entry: bad CRC or bad deflate stream
    with pytest.raises(ArtefactError):
        sp.loads_allowed(bytes(data), "x")


def test_a_model_skops_cannot_write_says_what_to_do():
    from stance.text.clean import Cleaner
    from stance.estimators.pipeline import with_cleaner
    from stance.estimators.text_classifier import TextClassifier

    model = with_cleaner(TextClassifier(min_df=1, calibration_folds=2), Cleaner(steps=[lambda s: s.lower()]))
    model.fit(TEXTS, ["a", "b"] * 6)
    with pytest.raises(ValueError, match="cannot be loaded back by name .*<lambda>"):
        sp.dumps(model)
