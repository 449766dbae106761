"""Customer form; the service checks every value (all at once), so fields here only shape the input."""
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import Length, Optional


class CustomerForm(FlaskForm):
    """Create or edit a customer's identity and contact details."""

    code = StringField("Code", validators=[Length(max=32)],
                       description="Short unique reference, e.g. ACME. Stored in capitals.")
    name = StringField("Name", validators=[Length(max=200)])
    email = EmailField("Email", validators=[Optional(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=32)])
