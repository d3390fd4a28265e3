from flask_smorest import Blueprint

blp = Blueprint("employers_api", __name__, url_prefix="/api/employer")
