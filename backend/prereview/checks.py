"""The checks of one uploaded file against its material's review rules and the record.

``review_document`` is pure apart from OCR: bytes, rules, the talent's record and today's
date in; a list of checks (pass / warn / fail / skipped, each with a reason in zh and en)
and the captured fields out. A check that cannot run (no text layer and no OCR, a file
that does not open) says so as ``skipped`` and never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from PIL import Image, ImageFilter

from flows.definitions import ReviewRules
from prereview import ocr
from prereview.documents import MAX_PAGES, MAX_PIXELS, Inspection, inspect_document
from prereview.mrz import Mrz, find_td3
from prereview.school_age import school_age_outcome
from talents.models import mask_document_number

PASS, WARN, FAIL, SKIPPED = "pass", "warn", "fail", "skipped"
MIN_TEXT = 20  # characters of text below which a page counts as "no text read"
SHARP_EDGES = 40  # edge strength (see edge_strength) under which a page looks blurred
CJK = re.compile(r"[\u3400-\u9fff]")
_CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"})


@dataclass(frozen=True)
class Check:
    key: str
    outcome: str
    zh: str
    en: str

    def as_dict(self) -> dict:
        return {"check": self.key, "outcome": self.outcome, "reason": {"zh": self.zh, "en": self.en}}


@dataclass(frozen=True)
class Record:
    """What the document is compared with: the talent's record."""

    native_name: str = ""
    latin_name: str = ""
    document_number: str = ""


@dataclass
class Result:
    checks: list[Check] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    text_source: str = ""  # "text_layer", "ocr" or ""

    @property
    def verdict(self) -> str:
        outcomes = {check.outcome for check in self.checks}
        if FAIL in outcomes:
            return FAIL
        if outcomes & {WARN, SKIPPED} or not outcomes:
            return WARN
        return PASS

    def add(self, key: str, outcome: str, zh: str, en: str) -> None:
        self.checks.append(Check(key, outcome, zh, en))


KIND_NAMES = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}
PROBLEMS = {
    "empty": ("文件是空的（0 字节）。", "The file is empty (0 bytes)."),
    "unknown_kind": ("不是 PDF、JPEG 或 PNG 文件。", "The file is not a PDF, JPEG or PNG."),
    "corrupt": ("文件已损坏，无法打开。", "The file is damaged and cannot be opened."),
    "encrypted": ("PDF 设有密码，无法打开；请上传未加密的文件。",
                  "The PDF is password-protected; please upload it without a password."),
    "too_many_pages": (f"PDF 页数过多（超过 {MAX_PAGES} 页），未予读取。",
                       f"The PDF has too many pages (over {MAX_PAGES}); it was not read."),
    "too_many_pixels": (f"图像过大（超过 {MAX_PIXELS // 1_000_000} 百万像素），未予读取。",
                        f"The image is too large (over {MAX_PIXELS // 1_000_000} megapixels); it was not read."),
}


def review_document(data: bytes, *, rules: ReviewRules, record: Record, today: date,
                    use_ocr: bool = True) -> Result:
    result = Result()
    inspection = inspect_document(data)
    if inspection.problem:
        zh, en = PROBLEMS[inspection.problem]
        result.add("readable", FAIL, zh, en)
        return result
    if inspection.kind == "pdf":
        result.add("readable", PASS, f"PDF 可以打开，共 {inspection.pages} 页。",
                   f"The PDF opens; {inspection.pages} page(s).")
    else:
        width, height = inspection.pixel_size
        turned = ("（已按拍摄方向旋转）", " (turned upright from its EXIF orientation)") if inspection.rotated else ("", "")
        result.add("readable", PASS, f"图像可以打开，{width}×{height} 像素{turned[0]}。",
                   f"The image opens: {width}×{height} pixels{turned[1]}.")
    _check_kind(result, inspection, rules)
    _check_pages(result, inspection, rules)
    blank = _check_image(result, inspection, rules)
    if blank:
        return result
    text = _text(result, inspection, record, use_ocr)
    mrz = _mrz(result, inspection, rules, text, today, use_ocr) if rules.mrz else None
    _compare(result, rules, record, text, mrz)
    if rules.valid_for_months is not None:
        _validity(result, rules, mrz, today)
    if rules.school_age is not None:
        outcome, zh, en = school_age_outcome(text, rules.school_age, today)
        result.add("school_age", outcome, zh, en)
    if mrz is not None:
        result.fields = _fields(mrz, rules)
    return result


