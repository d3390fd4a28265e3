from flask import Blueprint

bp = Blueprint("inmates", __name__, url_prefix="/inmates", template_folder="templates")
