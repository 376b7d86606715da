"""Everything the bot says, in Thai (English in the catalogue), and how it is put into messages.

Texts are lazy strings so they are translated when sent; the bot always speaks Thai because
``app.i18n.select_locale`` answers Thai outside a resident's web session. Builders return the
official SDK's message models; quick reply labels stay within LINE's 20-character limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlencode

from flask_babel import lazy_gettext as _l
from linebot.v3.messaging import (
    Action,
    CameraAction,
    CameraRollAction,
    LocationAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)

from app.thai_text import thai_words
from cases.models import CaseKind

LABEL_MAX = 20  # LINE refuses longer quick reply labels
QUICK_REPLY_MAX = 13
TEXT_MAX = 5000

# Postback actions (``action=...`` in the postback data) and the words a resident may type instead.
FILE, MY_CASES, INTEGRITY, HELP, CANCEL = "file", "mycases", "integrity", "help", "cancel"
KIND, CATEGORY, NEXT, SKIP, CONFIRM = "kind", "category", "next", "skip", "confirm"
PRIVACY_OK, RESUME, RESTART, YES, NO = "privacy_ok", "resume", "restart", "yes", "no"
PUBLICATION = "publication"
SUPPORT = "support"
AREA = "area"  # the platform's account: a จังหวัด / อำเภอ / ตำบล chosen by its code

COMMAND_WORDS = {
    "ยกเลิก": CANCEL,
    "แจ้งเรื่อง": FILE,
    "แจ้งเรื่องใหม่": FILE,
    "เรื่องของฉัน": MY_CASES,
    "ติดตามเรื่อง": MY_CASES,
    "แจ้งทุจริต": INTEGRITY,
    "วิธีใช้": HELP,
    "ช่วยเหลือ": HELP,
    "เมนู": HELP,
    "ถัดไป": NEXT,
    "ข้าม": SKIP,
    "ยืนยันส่ง": CONFIRM,
    "ยืนยัน": CONFIRM,
    "ยอมรับ": PRIVACY_OK,
    "ทำต่อ": RESUME,
    "เริ่มใหม่": RESTART,
}

# Words that suggest a report of corruption or misconduct by staff: the bot never takes those.
INTEGRITY_WORDS = ("ทุจริต", "โกง", "คอร์รัปชัน", "คอรัปชั่น", "สินบน", "เรียกรับเงิน", "ใต้โต๊ะ")

KIND_CHOICES = {
    CaseKind.COMPLAINT: _l("ร้องเรียน"),
    CaseKind.GRIEVANCE: _l("ร้องทุกข์"),
    CaseKind.SUGGESTION: _l("ข้อเสนอแนะ"),
    CaseKind.QUESTION: _l("สอบถาม"),
}

WELCOME = _l(
    "สวัสดีค่ะ ยินดีต้อนรับสู่ LINE ของ{org} 🙏\n"
    "ที่นี่ท่านแจ้งเรื่องร้องเรียน ร้องทุกข์ ข้อเสนอแนะ หรือสอบถาม "
    "และติดตามเรื่องที่แจ้งไว้ได้ตลอด 24 ชั่วโมง\n"
    "เลือกเมนูด้านล่างได้เลยค่ะ"
)
HELP_TEXT = _l(
    "ท่านทำอะไรได้บ้าง:\n"
    "• แจ้งเรื่อง — ร้องเรียน ร้องทุกข์ เสนอแนะ หรือสอบถาม\n"
    "• เรื่องของฉัน — ดูสถานะเรื่องที่แจ้งจาก LINE นี้\n"
    "• พิมพ์เลขรับเรื่อง (เช่น R70-000123) เพื่อดูสถานะ\n"
    "• พิมพ์ ยกเลิก ได้ทุกเมื่อ"
)
UNEXPECTED = _l("ขออภัยค่ะ ระบบยังไม่เข้าใจข้อความนี้ 🙏 กรุณาเลือกจากเมนูด้านล่าง หรือพิมพ์ วิธีใช้ เพื่อดูสิ่งที่ทำได้")
NOT_IN_A_REPORT_PHOTO = _l(
    "ได้รับรูปแล้วค่ะ แต่ยังไม่ได้เริ่มแจ้งเรื่อง กรุณากด แจ้งเรื่อง ก่อน แล้วส่งรูปในขั้นตอนแนบรูปค่ะ"
)
PRIVACY_NOTICE = _l(
    "ก่อนแจ้งเรื่องครั้งแรก โปรดทราบ (ประกาศความเป็นส่วนตัว PDPA):\n"
    "{org} เก็บข้อความ รูป ตำแหน่ง และรหัสผู้ใช้ LINE ของท่าน "
    "เพื่อรับและดำเนินการเรื่องที่แจ้ง และแจ้งความคืบหน้าให้ท่านทราบเท่านั้น "
    "ไม่เปิดเผยต่อผู้อื่นเว้นแต่กฎหมายกำหนด เก็บไว้ไม่เกิน {years} ปีหลังปิดเรื่อง "
    "แล้วลบหรือทำให้ไม่สามารถระบุตัวตนได้\n"
    "กด ยอมรับ เพื่อแจ้งเรื่องต่อ"
)
ASK_KIND = _l("ท่านต้องการแจ้งเรื่องประเภทใดคะ")
ASK_CATEGORY = _l("เรื่องนี้เกี่ยวกับด้านใดคะ")
ASK_DETAILS = _l("กรุณาเล่ารายละเอียดของเรื่อง (เกิดอะไรขึ้น ที่ไหน ตั้งแต่เมื่อไร) พิมพ์ในข้อความเดียวค่ะ")
DETAILS_TOO_SHORT = _l("ขอรายละเอียดเพิ่มอีกนิดค่ะ (อย่างน้อย {min} ตัวอักษร)")
DETAILS_TOO_LONG = _l("ข้อความยาวเกิน {max} ตัวอักษร กรุณาสรุปให้สั้นลงค่ะ")
ASK_PHOTOS = _l("ถ้ามีรูปประกอบ ส่งได้ไม่เกิน {max} รูปค่ะ เสร็จแล้วกด ถัดไป (ไม่มีรูปก็กด ถัดไป ได้เลย)")
PHOTO_RECEIVED = _l("ได้รับรูปที่ {count} แล้วค่ะ ส่งรูปเพิ่มได้ หรือกด ถัดไป")
PHOTO_REFUSED = _l("รับรูปนี้ไม่ได้ค่ะ: {reason} เรื่องของท่านยังอยู่ครบ ส่งรูปอื่นหรือกด ถัดไป ได้เลย")
PHOTO_TOO_LARGE = _l(
    'รูปนี้ใหญ่เกิน {mb} MB ค่ะ ลองส่งใหม่แบบไม่ใช่ภาพต้นฉบับ (ปิด "ต้นฉบับ" ใน LINE) '
    "เรื่องของท่านยังอยู่ครบ ส่งรูปอื่นหรือกด ถัดไป ได้เลย"
)
PHOTO_UNAVAILABLE = _l("ขออภัยค่ะ ตอนนี้ดึงรูปจาก LINE ไม่ได้ กรุณาส่งรูปอีกครั้ง หรือกด ถัดไป")
ASK_LOCATION = _l("เกิดขึ้นที่ไหนคะ กด ส่งตำแหน่ง เพื่อปักหมุด หรือพิมพ์สถานที่ หรือกด ข้าม")
ASK_PUBLICATION = _l(
    "ยินยอมให้เผยแพร่เรื่องนี้บนหน้าสาธารณะของหน่วยงานไหมคะ\n"
    "ถ้ายินยอม เจ้าหน้าที่จะตรวจก่อน แล้วแสดงเพียงหัวข้อที่เรียบเรียง สถานที่ สถานะ วันที่ "
    "คำตอบจากเจ้าหน้าที่ และรูปที่ปิดบังใบหน้า ทะเบียนรถ บ้านเลขที่แล้ว "
    "ไม่แสดงชื่อหรือข้อมูลติดต่อของท่าน (ไม่ยินยอมก็แจ้งเรื่องได้ตามปกติ)"
)
SUMMARY = _l(
    "ตรวจสอบเรื่องของท่านค่ะ\n"
    "ประเภท: {kind}\n"
    "ด้าน: {category}\n"
    "รายละเอียด: {details}\n"
    "รูปแนบ: {photos} รูป\n"
    "สถานที่: {place}\n"
    "เผยแพร่บนหน้าสาธารณะ: {public}\n"
    "ถูกต้องแล้วกด ยืนยันส่ง ค่ะ"
)
NO_PLACE = _l("ไม่ระบุ")
DUPLICATES_HEADER = _l(
    "มีเรื่องที่ยังดำเนินการอยู่ซึ่งอาจเป็นปัญหาเดียวกับของท่านค่ะ\n"
    "กด เหมือนเรื่องที่ … เพื่อแจ้งเหมือนกัน (ร่วมสนับสนุนเรื่องนั้นและรับแจ้งความคืบหน้า) "
    "หรือกด ส่งเรื่องของฉัน หากเป็นคนละเรื่อง"
)
DUPLICATE_LINE = _l("{number}. {category} · {place}\n   แจ้งเมื่อ {date} · สถานะ: {status}")
SUPPORTED = _l(
    "ขอบคุณค่ะ ✅ บันทึกว่าท่านแจ้งเหมือนกันกับเรื่องเลขรับเรื่อง {code} แล้ว "
    "(ไม่ได้ส่งเรื่องใหม่) ท่านจะได้รับแจ้งความคืบหน้าของเรื่องนั้นทาง LINE นี้"
)
SUPPORT_GONE = _l("เรื่องที่เลือกปิดไปแล้วค่ะ กรุณาตรวจและส่งเรื่องของท่าน")
SUBMITTED = _l(
    "รับเรื่องแล้วค่ะ ✅\nเลขรับเรื่อง: {code}\n"
    "เจ้าหน้าที่จะตอบรับภายใน {due}\n"
    "ติดตามสถานะได้ที่ลิงก์นี้ (เก็บไว้เป็นความลับ): {url}"
)
SUBMIT_FAILED = _l("ขออภัยค่ะ ยังส่งเรื่องไม่ได้: {reasons}\nกรุณาแก้ไขแล้วลองใหม่ หรือพิมพ์ ยกเลิก")
TOO_MANY_CASES = _l(
    "ขออภัยค่ะ วันนี้ท่านแจ้งเรื่องทาง LINE ครบจำนวนที่รับได้ในช่วงเวลานี้แล้ว "
    "เรื่องที่ยังไม่ได้ส่งถูกยกเลิก กรุณาลองใหม่ภายหลัง หรือโทรหาหน่วยงาน"
)
CANCELLED = _l("ยกเลิกแล้วค่ะ ไม่มีการส่งเรื่อง หากต้องการเริ่มใหม่ กด แจ้งเรื่อง ได้ทุกเมื่อ")
NOTHING_TO_CANCEL = _l("ตอนนี้ไม่มีเรื่องที่กำลังแจ้งอยู่ค่ะ")
EXPIRED = _l("เรื่องที่ท่านแจ้งค้างไว้หมดเวลาแล้วค่ะ (ยังไม่ได้ส่ง) ต้องการทำต่อจากเดิม หรือเริ่มใหม่คะ")
RESUMED = _l("ทำต่อจากเดิมค่ะ")
MY_CASES_HEADER = _l("เรื่องที่ท่านแจ้งจาก LINE นี้ ({count} เรื่องล่าสุด):")
MY_CASES_LINE = _l("• {code} {subject}\n  สถานะ: {status}\n  {url}")
NO_CASES = _l("ยังไม่มีเรื่องที่แจ้งจาก LINE นี้ค่ะ กด แจ้งเรื่อง เพื่อเริ่มได้เลย")
CASE_STATUS = _l("เลขรับเรื่อง {code}\nเรื่อง: {subject}\nสถานะ: {status}\nรายละเอียด: {url}")
CASE_NOT_YOURS = _l(
    "ไม่พบเลขรับเรื่อง {code} ในเรื่องที่แจ้งจาก LINE นี้ค่ะ "
    "หากแจ้งทางช่องทางอื่น กรุณาเปิดลิงก์ติดตามเรื่องที่ได้รับ หรือค้นหาที่ {url}"
)
INTEGRITY_CHANNEL = _l(
    "เรื่องการทุจริตหรือการประพฤติมิชอบของเจ้าหน้าที่ มีช่องทางแยกต่างหากเพื่อปกป้องผู้แจ้งค่ะ\n"
    "เพื่อความปลอดภัยของท่าน แชตนี้จะไม่รับเรื่องลักษณะนี้ และไม่ได้บันทึกข้อความที่เกี่ยวกับเรื่องนี้\n"
    "กรุณาแจ้งที่: {url}\n(ไม่ต้องระบุชื่อ และจะได้รหัสติดตามเป็นความลับ)"
)
INTEGRITY_CHECK = _l(
    "ข้อความนี้เป็นการแจ้งการทุจริตหรือการประพฤติมิชอบของเจ้าหน้าที่ใช่ไหมคะ (เรื่องลักษณะนี้มีช่องทางแยกเพื่อปกป้องผู้แจ้ง)"
)
ASK_AREA = _l("เรื่องนี้เกิดขึ้นที่ตำบลใดคะ พิมพ์ชื่อตำบล (เช่น จอหอ) ระบบจะส่งเรื่องถึงหน่วยงานท้องถิ่นที่ดูแลพื้นที่นั้น")
AREA_UNKNOWN = _l("ไม่พบตำบลชื่อ “{name}” ค่ะ กรุณาตรวจตัวสะกดแล้วพิมพ์ชื่อตำบลอีกครั้ง (เช่น จอหอ)")
AREA_NOT_SERVED = _l(
    "ตำบล “{name}” ยังไม่มีหน่วยงานในระบบนี้ดูแลค่ะ กรุณาติดต่อหน่วยงานในพื้นที่โดยตรง หรือพิมพ์ชื่อตำบลอื่น"
)
AREA_WHICH_PROVINCE = _l("มีตำบลชื่อนี้หลายแห่งค่ะ อยู่ในจังหวัดใดคะ (เลือกหรือพิมพ์ชื่อจังหวัด)")
AREA_WHICH_DISTRICT = _l("มีตำบลชื่อนี้หลายแห่งค่ะ อยู่ในอำเภอใดคะ (เลือกหรือพิมพ์ชื่ออำเภอ)")
AREA_CHOSEN = _l("{place}\nเรื่องนี้จะส่งถึง {org} ค่ะ")
MY_CASES_BODY_LINE = _l("• {code} {subject}\n  หน่วยงาน: {org}\n  สถานะ: {status}\n  {url}")
NOT_CONFIGURED = _l("ช่องทาง LINE ยังไม่ได้ตั้งค่า")
PROCESSING_FAILED = _l("ขออภัยค่ะ ระบบขัดข้องชั่วคราว กรุณาส่งข้อความอีกครั้งในอีกสักครู่")

# Quick reply labels (at most 20 characters each).
L_FILE = _l("แจ้งเรื่อง")
L_MY_CASES = _l("เรื่องของฉัน")
L_INTEGRITY = _l("แจ้งทุจริต")
L_HELP = _l("วิธีใช้")
L_MENU = _l("เมนู")
L_CANCEL = _l("ยกเลิก")
L_NEXT = _l("ถัดไป")
L_SKIP = _l("ข้าม")
L_CONFIRM = _l("ยืนยันส่ง")
L_ACCEPT = _l("ยอมรับ")
L_RESUME = _l("ทำต่อ")
L_RESTART = _l("เริ่มใหม่")
L_CAMERA = _l("ถ่ายรูป")
L_GALLERY = _l("เลือกรูป")
L_LOCATION = _l("ส่งตำแหน่ง")
L_YES_INTEGRITY = _l("ใช่ เรื่องทุจริต")
L_NO_INTEGRITY = _l("ไม่ใช่")
L_PUBLIC = _l("เผยแพร่ได้")
L_NOT_PUBLIC = _l("ไม่เผยแพร่")
L_SAME_AS = _l("เหมือนเรื่องที่ {number}")
L_FILE_MINE = _l("ส่งเรื่องของฉัน")
L_PROVINCE = _l("จ.{name}")
L_DISTRICT = _l("อ.{name}")
PLACE = _l("ต.{subdistrict} อ.{district} จ.{province}")


def postback_data(action: str, value: str = "") -> str:
    """The data of a postback action (parsed back by ``parse_postback``)."""
    return urlencode({"action": action, "value": value} if value else {"action": action})


def _fit(label: object) -> str:
    """``label`` within LINE's 20 characters, never cut inside a word.

    Whole space-separated parts are kept first ("ไฟฟ้าส่องสว่าง ไฟฟ้าสาธารณะ" becomes
    "ไฟฟ้าส่องสว่าง"); a label with no space that fits is cut between Thai words (PyThaiNLP) with
    "…" to show there is more.
    """
    text = " ".join(str(label).split())
    if len(text) <= LABEL_MAX:
        return text
    kept = ""
    for part in text.split(" "):
        if len(f"{kept} {part}".strip()) > LABEL_MAX:
            break
        kept = f"{kept} {part}".strip()
    if kept:
        return kept
    for word in thai_words(text):
        if len(kept + word) > LABEL_MAX - 1:
            break
        kept += word
    return (kept or text[: LABEL_MAX - 1]) + "…"


def choice(label: object, action: str, value: str = "") -> QuickReplyItem:
    """A quick reply button that posts ``action`` back and shows its label as the resident's."""
    text = _fit(label)
    return QuickReplyItem(
        action=PostbackAction(label=text, data=postback_data(action, value), displayText=text)
    )


