"""The source registry: the bundled file is valid, and bad registries fail with clear errors."""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from compliance.watchlists import registry
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance.watchlists.registry import (
    KNOWN_FORMATS,
    REGISTRY_FILE,
    RegistryError,
    RemoteFile,
    UnknownSourceError,
    bundled_lists_dir,
    get_source,
    load_registry,
    load_registry_document,
)

EXPECTED_SOURCES = {"trade.gov-csl", "trade.gov-csl-json", "ofac-sdn", "ofac-non-sdn", "bis-dpl"}


def _good_source(**overrides: object) -> dict[str, object]:
    source: dict[str, object] = {
        "name": "example-list",
        "label": "Example list",
        "publisher": "Example agency",
        "format": "csl-csv",
        "files": [{"name": "consolidated.csv", "url": "https://example.gov/consolidated.csv"}],
        "lists": ["EL"],
        "max_age_days": 7,
        "info_url": "https://example.gov/",
    }
    source.update(overrides)
    return source


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the bundled file


def test_bundled_registry_names_the_expected_sources() -> None:
    assert {s.name for s in load_registry()} == EXPECTED_SOURCES


def test_bundled_registry_is_found_in_the_bundled_lists_dir() -> None:
    directory = bundled_lists_dir()
    assert (directory / REGISTRY_FILE).is_file()
    assert load_registry(directory / REGISTRY_FILE) == load_registry()


def test_installed_wheel_copy_is_preferred_over_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In a wheel, lists/ is packaged as compliance/_bundled_lists (pyproject force-include).
    packaged = tmp_path / "_bundled_lists"
    packaged.mkdir()
    monkeypatch.setattr(importlib.resources, "files", lambda _package: tmp_path)
    assert bundled_lists_dir() == packaged


def test_checkout_lists_dir_is_used_without_a_packaged_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importlib.resources, "files", lambda _package: tmp_path)
    assert bundled_lists_dir() == Path(registry.__file__).resolve().parents[2] / "lists"


def test_every_bundled_url_is_https_with_a_host() -> None:
    for source in load_registry():
        for url in (source.info_url, *(f.url for f in source.files)):
            parts = urlsplit(url)
            assert parts.scheme == "https", (source.name, url)
            assert parts.netloc, (source.name, url)


def test_every_bundled_source_has_a_known_format() -> None:
    for source in load_registry():
        assert source.format in KNOWN_FORMATS, source.name


def test_download_urls_end_in_the_file_name_the_reader_expects() -> None:
    # The updater stores each download under RemoteFile.name; a URL serving another file
    # (a renamed endpoint pasted into the wrong entry) would be stored under a wrong name.
    for source in load_registry():
        for remote in source.files:
            assert urlsplit(remote.url).path.rsplit("/", 1)[-1] == remote.name, source.name


def test_csl_and_sdn_go_stale_after_seven_days() -> None:
    for name in ("trade.gov-csl", "trade.gov-csl-json", "ofac-sdn"):
        assert get_source(name).max_age_days == 7


def test_sdn_source_fetches_all_four_files_of_one_download() -> None:
    names = [f.name for f in get_source("ofac-sdn").files]
    assert names == ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]


def test_registry_carries_a_review_date() -> None:
    reviewed = load_registry_document().reviewed
    assert reviewed.year >= 2026


def test_unknown_source_names_the_known_ones() -> None:
    with pytest.raises(UnknownSourceError) as info:
        get_source("ofac-sdnn")
    message = str(info.value)
    assert "ofac-sdnn" in message
    assert "ofac-sdn" in message.split("known sources:")[1]


@pytest.mark.shared
@pytest.mark.parametrize(
    ("relative", "retired"),
    [
        # FSE is retired from the registry (lists/sources.yaml): the 2026 CSL has no FSE rows
        ("csl/2022-05_watchman/consolidated.csv", {"FSE"}),
        ("csl/2026-07-31_compact/consolidated.csv", set()),
    ],
)
def test_csl_source_declares_every_list_the_real_csl_contains(
    shared_data: Path, relative: str, retired: set[str]
) -> None:
    snapshot = read_csl_csv(shared_data / "lists" / relative)
    declared = set(get_source("trade.gov-csl").lists)
    found = set(snapshot.count_by_list())
    assert found - declared == retired, sorted(found - declared)


# --------------------------------------------------------------------------- bad registries


def test_plain_http_url_is_rejected_naming_source_and_field(tmp_path: Path) -> None:
    bad = _good_source(files=[{"name": "a.csv", "url": "http://example.gov/a.csv"}])
    path = _write(tmp_path, {"reviewed": "2026-11-29", "sources": [bad]})
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    assert "'example-list'" in str(info.value)
    assert "files.0.url" in str(info.value)


def test_unknown_format_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, {"reviewed": "2026-11-29", "sources": [_good_source(format="xls")]})
    with pytest.raises(RegistryError, match=r"'example-list'.*format"):
        load_registry(path)


def test_repeated_source_names_are_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, {"reviewed": "2026-11-29", "sources": [_good_source()] * 2})
    with pytest.raises(RegistryError, match="repeat: example-list"):
        load_registry(path)


def test_missing_review_date_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, {"sources": [_good_source()]})
    with pytest.raises(RegistryError, match="reviewed"):
        load_registry(path)


def test_unexpected_key_is_rejected_not_ignored(tmp_path: Path) -> None:
    # A misspelt key ("max_age_day") must not silently fall back to nothing.
    source = _good_source()
    source["max_age_day"] = source.pop("max_age_days")
    path = _write(tmp_path, {"reviewed": "2026-11-29", "sources": [source]})
    with pytest.raises(RegistryError, match="max_age_day"):
        load_registry(path)


def test_invalid_yaml_and_missing_file_give_registry_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("sources: [\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="not valid YAML"):
        load_registry(broken)
    with pytest.raises(RegistryError, match="cannot read"):
        load_registry(tmp_path / "absent.yaml")


def test_valid_custom_registry_round_trips(tmp_path: Path) -> None:
    path = _write(tmp_path, {"reviewed": "2026-11-29", "sources": [_good_source()]})
    (source,) = load_registry(path)
    assert source.files == (
        RemoteFile(name="consolidated.csv", url="https://example.gov/consolidated.csv"),
    )
    assert get_source("example-list", path) == source


@given(
    scheme=st.sampled_from(["http", "ftp", "file", "HTTPS", ""]),
    rest=st.from_regex(r"[a-z]{1,10}\.gov/[a-z]{1,8}\.csv", fullmatch=True),
)
def test_only_lowercase_https_urls_are_accepted(scheme: str, rest: str) -> None:
    url = f"{scheme}://{rest}" if scheme else rest
    with pytest.raises(ValueError, match="https"):
        RemoteFile(name="x.csv", url=url)
    assert RemoteFile(name="x.csv", url=f"https://{rest}").url == f"https://{rest}"
