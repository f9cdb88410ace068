"""Hostile review input (reviewer names, rewrites, manual corrections) stays escaped in every view of
the review (the panel, the corrections list, what readers see, the API) and in every export format
(see test_review.py for TEI, Markdown, text and JSON through `reissue export`)."""

import json
import re

from conftest import HOSTILE_IMG, HOSTILE_SCRIPT
from reissue.index import Library
from reissue.review import edit_expect
from reissue.web.server import make_app
from test_web import EID, Client, assert_no_live_markup

NAME = '<script>alert(1)</script>"\' Ann'
BASE = "/lib"


def corr_id(db, before):
    lib = Library(db, readonly=True)
    try:
        e = next(e for e in lib.edits(EID).values() if e["stage"] == "correct" and e["before"] == before)
        return e
    finally:
        lib.close()


def test_hostile_review_input_is_escaped_in_every_view(library):
    db = str(library)
    lib = Library(db)
    brown, com = corr_id(db, "hrown"), corr_id(db, "Comintem")
    lib.decide(EID, action="rewrite", reviewer=NAME, edit=brown["id"], text=HOSTILE_IMG, expect=edit_expect(brown))
    lib.decide(EID, action="accept", reviewer=NAME, edit=com["id"], expect=edit_expect(com))
    p4 = lib.text_item(EID, "p4")["text"]
    s = p4.index("guards")
    lib.decide(EID, action="manual", reviewer=NAME, item="p4", start=s, end=s + 6, text=HOSTILE_SCRIPT, expect="guards")
    lib.close()
    review = Client(make_app(db, review=True, base_url=BASE))
    public = Client(make_app(db, base_url=BASE))
    bodies = {}
    for name, client, path in (("panel", review, "/edition/{}/page/5"), ("panel6", review, "/edition/{}/page/6"),
                               ("corrections", review, "/edition/{}/corrections"),
                               ("public", public, "/edition/{}/page/5"), ("public6", public, "/edition/{}/page/6"),
                               ("public-corrections", public, "/edition/{}/corrections")):
        st, _, body = client.get(path.format(EID))
        assert st == 200, name
        assert_no_live_markup(body)
        bodies[name] = body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39; Ann" in bodies["corrections"]
    # the reviewer's rewrite shows as text in the panel's rewrite box and in the reading text
    assert 'value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in bodies["panel"]
    assert "Rewritten by &lt;script&gt;" in bodies["public"]
    assert "Corrected by &lt;script&gt;" in bodies["panel6"]
    # every form posts under the base URL
    actions = set(re.findall(r'<form method="post" action="([^"]+)"', bodies["panel"]))
    assert actions == {f"{BASE}/edition/{EID}/review"}
    # JSON: the very strings, nothing lost or mangled
    st, _, body = public.get(f"/api/edition/{EID}")
    decs = json.loads(body)["review_decisions"]
    assert {d["reviewer"] for d in decs} == {NAME} and {d["text"] for d in decs} >= {HOSTILE_IMG, HOSTILE_SCRIPT}
    st, hd, _ = public.get(f"/api/edition/{EID}")
    assert hd["Content-Type"].startswith("application/json") and hd["X-Content-Type-Options"] == "nosniff"
