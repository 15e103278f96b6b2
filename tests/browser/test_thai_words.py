"""On a phone, Thai names and village names break between words, never inside one.

Chromium finds the boundaries between Thai words with its dictionary, as Intl.Segmenter does;
a line break that falls inside one of the segmenter's words ("บ้านหน|องกุงเซิน") is what
``overflow-wrap: anywhere`` makes when a narrow column squeezes its text."""

import pytest

from districts.models import Village
from fieldwork.models import Household

pytestmark = pytest.mark.browser

# Every word of the page's main part (or of ``root``) that spans two lines: where each of its
# characters is drawn (Range.getClientRects) tells on which lines it lies.
WORDS_SPLIT_ACROSS_LINES = """(root) => {
    const words = new Intl.Segmenter('th', {granularity: 'word'});
    const split = [];
    const texts = document.createTreeWalker(
        document.querySelector(root || 'main'), NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
        for (const {segment, index, isWordLike} of words.segment(node.data)) {
            if (!isWordLike || segment.length < 2) continue;
            const lines = new Set();
            for (let i = 0; i < segment.length; i++) {
                const range = document.createRange();
                range.setStart(node, index + i);
                range.setEnd(node, index + i + 1);
                for (const box of range.getClientRects()) {
                    if (box.width > 0) lines.add(Math.round(box.bottom));
                }
            }
            if (lines.size > 1) {
                split.push(`${segment} (${node.parentElement.closest('td, th, li, a, p, div')
                    .textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)})`);
            }
        }
    }
    return split;
}"""

PAGES = {
    "board": "/districts/4016/assignments/?year=2560",
    "targets": "/districts/4016/?year=2560",
    "households": "/districts/4016/households/?year=2560",
    "network": "/districts/4016/network/?year=2560",
}


@pytest.mark.parametrize("name", PAGES)
def test_thai_words_are_never_split_across_lines_on_a_phone(phone, name):
    # long names, as real ones are, that a phone's column cannot hold on one line
    for village in Village.objects.filter(tambon__district_id="4016").order_by("code")[:6]:
        Village.objects.filter(pk=village.pk).update(name_th=f"{village.name_th}หนองกุงเซินพัฒนา")
    for household in Household.objects.filter(target__village__tambon__district_id="4016")[:6]:
        Household.objects.filter(pk=household.pk).update(
            head_name="นางสาวพรรณนิภาภรณ์ ศรีสุวรรณวงศ์ไพศาล"
        )
    phone.login("phuwiang-head")
    page = phone.goto(PAGES[name])
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    phone.shot(f"thai-words-{name}-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(WORDS_SPLIT_ACROSS_LINES) == []
