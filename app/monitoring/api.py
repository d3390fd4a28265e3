from flask_smorest import Blueprint

blp = Blueprint("monitoring_api", __name__, url_prefix="/api/monitoring")
