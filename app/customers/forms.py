"""Customer form."""
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.customers.services import customer_field_errors


class CustomerForm(FlaskForm):
    """Create or edit a customer's identity and contact details."""

    code = StringField("Code", validators=[DataRequired(), Length(max=32)],
                       description="Short unique reference, e.g. ACME. Stored in capitals.")
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[Optional(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=32)])

    def validate(self, extra_validators=None) -> bool:
        """Run the form's checks, then the service's rules, so every problem shows in one round."""
        valid = super().validate(extra_validators)
        rule_errors = customer_field_errors(self.code.data, self.name.data, self.email.data, self.phone.data)
        for name, message in rule_errors.items():
            field = getattr(self, name)
            if not field.errors:
                field.errors.append(message)
        return valid and not rule_errors
