"""Platform connection form: the API token is write-only (never rendered back into the page)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from app.common.ids import parse_id
from app.platforms.services import MAX_INTERVAL, MIN_INTERVAL


class ConnectionForm(FlaskForm):
    """One customer's account on one platform; edits have no customer or platform field (they are fixed)."""

    customer_id = SelectField("Customer", coerce=parse_id)
    platform_id = SelectField("Platform", coerce=parse_id)
    organization = StringField("Organisation id", validators=[DataRequired("Enter the platform's organisation id."),
                                                              Length(max=120)])
    # PasswordField never puts its value back into the HTML, even when the form is shown again with errors.
    api_token = PasswordField("API token", validators=[Length(max=255)])
    sync_enabled = BooleanField("Sync on a schedule", default=True)
    sync_interval_minutes = IntegerField(
        "Sync every (minutes)", default=60,
        validators=[InputRequired("Enter how often to sync, in minutes."),
                    NumberRange(MIN_INTERVAL, MAX_INTERVAL, f"Choose from {MIN_INTERVAL} to {MAX_INTERVAL} minutes.")])

    def validate_customer_id(self, field):
        """A new connection needs a customer."""
        if field.data is None:
            raise ValidationError("Choose the customer this connection belongs to.")

    def validate_platform_id(self, field):
        """A new connection needs a platform."""
        if field.data is None:
            raise ValidationError("Choose the platform.")
