"""Settings: defaults <- TOML file <- environment <- overrides, with unknown keys and bad
values rejected by name. Every call passes ``environ`` so the shell's variables stay out."""

from __future__ import annotations

import dataclasses
import math
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from sitreps.config import Settings, load_settings
from sitreps.errors import ConfigError

DEFAULTS = tomllib.loads(
    resources.files("sitreps").joinpath("default_settings.toml").read_text("utf-8")
)


def _toml(tmp_path: Path, text: str, name: str = "sitreps.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- defaults and layers --------------------------------------------------------------


def test_defaults_load():
    settings = load_settings(environ={})
    assert settings.input.max_bytes == 20_000_000
    assert settings.input.detect_encoding is True
    assert settings.input.include[:2] == ("*.txt", "*.text") and "*.gz" in settings.input.include
    assert settings.input.exclude == ()
    assert settings.clean.related_tail_after == 0.4
    assert settings.nlp.model == "" and settings.nlp.max_chars == 200_000
    assert settings.store.url == "sitreps.db"
    assert (settings.run.workers, settings.run.batch_size) == (1, 64)


def test_defaults_match_the_commented_file():
    assert load_settings(environ={}).to_dict() == DEFAULTS


def test_every_setting_has_a_default():
    # The dataclasses and the TOML file name the same sections and keys.
    settings = load_settings(environ={})
    assert {
        section.name: {field.name for field in dataclasses.fields(getattr(settings, section.name))}
        for section in dataclasses.fields(settings)
    } == {section: set(values) for section, values in DEFAULTS.items()}


def test_each_layer_overrides_the_one_before(tmp_path):
    path = _toml(
        tmp_path,
        '[store]\nurl = "from-file.db"\n[run]\nworkers = 3\nbatch_size = 10\n'
        '[nlp]\nmodel = "file_model"\n',
    )
    environ = {"SITREPS_STORE__URL": "from-env.db", "SITREPS_RUN__WORKERS": "5"}
    overrides = {"store": {"url": "from-flags.db"}}

    from_file = load_settings(config_file=path, environ={})
    assert (from_file.store.url, from_file.run.workers, from_file.run.batch_size) == (
        "from-file.db",
        3,
        10,
    )
    from_env = load_settings(config_file=path, environ=environ)
    assert (from_env.store.url, from_env.run.workers, from_env.run.batch_size) == (
        "from-env.db",
        5,
        10,
    )
    from_flags = load_settings(config_file=path, environ=environ, overrides=overrides)
    assert (from_flags.store.url, from_flags.run.workers, from_flags.nlp.model) == (
        "from-flags.db",
        5,
        "file_model",
    )
    # untouched keys keep their defaults
    assert from_flags.input.max_bytes == 20_000_000


def test_config_file_from_the_given_environ(tmp_path):
    path = _toml(tmp_path, '[store]\nurl = "env-named.db"\n')
    assert load_settings(environ={"SITREPS_CONFIG": str(path)}).store.url == "env-named.db"


def test_explicit_config_file_wins_over_sitreps_config(tmp_path):
    named = _toml(tmp_path, '[store]\nurl = "named.db"\n', "named.toml")
    from_env = _toml(tmp_path, '[store]\nurl = "env.db"\n', "env.toml")
    settings = load_settings(config_file=named, environ={"SITREPS_CONFIG": str(from_env)})
    assert settings.store.url == "named.db"


def test_empty_sitreps_config_means_no_file():
    assert load_settings(environ={"SITREPS_CONFIG": ""}) == load_settings(environ={})


def test_unrelated_environment_variables_are_ignored():
    environ = {
        "SITREPS_TEST_POSTGRES": "postgresql://nobody@nowhere/none",  # no "__"
        "OTHER__STORE__URL": "x",
        "sitreps_store__url": "lowercase prefix is not ours",
        "PATH": "/usr/bin",
    }
    assert load_settings(environ=environ) == load_settings(environ={})


def test_environment_names_are_case_insensitive_after_the_prefix():
    settings = load_settings(environ={"SITREPS_Store__Url": "mixed.db"})
    assert settings.store.url == "mixed.db"


# --- environment coercion -------------------------------------------------------------


@pytest.mark.parametrize(
    "variable, value, section, key, expected",
    [
        ("SITREPS_INPUT__MAX_BYTES", "1_000", "input", "max_bytes", 1000),
        ("SITREPS_INPUT__MAX_BYTES", " 4096 ", "input", "max_bytes", 4096),
        ("SITREPS_INPUT__DETECT_ENCODING", "no", "input", "detect_encoding", False),
        ("SITREPS_INPUT__DETECT_ENCODING", "Off", "input", "detect_encoding", False),
        ("SITREPS_INPUT__DETECT_ENCODING", "0", "input", "detect_encoding", False),
        ("SITREPS_INPUT__DETECT_ENCODING", "false", "input", "detect_encoding", False),
        ("SITREPS_INPUT__DETECT_ENCODING", "YES", "input", "detect_encoding", True),
        ("SITREPS_INPUT__DETECT_ENCODING", " on ", "input", "detect_encoding", True),
        ("SITREPS_INPUT__DETECT_ENCODING", "1", "input", "detect_encoding", True),
        ("SITREPS_CLEAN__DROP_RELATED_TAIL", "true", "clean", "drop_related_tail", True),
        ("SITREPS_INPUT__INCLUDE", "*.txt, *.md ,,", "input", "include", ("*.txt", "*.md")),
        ("SITREPS_INPUT__EXCLUDE", "", "input", "exclude", ()),
        ("SITREPS_INPUT__EXCLUDE", "drafts/*", "input", "exclude", ("drafts/*",)),
        ("SITREPS_CLEAN__RELATED_TAIL_AFTER", "0.25", "clean", "related_tail_after", 0.25),
        ("SITREPS_CLEAN__RELATED_TAIL_AFTER", "1", "clean", "related_tail_after", 1.0),
        ("SITREPS_NLP__MODEL", "my_pipeline", "nlp", "model", "my_pipeline"),
        ("SITREPS_STORE__URL", "postgresql://u@h/db", "store", "url", "postgresql://u@h/db"),
        ("SITREPS_RUN__WORKERS", "8", "run", "workers", 8),
    ],
)
def test_environment_strings_are_coerced(variable, value, section, key, expected):
    settings = load_settings(environ={variable: value})
    result = getattr(getattr(settings, section), key)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    "variable, value, key",
    [
        ("SITREPS_INPUT__MAX_BYTES", "lots", "input.max_bytes"),
        ("SITREPS_INPUT__MAX_BYTES", "1e6", "input.max_bytes"),
        ("SITREPS_INPUT__MAX_BYTES", "2.5", "input.max_bytes"),
        ("SITREPS_INPUT__DETECT_ENCODING", "maybe", "input.detect_encoding"),
        ("SITREPS_INPUT__DETECT_ENCODING", "", "input.detect_encoding"),
        ("SITREPS_CLEAN__RELATED_TAIL_AFTER", "half", "clean.related_tail_after"),
    ],
)
def test_bad_environment_values_name_key_and_value(variable, value, key):
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={variable: value})
    assert caught.value.key == key
    assert key in str(caught.value) and repr(value) in str(caught.value)


