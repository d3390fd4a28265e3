"""Administration pages: institutions, users, employers, settings, taxonomy."""


import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import operations
from app.admin.forms import (
    EmployerForm,
    InstitutionForm,
    RefusalForm,
    RegionForm,
    SettingsForm,
    TradeForm,
    UserForm,
    YearForm,
)
from app.auth.models import User
from app.auth.operations import RESET_LINK_MAX_AGE, create_user, reset_token, set_active
from app.core.auth import roles_required
from app.core.forms import form_status, submit
from app.core.vocabulary import EmployerKind, EmployerStatus, Role, VacancyStatus
from app.extensions import db
from app.institutions.models import Institution, Region
from app.settings.models import YearSettings
from app.settings.operations import settings_for, settings_form_data
from app.taxonomy.models import Trade, localized_name
from app.vacancies.models import Employer, Vacancy
from employers import operations as employer_operations
from policy.clock import today_in_kazakhstan

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
@roles_required(Role.ADMIN)
def only_admins() -> None:
    """Every page of this blueprint is for administrators only."""


def _form_page(form, save, *, saved: str, back: str, title: str):
    """Show ``form`` on the shared form page; on a valid submit run ``save`` (its
    refusals land on the fields), flash ``saved`` and go to the ``back`` endpoint."""
    if form.validate_on_submit() and submit(form, save):
        flash(saved, "success")
        return redirect(url_for(back))
    return render_template("admin/form.html", form=form, title=title), form_status(form)


@bp.get("/")
def index():
    counts = {
        "institutions": db.session.scalar(sa.select(sa.func.count(Institution.id))),
        "users": db.session.scalar(sa.select(sa.func.count(User.id))),
        "trades": db.session.scalar(sa.select(sa.func.count(Trade.id))),
    }
    pending = db.session.scalars(
        sa.select(Employer).where(Employer.status == EmployerStatus.PENDING).order_by(Employer.id)
    ).all()
    return render_template("admin/index.html", counts=counts, pending=pending)


def _region_choices() -> list[tuple[int, str]]:
    return [(r.id, r.name) for r in db.session.scalars(sa.select(Region).order_by(Region.name))]


@bp.route("/institutions", methods=["GET", "POST"])
def institutions():
    region_form = RegionForm(prefix="region")
    if region_form.validate_on_submit() and submit(
        region_form, lambda: operations.create_region(region_form.name.data)
    ):
        flash(_("Region added."), "success")
        return redirect(url_for("admin.institutions"))
    rows = db.session.scalars(sa.select(Institution).order_by(Institution.code)).all()
    return render_template("admin/institutions.html", institutions=rows, region_form=region_form,
                           regions=db.session.scalars(sa.select(Region).order_by(Region.name))
                           ), form_status(region_form)


@bp.route("/institutions/new", methods=["GET", "POST"], defaults={"institution_id": None})
@bp.route("/institutions/<int:institution_id>", methods=["GET", "POST"])
def institution(institution_id: int | None):
    record = db.get_or_404(Institution, institution_id) if institution_id else None
    form = InstitutionForm(obj=record)
    form.region_id.choices = _region_choices()
    return _form_page(form, lambda: operations.save_institution(record, form.data),
                      saved=_("Institution saved."), back="admin.institutions",
                      title=_("Institution"))


@bp.get("/users")
def users():
    rows = db.session.scalars(sa.select(User).order_by(User.role, User.email)).all()
    return render_template("admin/users.html", users=rows)


def _institution_choices() -> list[tuple[int, str]]:
    """Institutions for a select, with 0 standing for "none"."""
    institutions = db.session.scalars(sa.select(Institution).order_by(Institution.code))
    return [(0, "—")] + [(i.id, str(i)) for i in institutions]


def _user_form() -> UserForm:
    form = UserForm()
    none = [(0, "—")]
    form.institution_id.choices = _institution_choices()
    form.employer_id.choices = none + [
        (e.id, e.name) for e in db.session.scalars(sa.select(Employer).order_by(Employer.name))
    ]
    form.region_id.choices = none + _region_choices()
    return form


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = _user_form()
    return _form_page(form, lambda: create_user(
        email=form.email.data, full_name=form.full_name.data, password=form.password.data,
        role=Role(form.role.data), institution_id=form.institution_id.data or None,
        employer_id=form.employer_id.data or None, region_id=form.region_id.data or None,
    ), saved=_("User created."), back="admin.users", title=_("New user"))


