"""User administration forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.models import ROLES
from app.auth.token_models import SCOPES
from app.auth.tokens import DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS
from app.common.ids import parse_id


class UserForm(FlaskForm):
    """A login's email, name, role, customer and active flag."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name", validators=[Length(max=200)])
    role = SelectField("Role", choices=[(r, r.capitalize()) for r in ROLES])
    customer_id = SelectField("Customer (customer logins only)", coerce=parse_id, validate_choice=True)
    active = BooleanField("Active (can sign in)", default=True)


class NewUserForm(UserForm):
    """A new login also needs its first password."""

    password = PasswordField("Password", validators=[DataRequired(), Length(min=8, max=200)])


class PasswordResetForm(FlaskForm):
    """Set a new password for a login."""

    password = PasswordField("New password", validators=[DataRequired(), Length(min=8, max=200)])
    confirm = PasswordField("Repeat the new password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class ApiTokenForm(FlaskForm):
    """A new API token: whose, what for, which scopes (none ticked: all the role allows) and how long."""

    email = EmailField("User's email", validators=[DataRequired(), Length(max=254)])
    name = StringField("What it is for", validators=[Length(max=100)])
    scopes = SelectMultipleField("Scopes (none ticked: everything the user's role may do)",
                                 choices=[(s, s) for s in SCOPES], widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())
    expires_days = IntegerField("Expires after (days)", default=DEFAULT_EXPIRY_DAYS,
                                validators=[DataRequired(), NumberRange(1, MAX_EXPIRY_DAYS)])