# --- unknown names --------------------------------------------------------------------


def test_unknown_section_in_file(tmp_path):
    path = _toml(tmp_path, "[inputs]\nmax_bytes = 10\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file=path, environ={})
    assert caught.value.key == "inputs"
    message = str(caught.value)
    assert "[inputs]" in message and str(path) in message and "input" in message


def test_unknown_key_in_file_lists_the_known_ones(tmp_path):
    path = _toml(tmp_path, "[input]\nmax_byte = 10\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file=path, environ={})
    assert caught.value.key == "input.max_byte"
    message = str(caught.value)
    assert "input.max_byte" in message and str(path) in message and "max_bytes" in message


def test_top_level_key_is_an_unknown_section(tmp_path):
    path = _toml(tmp_path, "workers = 4\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file=path, environ={})
    assert caught.value.key == "workers"


def test_section_that_is_not_a_table(tmp_path):
    path = _toml(tmp_path, "input = 5\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file=path, environ={})
    assert caught.value.key == "input" and "table" in str(caught.value)


@pytest.mark.parametrize(
    "environ, key",
    [
        ({"SITREPS_OUTPUT__FORMAT": "csv"}, "output"),
        ({"SITREPS_STORE__PATH": "x.db"}, "store.path"),
        ({"SITREPS_INPUT__MAX__BYTES": "10"}, "input.max__bytes"),
    ],
)
def test_unknown_names_in_the_environment(environ, key):
    with pytest.raises(ConfigError) as caught:
        load_settings(environ=environ)
    assert caught.value.key == key
    assert "the environment" in str(caught.value)


@pytest.mark.parametrize(
    "overrides, key",
    [({"storage": {"url": "x"}}, "storage"), ({"run": {"threads": 2}}, "run.threads")],
)
def test_unknown_names_in_overrides(overrides, key):
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={}, overrides=overrides)
    assert caught.value.key == key
    assert "command-line flags" in str(caught.value)


# --- types and validation -------------------------------------------------------------


@pytest.mark.parametrize(
    "toml, key, shown",
    [
        ('[input]\nmax_bytes = "big"\n', "input.max_bytes", "'big'"),
        ("[input]\nmax_bytes = 1.5\n", "input.max_bytes", "1.5"),
        ("[input]\nmax_bytes = true\n", "input.max_bytes", "True"),
        ("[input]\ndetect_encoding = 1\n", "input.detect_encoding", "1"),
        ('[input]\ninclude = ["*.txt", 3]\n', "input.include", "3"),
        ("[store]\nurl = 5\n", "store.url", "5"),
        ('[clean]\nrelated_tail_after = "x"\n', "clean.related_tail_after", "'x'"),
        ("[clean]\nrelated_tail_after = false\n", "clean.related_tail_after", "False"),
    ],
)
def test_bad_types_in_file_name_key_and_value(tmp_path, toml, key, shown):
    path = _toml(tmp_path, toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file=path, environ={})
    assert caught.value.key == key
    assert key in str(caught.value) and shown in str(caught.value)


def test_toml_values_of_nearby_types_are_accepted(tmp_path):
    path = _toml(tmp_path, '[clean]\nrelated_tail_after = 1\n[input]\ninclude = "*.txt, *.htm"\n')
    settings = load_settings(config_file=path, environ={})
    assert settings.clean.related_tail_after == 1.0
    assert isinstance(settings.clean.related_tail_after, float)
    assert settings.input.include == ("*.txt", "*.htm")


@pytest.mark.parametrize(
    "section, key, value",
    [
        ("input", "max_bytes", 0),
        ("input", "max_html_depth", -3),
        ("nlp", "batch_size", 0),
        ("nlp", "max_chars", 0),
        ("run", "workers", 0),
        ("run", "batch_size", -1),
    ],
)
def test_counts_must_be_positive(section, key, value):
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={}, overrides={section: {key: value}})
    assert caught.value.key == f"{section}.{key}"
    assert "at least 1" in str(caught.value) and str(value) in str(caught.value)


@pytest.mark.parametrize("value", [-0.1, 1.01, 7, math.inf, "nan"])
def test_related_tail_after_must_lie_in_unit_interval(value):
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={}, overrides={"clean": {"related_tail_after": value}})
    assert caught.value.key == "clean.related_tail_after"
    assert "[0, 1]" in str(caught.value)


@pytest.mark.parametrize("value", [0, 0.0, 1, 1.0, 0.5])
def test_related_tail_after_bounds_are_allowed(value):
    settings = load_settings(environ={}, overrides={"clean": {"related_tail_after": value}})
    assert settings.clean.related_tail_after == float(value)


def test_validation_applies_to_the_environment_too():
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"SITREPS_RUN__WORKERS": "0"})
    assert caught.value.key == "run.workers"


