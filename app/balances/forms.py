"""The form admins use to record a deposit or an adjustment."""
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length


class BalanceChangeForm(FlaskForm):
    """A deposit (money in) or an adjustment (a correction, up or down), with a reason."""

    kind = SelectField("Kind", choices=[("deposit", "Deposit (money received)"),
                                        ("adjustment", "Adjustment (correction, + or −)")])
    amount = StringField("Amount", validators=[DataRequired()], render_kw={"inputmode": "decimal"},
                         description="e.g. 250.00; an adjustment may be negative, e.g. -12.50.")
    reason = StringField("Reason", validators=[DataRequired(message="Say why the balance changes."), Length(max=200)])
