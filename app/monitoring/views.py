from flask import Blueprint

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring", template_folder="templates")
