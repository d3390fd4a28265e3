from flask_login import current_user

from app.core.api import Blueprint
from app.core.auth import roles_required
from app.core.vocabulary import Role
from app.home.operations import officer_dashboard
from app.home.schemas import OfficerHomeSchema

blp = Blueprint("home_api", __name__, url_prefix="/api/home",
                description="Role home pages as data")


@blp.get("/officer")
@roles_required(Role.OFFICER)
@blp.response(200, OfficerHomeSchema)
def officer():
    """Today's employment rate of the officer's institution against the target, open
    positions, releases without a course or job, the last run, findings, employers' changes."""
    return officer_dashboard(current_user.institution_id)