def text(body: object, items: Sequence[QuickReplyItem] = ()) -> TextMessage:
    """A text message, with quick reply buttons when ``items`` are given."""
    content = str(body)[:TEXT_MAX]
    if not items:
        return TextMessage(text=content)
    return TextMessage(text=content, quickReply=QuickReply(items=list(items)[:QUICK_REPLY_MAX]))


def main_menu() -> list[QuickReplyItem]:
    """What the bot can do, offered after greetings, help and endings."""
    return [
        choice(L_FILE, FILE),
        choice(L_MY_CASES, MY_CASES),
        choice(L_INTEGRITY, INTEGRITY),
        choice(L_HELP, HELP),
    ]


def cancel_item() -> QuickReplyItem:
    """The cancel button offered at every step of a report."""
    return choice(L_CANCEL, CANCEL)


def _step(*items: QuickReplyItem) -> list[QuickReplyItem]:
    """The buttons of one step of a report: ``items``, then cancel."""
    return [*items, cancel_item()]


def _device(action: Callable[..., Action], label: object) -> QuickReplyItem:
    """A button that opens the phone's camera, gallery or map instead of posting back."""
    return QuickReplyItem(action=action(label=_fit(label)))


def kind_menu() -> list[QuickReplyItem]:
    """One button per case kind."""
    return _step(*(choice(label, KIND, kind) for kind, label in KIND_CHOICES.items()))


