"""Balance pages: a customer's full ledger, and the admin form for deposits and adjustments."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from app.auth.access import access
from app.auth.scope import get_scoped_or_404
from app.balances import services
from app.balances.forms import BalanceChangeForm
from app.balances.listing import ledger_list_spec
from app.common.actions import call_service, form_status
from app.common.views import render_list
from app.customers.models import Customer

bp = Blueprint("balances", __name__, url_prefix="/customers/<int:customer_id>")


@bp.get("/ledger")
@access("login")
def ledger(customer_id: int):
    """Every change of a customer's balance (a customer login sees only its own)."""
    customer = get_scoped_or_404(Customer, customer_id, customer_id_column=Customer.id)
    return render_list(ledger_list_spec(customer), "balances/ledger.html", "balances/_ledger_list.html", customer=customer)


@bp.route("/balance/new", methods=["GET", "POST"])
@access("admin")
def record(customer_id: int):
    """Record a deposit or an adjustment with a reason (admins only)."""
    customer = get_scoped_or_404(Customer, customer_id, customer_id_column=Customer.id)
    form = BalanceChangeForm()
    if form.validate_on_submit():
        record_change = services.record_deposit if form.kind.data == "deposit" else services.record_adjustment
        balance = call_service(form, lambda: record_change(customer.id, form.amount.data, form.reason.data,
                                                           current_user.id))
        if balance is not None:
            flash(f"Recorded the {form.kind.data}; the balance of {customer.code} is now {balance:,.2f}.", "success")
            return redirect(url_for("customers.show", customer_id=customer.id), code=303)
    return render_template("balances/form.html", form=form, customer=customer), form_status()
