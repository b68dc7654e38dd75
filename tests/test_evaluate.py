"""Tests of sitreps.evaluate: the shingle scorer, the registry, finding the data, the tables,
and (when ../shared/benchmarks is present) the reference numbers and the cleaner's floors.

Every text here is written for these tests; no benchmark text is copied.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sitreps.evaluate as evaluation
from sitreps.config import load_settings
from sitreps.errors import EvaluationError
from sitreps.evaluate import BENCHMARKS, evaluate, find_benchmarks_root, format_table
from sitreps.evaluate import seeds_cleaning, shingles
from sitreps.evaluate.seeds import gold_strings, line_spans, normalize_whitespace, read_seeds


@pytest.fixture(scope="module")
def settings():
    return load_settings(environ={})


def _data_root() -> Path | None:
    try:
        return find_benchmarks_root(None)
    except EvaluationError:
        return None


DATA_ROOT = _data_root()
needs_data = pytest.mark.skipif(
    DATA_ROOT is None,
    reason="benchmark data not found (no ../shared/benchmarks and $SITREPS_BENCHMARKS unset)",
)


# --- tokens and shingles ----------------------------------------------------------------


def test_tokenize_drops_punctuation_and_keeps_case():
    assert shingles.tokenize("Rebels, it said: 12 dead!") == ["Rebels", "it", "said", "12", "dead"]
    assert shingles.tokenize("rebels") != shingles.tokenize("Rebels")
    assert shingles.tokenize("") == []
    assert shingles.tokenize(None) == []
    assert shingles.tokenize("Ümit ağır") == ["Ümit", "ağır"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", Counter()),
        ("  ...  ", Counter()),
        ("alpha", Counter({("alpha",): 1})),
        ("alpha beta", Counter({("alpha", "beta"): 1})),
        ("alpha beta gamma", Counter({("alpha", "beta", "gamma"): 1})),
        ("a b c d", Counter({("a", "b", "c", "d"): 1})),
        ("a b c d e", Counter({("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})),
        ("x x x x x x", Counter({("x", "x", "x", "x"): 3})),
    ],
)
def test_shingles(text, expected):
    assert shingles.shingles(text) == expected


# --- one page ---------------------------------------------------------------------------


def test_identical_texts_are_perfect():
    counts = shingles.page_counts("one two three four five", "one two three four five")
    assert counts == (1.0, 0.0, 0.0)
    assert shingles.page_precision(counts) == shingles.page_recall(counts) == 1.0


def test_both_empty_has_no_counts():
    assert shingles.page_counts("", "") == (0.0, 0.0, 0.0)
    # Nothing is wrong, so the page is perfect where it counts at all.
    assert shingles.page_precision((0.0, 0.0, 0.0)) == 1.0


def test_empty_prediction_is_all_missed():
    counts = shingles.page_counts("one two three four five", "")
    assert counts == (0.0, 0.0, 1.0)
    assert shingles.page_recall(counts) == 0.0


def test_short_texts_match_only_as_a_whole():
    assert shingles.page_counts("two words", "two words") == (1.0, 0.0, 0.0)
    # One shingle each, and they differ: one false positive, one false negative.
    assert shingles.page_counts("two words", "two words more") == (0.0, 0.5, 0.5)


def test_counts_are_normalised_per_page():
    # true: 3 shingles (a b c d, b c d e, c d e f); pred: 2 (a b c d, b c d e) and 1 extra.
    counts = shingles.page_counts("a b c d e f", "a b c d e x")
    assert counts == pytest.approx((2 / 4, 1 / 4, 1 / 4))
    assert sum(counts) == pytest.approx(1.0)


def test_duplicates_count_as_a_multiset():
    # The true body says the same sentence twice; a prediction with it once misses one copy.
    true = "the convoy was hit . the convoy was hit"
    pred = "the convoy was hit"
    tp, fp, fn = shingles.page_counts(true, pred)
    assert fp == 0.0
    assert tp > 0 and fn > 0
    # Predicting it three times gives a false positive instead.
    tp, fp, fn = shingles.page_counts(pred, " ".join([pred] * 3))
    assert fn == 0.0 and fp > 0


def test_precision_and_recall_special_cases():
    assert shingles.page_precision((0.0, 1.0, 0.0)) == 0.0
    assert shingles.page_recall((0.0, 0.0, 1.0)) == 0.0
    assert shingles.page_precision((0.5, 0.25, 0.25)) == pytest.approx(2 / 3)
    assert shingles.page_recall((0.5, 0.0, 0.5)) == pytest.approx(0.5)


def test_same_tokens_ignores_punctuation_and_spacing():
    assert shingles.same_tokens("Two died.\nThree hurt.", "Two died Three hurt")
    assert not shingles.same_tokens("Two died.", "two died.")


# --- several pages ------------------------------------------------------------------------


def test_f1_is_the_harmonic_mean_of_the_averages():
    pages = [(0.5, 0.5, 0.0), (1.0, 0.0, 0.0)]  # precisions 0.5 and 1, recalls 1 and 1
    precision, recall, f1 = shingles.aggregate(pages)
    assert precision == pytest.approx(0.75)
    assert recall == pytest.approx(1.0)
    assert f1 == pytest.approx(2 * 0.75 / 1.75)


def test_averages_skip_pages_where_undefined():
    # An empty prediction has no precision; an empty truth has no recall.
    pages = [(0.0, 0.0, 1.0), (0.0, 1.0, 0.0), (1.0, 0.0, 0.0)]
    precision, recall, _ = shingles.aggregate(pages)
    assert precision == pytest.approx((0.0 + 1.0) / 2)
    assert recall == pytest.approx((0.0 + 1.0) / 2)
    assert shingles.aggregate([]) == (0.0, 0.0, 0.0)


def test_score_over_pages():
    truth = {
        "p1": "Shelling hit the market on Monday morning",
        "p2": "Two soldiers were wounded near the border post",
        "p3": "",
    }
    predicted = {
        "p1": "Shelling hit the market on Monday morning",
        "p2": "Menu Home Two soldiers were wounded near the border post Share",
        "p3": "",
    }
    scores = shingles.score(truth, predicted, n_bootstrap=50)
    assert scores.pages == 3
    assert scores.recall == pytest.approx(1.0)
    assert 0.5 < scores.precision < 1.0
    assert scores.accuracy == pytest.approx(2 / 3)  # p1 and the empty p3
    assert scores.f1_std >= 0.0
    # A fixed seed: the bootstrap gives the same spread every time.
    again = shingles.score(truth, predicted, n_bootstrap=50)
    assert again.f1_std == scores.f1_std


def test_score_needs_the_same_pages():
    with pytest.raises(ValueError, match="same page ids"):
        shingles.score({"a": "x"}, {"b": "x"}, n_bootstrap=0)


@given(st.text(min_size=1).filter(lambda text: shingles.tokenize(text)))
def test_any_text_scores_perfectly_against_itself(text):
    scores = shingles.score({"page": text}, {"page": text}, n_bootstrap=0)
    assert (scores.f1, scores.precision, scores.recall, scores.accuracy) == (1.0, 1.0, 1.0, 1.0)


@given(st.text(), st.text())
def test_page_scores_stay_in_range(true, pred):
    counts = shingles.page_counts(true, pred)
    assert all(0.0 <= value <= 1.0 for value in counts)
    assert 0.0 <= shingles.page_precision(counts) <= 1.0
    assert 0.0 <= shingles.page_recall(counts) <= 1.0


# --- finding the data ----------------------------------------------------------------------


@pytest.fixture
def no_checkout_search(monkeypatch, tmp_path):
    """Make the search from the package location find nothing (this checkout has data)."""
    isolated = tmp_path / "installed" / "site-packages" / "sitreps" / "evaluate"
    isolated.mkdir(parents=True)
    monkeypatch.setattr(evaluation, "_PACKAGE_DIR", isolated)


def test_root_explicit(tmp_path):
    assert find_benchmarks_root(tmp_path, environ={}) == tmp_path


def test_root_explicit_missing_is_an_error(tmp_path):
    with pytest.raises(EvaluationError, match="--data"):
        find_benchmarks_root(tmp_path / "nowhere", environ={})


def test_root_from_environment(tmp_path):
    assert find_benchmarks_root(None, environ={"SITREPS_BENCHMARKS": str(tmp_path)}) == tmp_path


def test_root_from_bad_environment_is_an_error(tmp_path):
    with pytest.raises(EvaluationError, match="SITREPS_BENCHMARKS"):
        find_benchmarks_root(None, environ={"SITREPS_BENCHMARKS": str(tmp_path / "nowhere")})


def test_root_found_in_a_parent(tmp_path, no_checkout_search):
    data = tmp_path / "shared" / "benchmarks"
    data.mkdir(parents=True)
    deep = tmp_path / "project" / "src" / "pkg"
    deep.mkdir(parents=True)
    assert find_benchmarks_root(None, environ={}, cwd=deep) == data.resolve()
    # shared/benchmarks beside a checkout: ../shared/benchmarks from the checkout.
    assert find_benchmarks_root(None, environ={}, cwd=tmp_path / "project") == data.resolve()


def test_root_not_found_says_what_was_tried(tmp_path, no_checkout_search):
    somewhere = tmp_path / "empty"
    somewhere.mkdir()
    with pytest.raises(EvaluationError) as error:
        find_benchmarks_root(None, environ={}, cwd=somewhere)
    message = str(error.value)
    assert "--data DIR" in message and "SITREPS_BENCHMARKS" in message
    assert str(somewhere.resolve() / "shared" / "benchmarks") in message


# --- registry and table ----------------------------------------------------------------


def test_registry_entries_are_complete():
    assert {"article-extraction", "seeds-cleaning"} <= set(BENCHMARKS)
    for name, benchmark in BENCHMARKS.items():
        assert benchmark.name == name
        assert benchmark.folder and not Path(benchmark.folder).is_absolute()
        assert benchmark.description and "\n" not in benchmark.description
        assert callable(benchmark.run)


def test_unknown_benchmark_lists_the_known_ones(settings):
    with pytest.raises(EvaluationError) as error:
        evaluate("no-such-benchmark", settings=settings)
    for name in BENCHMARKS:
        assert name in str(error.value)


def test_missing_benchmark_folder_is_an_error(tmp_path, settings):
    with pytest.raises(EvaluationError, match="seeds"):
        evaluate("seeds-cleaning", data_dir=tmp_path, settings=settings)


def test_format_table():
    table = format_table(
        {
            "benchmark": "demo",
            "metrics": {"shingle_f1": 0.95754, "pages": 181, "pages_per_second": 40.0},
            "details": {"ignored": True},
        }
    )
    lines = table.splitlines()
    assert lines[0] == "benchmark: demo"
    assert "0.958" in table and "181" in table and "40.000" in table
    assert "ignored" not in table
    rows = lines[1:]
    assert len({len(row) for row in rows}) == 1  # aligned columns
    assert [row.split()[0] for row in rows[2:]] == ["shingle_f1", "pages", "pages_per_second"]


def test_importing_evaluate_does_not_load_the_cleaner():
    code = (
        "import sys, sitreps.evaluate; "
        "print(any(m.startswith(('trafilatura', 'spacy', 'sitreps.clean')) for m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "False"


# --- the seeds helpers, on seeds written here -------------------------------------------------

# Our own small article, with furniture, in the shape of the seed files.
FAKE_SEED = "\n".join(
    [
        "Militia repels raid on hill town",  # 0 title
        "",
        "Photo by: Example Agency",  # 2 photo credit
        "",
        "Updated Mar 3, 2021",  # 4 date
        "",
        "A militia said on Tuesday it had repelled a raid on the hill town, killing at least six "
        "attackers.",  # 6
        "",
        "Residents said the fighting lasted two hours.",  # 8
        "",
        "Leave a comment",  # 10
        "",
        "four + 3 =",  # 12 captcha
    ]
)
FAKE_GOLD = {
    "id": "seed_000",
    "published": "2021-03-03",
    "published_source": "text",
    "events": [
        {
            "type": "battle",
            "evidence": "A militia said on Tuesday it had repelled a raid on the hill town, "
            "killing at least six attackers.",
            "fatalities": [{"count_low": 6, "text": "at least six attackers"}],
        },
        {"type": "battle", "optional": True, "evidence": "the fighting lasted two hours"},
    ],
}


def _sha(line: str) -> str:
    return hashlib.sha1(line.strip().encode("utf-8")).hexdigest()[:8]


@pytest.fixture
def fake_seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "seed_000.txt").write_text(FAKE_SEED, encoding="utf-8")
    (folder / "seed_000.gold.json").write_text(json.dumps(FAKE_GOLD), encoding="utf-8")
    lines = FAKE_SEED.split("\n")
    rows = [
        {"line": 2, "category": "photo_credit", "sha1": _sha(lines[2])},
        {"line": 4, "category": "meta", "sha1": _sha(lines[4])},
        {"line": 10, "category": "comment_form", "sha1": _sha(lines[10])},
        {"line": 12, "category": "captcha", "sha1": _sha(lines[12])},
    ]
    annotations = tmp_path / "seeds_junk.json"
    annotations.write_text(
        json.dumps(
            {
                "junk_categories": ["captcha", "comment_form", "photo_credit"],
                "seeds": {"seed_000": rows},
            }
        ),
        encoding="utf-8",
    )
    return folder, annotations


def test_read_seeds_and_gold_strings(fake_seeds):
    folder, _ = fake_seeds
    (seed,) = read_seeds(folder)
    assert seed.id == "seed_000" and seed.text == FAKE_SEED
    strings = gold_strings(seed)
    assert [(s.event, s.field, s.optional) for s in strings] == [
        (0, "evidence", False),
        (0, "fatalities", False),
        (1, "evidence", True),
    ]


def test_read_seeds_needs_seed_files(tmp_path):
    with pytest.raises(EvaluationError, match="seed_NNN.txt"):
        read_seeds(tmp_path)


def test_line_spans_and_whitespace():
    assert line_spans("ab\n\ncd") == [(0, 2), (3, 3), (4, 6)]
    assert normalize_whitespace(" two\u00a0words\n\tand  more ") == "two words and more"


def test_changed_seed_is_detected(fake_seeds):
    folder, annotations = fake_seeds
    (folder / "seed_000.txt").write_text(FAKE_SEED.replace("four + 3", "five + 3"), "utf-8")
    with pytest.raises(EvaluationError, match="seed_000 line 12"):
        seeds_cleaning.load_annotations(annotations, read_seeds(folder))


def test_seeds_cleaning_on_our_own_seed(fake_seeds, settings):
    pytest.importorskip("sitreps.clean", reason="the cleaner (sitreps.clean) is not written yet")
    folder, annotations = fake_seeds
    result = seeds_cleaning.run(folder, settings=settings, annotations=annotations)
    metrics = result["metrics"]
    assert result["benchmark"] == "seeds-cleaning"
    assert metrics["evidence_strings"] == 3
    assert metrics["junk_lines"] == 3
    assert set(metrics) >= {
        "evidence_kept",
        "junk_removed",
        "junk_removed_captcha",
        "body_lost",
        "published_accuracy",
    }
    assert metrics["body_lost"] == len(result["details"]["body_lost"])
    (seed,) = result["details"]["seeds"]
    assert [line["line"] for line in seed["lines"]] == [2, 4, 10, 12]
    json.dumps(result)  # the whole result is JSON-ready


def test_article_extraction_on_our_own_pages(tmp_path, settings):
    pytest.importorskip("sitreps.clean", reason="the cleaner (sitreps.clean) is not written yet")
    from sitreps.evaluate import article_extraction

    paragraphs = [
        "Local officials said the bridge over the river reopened on Friday after repairs.",
        "Traffic had been diverted through two villages for most of the spring months.",
        "The regional council promised to inspect the other crossings before the winter.",
    ]
    html = (
        "<html><head><title>Bridge reopens</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<article><h1>Bridge reopens</h1>"
        + "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        + "</article><footer>Copyright Example Paper</footer></body></html>"
    )
    page_id = "0" * 64
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
    (tmp_path / "ground-truth.json").write_text(
        json.dumps(
            {page_id: {"articleBody": "\n".join(paragraphs), "url": "https://example.org/a"}}
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out" / "predictions.json"
    result = article_extraction.run(tmp_path, settings=settings, predictions_out=out, n_bootstrap=5)
    metrics = result["metrics"]
    assert metrics["pages"] == 1
    assert 0.0 <= metrics["shingle_f1"] <= 1.0
    assert "trafilatura_ref_f1" not in metrics  # no reference outputs in this folder
    predictions = json.loads(out.read_text("utf-8"))
    assert set(predictions) == {page_id}
    assert "bridge over the river" in predictions[page_id]["articleBody"]


# --- on the benchmark data (skipped when absent) --------------------------------------------

# From article-extraction/README.md: F1, precision, recall, accuracy, and the published F1 std.
REFERENCE_NUMBERS = {
    "trafilatura": (0.958, 0.938, 0.978, 0.293, 0.006),
    "readability": (0.922, 0.913, 0.931, 0.315, 0.013),
    "html-text": (0.665, 0.500, 0.994, 0.000, 0.015),
}


@pytest.mark.benchmark_data
@needs_data
@pytest.mark.parametrize("name", sorted(REFERENCE_NUMBERS))
def test_scorer_reproduces_the_reference_numbers(name):
    from sitreps.evaluate.article_extraction import score_reference

    data = DATA_ROOT / "article-extraction"
    if not (data / "reference-outputs" / f"{name}.json").is_file():
        pytest.skip(f"{data} has no reference-outputs/{name}.json")
    scores = score_reference(data, name)
    f1, precision, recall, accuracy, f1_std = REFERENCE_NUMBERS[name]
    assert scores.pages == 181
    assert scores.f1 == pytest.approx(f1, abs=0.001)
    assert scores.precision == pytest.approx(precision, abs=0.001)
    assert scores.recall == pytest.approx(recall, abs=0.001)
    assert scores.accuracy == pytest.approx(accuracy, abs=0.001)
    # The bootstrap draws differ from the published run's, so the spread only roughly agrees.
    assert scores.f1_std == pytest.approx(f1_std, abs=0.003)


@pytest.mark.benchmark_data
@needs_data
def test_junk_annotations_match_the_seed_files():
    seeds = read_seeds(DATA_ROOT / "seeds")
    by_seed, junk_categories = seeds_cleaning.load_annotations(
        seeds_cleaning.default_annotations(), seeds
    )
    assert set(by_seed) == {seed.id for seed in seeds}
    assert "caption" not in junk_categories and "meta" not in junk_categories


@pytest.fixture(scope="module")
def seeds_result(settings):
    if DATA_ROOT is None:
        pytest.skip("benchmark data not found (no ../shared/benchmarks, $SITREPS_BENCHMARKS unset)")
    pytest.importorskip("sitreps.clean", reason="the cleaner (sitreps.clean) is not written yet")
    return evaluate("seeds-cleaning", data_dir=DATA_ROOT, settings=settings)


# Acceptance floors of the cleaner. When one fails, the details name the seed and line.
@pytest.mark.benchmark_data
@needs_data
def test_seeds_cleaning_keeps_every_gold_string(seeds_result):
    assert seeds_result["metrics"]["evidence_kept"] == 1.0, seeds_result["details"]["body_lost"]


@pytest.mark.benchmark_data
@needs_data
def test_seeds_cleaning_removes_every_junk_line(seeds_result):
    assert seeds_result["metrics"]["junk_removed"] == 1.0, seeds_result["details"]["junk_kept"]


@pytest.mark.benchmark_data
@needs_data
def test_seeds_cleaning_reads_publication_dates(seeds_result):
    metrics = seeds_result["metrics"]
    wrong = seeds_result["details"]["published_wrong"]
    assert metrics["published_accuracy"] == 1.0, wrong
    assert metrics["published_null_correct"] == 1.0, wrong


def test_bcubed_is_shared_by_the_clustering_benchmarks():
    from sitreps.evaluate import base, gva, seeds_clusters

    assert gva.bcubed is base.bcubed is seeds_clusters.bcubed
    # Two items together that the gold keeps apart, one item alone: P 2/3, R 1.
    precision, recall, f1 = base.bcubed({"a": "x", "b": "x", "c": "y"}, {"a": "1", "b": "2", "c": "3"})
    assert (round(precision, 3), recall) == (0.667, 1.0)
    assert f1 == pytest.approx(0.8)
