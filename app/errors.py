"""Error pages in the resident's language, never a traceback."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.database import unit_of_work
from app.extensions import db

ERROR_TEXTS = {
    400: (_l("คำขอไม่ถูกต้อง"), _l("ระบบไม่เข้าใจคำขอนี้ กรุณาลองใหม่อีกครั้ง")),
    403: (_l("ไม่มีสิทธิ์เข้าถึง"), _l("คุณไม่มีสิทธิ์เปิดหน้านี้")),
    404: (_l("ไม่พบหน้าที่ต้องการ"), _l("ลิงก์อาจผิดหรือหน้านี้ถูกย้ายแล้ว")),
    405: (_l("ไม่รองรับคำขอนี้"), _l("กรุณากลับไปหน้าก่อนหน้าแล้วลองใหม่")),
    413: (_l("ไฟล์ใหญ่เกินไป"), _l("ไฟล์ที่แนบรวมกันใหญ่เกินกำหนด กรุณาย่อขนาดแล้วส่งใหม่")),
    429: (_l("ส่งคำขอบ่อยเกินไป"), _l("กรุณารอสักครู่แล้วลองใหม่")),
    500: (_l("ระบบขัดข้อง"), _l("ขออภัย ระบบขัดข้องชั่วคราว ข้อมูลที่ส่งสำเร็จแล้วจะไม่สูญหาย")),
}


def render_error(status: int) -> tuple[str, int]:
    """The Thai error page for ``status``."""
    title, message = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    return render_template("errors/error.html", title=title, message=message, status=status), status


def _audit_refusal(action: str) -> None:
    """Write a refused request to the audit log, apart from whatever the request had begun."""
    from app import audit

    # An error handler is the edge itself: no entry point runs after a refusal to own the audit
    # entry, so it is its own unit of work, begun after dropping what the request had started.
    db.session.rollback()
    with unit_of_work(db.session):
        audit.record(action, detail={"method": request.method, "path": audit.loggable_path()})


def _http_error(error: HTTPException) -> tuple[str, int]:
    if error.code == 403:
        _audit_refusal("access_denied")
    return render_error(error.code or 500)


def _csrf_error(_error: CSRFError) -> tuple[str, int]:
    _audit_refusal("csrf_failed")
    title = _l("แบบฟอร์มหมดอายุ")
    message = _l("กรุณากลับไปหน้าแบบฟอร์ม โหลดใหม่ แล้วส่งอีกครั้ง")
    return render_template("errors/error.html", title=title, message=message, status=400), 400


def _unexpected_error(error: Exception) -> tuple[str, int]:
    current_app.logger.exception("unhandled error", exc_info=error)
    db.session.rollback()
    return render_error(500)


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