@bp.route("/users/<int:user_id>/active", methods=["GET", "POST"])
def toggle_user(user_id: int):
    """GET: confirm blocking (unblocking needs no confirmation); POST: do it."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash(_("You cannot block your own account."), "error")
        return redirect(url_for("admin.users"))
    if request.method == "GET":
        return render_template(
            "confirm.html", form=None, action=request.path, back=url_for("admin.users"),
            title=_("Block %(name)s (%(email)s)?", name=user.full_name, email=user.email),
            consequences=[_("They can no longer log in and their open sessions end at once; "
                            "their records stay. You can unblock them later.")],
            button=_("Block"))
    set_active(user, not user.active)  # blocking ends the user's sessions at once
    flash(_("User %(email)s is now %(state)s.", email=user.email,
            state=_("active") if user.active else _("blocked")), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/reset-link")
def reset_link(user_id: int):
    """A one-time link that lets the user set a new password, shown to the administrator
    to hand over (there is no mail server). It works once and expires."""
    user = db.get_or_404(User, user_id)
    link = url_for("auth.reset_password", token=reset_token(user), _external=True)
    hours = int(RESET_LINK_MAX_AGE.total_seconds() // 3600)
    return render_template("admin/reset_link.html", user=user, link=link, hours=hours)


@bp.get("/settings")
def settings():
    years = db.session.scalars(sa.select(YearSettings).order_by(YearSettings.year.desc())).all()
    form = YearForm(year=today_in_kazakhstan().year)
    return render_template("admin/settings.html", years=years, form=form)


@bp.route("/settings/<int:year>", methods=["GET", "POST"])
def edit_settings(year: int):
    if not 2015 <= year <= 2100:
        abort(404)
    form = SettingsForm(data=settings_form_data(settings_for(year)))
    return _form_page(form, lambda: operations.save_settings(year, form.data),
                      saved=_("Settings for %(year)s saved.", year=year), back="admin.settings",
                      title=_("Settings for %(year)s", year=year))


@bp.get("/trades")
def trades():
    rows = db.session.scalars(sa.select(Trade).order_by(Trade.isco_code, Trade.code)).all()
    return render_template("admin/trades.html", trades=rows)


@bp.route("/trades/new", methods=["GET", "POST"], defaults={"trade_id": None})
@bp.route("/trades/<int:trade_id>", methods=["GET", "POST"])
def trade(trade_id: int | None):
    record = db.get_or_404(Trade, trade_id) if trade_id else None
    form = TradeForm(obj=record)
    if (record is not None and record.active and form.validate_on_submit()
            and not form.active.data and not request.form.get("confirmed")):
        using = list(db.session.scalars(sa.select(Vacancy).where(
            Vacancy.trade_id == record.id, Vacancy.status != VacancyStatus.CLOSED)
            .order_by(Vacancy.title)))
        if using:  # deactivating a trade that open vacancies use: say which, ask first
            return render_template(
                "confirm.html", form=form, action=request.path, hidden={"confirmed": "1"},
                back=url_for("admin.trades"), button=_("Deactivate the trade"),
                title=_("Deactivate the trade %(name)s?", name=localized_name(record)),
                consequences=[_("New vacancies, skills and wishes can no longer choose it. "
                                "%(n)s open vacancies use it and are not changed: %(titles)s.",
                                n=len(using), titles=", ".join(
                                    f"{v.title} ({v.employer.name})" for v in using[:10]))])
    return _form_page(form, lambda: operations.save_trade(record, form.data),
                      saved=_("Trade saved."), back="admin.trades", title=_("Trade"))


@bp.get("/employers")
def employers():
    rows = db.session.scalars(sa.select(Employer).order_by(Employer.status, Employer.name)).all()
    return render_template("admin/employers.html", employers=rows)


@bp.route("/employers/new", methods=["GET", "POST"])
def new_employer():
    form = EmployerForm()
    form.institution_id.choices = _institution_choices()
    return _form_page(form, lambda: employer_operations.create_employer(
        kind=EmployerKind(form.kind.data), name=form.name.data, bin_iin=form.bin_iin.data or None,
        institution_id=form.institution_id.data or None, address=form.address.data or "",
        contact_person=form.contact_person.data or "", phone=form.phone.data or "",
        email=form.email.data or "",
    ), saved=_("Employer created."), back="admin.employers", title=_("New employer"))


@bp.route("/employers/<int:employer_id>", methods=["GET", "POST"])
def employer(employer_id: int):
    record = db.get_or_404(Employer, employer_id)
    refusal = RefusalForm()
    status = 200
    if request.method == "POST":
        if request.form.get("decision") == "approve":
            done = submit(refusal, lambda: employer_operations.approve_employer(
                record, decided_by=current_user))
        else:
            done = refusal.validate_on_submit() and submit(
                refusal, lambda: employer_operations.refuse_employer(
                    record, decided_by=current_user, reason=refusal.reason.data))
        if done:
            flash(_("Decision recorded and the business notified."), "success")
            return redirect(url_for("admin.employers"))
        status = 422
    return render_template("admin/employer.html", employer=record, form=refusal), status
