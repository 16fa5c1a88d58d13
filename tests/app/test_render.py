"""How an answer reads in the chat app and the terminal."""

from assistant.answering.answer import Answer
from assistant.answering.render import render_text
from assistant.app.render import answer_markdown


def test_a_question_read_otherwise_than_typed_says_how_it_was_read():
    ans = Answer("and SCRA?", "SCRA statistics — held by: SCRA. [1]", False, read_as="Who holds the SCRA statistics?")
    assert answer_markdown(ans).startswith("*Read as: Who holds the SCRA statistics?*")
    assert render_text(ans).splitlines()[0] == "(Read as: Who holds the SCRA statistics?)"
    # Typed as read: no such line.
    plain = Answer("Who holds the SCRA statistics?", "SCRA statistics — held by: SCRA. [1]", False)
    assert "Read as" not in answer_markdown(plain) and "Read as" not in render_text(plain)
    # The question as read is document-derived text too: escaped, never markup.
    odd = Answer("and *x*?", "-", True, read_as="Who holds <b>x</b>?")
    assert "<b>" not in answer_markdown(odd)
