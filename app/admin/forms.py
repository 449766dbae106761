"""User administration forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.models import ROLES
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
