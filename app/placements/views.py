from flask import Blueprint

bp = Blueprint("placements", __name__, url_prefix="/placements", template_folder="templates")
