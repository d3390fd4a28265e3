from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import operations
from app.auth.forms import (
    LoginForm,
    MailChoiceForm,
    PasswordChangeForm,
    PasswordResetForm,
    TokenForm,
)
from app.auth.models import ApiToken
from app.auth.throttling import login_throttled
from app.core.forms import form_status, submit
from app.core.urls import local_path
from app.core.vocabulary import MailChoice
from app.extensions import db

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
@login_throttled
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        verified = operations.verify_credentials(form.email.data, form.password.data)
        user = operations.admit(verified)
        if user is not None:
            login_user(user)
            return redirect(local_path(request.args.get("next")) or url_for("home.index"))
        form.password.errors.append(operations.refusal_message(verified))
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else (
        422 if form.errors else 200)


@bp.post("/logout")
@login_required
def logout():
    operations.end_sessions(current_user)  # a copied cookie stops working too
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit() and submit(form, lambda: operations.change_password(
            current_user, form.current_password.data, form.new_password.data)):
        login_user(current_user._get_current_object())  # this session goes on, others end
        flash(_("Password changed. Your other sessions have ended."), "success")
        return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form, reset=False), form_status(form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The user's account: who they are, how notifications reach them by e-mail, and
    the ways to their password and API tokens."""
    form = MailChoiceForm(mail_choice=current_user.mail_choice.value)
    if form.validate_on_submit():
        current_user.mail_choice = MailChoice(form.mail_choice.data)
        flash(_("Your choice is saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form,
                           mail_server=bool(current_app.config["MAIL_SERVER"])), form_status(form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@login_throttled
def reset_password(token: str):
    """The one-time link an administrator made: set a new password, then log in."""
    user = operations.user_for_reset_token(token)
    if user is None:
        return render_template("errors.html", code=404, name=_("Not Found"), message=_(
            "This link is not valid: it was used already, has expired or was mistyped. "
            "Ask an administrator for a new one.")), 404
    form = PasswordResetForm()
    if form.validate_on_submit() and submit(form, lambda: operations.set_password(
            user, form.new_password.data, "new_password")):
        logout_user()
        flash(_("Password set. Log in with your new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/password.html", form=form, reset=True), form_status(form)


@bp.post("/language/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
        if current_user.is_authenticated:
            current_user.language = code
    return redirect(_safe_referrer())


def _safe_referrer() -> str:
    referrer = request.referrer or ""
    host = request.host_url
    return referrer if referrer.startswith(host) else url_for("home.index")


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        _, new_token = operations.issue_token(current_user, form.name.data)
    records = db.session.scalars(
        db.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)
    ).all()
    return render_template("auth/tokens.html", form=form, records=records,
                           new_token=new_token), form_status(form)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    record = db.session.scalar(
        db.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == current_user.id)
    )
    if record is None:
        return render_template("errors.html", code=404, name="Not Found"), 404
    operations.revoke_token(record)
    flash(_("Token revoked."), "success")
    return redirect(url_for("auth.tokens"))
