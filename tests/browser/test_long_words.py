"""A word with no break in it (a 300-character name typed without spaces) wraps on a phone
instead of widening the page; normal Thai text in a table wider than the screen still
breaks only between words."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_thai_words import WORDS_SPLIT_ACROSS_LINES

pytestmark = pytest.mark.browser

LONG = "ก" * 150 + "x" * 150
PAGE = """<!doctype html><html lang="th"><head><meta name="viewport" content="width=device-width">
<style>{css}</style></head><body><main class="container">
<div class="alert alert-success">บันทึกปราชญ์ {long} แล้ว</div>
<ul><li>{long}</li></ul>
<div class="form-check"><input class="form-check-input" type="checkbox" id="c">
  <label class="form-check-label" for="c">{long} (ทอผ้าไหม)</label></div>
<div class="table-responsive" id="long"><table class="table"><tbody>
  <tr><td>{long}</td><td>043222436</td><td class="text-end">40,000</td></tr></tbody></table></div>
<div class="table-responsive" id="wide"><table class="table"><tbody><tr>{cells}</tr></tbody>
</table></div>
<table class="table" id="squeezed"><tbody><tr>
  <td><div class="form-check"><input class="form-check-input" type="checkbox" id="s">
    <label class="form-check-label" for="s">นางสาวพรรณนิภาภรณ์ ศรีสุวรรณวงศ์ไพศาล</label></div></td>
  <td><ul class="mb-0"><li>บ้านหนองกุงเซิน หมู่ที่ 3</li><li>ตำบลกุดขอนแก่น</li></ul></td>
  <td>ทอผ้าไหมมัดหมี่ย้อมสีธรรมชาติ</td><td class="text-end">40,000</td></tr></tbody></table>
</main></body></html>"""


def test_a_long_word_wraps_on_a_phone_and_thai_words_stay_whole(browser):
    css = "\n".join(
        Path(finders.find(path)).read_text(encoding="utf-8")
        for path in ("vendor/bootstrap/css/bootstrap.min.css", "css/portal.css")
    )
    # a table wider than the screen of ordinary Thai names: it scrolls, its words unbroken
    cells = "".join(f"<td>พระนครศรีอยุธยา {i}</td>" for i in range(8))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_content(PAGE.format(css=css, long=LONG, cells=cells))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("document.querySelector('#long').scrollWidth") < 1000
    # each cell at least as wide as its longest word, as the browser breaks Thai by itself
    split = page.evaluate(
        """() => [...document.querySelectorAll('#wide td')].filter(td => {
            const probe = document.createElement('span');
            probe.style.cssText = 'position:absolute;width:min-content;overflow-wrap:normal';
            probe.textContent = td.textContent;
            td.appendChild(probe);
            const word = probe.getBoundingClientRect().width;
            probe.remove();
            const style = getComputedStyle(td);
            const room = td.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return word > room + 1;
        }).length"""
    )
    assert split == 0
    # a name in a list or a checkbox's label inside a table's column that the other columns
    # squeeze: it wraps between words, never inside one
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "long-words-phone.png"), full_page=True)
    assert page.evaluate(WORDS_SPLIT_ACROSS_LINES, "#squeezed") == []
    context.close()