def category_menu(categories: Iterable[tuple[int, str]]) -> list[QuickReplyItem]:
    """One button per category (at most 12, leaving room for cancel)."""
    items = [choice(name, CATEGORY, str(cid)) for cid, name in categories]
    return _step(*items[: QUICK_REPLY_MAX - 1])


def photo_menu() -> list[QuickReplyItem]:
    """Camera, gallery, next and cancel."""
    return _step(
        _device(CameraAction, L_CAMERA), _device(CameraRollAction, L_GALLERY), choice(L_NEXT, NEXT)
    )


def location_menu() -> list[QuickReplyItem]:
    """Share a location, skip or cancel."""
    return _step(_device(LocationAction, L_LOCATION), choice(L_SKIP, SKIP))


def publication_menu() -> list[QuickReplyItem]:
    """May the case be shown publicly: no (first, the default), yes, or cancel."""
    return _step(choice(L_NOT_PUBLIC, PUBLICATION, NO), choice(L_PUBLIC, PUBLICATION, YES))


def confirm_menu() -> list[QuickReplyItem]:
    """Send or cancel."""
    return _step(choice(L_CONFIRM, CONFIRM))


def privacy_menu() -> list[QuickReplyItem]:
    """Accept the notice or cancel."""
    return _step(choice(L_ACCEPT, PRIVACY_OK))