def _check_kind(result: Result, inspection: Inspection, rules: ReviewRules) -> None:
    wanted = "、".join(KIND_NAMES[k] for k in rules.kinds), ", ".join(KIND_NAMES[k] for k in rules.kinds)
    if inspection.kind in rules.kinds:
        result.add("kind", PASS, f"文件类型 {KIND_NAMES[inspection.kind]} 符合要求。",
                   f"{KIND_NAMES[inspection.kind]} is an accepted kind.")
    else:
        result.add("kind", FAIL, f"此材料只接受 {wanted[0]}，收到的是 {KIND_NAMES[inspection.kind]}。",
                   f"This document must be {wanted[1]}; this is a {KIND_NAMES[inspection.kind]}.")


def _check_pages(result: Result, inspection: Inspection, rules: ReviewRules) -> None:
    pages = inspection.pages
    if pages < rules.min_pages:
        result.add("pages", FAIL, f"至少需要 {rules.min_pages} 页，只有 {pages} 页。",
                   f"At least {rules.min_pages} page(s) are needed; this has {pages}.")
    elif pages > rules.max_pages:
        result.add("pages", FAIL, f"最多 {rules.max_pages} 页，此文件有 {pages} 页。",
                   f"At most {rules.max_pages} page(s) are expected; this has {pages}.")
    else:
        result.add("pages", PASS, f"页数 {pages} 符合要求。", f"{pages} page(s): as expected.")


def edge_strength(image: Image.Image, *, strongest: int = 200) -> int:
    """Sharpness, 0–128: the Laplacian response of the ``strongest``-th strongest pixel of
    the grey image scaled to 1000 px. The plain variance of the Laplacian depends on how
    much of the page is text (a sparse sharp page measured 765, a dense blurred one 236);
    the strongest edges do not: sharp text reaches 128, a 3-pixel blur ~26, 6 pixels ~5."""
    grey = image.convert("L")
    scale = 1000 / max(grey.size)
    if scale < 1:
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))))
    edges = grey.filter(ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=1, offset=128))
    if edges.width > 2 and edges.height > 2:  # the filter leaves the outermost pixels as they were
        edges = edges.crop((1, 1, edges.width - 1, edges.height - 1))
    magnitude = [0] * 129
    for value, count in enumerate(edges.histogram()):
        magnitude[min(abs(value - 128), 128)] += count
    seen = 0
    for value in range(128, -1, -1):
        seen += magnitude[value]
        if seen >= strongest:
            return value
    return 0


def ink_share(image: Image.Image) -> float:
    """The share of pixels clearly darker than the page (the median grey)."""
    histogram = image.convert("L").histogram()
    total = sum(histogram)
    running, median = 0, 255
    for value, count in enumerate(histogram):
        running += count
        if running * 2 >= total:
            median = value
            break
    dark = sum(histogram[: max(0, median - 60)])
    return dark / total if total else 0.0


