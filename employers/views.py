from flask import Blueprint

bp = Blueprint("employers", __name__, url_prefix="/employer", template_folder="templates")


@bp.get("/register")
def register():
    return "Registration is being built."
