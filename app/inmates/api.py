from flask_smorest import Blueprint

blp = Blueprint("inmates_api", __name__, url_prefix="/api/inmates")
