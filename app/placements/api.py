from flask_smorest import Blueprint

blp = Blueprint("placements_api", __name__, url_prefix="/api/placements")
