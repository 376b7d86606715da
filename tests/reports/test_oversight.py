"""Oversight: a province (or district) office sees its bodies' figures side by side, never more.

Three bodies besides the installation's first: two in Nakhon Ratchasima (30; districts 3001 and
3002) and one in Bangkok. Each has cases in round 1 of 2569 in every stage, with ratings, and
the first also corruption reports.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select, text

from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import ReadOnlyScope, organization_scope, reading_organizations
from app.organizations.services import create_organization, resolve_area
from app.platform.models import AccountKind
from cases.models import Case
from reports.labels import STAGES
from reports.periods import Period
from reports.rollup import rollup
from reports.summary import MEASURES, compute_summary
from tests.factories import USER_PASSWORD, make_user
from tests.integrity.conftest import make_report
from tests.platform_helpers import make_platform_account, platform_client
from tests.reports.conftest import TODAY, add_case, bkk
from tests.row_security import become_app_role

ROUND_1 = {"fy": "2569", "round": "1"}
PERIOD = Period.for_round(2569, 1)
SUBJECT, DETAILS, PHONE = "ท่อแตกหน้าบ้านนายสมปอง", "น้ำไหลท่วมซอยบ้านนายสมปอง", "0899999999"


@dataclass
class Bodies:
    """The ids of the bodies the tests look at."""

    jorhor: int
    chae: int
    bangkok: int


def _body(slug: str, name: str, subdistrict: str) -> int:
    organization = create_organization(
        db.session, slug, name_th=name, area=resolve_area(None, None, (subdistrict,))
    )
    return organization.id


def _cases(count: int) -> None:
    """``count`` groups of four cases: answered in time, answered late, acknowledged only
    (overdue), not acknowledged; the answered ones rated."""
    for n in range(count):
        add_case(
            bkk(2025, 10, 6 + n, 10, 0),
            subject=SUBJECT,
            details=DETAILS,
            status="resolved",
            acknowledged_at=bkk(2025, 10, 7 + n, 9, 0),
            resolved_at=bkk(2025, 10, 14 + n, 9, 0),
            rating=5,
        )
        add_case(
            bkk(2025, 11, 10, 9, 0),
            status="resolved",
            acknowledged_at=bkk(2025, 11, 14, 9, 0),
            resolved_at=bkk(2025, 12, 15, 9, 0),
            rating=2,
        )
        add_case(bkk(2026, 1, 5, 9, 0), status="in_progress", acknowledged_at=bkk(2026, 1, 6, 9))
        add_case(bkk(2026, 3, 30, 9, 0))
    add_case(bkk(2026, 4, 2, 9, 0))  # round 2: never in round 1's figures


@pytest.fixture
def bodies(app) -> Bodies:
    ids = Bodies(
        jorhor=_body("jorhor", "องค์การบริหารส่วนตำบลจอหอ", "300116"),
        chae=_body("chae", "องค์การบริหารส่วนตำบลแชะ", "300201"),
        bangkok=_body("bkk-palace", "หน่วยงานกรุงเทพ", "100101"),
    )
    for organization_id, count in ((ids.jorhor, 2), (ids.chae, 1), (ids.bangkok, 3)):
        with organization_scope(organization_id):
            _cases(count)
    with organization_scope(ids.jorhor):
        for _ in range(3):
            make_report(received_at=bkk(2025, 11, 13, 9, 0))
    db.session.commit()
    db.session.expunge_all()
    return ids


def _oversight(app, province="30", district=None):
    account = make_platform_account(AccountKind.OVERSIGHT, province=province, district=district)
    return platform_client(app, account)


def test_the_province_office_sees_its_bodies_and_no_other(app, bodies):
    client = _oversight(app)
    page = client.get("/platform/oversight/", query_string=ROUND_1).get_data(as_text=True)
    assert "/bodies/jorhor" in page and "/bodies/chae" in page
    assert "หน่วยงานกรุงเทพ" not in page and "/bodies/bkk-palace" not in page
    assert "จังหวัดนครราชสีมา" in page
    assert client.get("/platform/oversight/bodies/jorhor", query_string=ROUND_1).status_code == 200
    assert client.get("/platform/oversight/bodies/bkk-palace").status_code == 404
    assert client.get("/platform/oversight/bodies/nobody").status_code == 404


def test_a_district_office_sees_only_its_districts_bodies(app, bodies):
    client = _oversight(app, district="3002")
    page = client.get("/platform/oversight/", query_string=ROUND_1).get_data(as_text=True)
    # (the platform's own pages carry the installation's name, ORG_NAME: look at the links)
    assert "/bodies/chae" in page and "/bodies/jorhor" not in page
    assert client.get("/platform/oversight/bodies/jorhor").status_code == 404


def _summary_figures(organization_id: int) -> tuple[dict[str, int], dict[str, int]]:
    with organization_scope(organization_id):
        data = compute_summary(db.session, PERIOD, TODAY)
    total = {name: getattr(data.figures.total, name) for name in ("received", *MEASURES)}
    stages = {s: f.received for s, f in data.figures.groups["stage"].items()}
    return total, stages


def test_rollup_figures_equal_each_bodys_own_summary(app, bodies):
    ids = [bodies.jorhor, bodies.chae, bodies.bangkok]
    figures = rollup(db.session, ids, PERIOD, TODAY)
    assert [b.organization_id for b in figures.bodies] == ids
    for body in figures.bodies:
        total, stages = _summary_figures(body.organization_id)
        assert {name: getattr(body.figures, name) for name in total} == total
        assert {s: n for s, n in body.stages.items() if n} == stages
    jorhor = figures.bodies[0]
    assert jorhor.figures.received == 8 and jorhor.answered == 4 and jorhor.pending == 2
    assert jorhor.figures.overdue == 2 and jorhor.figures.rated == 4
    assert jorhor.figures.rating_mean == 3.5
    assert (jorhor.integrity_received, figures.bodies[1].integrity_received) == (3, 0)
    assert figures.total.figures.received == 8 + 4 + 12
    assert sum(figures.total.stages[s] for s in STAGES) == 24


def test_rollup_of_a_body_without_cases_is_zeros(app, bodies):
    quiet = _body("quiet", "อบต.เงียบ", "300115")
    (body,) = rollup(db.session, [quiet], PERIOD, TODAY).bodies
    assert body.figures.received == 0 and body.figures.answer_pct is None


def test_the_read_scope_reads_only_its_bodies_and_writes_nothing(app, bodies):
    with reading_organizations([bodies.chae]):
        assert db.session.scalar(select(func.count()).select_from(Case)) == 5
        case = db.session.scalars(select(Case)).first()
        assert case is not None and case.organization_id == bodies.chae
        case.subject = "changed"
        with pytest.raises(ReadOnlyScope):
            db.session.flush()
    db.session.rollback()


def _download(client, fmt: str) -> str:
    response = client.get(f"/platform/oversight/rollup.{fmt}", query_string=ROUND_1)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'rongrian-rollup-2569-1.{fmt}"')
    if fmt == "pdf":
        pages = PdfReader(io.BytesIO(response.data)).pages
        text_ = "\n".join(page.extract_text() for page in pages)
        return text_.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    workbook = load_workbook(io.BytesIO(response.data))
    return "\n".join(
        ",".join("" if v is None else str(v) for v in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_the_rollup_downloads_hold_counts_and_no_personal_data(app, bodies, fmt):
    with organization_scope(bodies.jorhor):
        codes = list(db.session.scalars(select(Case.code)))
    content = _download(_oversight(app), fmt)
    assert "นครราชสีมา" in content and "หน่วยงานกรุงเทพ" not in content
    for secret in (SUBJECT, DETAILS, PHONE, "สมปอง", *codes):
        assert secret not in content
    if fmt == "xlsx":
        assert "องค์การบริหารส่วนตำบลจอหอ,8,4,2,2,50,25,2,4,3.5,3,0" in content
        assert "รวมทั้งพื้นที่,12,6,3,3,50,25,3,6,3.5,3,0" in content


def test_a_roll_up_of_another_round_than_asked_is_refused(app, bodies):
    client = _oversight(app)
    response = client.get("/platform/oversight/rollup.xlsx", query_string={"fy": "25x"})
    assert response.status_code == 400 and "รอบรายงานไม่ถูกต้อง" in response.get_data(as_text=True)
    assert client.get("/platform/oversight/rollup.csv").status_code == 404


def test_only_oversight_accounts_open_the_oversight_pages(app, bodies):
    admin = platform_client(app, make_platform_account())
    assert admin.get("/platform/oversight/").status_code == 403
    with organization_scope(bodies.jorhor):
        user = make_user(roles=("executive",))
    staff = app.test_client()
    signed_in = staff.post(
        "/o/jorhor/staff/login", data={"email": user.email, "password": USER_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert staff.get("/o/jorhor/reports/summary").status_code == 200
    # A body's user is nobody on the platform's pages: sent to the platform's sign-in.
    assert staff.get("/platform/oversight/").status_code == 302
    oversight = _oversight(app)
    # An oversight account is refused every page of a body, like a platform administrator.
    assert oversight.get("/o/jorhor/reports/summary").status_code == 403


@pytest.mark.postgres_only
def test_postgres_read_policy_shows_only_the_listed_bodies_and_refuses_writes(app, bodies):
    connection = db.session.connection()
    become_app_role(connection)
    connection.execute(
        text(
            "SELECT set_config('rongrian.organization_id', '', true), "
            "set_config('rongrian.organization_ids', :ids, true)"
        ),
        {"ids": f"{{{bodies.chae}}}"},
    )
    assert connection.scalar(text("SELECT count(*) FROM cases")) == 5
    assert connection.scalar(text("SELECT count(*) FROM categories")) == 0  # only two tables
    assert connection.execute(text("UPDATE cases SET subject = 'x'")).rowcount == 0
    figures = rollup(db.session, [bodies.jorhor, bodies.chae], PERIOD, TODAY)
    assert [b.figures.received for b in figures.bodies] == [8, 4]
    assert db.session.scalar(select(Organization.id).where(Organization.slug == "chae"))
