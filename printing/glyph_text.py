"""Hindi in a PDF reads back as the text that was printed (copy, search, extraction).

Shaping turns Devanagari into glyphs that have no character of their own: a
conjunct ("प्र", "क्ष"), a half form, a reph, a vowel sign ि drawn before its
consonant. reportlab (pdfbase/ttfonts.py, `shapeFragWord` and
`TTFont.__addPrivate`) gives each such glyph a private-use code (U+E000 on) and
its ToUnicode CMap maps the glyph to that code, so a reader extracting the text
gets private-use characters; and a reordered ि comes out before its consonant.

Here every shaped word is looked at right after reportlab shapes it: each
HarfBuzz cluster (the glyphs made from one run of the input text, in the order
they are drawn) whose glyphs do not spell its text in order is redrawn with
codes of our own that stand for pieces of the cluster's text, which joined in
drawing order spell it; `ClusterTextTTFont` writes those texts into the ToUnicode
CMap of each font subset. The glyphs drawn, and where, stay exactly as reportlab
placed them.
"""

import unicodedata

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont
from reportlab.platypus import paragraph

# Codes of our own: one for each glyph and piece of text it stands for, so many
# (a syllable of typed Hindi may be new); taken from Supplementary Private Use
# Area-A, apart from the U+E000 codes reportlab gives glyphs. Should they ever run
# out, a cluster stays as reportlab drew it.
_FIRST_CODE = 0xF0000
_LAST_CODE = 0xFFFFD
# At most this many source/destination pairs per bfchar block (PDF 32000-1, 9.10.3).
_BFCHAR_BLOCK = 100


class ClusterTextTTFont(TTFont):
    """A TrueType font whose shaped glyphs read back as the text they were made from."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._code_of = {}  # (glyph, text) -> code drawn
        self._text_of = {}  # code drawn -> text it stands for
        self._next_code = _FIRST_CODE

    def text_code(self, char, text):
        """The code to draw `char`'s glyph with, standing for `text` when extracted;
        None when no code is left."""
        glyph = self.face.charToGlyph[ord(char)]
        code = self._code_of.get((glyph, text))
        if code is None:
            while self._next_code in self.face.charToGlyph:
                self._next_code += 1
            if self._next_code > _LAST_CODE:
                return None
            code = self._next_code
            self.face.charToGlyph[code] = glyph
            self.face.charWidths[code] = self.face.getCharWidth(ord(char))
            self._code_of[glyph, text] = code
            self._text_of[code] = text
        return chr(code)

    def addObjects(self, doc):
        state = self._assignState(doc)
        subsets = [list(subset) for subset in state.subsets]
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for name, subset in zip(names, subsets, strict=True):
            pdf_font = fonts[name]
            stream = doc.idToObject[pdf_font.ToUnicode.name]
            stream.content = self._to_unicode_cmap(pdf_font.BaseFont, subset)

    def _to_unicode_cmap(self, font_name, subset):
        """reportlab's ToUnicode CMap (makeToUnicodeCMap), with each of our codes
        mapped to the text it stands for."""
        pairs = []
        for index, code in enumerate(subset):
            text = self._text_of.get(code, chr(code))
            pairs.append(f"<{index:02X}> <{text.encode('utf-16-be').hex().upper()}>")
        lines = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({font_name})",
            f"/Ordering ({font_name})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{font_name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
        ]
        for start in range(0, len(pairs), _BFCHAR_BLOCK):
            block = pairs[start : start + _BFCHAR_BLOCK]
            lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines)


def _spelled(char):
    """The text a drawn character reads back as, or None for a private-use code."""
    return None if unicodedata.category(char) == "Co" else char


def _pieces(text, count):
    """`text` cut into `count` pieces that join back into it: one character for each
    glyph but the last, which takes the rest. Every glyph reads back as something
    (a glyph reading back as nothing leaves a gap that readers take for a space)."""
    return [text[n : n + 1] for n in range(count - 1)] + [text[count - 1 :]]


def _with_cluster_text(word, shaped):
    """`shaped` (what reportlab's shapeFragWord made of `word`) redrawn so that each
    cluster reads back as its text."""
    if shaped is word:
        return shaped
    text = "".join(s for frag, s in word[1:] if not hasattr(frag, "cbDefn"))
    runs = [
        (index, item[0], item[1])
        for index, item in enumerate(shaped)
        if index and isinstance(item, tuple | list) and len(item) == 2
        if isinstance(item[1], ShapedStr)
    ]
    if "".join(run for _, _, run in runs) == text:
        return shaped  # every glyph is its own character, in order (Latin, digits)
    # Every glyph drawn: (run, position in the run, character, cluster, font).
    glyphs = []
    for index, frag, run in runs:
        font = pdfmetrics.getFont(frag.fontName)
        for position, (char, data) in enumerate(zip(run, run.__shapeData__, strict=True)):
            glyphs.append((index, position, char, data.cluster, font))
    starts = sorted({cluster for *_, cluster, _ in glyphs if 0 <= cluster < len(text)})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    redrawn = {index: list(run) for index, _, run in runs}
    first = 0
    while first < len(glyphs):
        cluster = glyphs[first][3]
        last = first
        while last + 1 < len(glyphs) and glyphs[last + 1][3] == cluster:
            last += 1
        members = glyphs[first : last + 1]
        first = last + 1
        if cluster not in ends:
            continue
        cluster_text = text[cluster : ends[cluster]]
        spelled = [_spelled(char) for _, _, char, _, _ in members]
        if None not in spelled and "".join(spelled) == cluster_text:
            continue
        if not all(isinstance(font, ClusterTextTTFont) for *_, font in members):
            continue
        pieces = _pieces(cluster_text, len(members))
        codes = [
            font.text_code(char, piece)
            for (_, _, char, _, font), piece in zip(members, pieces, strict=True)
        ]
        if None in codes:
            continue
        for (index, position, *_), code in zip(members, codes, strict=True):
            redrawn[index][position] = code
    for index, frag, run in runs:
        shaped[index] = (frag, ShapedStr("".join(redrawn[index]), shapeData=run.__shapeData__))
    return shaped


def _reading_back_as_text(shape):
    def shape_frag_word(word, *args, **kwargs):
        return _with_cluster_text(word, shape(word, *args, **kwargs))

    shape_frag_word.reads_back_as_text = True
    return shape_frag_word


def install():
    """Have reportlab's shaping draw clusters that read back as their text: in
    paragraphs, and in `shapeStr` (strings drawn on the canvas with shaping). Idempotent."""
    for module in (ttfonts, paragraph):
        if not getattr(module.shapeFragWord, "reads_back_as_text", False):
            module.shapeFragWord = _reading_back_as_text(module.shapeFragWord)