def _check_image(result: Result, inspection: Inspection, rules: ReviewRules) -> bool:
    """Size, blank and blur of an image or a scanned PDF page. True when the page is blank."""
    image = inspection.image
    if image is None:
        if inspection.kind == "pdf" and len(inspection.text.strip()) < MIN_TEXT:
            result.add("blank", FAIL, "PDF 第一页没有文字也没有扫描图像，看起来是空白页。",
                       "The PDF's first page has neither text nor a scanned image: it looks blank.")
            return True
        return False
    width, height = inspection.pixel_size
    short = min(width, height)
    if short < rules.min_short_side:
        result.add("resolution", FAIL,
                   f"图像太小（短边 {short} 像素，至少需要 {rules.min_short_side} 像素），请重新扫描或拍照。",
                   f"The image is too small ({short} px on its shorter side; at least "
                   f"{rules.min_short_side} px are needed): please scan or photograph it again.")
    else:
        result.add("resolution", PASS, f"分辨率足够（短边 {short} 像素）。",
                   f"Resolution is enough ({short} px on the shorter side).")
    share = ink_share(image)
    if share < 0.0003:
        result.add("blank", FAIL, "页面几乎没有内容，看起来是空白页。",
                   "The page has almost nothing on it: it looks blank.")
        return True
    result.add("blank", PASS, "页面有内容。", "The page has content.")
    strength = edge_strength(image)
    if strength < SHARP_EDGES:
        result.add("sharpness", WARN, f"图像可能模糊（边缘清晰度 {strength}，低于 {SHARP_EDGES}）。",
                   f"The image may be blurred (edge sharpness {strength}, below {SHARP_EDGES}).")
    else:
        result.add("sharpness", PASS, f"图像清晰（边缘清晰度 {strength}）。",
                   f"The image is sharp (edge sharpness {strength}).")
    return False


def ocr_languages(record: Record) -> tuple[str, ...]:
    wanted = ("chi_sim", "chi_tra", "eng") if CJK.search(record.native_name) else ("eng",)
    return tuple(lang for lang in wanted if ocr.available((lang,)))


def _text(result: Result, inspection: Inspection, record: Record, use_ocr: bool) -> str:
    if len(inspection.text.strip()) >= MIN_TEXT:
        result.text_source = "text_layer"
        result.add("text", PASS, "已读取 PDF 的文字层。", "Read the PDF's text layer.")
        return inspection.text
    if inspection.image is None:
        return inspection.text
    languages = ocr_languages(record)
    if not use_ocr or not languages:
        result.add("text", SKIPPED, "本机未安装文字识别（OCR），未能读取文字。",
                   "Text recognition (OCR) is not available here; the text was not read.")
        return ""
    try:
        text = ocr.read_text(inspection.image, languages=languages)
    except ocr.OcrUnavailable:
        result.add("text", SKIPPED, "文字识别（OCR）未能在限定时间内完成。",
                   "Text recognition (OCR) did not finish in time.")
        return ""
    result.text_source = "ocr"
    if len(text.strip()) < MIN_TEXT:
        result.add("text", WARN, "文字识别几乎读不出文字。", "Text recognition read almost no text.")
    else:
        result.add("text", PASS, "已通过文字识别（OCR）读取文字。", "Read the text by recognition (OCR).")
    return text