def expired_menu() -> list[QuickReplyItem]:
    """Resume the old draft or start over."""
    return _step(choice(L_RESUME, RESUME), choice(L_RESTART, RESTART))


def area_menu(places: Iterable[tuple[str, str]], label: object) -> list[QuickReplyItem]:
    """One button per จังหวัด or อำเภอ (``label``: L_PROVINCE or L_DISTRICT); at most 12, leaving
    room for cancel (more are typed)."""
    items = [choice(format_text(label, name=name), AREA, code) for code, name in places]
    return _step(*items[: QUICK_REPLY_MAX - 1])


def integrity_check_menu() -> list[QuickReplyItem]:
    """Is this a corruption report? yes / no."""
    return _step(choice(L_YES_INTEGRITY, YES), choice(L_NO_INTEGRITY, NO))


def duplicates_menu(codes: Sequence[str]) -> list[QuickReplyItem]:
    """Support one of the listed cases (by its place in the list), or file one's own."""
    same = [
        choice(format_text(L_SAME_AS, number=number), SUPPORT, code)
        for number, code in enumerate(codes, 1)
    ]
    return _step(*same, choice(L_FILE_MINE, NEXT))


def format_text(template: object, **values: object) -> str:
    """A catalogue text with its placeholders filled (after translation)."""
    return str(template).format(**values)


def refusal_text(reason: object) -> str:
    """Why a photo was refused, in the bot's words."""
    return format_text(PHOTO_REFUSED, reason=reason)