# --- the settings file itself ---------------------------------------------------------


def test_missing_file_names_the_path(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file=path, environ={})
    assert str(path) in str(caught.value)


def test_missing_file_named_by_sitreps_config(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError, match="absent.toml"):
        load_settings(environ={"SITREPS_CONFIG": str(path)})


def test_directory_as_settings_file(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file=tmp_path, environ={})
    assert str(tmp_path) in str(caught.value)


@pytest.mark.parametrize(
    "text", ["[store\nurl = 'x'\n", "[store]\nurl = \n", "[run]\nworkers = 1\nworkers = 2\n"]
)
def test_invalid_toml_names_the_path(tmp_path, text):
    path = _toml(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file=path, environ={})
    assert str(path) in str(caught.value) and "not valid TOML" in str(caught.value)


def test_settings_file_not_in_utf8_is_a_config_error(tmp_path):
    path = tmp_path / "legacy.toml"
    path.write_bytes('# réglages du café\n[store]\nurl = "x.db"\n'.encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file=path, environ={})
    assert str(path) in str(caught.value)


def test_empty_settings_file_changes_nothing(tmp_path):
    path = _toml(tmp_path, "# nothing set here\n")
    assert load_settings(config_file=path, environ={}) == load_settings(environ={})


# --- the Settings object --------------------------------------------------------------


def test_settings_are_frozen():
    settings = load_settings(environ={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.store = None  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.input.max_bytes = 1  # type: ignore[misc]


def test_settings_are_hashable_cache_keys():
    first = load_settings(environ={})
    second = load_settings(environ={})
    other = load_settings(environ={}, overrides={"nlp": {"max_chars": 10}})
    assert first == second and hash(first) == hash(second)
    assert hash(first.nlp) == hash(second.nlp)
    cache = {first: "built", first.nlp: "pipeline"}
    assert cache[second] == "built" and cache[second.nlp] == "pipeline"
    assert other not in cache and other.nlp not in cache


def test_replace_returns_a_validated_copy():
    settings = load_settings(environ={})
    smaller = settings.replace({"input": {"max_bytes": 512}, "run": {"workers": 2}})
    assert (smaller.input.max_bytes, smaller.run.workers) == (512, 2)
    assert settings.input.max_bytes == 20_000_000  # the original is untouched
    assert smaller.replace({"input": {"max_bytes": 20_000_000}, "run": {"workers": 1}}) == settings
    with pytest.raises(ConfigError) as caught:
        settings.replace({"input": {"max_bytes": 0}})
    assert caught.value.key == "input.max_bytes"
    with pytest.raises(ConfigError) as caught:
        settings.replace({"input": {"size": 1}})
    assert caught.value.key == "input.size"


def test_to_dict_is_plain_data_and_round_trips():
    settings = load_settings(environ={"SITREPS_INPUT__EXCLUDE": "a/*,b/*"})
    data = settings.to_dict()
    assert data["input"]["exclude"] == ["a/*", "b/*"]  # lists, ready for JSON or TOML
    assert all(not isinstance(v, tuple) for section in data.values() for v in section.values())
    assert load_settings(environ={}, overrides=data) == settings
    assert isinstance(settings, Settings)