def _mrz(result: Result, inspection: Inspection, rules: ReviewRules, text: str, today: date,
         use_ocr: bool) -> Mrz | None:
    mrz = None
    if inspection.image is not None and use_ocr and ocr.available(("eng",)):
        # A second read with the MRZ alphabet only: the page's general read mistakes "<".
        try:
            mrz = find_td3(ocr.read_mrz(inspection.image), today=today)
        except ocr.OcrUnavailable:
            mrz = None
    if mrz is None:
        mrz = find_td3(text, today=today)
    if mrz is None:
        if not text and not (use_ocr and ocr.available(("eng",))):
            result.add("mrz", SKIPPED, "未能读取文字，无法检查护照机读区。",
                       "No text could be read, so the passport's machine-readable zone was not checked.")
        else:
            result.add("mrz", WARN, "未找到护照机读区（底部两行）；请上传护照资料页的完整清晰图像。",
                       "No machine-readable zone (the two lines at the bottom) was found; please "
                       "upload a complete, clear image of the passport's data page.")
        return None
    if mrz.bad_check_digits:
        names = {"document_number": ("证件号码", "document number"), "birth_date": ("出生日期", "date of birth"),
                 "expiry_date": ("有效期", "expiry date"), "personal_number": ("个人号码", "personal number"),
                 "composite": ("整体校验", "overall check")}
        zh = "、".join(names[n][0] for n in mrz.bad_check_digits)
        en = ", ".join(names[n][1] for n in mrz.bad_check_digits)
        result.add("mrz", FAIL, f"护照机读区校验位不符：{zh}。证件可能被篡改或读取有误。",
                   f"Check digits of the machine-readable zone do not match: {en}. The document may "
                   "be altered or misread.")
        return mrz
    result.add("mrz", PASS, "护照机读区校验位全部正确。", "Every check digit of the machine-readable zone is right.")
    return mrz


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _words(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return {normalise(word) for word in re.split(r"[\s,.;:/<|]+", text) if word}


def name_shown(text: str, record: Record) -> bool:
    compact, words = normalise(text), _words(text)
    native = normalise(record.native_name)
    if native and native in compact:
        return True
    tokens = [normalise(token) for token in re.split(r"[\s,]+", record.latin_name) if normalise(token)]
    if not tokens:
        return False
    return all(token in words or (len(token) >= 4 and token in compact) for token in tokens)


def number_key(number: str) -> str:
    return normalise(number).upper().translate(_CONFUSABLE)


def number_shown(text: str, record: Record) -> bool:
    key = number_key(record.document_number)
    return bool(key) and key in number_key(text)


def _compare(result: Result, rules: ReviewRules, record: Record, text: str, mrz: Mrz | None) -> None:
    """Data comparison (数据比对): what the document shows against the talent's record."""
    if mrz is not None and not mrz.bad_check_digits:
        if number_key(mrz.document_number) != number_key(record.document_number):
            result.add("record", FAIL, "机读区的证件号码与申请人登记的证件号码不一致。",
                       "The document number in the machine-readable zone differs from the one on record.")
        elif record.latin_name and not name_shown(mrz.name, record):
            result.add("record", FAIL, "机读区的姓名与申请人登记的姓名不一致。",
                       "The name in the machine-readable zone differs from the name on record.")
        else:
            result.add("record", PASS, "机读区的证件号码和姓名与登记信息一致。",
                       "The machine-readable zone's document number and name match the record.")
    readable = len(text.strip()) >= MIN_TEXT
    for what in rules.must_show:
        label = {"name": ("申请人姓名", "the applicant's name"),
                 "document_number": ("申请人的证件号码", "the applicant's document number")}[what]
        if not readable:
            result.add(what, SKIPPED, f"未能读取文字，无法核对{label[0]}。",
                       f"No text could be read, so {label[1]} was not compared.")
            continue
        shown = name_shown(text, record) if what == "name" else number_shown(text, record)
        if shown:
            result.add(what, PASS, f"文件上有{label[0]}。", f"The document shows {label[1]}.")
        else:
            result.add(what, FAIL, f"文件上找不到{label[0]}，可能是他人的材料。",
                       f"The document does not show {label[1]}: it may be someone else's.")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _validity(result: Result, rules: ReviewRules, mrz: Mrz | None, today: date) -> None:
    if mrz is None or mrz.expiry_date is None or "expiry_date" in mrz.bad_check_digits:
        result.add("validity", SKIPPED, "未能读取有效期，无法核对。", "The expiry date could not be read.")
        return
    expiry, months = mrz.expiry_date, rules.valid_for_months
    if expiry < today:
        result.add("validity", FAIL, f"证件已于 {expiry:%Y-%m-%d} 过期。", f"The document expired on {expiry:%Y-%m-%d}.")
    elif expiry < _add_months(today, months):
        result.add("validity", FAIL, f"证件有效期至 {expiry:%Y-%m-%d}，不足 {months} 个月。",
                   f"The document is valid until {expiry:%Y-%m-%d}: less than {months} months.")
    else:
        result.add("validity", PASS, f"证件有效期至 {expiry:%Y-%m-%d}。", f"The document is valid until {expiry:%Y-%m-%d}.")


def _fields(mrz: Mrz, rules: ReviewRules) -> dict:
    values = {
        "document_number": mask_document_number(mrz.document_number),
        "name": mrz.name,
        "nationality": mrz.nationality,
        "birth_date": mrz.birth_date.isoformat() if mrz.birth_date else None,
        "expiry_date": mrz.expiry_date.isoformat() if mrz.expiry_date else None,
        "issuing_state": mrz.issuing_state,
    }
    return {key: values[key] for key in rules.fields}
