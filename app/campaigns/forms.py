"""Campaign form: parses what a person typed; the ad platform judges the rest (it is the source of truth)."""
from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.campaigns.models import CAMPAIGN_STATUSES
from app.common.ids import parse_id


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class IsoDateField(DateField):
    """A date input whose parse error tells the person the format to use."""

    def process_formdata(self, valuelist):
        """Parse YYYY-MM-DD; an empty input is no date."""
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if text:
            try:
                self.data = date.fromisoformat(text)
            except ValueError:
                raise ValueError("Enter a date as YYYY-MM-DD.") from None


class CampaignForm(FlaskForm):
    """Create or edit a campaign; customer logins and edits have no customer field (it is fixed)."""

    customer_id = SelectField("Customer", coerce=parse_id)
    title = StringField("Title", filters=[_strip],
                        validators=[DataRequired("Enter a title."), Length(max=255)])
    advertiser = StringField("Advertiser", filters=[_strip],
                             validators=[DataRequired("Enter the advertiser."), Length(max=255)])
    start_date = IsoDateField("Start date", validators=[InputRequired("Enter the start date.")])
    end_date = IsoDateField("End date", validators=[Optional()], description="Leave empty for no end date.")
    status = SelectField("Status", choices=[(s, s.capitalize()) for s in CAMPAIGN_STATUSES], default="draft")
    budget = DecimalField("Budget", places=2, validators=[Optional()],
                          description="Leave empty for no budget.")

    def validate_customer_id(self, field):
        """A new campaign needs a customer."""
        if field.data is None:
            raise ValidationError("Choose the customer this campaign is for.")
