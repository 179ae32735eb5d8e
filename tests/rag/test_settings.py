"""Server settings: Gradio's own variables for host and port, upload and lockout limits, the data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import ConfigError, load_settings


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
