"""Cleaning: line classes, the body with its offset map, and the page's metadata."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from sitreps.clean import make_document
import datetime as dt

from sitreps.clean.dates import date_from_url, find_dates, opening_date
from sitreps.config import load_settings
from sitreps.ingest import RawInput
from sitreps.records import Document, Skip, document_id

SETTINGS = load_settings(environ={})

PAGE = """Militia convoy ambushed on the road to Tessit
Sahel Dispatch
Published: 14 March 2024 09:15 GMT
By Amina Traoré
Share
Tweet
Gunmen on motorbikes near the river crossing. Photo: Sahel Dispatch
GAO, Mali (AFP) - Gunmen ambushed a convoy of militia fighters on the road to Tessit on Tuesday, killing at least nine of them, a local official said.

The official said the attackers had laid a roadside bomb before opening fire.
Residents described hours of gunfire that spread to the outskirts of the village.

What comes next for the region

Analysts say the attack shows how far the insurgents can now move.

Source: AFP
Leave a Reply
Your email address will not be published. Required fields are marked *
seven + 3 =
Join our daily briefing newsletter
Related Posts:
Soldiers killed in ambush near Menaka
Dozens of fighters died when a convoy was hit last month. Read more
Convoy hit by mine in the east
"""


def _document(text: str, **metadata) -> Document:
    result = make_document(RawInput(source="page.txt", content=text, **metadata), settings=SETTINGS)
    assert isinstance(result, Document), result
    return result


def _kinds(document: Document) -> dict[str, tuple[str, str]]:
    return {document.original[l.start : l.end]: (l.kind, l.reason) for l in document.lines}


def test_page_lines_are_classified():
    kinds = _kinds(_document(PAGE))
    assert kinds["Militia convoy ambushed on the road to Tessit"] == ("meta", "title")
    assert kinds["Published: 14 March 2024 09:15 GMT"] == ("meta", "date")
    assert kinds["By Amina Traoré"] == ("meta", "byline")
    assert kinds["Share"] == ("junk", "share")
    assert kinds["Gunmen on motorbikes near the river crossing. Photo: Sahel Dispatch"][0] == "caption"
    assert kinds["What comes next for the region"] == ("meta", "heading")
    assert kinds["Source: AFP"] == ("meta", "source_line")
    assert kinds["Leave a Reply"] == ("junk", "comment")
    assert kinds["seven + 3 ="] == ("junk", "captcha")
    assert kinds["Join our daily briefing newsletter"] == ("junk", "newsletter")
    assert kinds["Related Posts:"] == ("junk", "related_header")
    # Teasers of other stories in the related tail never reach the body.
    for teaser in ("Soldiers killed in ambush near Menaka", "Convoy hit by mine in the east"):
        assert kinds[teaser][0] == "junk"


def test_body_keeps_paragraphs_and_maps_back():
    document = _document(PAGE)
    assert document.text.startswith("GAO, Mali (AFP) - Gunmen ambushed")
    assert "Read more" not in document.text and "Share" not in document.text
    # Adjacent lines stay one newline apart, paragraphs a blank line apart.
    assert "said.\nResidents" not in document.text
    assert "before opening fire.\nResidents described" in document.text
    assert "said.\n\nThe official" in document.text
    for segment in document.segments:
        clean = document.text[segment.clean : segment.clean + segment.length]
        assert clean == document.original[segment.orig : segment.orig + segment.length]
    offset = document.text.index("roadside bomb")
    assert document.original[document.original_offset(offset) :].startswith("roadside bomb")


def test_metadata_from_the_text():
    document = _document(PAGE)
    assert document.title == "Militia convoy ambushed on the road to Tessit"
    assert document.published.date == "2024-03-14"
    assert document.published.source == "text"
    assert document.published.evidence.text == "14 March 2024"
    assert document.byline == "Amina Traoré"
    assert document.dateline == "GAO, Mali"
    assert document.wire == "AFP"
    evidence = dict(document.meta_evidence)
    assert document.original[evidence["byline"].start : evidence["byline"].end] == "Amina Traoré"
    assert evidence["dateline"].text == "GAO, Mali"


def test_published_precedence_metadata_over_text_over_url():
    text = "Posted on 2 May 2021\n\nFighting resumed near the airport, residents said.\n"
    url = "https://news.example.org/2019/06/04/fighting"
    assert _document(text, published="2021-05-01").published.source == "metadata"
    assert _document(text, published="2021-05-01").published.date == "2021-05-01"
    assert _document(text, url=url).published.date == "2021-05-02"
    undated = "Fighting resumed near the airport, residents said.\n"
    from_url = _document(undated, url=url).published
    assert (from_url.date, from_url.source) == ("2019-06-04", "url")
    assert _document(undated).published.date is None
    assert _document(undated).published.source == "unknown"


def test_published_line_beats_update_line():
    text = "Updated 3 May 2021\nPublished 2 May 2021\n\nShelling hit the market, officials said.\n"
    assert _document(text).published.date == "2021-05-02"


def test_dates_in_body_sentences_are_not_publication_dates():
    text = (
        "Clashes near the dam\n\nOn 4 May 2015 fighters attacked the dam, and on 12 June 2015 "
        "the army retook it, the monitor said in a long statement on the battle.\n"
    )
    assert _document(text).published.date is None


def test_invalid_metadata_date_is_ignored_not_guessed():
    document = _document("Troops withdrew from the town, officials said.\n", published="sometime in May")
    assert document.published.date is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Updated Jul 28, 2015", "2015-07-28"),
        ("Sunday, 24 May 2015", "2015-05-24"),
        ("2019-06-04T10:42:00Z", "2019-06-04"),
        ("4th of June 2019", "2019-06-04"),
        ("Sept. 3, 2020", "2020-09-03"),
        ("25/12/2018", "2018-12-25"),
        ("03/04/2018", None),  # day and month cannot be told apart
        ("31 February 2019", None),
        ("June 2019", None),  # no day: not a date of publication
    ],
)
def test_find_dates(text, expected):
    found = find_dates(text)
    assert (found[0].iso if found else None) == expected


_RUN_ON = " Shelling of the market town killed four people, a local council said on Sunday.\n"


@pytest.mark.parametrize(
    "opening, expected, evidence",
    [
        ("Tue 9 Jan 2024", "2024-01-09", "9 Jan 2024"),
        ("Tuesday, 9 January 2024", "2024-01-09", "9 January 2024"),
        ("Tue Jan 9 2024", "2024-01-09", "Jan 9 2024"),
        ("9 January 2024", "2024-01-09", "9 January 2024"),
        ("January 9 2024", "2024-01-09", "January 9 2024"),
        ("January 9, 2024", "2024-01-09", "January 9, 2024"),
        ("Posted on January 9 2024 by Staff Writer", "2024-01-09", "January 9 2024"),
        ("Published Jan 9 2024", "2024-01-09", "Jan 9 2024"),
        ("Date of publication 9 January 2024", "2024-01-09", "9 January 2024"),
        ("Last updated at Jan 092024", "2024-01-09", "Jan 092024"),  # digits run together
        ("Last updated on Nov 302023", "2023-11-30", "Nov 302023"),
        ("Updated Mar 52024", "2024-03-05", "Mar 52024"),
        ("09.01.2024", "2024-01-09", "09.01.2024"),  # day first
        ("09-01-2024", "2024-01-09", "09-01-2024"),
        ("9.1.2024(updated 1130 9.1.2024)", "2024-01-09", "9.1.2024"),
        ("2024-01-09", "2024-01-09", "2024-01-09"),
        ("Convoy hit near the border crossing Monitor AFP Tuesday 9 Jan 2024", "2024-01-09", "9 Jan 2024"),
    ],
)
def test_dateline_opening_the_text_is_the_publication_date(opening, expected, evidence):
    document = _document(opening + _RUN_ON)
    assert (document.published.date, document.published.source) == (expected, "text")
    found = document.published.evidence
    assert found.of == "original" and found.text == evidence
    assert document.original[found.start : found.end] == evidence
    # Read as a line of its own near the top, too.
    alone = _document(f"Market town shelled\n\n{opening}\n\n{_RUN_ON.strip()}\n")
    assert alone.published.date == expected


@pytest.mark.parametrize(
    "text",
    [
        "On 4 May 2015 fighters attacked the dam and the army retook it the next day.",
        "On Monday 4 May 2015 fighters attacked the dam, the monitor said.",
        "Fighters attacked the dam on Monday 4 May 2015, the monitor said in a statement.",
        "The monitor said Monday 4 May 2015 was the deadliest day of the offensive so far.",
        "Clashes went on. Monday 4 May 2015 brought the heaviest fighting of the offensive.",
        "Mon 5 May 2015 Fighters attacked the dam.",  # 5 May 2015 was a Tuesday
        "31.02.2015 Fighters attacked the dam.",  # no such day
        "04/05/2015 Fighters attacked the dam.",  # slashes: April or May? Unknown stays unknown
        "05.13.2015 Fighters attacked the dam.",  # day first, and no month 13: not swapped
        "Last updated at Apr 2015 Fighters attacked the dam.",  # no day
        "Last updated at Apr 1232015 Fighters attacked the dam.",  # seven digits: no one reading
        "Last updated at Apr 322015 Fighters attacked the dam.",  # day 32
        "Fighters attacked the dam near the town as government forces and allied militias "
        "massed Monday 4 May 2015 to the south.",  # past the opening
    ],
)
def test_dates_in_sentences_and_impossible_datelines_are_not_read(text):
    document = _document(text + "\n")
    assert document.published.date is None
    assert document.published.source == "unknown"


def test_dateline_only_at_the_opening_of_the_text():
    headline = "Market town shelled\n\n"
    body = "Shelling hit the market on Sunday, killing four people, the council said.\n\n"
    assert _document(headline + "Sun 7 Jan 2024 " + body).published.date == "2024-01-07"
    # The same run-on date deeper in the text is a sentence's, not the page's.
    assert _document(headline + body * 3 + "Sun 7 Jan 2024 " + body).published.date is None


def test_dateline_run_on_stays_in_the_body():
    document = _document("Sun 7 Jan 2024 Shelling hit the market on Sunday, killing four people, the council said.\n")
    assert document.text.startswith("Sun 7 Jan 2024 Shelling")
    assert document.published.date == "2024-01-07"


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2039, 12, 31)))
def test_opening_date_reads_every_form_of_any_day(day):
    month = day.strftime("%b")
    weekday = day.strftime("%a")
    for opening in (
        f"{weekday} {day.day} {month} {day.year}",
        f"Posted on {day.strftime('%B')} {day.day} {day.year}",
        f"Last updated at {month} {day.day:02d}{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day}-{day.month}-{day.year}",
        day.isoformat(),
    ):
        found = opening_date(opening + " Fighters attacked the town.")
        assert found is not None and found.date == day, opening


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://a.example/2014/09/22/story", "2014-09-22"),
        ("https://a.example/news/20140922/story", "2014-09-22"),
        ("https://a.example/2014-09-22-story.html", "2014-09-22"),
        ("https://a.example/2014/09/story", None),
        ("https://a.example/story?id=20140922", None),
    ],
)
def test_date_from_url(url, expected):
    match = date_from_url(url)
    assert (match.iso if match else None) == expected


@pytest.mark.parametrize(
    "line, kind",
    [
        ("nine − 5 =", "junk"),
        ("8 + 17 =", "junk"),
        ("four × 2 = ?", "junk"),
        ("Send this to a friend", "junk"),
        ("• Short link :", "junk"),
        ("No comments:", "junk"),
        ("Post a Comment", "junk"),
        ("Sign up for our weekly newsletter", "junk"),
        ("For the latest news follow us on Twitter", "junk"),
        ("We use cookies to improve your experience.", "junk"),
        ("Advertisement", "junk"),
        ("© 2024 Sahel Dispatch. All rights reserved.", "junk"),
        ("Photo by: Reuters", "caption"),
        ("Smoke over the depot. (Reuters/Jane Roe)", "caption"),
        ("Fighters near the ridge / twitter", "caption"),
        ("Militants at a checkpoint. File photo", "caption"),
        ("Reporting by: Jane Roe", "meta"),
        ("Wire staff and agencies", "meta"),
        ("Tags: Mali, Sahel", "meta"),
    ],
)
def test_furniture_lines(line, kind):
    text = f"Story title\n\nThe army said it repelled an attack on the base, killing several assailants.\n\n{line}\n\nResidents said the fighting lasted for several hours before dawn.\n"
    assert _kinds(_document(text))[line][0] == kind


def test_long_paragraph_mentioning_furniture_words_stays_body():
    paragraph = (
        "The governor said the group would follow us into every village if the army left, and "
        "that residents who share information with soldiers have been threatened, beaten or "
        "abducted by fighters who print leaflets warning of punishment for anyone who helps the "
        "troops, according to three witnesses who spoke on condition of anonymity."
    )
    assert _kinds(_document(f"Title line\n\n{paragraph}\n"))[paragraph] == ("body", "paragraph")


def test_wrapped_paragraph_is_not_a_heading():
    text = "Title line\n\nThe convoy was attacked near the bridge\nby gunmen who fled on motorbikes.\n"
    kinds = _kinds(_document(text))
    assert kinds["The convoy was attacked near the bridge"] == ("body", "paragraph")


def test_same_content_same_id_whitespace_insensitive():
    a = _document("Headline\n\nTroops entered the town on Monday.\n")
    b = _document("Headline\r\n\r\nTroops  entered the town\ton Monday.   \r\n")
    assert a.id == b.id == document_id("Troops entered the town on Monday.")


def test_only_furniture_is_a_skip():
    result = make_document(RawInput(source="x.txt", content="Share\nTweet\nLeave a comment\n"), settings=SETTINGS)
    assert isinstance(result, Skip) and result.reason == "no_text"


def test_html_page_body_and_metadata():
    paragraphs = "".join(
        f"<p>Paragraph {n}: residents of the district reported heavy shelling overnight, and "
        f"local officials said emergency crews were still searching damaged homes.</p>"
        for n in range(1, 5)
    )
    html = f"""<!doctype html><html lang="en"><head><title>Night shelling - Front Line Post</title>
    <meta property="og:title" content="Night shelling hits district">
    <meta property="og:site_name" content="Front Line Post">
    <meta property="article:published_time" content="2023-07-03T10:42:00Z">
    <meta name="author" content="Jane Roe"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Night shelling hits district</h1>{paragraphs}
    <figure><img src="a.jpg"><figcaption>Smoke over the district. (Reuters/Jane Roe)</figcaption></figure>
    </article><aside><h3>Related</h3><a href="/x">Another story</a></aside>
    <form><label>Leave a Reply</label><textarea></textarea></form>
    <footer>© 2023 Front Line Post</footer><script>var x = 1;</script></body></html>"""
    result = make_document(RawInput(source="p.html", content=html, format="html"), settings=SETTINGS)
    assert isinstance(result, Document), result
    assert result.title == "Night shelling hits district"
    assert result.outlet == "Front Line Post"
    assert result.byline == "Jane Roe"
    assert result.language == "en"
    assert (result.published.date, result.published.source) == ("2023-07-03", "metadata")
    assert "Paragraph 4: residents" in result.text
    for junk in ("var x", "© 2023", "Home", "(Reuters/Jane Roe)"):
        assert junk not in result.text


def test_deeply_nested_html_is_skipped_with_reason():
    html = "<html><body>" + "<div>" * 5000 + "<p>Text</p>" + "</div>" * 5000 + "</body></html>"
    result = make_document(RawInput(source="deep.html", content=html, format="html"), settings=SETTINGS)
    assert isinstance(result, Skip)
    assert result.reason == "html_too_deep"
    assert "1000" in result.message


_LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x85\u2028\u2029"), max_size=60)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=15))
def test_offset_map_always_points_at_the_same_characters(lines):
    result = make_document(RawInput(source="h.txt", content="\n".join(lines)), settings=SETTINGS)
    if isinstance(result, Skip):
        assert result.reason == "no_text"
        return
    for segment in result.segments:
        assert (
            result.text[segment.clean : segment.clean + segment.length]
            == result.original[segment.orig : segment.orig + segment.length]
        )
    body = [line for line in result.lines if line.kind == "body"]
    assert len(body) == len(result.segments)


def test_published_evidence_says_where_it_was_read():
    url = "https://news.example.org/2019/06/04/fighting"
    undated = "Fighting resumed near the airport, residents said.\n"
    from_url = _document(undated, url=url).published.evidence
    assert from_url.of == "url" and url[from_url.start : from_url.end] == from_url.text
    assert from_url.text.startswith("2019")
    given = _document(undated, published="2021-05-01").published.evidence
    assert (given.of, given.text) == ("metadata", "2021-05-01")
    in_text = _document("Posted on 2 May 2021\n\n" + undated)
    evidence = in_text.published.evidence
    assert evidence.of == "original" and in_text.original[evidence.start : evidence.end] == "2 May 2021"
