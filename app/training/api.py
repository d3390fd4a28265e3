from flask_smorest import Blueprint

blp = Blueprint("training_api", __name__, url_prefix="/api/training")
