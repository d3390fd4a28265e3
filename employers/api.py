"""JSON API of the entrepreneurs' portal, scoped to the caller's business (R16).

Everything but the registration needs an approved business's user; another role gets
403, another business's vacancy 404. Nothing returned carries an inmate's personal data.
"""


from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.throttling import colleague_creation_throttled
from app.core.api import Blueprint, document_throttled
from app.core.auth import get_in_scope_or_404, roles_required, scoped
from app.core.vocabulary import Role
from app.extensions import db, limiter
from app.placements import staffing
from app.placements.schemas import VacancySchema
from app.vacancies import operations as vacancy_ops
from app.vacancies.models import Vacancy
from app.vacancies.schemas import (
    ConfirmationNeededSchema,
    ConfirmSchema,
    VacancyCreateSchema,
    VacancyUpdateSchema,
)
from employers import operations, pool
from employers.production import production_ranking
from employers.schemas import (
    ColleagueSchema,
    EligibilitySchema,
    EmployerSchema,
    HomeSchema,
    InstitutionPoolSchema,
    NotificationSchema,
    PoolQuerySchema,
    ProductionArgs,
    ProductionRowSchema,
    RegistrationResultSchema,
    RegistrationSchema,
    UserSchema,
    WorkerSchema,
)
from policy.clock import today_in_kazakhstan

blp = Blueprint("employers_api", __name__, url_prefix="/api/employer",
                description="Entrepreneurs: registration, vacancies, labour pool, workers")

employer_only = roles_required(Role.EMPLOYER)
CONFIRMATION = {"description": "Placements would end: nothing was changed; the body lists "
                               "them (`ending`, the most recent first). Send the same request "
                               "with `confirm: true` to proceed.",
                "schema": ConfirmationNeededSchema}


def registration_limit() -> str:
    """Registrations are throttled like logins: each runs a slow password hash, and the
    answers tell whether a number or an e-mail is taken. The page and the API share
    one counter per address (scope "employer-registration")."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@blp.post("/registrations")
@document_throttled
@limiter.shared_limit(registration_limit, scope="employer-registration")
@blp.arguments(RegistrationSchema)
@blp.response(201, RegistrationResultSchema)
@blp.doc(security=[])
def register(body):
    """Register a private company or sole trader (pending until an administrator approves)."""
    employer, user = operations.register_employer(**body)
    return {"employer": employer, "user": user,
            "message": _("Registered; you can log in once an administrator approves.")}


@blp.get("/business")
@employer_only
@blp.response(200, EmployerSchema)
def business():
    """The caller's business."""
    return current_user.employer


@blp.get("/home")
@employer_only
@blp.response(200, HomeSchema)
def home():
    """Open vacancies, recent changes by the institutions, notifications."""
    employer_id = current_user.employer_id
    return {"employer": current_user.employer,
            "open_vacancies": [v for v, _ in operations.open_vacancies(employer_id)],
            "recent_changes": operations.officer_changes(employer_id),
            "notifications": operations.notifications(current_user.id)}


@blp.get("/notifications")
@employer_only
@blp.response(200, NotificationSchema(many=True))
def notifications():
    return operations.notifications(current_user.id, limit=100)


@blp.get("/users")
@employer_only
@blp.response(200, UserSchema(many=True))
def users():
    """The users of the caller's business."""
    return current_user.employer.users


@blp.post("/users")
@document_throttled
@colleague_creation_throttled
@employer_only
@blp.arguments(ColleagueSchema)
@blp.response(201, UserSchema)
def add_user(body):
    """Add a colleague: another user of the same business."""
    user = operations.add_colleague(current_user.employer, **body)
    return user


@blp.get("/vacancies")
@employer_only
@blp.response(200, VacancySchema(many=True))
def vacancies():
    return db.session.scalars(scoped(Vacancy).order_by(Vacancy.id)).all()


@blp.post("/vacancies")
@employer_only
@blp.arguments(VacancyCreateSchema)
@blp.response(201, VacancySchema(many=True))
def create_vacancies(body):
    """Create one draft vacancy per institution given."""
    institution_ids = body.pop("institution_ids")
    created = vacancy_ops.create_vacancies(current_user.employer, institution_ids, body)
    return created


@blp.get("/vacancies/<int:vacancy_id>")
@employer_only
@blp.response(200, VacancySchema)
def vacancy(vacancy_id: int):
    return get_in_scope_or_404(Vacancy, vacancy_id)


@blp.patch("/vacancies/<int:vacancy_id>")
@employer_only
@blp.arguments(VacancyUpdateSchema(partial=True))
@blp.response(200, VacancySchema)
@blp.alt_response(409, **CONFIRMATION)
def update_vacancy(body, vacancy_id: int):
    """Change a vacancy; fewer positions than placements needs `confirm: true` (until
    then 409 listing the placements that would end, and nothing changed)."""
    found = get_in_scope_or_404(Vacancy, vacancy_id)
    confirm = body.pop("confirm", False)
    staffing.update_vacancy(found, body, confirm=confirm)
    return found


@blp.post("/vacancies/<int:vacancy_id>/<any(publish, pause):action>")
@employer_only
@blp.response(200, VacancySchema)
def change_status(vacancy_id: int, action: str):
    """Publish (a draft or paused vacancy) or pause (a published one)."""
    found = get_in_scope_or_404(Vacancy, vacancy_id)
    vacancy_ops.change_status(found, action)
    return found


@blp.post("/vacancies/<int:vacancy_id>/close")
@employer_only
@blp.arguments(ConfirmSchema)
@blp.response(200, VacancySchema)
@blp.alt_response(409, **CONFIRMATION)
def close_vacancy(body, vacancy_id: int):
    """Close a vacancy; if it has workers, needs `confirm: true` and ends their placements
    (until then 409 listing them, and nothing changed)."""
    found = get_in_scope_or_404(Vacancy, vacancy_id)
    staffing.close_vacancy(found, confirm=body["confirm"])
    return found


@blp.get("/vacancies/<int:vacancy_id>/eligibility")
@employer_only
@blp.response(200, EligibilitySchema)
def eligibility(vacancy_id: int):
    """How many inmates the vacancy's rules would admit today (null when below 5)."""
    found = get_in_scope_or_404(Vacancy, vacancy_id)
    return {"vacancy_id": found.id, "eligible": pool.eligible_count(found)}


@blp.get("/labour-pool")
@employer_only
@blp.arguments(PoolQuerySchema, location="query")
@blp.response(200, InstitutionPoolSchema(many=True))
def labour_pool(query):
    """Per institution: inmates able to work and not employed, by trade and by hours.
    Counts only; a count below 5 is `null` with `suppressed: true` (R17)."""
    return pool.labour_pool(today_in_kazakhstan(), query["institution_id"])


@blp.get("/production")
@employer_only
@blp.arguments(ProductionArgs, location="query")
@blp.response(200, ProductionRowSchema(many=True))
def production(args):
    """Where to open production: per institution, how many more inmates a workshop of
    the trade and size would employ (the caller's kind of business, inside, day shift,
    40 h, minimum wage, not heavy, the trade's skill required), from the planner,
    within 2 and a multiple of 5 from the labour pool's other counts of the institution;
    below 5 `null` with `suppressed: true` (R17)."""
    return production_ranking(args["trade"], args["positions"],
                              str(current_user.employer.kind), today_in_kazakhstan())


@blp.get("/workers")
@employer_only
@blp.response(200, WorkerSchema(many=True))
def workers():
    """Workers in the business's vacancies: name, vacancy, start date, hours (R16)."""
    return operations.current_workers(current_user.employer_id)
