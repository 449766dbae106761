"""Inventory pages: the shared list (search, sort, low stock, archive, CSV), forms and the item's movements."""
import pytest

from tests.ledgers import stock_of


@pytest.fixture
def stocked(app, factory):
    """Three items: one low on stock, one archived."""
    from app.inventory.services import set_items_archived

    mug = factory.item(sku="MUG-1", name="Blue mug", price="4.50", stock=3, threshold=5)
    tee = factory.item(sku="TEE-1", name="Tee shirt", price="12.00", stock=40, threshold=5)
    old = factory.item(sku="OLD-1", name="Old poster", price="1.00", stock=0)
    set_items_archived([old.id], True)
    return mug, tee, old


def _rows(response) -> list[str]:
    body = response.get_data(as_text=True)
    return [sku for sku in ("MUG-1", "TEE-1", "OLD-1") if f">{sku}</a>" in body]


def test_list_searches_sorts_filters_and_archives(client, auth, stocked):
    auth.login("operator")
    assert _rows(client.get("/inventory")) == ["MUG-1", "TEE-1"]
    assert _rows(client.get("/inventory?q=shirt")) == ["TEE-1"]
    assert _rows(client.get("/inventory?q=mug")) == ["MUG-1"]
    assert _rows(client.get("/inventory?stock=low")) == ["MUG-1"]
    assert _rows(client.get("/inventory?archived=archived")) == ["OLD-1"]
    body = client.get("/inventory?sort=price&dir=desc").get_data(as_text=True)
    assert body.index("TEE-1") < body.index("MUG-1")
    body = client.get("/inventory?sort=on_hand").get_data(as_text=True)
    assert body.index("MUG-1") < body.index("TEE-1")


def test_csv_export_has_every_matching_row(client, auth, stocked):
    auth.login("operator")
    response = client.get("/inventory?format=csv&archived=all&sort=sku")
    lines = response.get_data(as_text=True).splitlines()
    assert response.mimetype == "text/csv" and lines[0].startswith("sku,name,unit_price,stock_on_hand")
    assert [line.split(",")[0] for line in lines[1:]] == ["MUG-1", "OLD-1", "TEE-1"]


def test_create_and_edit_through_the_forms(client, auth, app):
    auth.login("operator")
    response = client.post("/inventory/new", data={"sku": "cap-1", "name": "Cap", "unit_price": "9.75",
                                                    "low_stock_threshold": "2", "opening_stock": "10"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "CAP-1" in page and "Opening stock" in page and "+10" in page
    item_url = response.headers["Location"]
    response = client.post(item_url + "/edit", data={"sku": "CAP-1", "name": "Navy cap", "unit_price": "abc",
                                                     "low_stock_threshold": "2"})
    assert response.status_code == 422 and "Enter an amount such as 12.50." in response.get_data(as_text=True)


def test_adjust_stock_form_and_movements_on_the_item_page(client, auth, stocked):
    mug = stocked[0]
    auth.login("operator")
    response = client.post(f"/inventory/{mug.id}/adjust", data={"delta": "-4", "reason": "Broken"})
    assert response.status_code == 422
    assert "Only 3 in stock: you cannot remove 4." in response.get_data(as_text=True)
    response = client.post(f"/inventory/{mug.id}/adjust", data={"delta": "5", "reason": "Delivery"})
    assert response.status_code == 303 and stock_of(mug) == 8
    page = client.get(f"/inventory/{mug.id}").get_data(as_text=True)
    assert 'id="stock-on-hand">8<' in page and "Delivery" in page and "Opening stock" in page
    assert client.get(f"/inventory/{mug.id}?q=deliv").get_data(as_text=True).count("Opening stock") == 0


def test_customers_cannot_open_inventory(client, auth, stocked):
    auth.login("customer")
    assert client.get("/inventory").status_code == 403
    assert client.post(f"/inventory/{stocked[0].id}/adjust", data={"delta": "5", "reason": "x"}).status_code == 403
